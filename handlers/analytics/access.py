"""Which groups a person may read the numbers of, for the reports used in private (/stats,
/retention, /funnel, /compare): the groups the bot saw them in where Telegram says they are an
administrator (asked per group, cached by AdminChecker). Buttons carry a group id and are
checked again when pressed: rights change, and callback data can be forged."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import CallbackQuery

from bot.admins import AdminChecker
from bot.i18n import Translator
from bot.outbound import Outbox
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
