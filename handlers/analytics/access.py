"""Which groups a person may read the numbers of, for the reports used in private (/stats,
/retention, /funnel, /compare): the groups the bot saw them in where Telegram says they are an
administrator (asked per group, cached by AdminChecker). Buttons carry a group id and are
checked again when pressed: rights change, and callback data can be forged."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.admins import AdminChecker
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import NotAdmin, UnknownGroup
from handlers.feedback.render import answer
from storage.db import SessionFactory
from storage.queries.community import groups as group_rows


async def administered(
    report_sessions: SessionFactory, admins: AdminChecker, user_id: int
) -> list[tuple[int, str]]:
    """(group id, title) of the groups the person administers, among those they were seen in."""
    async with report_sessions() as session:
        known = await group_rows.list_for_user(session, user_id)
    return [(g.id, g.title or str(g.id)) for g in known if await admins.is_admin(g.id, user_id)]


async def group_in_private(
    message: Message,
    report_sessions: SessionFactory,
    admins: AdminChecker,
    groups: GroupService,
    t: Translator,
    outbox: Outbox,
    no_groups: str,
    chooser: Callable[[list[tuple[int, str]]], InlineKeyboardMarkup],
) -> GroupSettings | None:
    """The group a report asked for in private is about: the one the sender administers. With
    none they are told `no_groups`; with several, asked which (`chooser`'s buttons): None."""
    assert message.from_user is not None
    choices = await administered(report_sessions, admins, message.from_user.id)
    if not choices:
        reply(outbox, message, no_groups, priority=Priority.HIGH)
        return None
    if len(choices) > 1:
        markup = chooser(choices)
        reply(outbox, message, t("stats-choose-group"), markup=markup, priority=Priority.HIGH)
        return None
    return await groups.settings_for(choices[0][0])


async def blind_spots(t: Translator, bot: Bot, admins: AdminChecker, group_id: int) -> list[str]:
    """What the numbers cannot see in this group (Telegram shows a bot only so much): chat
    with privacy mode on and no admin rights, reactions without admin rights."""
    me = await bot.me()
    if await admins.is_admin(group_id, me.id):
        return []
    if not me.can_read_all_group_messages:
        return [t("stats-note-partial")]
    return [t("stats-note-no-admin")]


async def pressed_group(
    query: CallbackQuery,
    group_id: int,
    admins: AdminChecker,
    groups: GroupService,
    t: Translator,
    outbox: Outbox,
) -> GroupSettings | None:
    """The group a report's button names, if the presser may read it: in a group only that
    group, and an administrator of it now. Otherwise the press is answered (with why) and None."""
    message = query.message
    if message is None:
        answer(outbox, query)
        return None
    in_group = message.chat.type != "private"
    if (in_group and message.chat.id != group_id) or not await admins.is_admin(
        group_id, query.from_user.id
    ):
        answer(outbox, query, t(NotAdmin.key), alert=True)
        return None
    try:
        return await groups.settings_for(group_id)
    except UnknownGroup:
        answer(outbox, query, t(UnknownGroup.key), alert=True)
        return None
