"""Commands no feature took: in the wrong kind of chat, not allowed to the sender, or unknown.

Built from the command declarations, after every feature's routers: a command reaches these
handlers only when the feature that declares it did not accept it here.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery, Message

from bot.features import CommandCatalog, Role, Where
from bot.filters import (
    InGroup,
    InPrivate,
    LooksLikeCommand,
    NotAPerson,
    NotGroupAdmin,
    NotOwner,
)
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.errors import NotAdmin, OwnerOnly


async def cmd_group_only(message: Message, t: Translator, outbox: Outbox) -> None:
    reply(outbox, message, t("error-group-only"))


async def cmd_private_only(
    message: Message, t: Translator, outbox: Outbox, bot_username: str
) -> None:
    reply(outbox, message, t("error-private-only", bot=bot_username))


async def refuse_admin(message: Message) -> None:
    raise NotAdmin()


async def refuse_owner(message: Message) -> None:
    raise OwnerOnly()


async def cmd_not_a_person(message: Message, t: Translator, outbox: Outbox) -> None:
    """An anonymous admin or a channel used a command about the sender's own points."""
    reply(outbox, message, t("error-not-a-person"))


async def cmd_unknown(message: Message, t: Translator, outbox: Outbox, bot_username: str) -> None:
    word = (message.text or "").split()[0]
    command, _, target = word.partition("@")
    if target and target.lower() != bot_username.lower():
        return  # addressed to another bot
    if not target and message.chat.type != "private":
        return  # a bare unknown command in a group may belong to another bot: stay quiet
    reply(outbox, message, t("error-unknown-command", command=command[:64]))


async def cb_unknown(query: CallbackQuery, t: Translator, outbox: Outbox) -> None:
    """A button no feature recognises (an old message, a previous version, garbage): answer it,
    or the member's client spins until it times out."""
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    outbox.send(
        chat_id,
        AnswerCallbackQuery(callback_query_id=query.id, text=t("error-stale-button")),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


def router(catalog: CommandCatalog) -> Router:
    r = Router(name="wrong_chat")
    if names := catalog.only_in(Where.GROUP):
        r.message.register(cmd_group_only, InPrivate(), Command(*names))
    if names := catalog.only_in(Where.PRIVATE):
        r.message.register(cmd_private_only, InGroup(), Command(*names))
    if names := catalog.personal_in_groups():
        r.message.register(cmd_not_a_person, InGroup(), Command(*names), NotAPerson())
    if names := catalog.with_role(Role.ADMIN, Where.GROUP):
        r.message.register(refuse_admin, InGroup(), Command(*names), NotGroupAdmin())
    owner_names = [
        name
        for where in (Where.GROUP, Where.PRIVATE)
        for name in catalog.with_role(Role.OWNER, where)
    ]
    if owner_names:
        r.message.register(refuse_owner, Command(*owner_names), NotOwner())
    r.message.register(cmd_unknown, LooksLikeCommand())
    r.callback_query.register(cb_unknown)
    return r
