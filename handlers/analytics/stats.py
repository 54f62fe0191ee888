"""/stats [7d|30d|90d|from..to]: the community's numbers for administrators, in the group or in
private (a button per group the person administers); period buttons redraw the same message.

Reports read through their own sessions (`report_sessions`): on SQLite never through the
writer's one connection, so members' check-ins are not kept waiting while a report reads. The
handlers here never open the update's own session.
"""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message

from bot.admins import AdminChecker
from bot.features import Area, CommandSpec, Feature, Role, Where
from bot.filters import InGroup, InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import edit_pressed, reply
from bot.worker import Worker
from core.analytics import reports
from core.analytics.hours import recent_activity
from core.analytics.periods import DEFAULT, parse_period
from core.analytics.recorder import ActivitySubscribers
from core.analytics.reports import Summary
from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.goals import goals
from core.schedule.best_time import LOOKBACK_DAYS, best_times
from core.uow import UnitOfWork
from handlers.analytics import reactions, render
from handlers.analytics.access import (
    administered,
    blind_spots,
    group_in_private,
    pressed_group,
)
from handlers.analytics.render import StatsCharts
from handlers.analytics.stats_album import send_album
from handlers.common import command_args
from handlers.feedback.render import answer
from handlers.numbers import goals_render
from handlers.schedule.best_time import stats_line
from storage.db import SessionFactory

STATS = CommandSpec("stats", role=Role.ADMIN, where=Where.ANY, area=Area.NUMBERS)


async def _view(
    t: Translator,
    bot: Bot,
    admins: AdminChecker,
    report_sessions: SessionFactory,
    group: GroupSettings,
    words: list[str],
    event_at: datetime,
    back: bool,
) -> tuple[str, object, Summary | None]:
    """The text and buttons; the summary when it has numbers (its charts can be drawn)."""
    today = local_day(event_at, group.timezone, group.day_start_hour)
    period = parse_period(words, today)
    async with report_sessions() as session:
        summary = await reports.summary(session, group.group_id, period)
        activity = await recent_activity(
            session, group.group_id, group.timezone, today, LOOKBACK_DAYS
        )
        star = await goals.north_star(session, group.group_id, today)  # shown first
    notes = [t("stats-note-seen"), *await blind_spots(t, bot, admins, group.group_id)]
    best = stats_line(t, best_times(activity) if activity is not None else None)
    title = group.title or str(group.group_id)
    head = goals_render.star_line(t, star) + "\n\n" if star is not None else ""
    if not summary.has_data:
        text = head + render.no_data_text(t, title, period, notes)
        return text, render.period_keyboard(t, group.group_id, period, back), None
    text = head + render.stats_text(t, title, summary, [best, *notes] if best else notes)
    markup = render.period_keyboard(t, group.group_id, period, back, charts=True)
    return text, markup, summary


async def cmd_stats_group(
    message: Message,
    group: GroupSettings,
    bot: Bot,
    admins: AdminChecker,
    report_sessions: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    uow: UnitOfWork,
    worker: Worker,
) -> None:
    words = command_args(message.text)
    text, markup, summary = await _view(
        t, bot, admins, report_sessions, group, words, event_at, False
    )
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)  # type: ignore[arg-type]
    if summary is not None:
        await uow.commit()  # reads only: settle the update before waiting for the worker
        await send_album(
            outbox,
            worker,
            t,
            report_sessions,
            group,
            words,
            event_at,
            message.chat.id,
            reply_to=message.message_id,
            summary=summary,
        )


async def cmd_stats_private(
    message: Message,
    bot: Bot,
    admins: AdminChecker,
    groups: GroupService,
    report_sessions: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    uow: UnitOfWork,
    worker: Worker,
) -> None:
    assert message.from_user is not None
    words = command_args(message.text)
    # Checked before asking which group (dates are checked again in the group's calendar).
    period = parse_period(words, event_at.date())
    group = await group_in_private(
        message,
        report_sessions,
        admins,
        groups,
        t,
        outbox,
        t("stats-no-groups"),
        lambda choices: render.chooser_keyboard(choices, period.token),
    )
    if group is None:
        return
    text, markup, summary = await _view(
        t, bot, admins, report_sessions, group, words, event_at, False
    )
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)  # type: ignore[arg-type]
    if summary is not None:
        await uow.commit()  # reads only: settle the update before waiting for the worker
        await send_album(
            outbox,
            worker,
            t,
            report_sessions,
            group,
            words,
            event_at,
            message.chat.id,
            reply_to=message.message_id,
            summary=summary,
        )


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
    group = await pressed_group(query, callback_data.g, admins, groups, t, outbox)
    if group is None:
        return
    message = query.message
    assert message is not None
    in_group = message.chat.type != "private"
    back = (
        not in_group and len(await administered(report_sessions, admins, query.from_user.id)) > 1
    )
    words = [callback_data.p or DEFAULT]
    text, markup, _ = await _view(t, bot, admins, report_sessions, group, words, event_at, back)
    edit_pressed(outbox, query, text, markup, event_at)  # type: ignore[arg-type]
    answer(outbox, query)


async def on_charts(
    query: CallbackQuery,
    callback_data: StatsCharts,
    admins: AdminChecker,
    groups: GroupService,
    report_sessions: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    uow: UnitOfWork,
    worker: Worker,
) -> None:
    """📈 under the numbers: the album of the period shown (rights checked again)."""
    group = await pressed_group(query, callback_data.g, admins, groups, t, outbox)
    if group is None:
        return
    message = query.message
    assert message is not None
    answer(outbox, query)
    await uow.commit()  # reads only: settle the update before waiting for the worker
    words = [callback_data.p or DEFAULT]
    await send_album(outbox, worker, t, report_sessions, group, words, event_at, message.chat.id)


async def on_groups(
    query: CallbackQuery,
    callback_data: render.StatsGroups,
    admins: AdminChecker,
    report_sessions: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Back to the chooser (in private)."""
    message = query.message
    choices = await administered(report_sessions, admins, query.from_user.id)
    if message is not None:
        text = t("stats-choose-group") if choices else t("stats-no-groups")
        markup = render.chooser_keyboard(choices, callback_data.p) if choices else None
        edit_pressed(outbox, query, text, markup, event_at)  # type: ignore[arg-type]
    answer(outbox, query)


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
    buttons.callback_query.register(on_charts, StatsCharts.filter())
    return [in_group, in_private, buttons, reactions.router()]


def setup(bus, deps) -> None:  # type: ignore[no-untyped-def]
    ActivitySubscribers(deps["groups"]).subscribe(bus)


def feature() -> Feature:
    return Feature("analytics", router, commands=(STATS,), setup=setup)
