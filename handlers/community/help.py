"""/start and /help: what the caller may do here, in their language."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandStart
from aiogram.types import Message

from bot.admins import AdminChecker
from bot.filters import InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.members import MemberService, user_row
from core.uow import UnitOfWork


async def cmd_start(
    message: Message,
    uow: UnitOfWork,
    members: MemberService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user = message.from_user
    assert user is not None
    await members.record_started(
        uow, user_row(user.id, user.username, user.full_name, user.language_code), event_at
    )
    reply(outbox, message, t("start", name=user.full_name) + "\n\n" + t("help-private"))


async def cmd_help(message: Message, admins: AdminChecker, t: Translator, outbox: Outbox) -> None:
    if message.chat.type == ChatType.PRIVATE:
        reply(outbox, message, t("help-private"))
        return
    assert message.from_user is not None
    text = t("help-member")
    if await admins.is_admin(message.chat.id, message.from_user.id):
        text += "\n\n" + t("help-admin")
        reply(outbox, message, text, priority=Priority.HIGH)
        return
    reply(outbox, message, text)


def router() -> Router:
    r = Router(name="help")
    r.message.register(cmd_start, CommandStart(), InPrivate())
    r.message.register(cmd_help, Command("help"))
    r.message.register(cmd_help, CommandStart())  # /start in a group: same as /help
    return r
