"""/start and /help: what the caller may do here, in their language, from the declarations.

A member's /help in a group is a short list. A manager's is an index of areas as buttons;
each opens that area's commands with an example each, editing the same message, and Back
returns to the index. `/help <area>` (either language) and `/help <command>` answer by text.
In private the short list comes with the area buttons (admins read there too).
"""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.filters import CommandStart
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.admins import AdminChecker
from bot.features import Area, CommandCatalog, CommandSpec, Feature, Role, Where
from bot.filters import GROUP_TYPES, InGroup, InPrivate
from bot.i18n import Locales, Translator
from bot.outbound import Outbox, Priority
from bot.replies import edit_pressed, reply
from bot.update_parts import is_anonymous_admin
from core.community.members import MemberService, user_row
from core.uow import UnitOfWork
from handlers.common import command_args
from handlers.community import help_pages as pages
from handlers.community.help_pages import HelpPage

# Everyone may read every area's page in private (the commands are no secret); what they may
# do is checked when they do it.
IN_PRIVATE = {Role.MEMBER, Role.ADMIN}


async def _roles(
    admins: AdminChecker, chat_id: int, chat_type: str, user_id: int, anonymous: bool
) -> set[Role]:
    owner = {Role.OWNER} if admins.is_owner(user_id) else set()
    if chat_type not in GROUP_TYPES:
        return IN_PRIVATE | owner
    if anonymous or await admins.is_admin(chat_id, user_id):
        return {Role.MEMBER, Role.ADMIN} | owner
    return {Role.MEMBER} | owner


async def cmd_start(
    message: Message,
    uow: UnitOfWork,
    members: MemberService,
    admins: AdminChecker,
    catalog: CommandCatalog,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user = message.from_user
    assert user is not None
    await members.record_started(
        uow, user_row(user.id, user.username, user.full_name, user.language_code), event_at
    )
    roles = IN_PRIVATE | ({Role.OWNER} if admins.is_owner(user.id) else set())
    text = t("start", name=user.full_name) + "\n\n" + pages.private_help(t, catalog, roles)
    reply(outbox, message, text, markup=pages.index_keyboard(t, catalog, roles, user.id))


async def cmd_help(
    message: Message,
    admins: AdminChecker,
    catalog: CommandCatalog,
    locales: Locales,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    user_id = message.from_user.id
    chat = message.chat
    roles = await _roles(admins, chat.id, chat.type, user_id, is_anonymous_admin(message))
    where = Where.PRIVATE if chat.type == ChatType.PRIVATE else Where.GROUP
    priority = Priority.HIGH if Role.ADMIN in roles else None
    words = command_args(message.text)
    topic = pages.find_topic(locales, catalog, words)
    if isinstance(topic, Area) and catalog.in_area(topic, roles):
        text = pages.area_page(t, catalog, topic, roles, where)
        markup = pages.back_keyboard(t, user_id)
    elif isinstance(topic, CommandSpec):
        text, markup = pages.command_page(t, topic), None
    else:
        text, markup = _index(t, catalog, roles, where, user_id)
        if words:
            text = t("help-unknown-topic", topic=" ".join(words)) + "\n\n" + text
    reply(outbox, message, text, markup=markup, priority=priority)


def _index(
    t: Translator, catalog: CommandCatalog, roles: set[Role], where: Where, user_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The first page: a member's short list in a group; the index of areas for a manager; in
    private the short list with the areas' buttons."""
    if where == Where.PRIVATE:
        markup = pages.index_keyboard(t, catalog, roles, user_id)
        return pages.private_help(t, catalog, roles), markup
    if Role.ADMIN not in roles:
        return pages.member_help(t, catalog), None
    return pages.index_text(t), pages.index_keyboard(t, catalog, roles, user_id)


async def on_page(
    query: CallbackQuery,
    callback_data: HelpPage,
    admins: AdminChecker,
    catalog: CommandCatalog,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """An area's page, or Back to the index, in the same message."""
    message = query.message
    chat_id = message.chat.id if message is not None else query.from_user.id
    notice = None
    if callback_data.user != query.from_user.id:
        notice = t("help-not-yours")
    elif message is not None:
        chat_type = message.chat.type
        roles = await _roles(admins, chat_id, chat_type, query.from_user.id, False)
        where = Where.PRIVATE if chat_type == ChatType.PRIVATE else Where.GROUP
        area = next((a for a in Area if a.value == callback_data.area), None)
        if area is not None and catalog.in_area(area, roles):
            text = pages.area_page(t, catalog, area, roles, where)
            markup = pages.back_keyboard(t, query.from_user.id)
        else:  # Back (or an area gone since)
            text, markup = _index(t, catalog, roles, where, query.from_user.id)
        edit_pressed(outbox, query, text, markup, event_at)
    outbox.send(
        chat_id,
        AnswerCallbackQuery(callback_query_id=query.id, text=notice),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


def router() -> list[Router]:
    r = Router(name="help")
    r.message.register(cmd_start, CommandStart(), InPrivate())
    r.message.register(cmd_help, HELP.filter())
    r.message.register(cmd_help, CommandStart(), InGroup())  # /start in a group: same as /help
    r.callback_query.register(on_page, HelpPage.filter())
    return [r]


START = CommandSpec("start", where=Where.PRIVATE, area=Area.BASICS)
HELP = CommandSpec("help", where=Where.ANY, area=Area.BASICS, personal=False)


def feature() -> Feature:
    return Feature("help", router, commands=(START, HELP))
