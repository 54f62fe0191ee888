"""/export members | ledger | feedback: CSV documents for administrators."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile, Message, ReplyParameters

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from core.analytics import export as analytics_export
from core.analytics.periods import parse_period
from core.calendar import local_day
from core.community import export
from core.community.group_settings import GroupSettings
from core.errors import UnknownSubcommand
from core.feedback import export as feedback_export
from core.shop import export as shop_export
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args

KINDS = {
    "members": "members",
    "成员": "members",
    "ledger": "ledger",
    "流水": "ledger",
    "积分": "ledger",
    "redemptions": "redemptions",
    "兑换": "redemptions",
    "feedback": "feedback",
    "反馈": "feedback",
    "survey": "survey",
    "调查": "survey",
    "daily": "daily",
    "每日": "daily",
    "日报": "daily",
}


async def cmd_export(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    exports: export.Exports | None = None,
) -> None:
    assert message.from_user is not None
    args = command_args(message.text)
    kind = KINDS.get(args[0].lower()) if args else None
    extra = exports.find(args[0]) if exports is not None and args and kind is None else None
    if kind is None and extra is None:
        more = ", ".join(exports.kinds()) if exports is not None else ""
        raise UnknownSubcommand(
            word=(args[0] if args else "")[:32],
            options="members, ledger, redemptions, feedback, survey <n>, daily [period]"
            + (f", {more}" if more else ""),
        )
    if extra is not None and extra.build_with_args is not None:
        data, count, kind = await extra.build_with_args(uow.session, group, args[1:])
    elif extra is not None:
        assert extra.build is not None
        kind = extra.kind
        data, count = await extra.build(uow.session, group)
    elif kind == "members":
        data, count = await export.members_csv(uow.session, group, event_at)
    elif kind == "daily":
        today = local_day(event_at, group.timezone, group.day_start_hour)
        period = (
            parse_period(args[1:], today)
            if len(args) > 1
            else await analytics_export.default_period(uow.session, group.group_id, today)
        )
        data, count = await analytics_export.daily_csv(uow.session, group.group_id, period)
    elif kind == "redemptions":
        data, count = await shop_export.redemptions_csv(uow.session, group.group_id)
    elif kind == "feedback":
        data, count = await feedback_export.feedback_csv(uow.session, group.group_id)
    elif kind == "survey":
        number = args[1].lstrip("#") if len(args) > 1 else ""
        if not number.isdecimal():
            raise UnknownSubcommand(word="survey", options="survey <n>")
        data, count = await feedback_export.survey_csv(uow.session, group.group_id, int(number))
        kind = f"survey-{int(number)}"
    else:
        data, count = await export.ledger_csv(uow.session, group.group_id)
    await export.record_export(uow, group.group_id, actor_id(message), kind, count, event_at)
    name = f"{kind}-{abs(group.group_id)}-{event_at:%Y%m%d}.csv"
    outbox.send(
        message.chat.id,
        SendDocument(
            chat_id=message.chat.id,
            document=BufferedInputFile(data, filename=name),
            caption=t(f"export-{kind.split('-')[0]}", count=count),
            reply_parameters=ReplyParameters(
                message_id=message.message_id, allow_sending_without_reply=True
            ),
        ),
        priority=Priority.HIGH,
    )


def router() -> list[Router]:
    r = Router(name="export")
    # Admins only: EXPORT's declaration says so, and its filter checks it (after the command).
    r.message.filter(InGroup())
    r.message.register(cmd_export, EXPORT.filter())
    return [r]


EXPORT = CommandSpec("export", role=Role.ADMIN, area=Area.SETTINGS)


def feature() -> Feature:
    return Feature("export", router, commands=(EXPORT,))
