"""/checkin and the plain words 签到 / 打卡 in a group."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import Message

from bot.digest import Digest
from bot.features import Area, CommandSpec, Feature
from bot.filters import InGroup, TextMatches
from bot.i18n import Translator
from bot.outbound import Kind, Outbox
from bot.replies import react, reply
from core.community.group_settings import GroupSettings
from core.engagement.member_events import CheckinResult, MemberEvent, MemberEventBatcher
from core.engagement.rules import ordinal_en
from core.engagement.settings import CHECKIN_SETTINGS
from handlers.common import is_real_member, user_info

CHECKIN_WORDS = {"签到", "打卡", "簽到", "checkin", "check in", "check-in"}
REACTIONS = {"new": "👍", "already": "👌"}


async def cmd_checkin(
    message: Message,
    batcher: MemberEventBatcher,
    update_id: int | None,
    event_at: datetime,
    group: GroupSettings,
    t: Translator,
    lang: str,
    outbox: Outbox,
    digest: Digest,
) -> None:
    if not is_real_member(message.from_user):
        return
    assert message.from_user is not None
    result = await batcher.submit(
        MemberEvent(
            kind="checkin",
            update_id=update_id,
            group_id=group.group_id,
            user=user_info(message.from_user),
            at=event_at,
            group_title=message.chat.title or "",
        )
    )
    assert isinstance(result, CheckinResult)
    if result.status == "duplicate":
        return
    name = message.from_user.full_name
    if outbox.group_is_busy(message.chat.id):
        # Many check-ins at once: a reaction each and one digest, instead of a reply each.
        react(outbox, message, REACTIONS[result.status])
        if result.status == "new":
            digest.checkin(message.chat.id, result.day, group.language, name, result.position)  # type: ignore[arg-type]
        return
    reply(outbox, message, render_checkin(t, lang, name, result), kind=Kind.ACK)


def render_checkin(t: Translator, lang: str, name: str, result: CheckinResult) -> str:
    if result.status == "already":
        return t("checkin-already", name=name, streak=result.streak, balance=result.balance)
    position = ordinal_en(result.position) if lang == "en" else str(result.position)
    text = t(
        "checkin-done",
        name=name,
        streak=result.streak,
        points=result.points,
        balance=result.balance,
        position=position,
    )
    if result.bonus:
        text += "\n" + t("checkin-bonus", bonus=result.bonus, streak=result.streak)
    return text


def router() -> list[Router]:
    r = Router(name="checkin")
    r.message.filter(InGroup())
    # The words first: a cheap set lookup, where the command parser is not.
    r.message.register(cmd_checkin, TextMatches(CHECKIN_WORDS))
    r.message.register(cmd_checkin, CHECKIN.filter())
    return [r]


CHECKIN = CommandSpec("checkin", aliases=("qd",), area=Area.POINTS)


def feature() -> Feature:
    # Check-ins track their members in the same batch write: no author tracking on top.
    return Feature(
        "checkin",
        router,
        commands=(CHECKIN,),
        settings=(CHECKIN_SETTINGS,),
        tracks_authors=False,
        help_notes=("help-note-checkin",),
    )
