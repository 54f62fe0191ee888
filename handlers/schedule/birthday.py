"""/birthday MM-DD (in private): the groups with a morning greeting congratulate you on the day."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import Message

from bot.features import Area, CommandSpec, Feature, Where
from bot.filters import InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox
from bot.replies import reply
from core.schedule import birthdays
from core.uow import UnitOfWork
from handlers.common import command_args


async def cmd_birthday(
    message: Message, uow: UnitOfWork, event_at: datetime, t: Translator, outbox: Outbox
) -> None:
    assert message.from_user is not None
    user_id = message.from_user.id
    args = command_args(message.text)
    if not args:
        found = await birthdays.birthday_of(uow, user_id)
        if found is None:
            reply(outbox, message, t("birthday-none"))
        else:
            reply(outbox, message, t("birthday-current", month=found[0], day=found[1]))
        return
    if args[0].lower() in ("off", "关闭"):
        await birthdays.remove_birthday(uow, user_id)
        reply(outbox, message, t("birthday-off"))
        return
    month, day = await birthdays.set_birthday(uow, user_id, args[0], event_at)
    reply(outbox, message, t("birthday-set", month=month, day=day))


def router() -> list[Router]:
    r = Router(name="birthday")
    r.message.register(cmd_birthday, BIRTHDAY.filter(), InPrivate())
    return [r]


BIRTHDAY = CommandSpec("birthday", where=Where.PRIVATE, area=Area.SCHEDULE)


def feature() -> Feature:
    return Feature("birthday", router, commands=(BIRTHDAY,))
