"""/stats [7d|30d|90d|from..to]: the community's numbers for administrators, in the group or in
private (a button per group the person administers); period buttons redraw the same message.

Reports read through their own sessions (`report_sessions`): on SQLite never through the
writer's one connection, so members' check-ins are not kept waiting while a report reads. The
handlers here never open the update's own session.
"""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, Router
from aiogram.methods import EditMessageText
from aiogram.types import CallbackQuery, Message

from bot.admins import AdminChecker
from bot.features import Area, CommandSpec, Feature, Role, Where
from bot.filters import InGroup, InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, reply
from core.analytics import reports
from core.analytics.periods import DEFAULT, parse_period
from core.analytics.recorder import ActivitySubscribers
from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import NotAdmin, UnknownGroup
from handlers.analytics import reactions, render
from handlers.common import command_args
from handlers.feedback.render import answer
from storage.db import SessionFactory
from storage.queries.community import groups as group_rows

STATS = CommandSpec("stats", role=Role.ADMIN, where=Where.ANY, area=Area.NUMBERS)


async def _notes(t: Translator, bot: Bot, admins: AdminChecker, group_id: int) -> list[str]:
    """What the numbers cannot see here (Telegram shows a bot only so much)."""
    me = await bot.me()
    is_admin = await admins.is_admin(group_id, me.id)
    notes = [t("stats-note-seen")]
    if not is_admin and not me.can_read_all_group_messages:
        notes.append(t("stats-note-partial"))
    elif not is_admin:
        notes.append(t("stats-note-no-admin"))
    return notes


async def _view(
    t: Translator,
    bot: Bot,
    admins: AdminChecker,
    report_sessions: SessionFactory,
    group: GroupSettings,
    words: list[str],
    event_at: datetime,
    back: bool,
) -> tuple[str, object]:
    today = local_day(event_at, group.timezone, group.day_start_hour)
    period = parse_period(words, today)
    async with report_sessions() as session:
        summary = await reports.summary(session, group.group_id, period)
    notes = await _notes(t, bot, admins, group.group_id)
    title = group.title or str(group.group_id)
    text = (
        render.stats_text(t, title, summary, notes)
        if summary.has_data
        else render.no_data_text(t, title, period, notes)
    )
    return text, render.period_keyboard(t, group.group_id, period, back)


async def _administered(
    report_sessions: SessionFactory, admins: AdminChecker, user_id: int
) -> list[tuple[int, str]]:
    """Groups the person administers (Telegram's word) among those the bot saw them in."""
    async with report_sessions() as session:
        known = await group_rows.list_for_user(session, user_id)
    return [(g.id, g.title or str(g.id)) for g in known if await admins.is_admin(g.id, user_id)]


async def cmd_stats_group(
    message: Message,
    group: GroupSettings,
    bot: Bot,
    admins: AdminChecker,
    report_sessions: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    words = command_args(message.text)
    text, markup = await _view(t, bot, admins, report_sessions, group, words, event_at, False)
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)  # type: ignore[arg-type]


async def cmd_stats_private(
    message: Message,
    bot: Bot,
    admins: AdminChecker,
    groups: GroupService,
    report_sessions: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    words = command_args(message.text)
    # Checked before asking which group (dates are checked again in the group's calendar).
    period = parse_period(words, event_at.date())
    choices = await _administered(report_sessions, admins, message.from_user.id)
    if not choices:
        reply(outbox, message, t("stats-no-groups"), priority=Priority.HIGH)
        return
    if len(choices) > 1:
        markup = render.chooser_keyboard(choices, period.token)
        reply(outbox, message, t("stats-choose-group"), markup=markup, priority=Priority.HIGH)
        return
    group = await groups.settings_for(choices[0][0])
    text, markup = await _view(t, bot, admins, report_sessions, group, words, event_at, False)
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)  # type: ignore[arg-type]


async def on_view(
    query: CallbackQuery,
    callback_data: render.StatsView,
    bot: Bot,
    admins: AdminChecker,
    groups: GroupService,
    report_sessions: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """A period or a group button: checked again (rights change; buttons can be forged)."""
    group_id = callback_data.g
    message = query.message
    if message is None:
        answer(outbox, query)
        return
    in_group = message.chat.type != "private"
    if (in_group and message.chat.id != group_id) or not await admins.is_admin(
        group_id, query.from_user.id
    ):
        answer(outbox, query, t(NotAdmin.key), alert=True)
        return
    try:
        group = await groups.settings_for(group_id)
    except UnknownGroup:
        answer(outbox, query, t(UnknownGroup.key), alert=True)
        return
    back = (
        not in_group and len(await _administered(report_sessions, admins, query.from_user.id)) > 1
    )
    words = [callback_data.p or DEFAULT]
    text, markup = await _view(t, bot, admins, report_sessions, group, words, event_at, back)
    _edit(outbox, message.chat.id, message.message_id, text, markup)
    answer(outbox, query)


async def on_groups(
    query: CallbackQuery,
    callback_data: render.StatsGroups,
    admins: AdminChecker,
    report_sessions: SessionFactory,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Back to the chooser (in private)."""
    message = query.message
    choices = await _administered(report_sessions, admins, query.from_user.id)
    if message is not None:
        text = t("stats-choose-group") if choices else t("stats-no-groups")
        markup = render.chooser_keyboard(choices, callback_data.p) if choices else None
        _edit(outbox, message.chat.id, message.message_id, text, markup)
    answer(outbox, query)


def _edit(outbox: Outbox, chat_id: int, message_id: int, text: str, markup: object) -> None:
    outbox.send(
        chat_id,
        EditMessageText(
            chat_id=chat_id,
            message_id=message_id,
            text=clip(text),
            reply_markup=markup,  # type: ignore[arg-type]
        ),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


def router() -> list[Router]:
    in_group = Router(name="stats_group")
    in_group.message.filter(InGroup())
    # The declared role is checked by STATS.filter() once the command matched.
    in_group.message.register(cmd_stats_group, STATS.filter())
    in_private = Router(name="stats_private")
    in_private.message.filter(InPrivate())
    in_private.message.register(cmd_stats_private, STATS.filter())
    buttons = Router(name="stats_buttons")
    buttons.callback_query.register(on_view, render.StatsView.filter())
    buttons.callback_query.register(on_groups, render.StatsGroups.filter())
    return [in_group, in_private, buttons, reactions.router()]


def setup(bus, deps) -> None:  # type: ignore[no-untyped-def]
    ActivitySubscribers(deps["groups"]).subscribe(bus)


def feature() -> Feature:
    return Feature("analytics", router, commands=(STATS,), setup=setup)
