"""Every other group message: keeps the member list fresh and earns activity points."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import Message

from bot.features import Feature
from bot.filters import InGroup
from core.community.group_settings import GroupSettings
from core.engagement.member_events import MemberEvent, MemberEventBatcher
from core.engagement.settings import ACTIVITY_SETTINGS
from handlers.common import is_real_member, user_info


async def on_group_message(
    message: Message,
    batcher: MemberEventBatcher,
    group: GroupSettings,
    update_id: int | None,
    event_at: datetime,
) -> None:
    if (
        not is_real_member(message.from_user)
        or message.new_chat_members
        or message.left_chat_member
    ):
        return
    assert message.from_user is not None
    text = message.text or message.caption or ""
    if text.startswith("/"):
        return  # a command for another bot (or an unknown one): not chat activity
    await batcher.submit(
        MemberEvent(
            kind="message",
            update_id=update_id,
            group_id=group.group_id,
            user=user_info(message.from_user),
            at=event_at,
            text_length=len(text.strip()),
            group_title=message.chat.title or "",
        )
    )


def router() -> Router:
    r = Router(name="activity")
    r.message.filter(InGroup())
    r.message.register(on_group_message)
    return r


def feature() -> Feature:
    return Feature(
        "activity",
        fallback_routers=lambda: [router()],
        settings=(ACTIVITY_SETTINGS,),
        tracks_authors=False,
        help_notes=("help-note-activity",),
    )
