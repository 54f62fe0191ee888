"""Commands in the wrong kind of chat, and commands the bot does not know."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.filters import InPrivate, LooksLikeCommand
from bot.i18n import Translator
from bot.outbound import Outbox
from bot.replies import reply

GROUP_ONLY = ("checkin", "top", "grant", "deduct", "settings", "export")


async def cmd_group_only(message: Message, t: Translator, outbox: Outbox) -> None:
    reply(outbox, message, t("error-group-only"))


async def cmd_unknown(message: Message, t: Translator, outbox: Outbox, bot_username: str) -> None:
    word = (message.text or "").split()[0]
    command, _, target = word.partition("@")
    if target and target.lower() != bot_username.lower():
        return  # addressed to another bot
    if not target and message.chat.type != "private":
        return  # a bare unknown command in a group may belong to another bot: stay quiet
    reply(outbox, message, t("error-unknown-command", command=command[:64]))


def router() -> Router:
    r = Router(name="wrong_chat")
    r.message.register(cmd_group_only, Command(*GROUP_ONLY), InPrivate())
    r.message.register(cmd_unknown, LooksLikeCommand())
    return r
