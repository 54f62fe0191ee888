"""/retention [weeks|days] [period], /funnel [period], /compare <date> [days]: reports for
administrators, in the group or in private (a button per group they administer, as /stats).

Parse, read the group's days through a report session (never the writer's connection),
render; the pictures (the retention heat map, the funnel) are drawn in the worker process
after the update is settled. Arguments are checked before a group is asked for; the chooser's
buttons carry them normalised (what the parser reads back) and are checked again when pressed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from aiogram import Bot, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.admins import AdminChecker
from bot.features import Area, CommandSpec, Feature, Role, Where
from bot.filters import InGroup, InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import edit_pressed, reply
from bot.worker import Worker
from core.analytics import reports
from core.analytics.cohorts import default_period, retention
from core.analytics.compare import compare, parse_compare
from core.analytics.periods import Period, PeriodError, parse_period
from core.calendar import local_day
from core.charts.model import Chart
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import DomainError
from core.text import shorten
from core.uow import UnitOfWork
from handlers.analytics.access import (
    blind_spots,
    group_in_private,
    pressed_group,
)
from handlers.analytics.render import NAME, period_label
from handlers.common import command_args
from handlers.feedback.render import answer
from handlers.numbers import charts as chart_texts
from handlers.numbers import report_texts
from storage.db import SessionFactory

RETENTION = CommandSpec("retention", role=Role.ADMIN, where=Where.ANY, area=Area.NUMBERS)
FUNNEL = CommandSpec("funnel", role=Role.ADMIN, where=Where.ANY, area=Area.NUMBERS)
COMPARE = CommandSpec("compare", role=Role.ADMIN, where=Where.ANY, area=Area.NUMBERS)

WEEKS = {"weeks", "week", "w", "weekly", "周", "按周", "每周"}
DAYS = {"days", "day", "d", "daily", "天", "日", "按天", "每天"}


class RetentionWord(DomainError):
    key = "retention-error-word"  # args: word


class ReportGroup(CallbackData, prefix="rg"):
    r: str  # the report: retention | funnel | compare
    g: int  # the group
    a: str  # its arguments, normalised (spaces between words)


@dataclass(frozen=True, slots=True)
class Shown:
    text: str
    charts: list[Chart] = field(default_factory=list)
    period: Period | None = None  # named under the pictures


# --- arguments: checked, and normalised for the chooser's buttons -------------------------


def retention_args(words: list[str], today: date) -> tuple[bool, Period]:
    weeks = True
    rest = words
    if words and words[0].lower() in WEEKS | DAYS:
        weeks = words[0].lower() in WEEKS
        rest = words[1:]
    if not rest:
        return weeks, default_period(weeks, today)
    try:
        return weeks, parse_period(rest, today)
    except PeriodError:
        raise RetentionWord(word=" ".join(rest)[:32]) from None


def _normalise(report: str, words: list[str], today: date) -> str:
    """The arguments as the parser reads them back (raises the user's error if they are bad)."""
    if report == "retention":
        weeks, period = retention_args(words, today)
        explicit = len(words) > (1 if words and words[0].lower() in WEEKS | DAYS else 0)
        return ("weeks" if weeks else "days") + (f" {period.token}" if explicit else "")
    if report == "funnel":
        return parse_period(words, today).token
    day, days = parse_compare(words, today)
    return f"{day.isoformat()} {days}"


# --- the reports -------------------------------------------------------------------------


async def _retention(
    t: Translator,
    session_factory: SessionFactory,
    group: GroupSettings,
    words: list[str],
    today: date,
) -> Shown:
    weeks, period = retention_args(words, today)
    async with session_factory() as session:
        found = await retention(session, group.group_id, period, today, weeks=weeks)
    text = report_texts.retention_text(t, _name(group), found, today)
    return Shown(text, [chart_texts.cohorts_chart(t, found)] if found.cohorts else [], period)


async def _funnel(
    t: Translator,
    session_factory: SessionFactory,
    group: GroupSettings,
    words: list[str],
    today: date,
) -> Shown:
    period = parse_period(words, today)
    async with session_factory() as session:
        found = await reports.funnel(session, group.group_id, period)
    text = report_texts.funnel_text(t, _name(group), period, found, today)
    if not found.joined:
        return Shown(text)
    subtitle = chart_texts.period_subtitle(t, [period.start, period.end])
    counts = [count for _, count in found.steps()]
    return Shown(text, [chart_texts.funnel_chart(t, counts, subtitle=subtitle)], period)


async def _compare(
    t: Translator,
    session_factory: SessionFactory,
    group: GroupSettings,
    words: list[str],
    today: date,
) -> Shown:
    day, days = parse_compare(words, today)
    async with session_factory() as session:
        found = await compare(session, group.group_id, day, days)
    return Shown(report_texts.compare_text(t, _name(group), found))


Report = Callable[[Translator, SessionFactory, GroupSettings, list[str], date], Awaitable[Shown]]
REPORTS: dict[str, Report] = {"retention": _retention, "funnel": _funnel, "compare": _compare}
SPECS = {"retention": RETENTION, "funnel": FUNNEL, "compare": COMPARE}


def _name(group: GroupSettings) -> str:
    return group.title or str(group.group_id)


def _report_of(message: Message) -> str:
    command = (message.text or "").split(maxsplit=1)[0].lstrip("/").split("@")[0].lower()
    for name, spec in SPECS.items():
        if command in spec.names:
            return name
    raise ValueError(command)  # only the specs' filters lead here


async def _show(
    report: str,
    t: Translator,
    bot: Bot,
    admins: AdminChecker,
    report_sessions: SessionFactory,
    group: GroupSettings,
    words: list[str],
    event_at: datetime,
) -> Shown:
    """The report, with what the numbers cannot see in this group (as /stats says it)."""
    today = local_day(event_at, group.timezone, group.day_start_hour)
    shown = await REPORTS[report](t, report_sessions, group, words, today)
    notes = await blind_spots(t, bot, admins, group.group_id)
    if not notes:
        return shown
    return replace(shown, text="\n".join([shown.text, "", *notes]))


async def _pictures(
    shown: Shown,
    uow: UnitOfWork,
    outbox: Outbox,
    worker: Worker,
    t: Translator,
    chat_id: int,
    reply_to: int | None,
    group: GroupSettings,
) -> None:
    if not shown.charts:
        return
    await uow.commit()  # reads only: settle the update before waiting for the worker
    caption = shorten(_name(group), NAME)
    if shown.period is not None:
        caption = t("stats-charts-caption", group=caption, period=period_label(t, shown.period))
    await chart_texts.send_charts(
        outbox, worker, t, chat_id, shown.charts, caption=caption, reply_to=reply_to
    )


# --- handlers ----------------------------------------------------------------------------


async def cmd_in_group(
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
    report = _report_of(message)
    words = command_args(message.text)
    shown = await _show(report, t, bot, admins, report_sessions, group, words, event_at)
    reply(outbox, message, shown.text, priority=Priority.HIGH)
    await _pictures(shown, uow, outbox, worker, t, message.chat.id, message.message_id, group)


async def cmd_in_private(
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
    report = _report_of(message)
    words = command_args(message.text)
    # Checked before asking which group (dates are checked again in the group's calendar).
    normalised = _normalise(report, words, event_at.date())
    group = await group_in_private(
        message,
        report_sessions,
        admins,
        groups,
        t,
        outbox,
        t("reports-no-groups", command=report),
        lambda choices: chooser(choices, report, normalised),
    )
    if group is None:
        return
    shown = await _show(report, t, bot, admins, report_sessions, group, words, event_at)
    reply(outbox, message, shown.text, priority=Priority.HIGH)
    await _pictures(shown, uow, outbox, worker, t, message.chat.id, message.message_id, group)


def chooser(groups: list[tuple[int, str]], report: str, args: str) -> InlineKeyboardMarkup:
    """One button per group, carrying the report and its arguments (within 64 bytes)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=shorten(title, NAME),
                    callback_data=ReportGroup(r=report, g=group_id, a=args).pack(),
                )
            ]
            for group_id, title in groups
        ]
    )


async def on_group(
    query: CallbackQuery,
    callback_data: ReportGroup,
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
    """A group picked in private: the report replaces the question (rights checked again)."""
    message = query.message
    if message is None or callback_data.r not in REPORTS:
        answer(outbox, query)
        return
    group = await pressed_group(query, callback_data.g, admins, groups, t, outbox)
    if group is None:
        return
    words = callback_data.a.split()
    shown = await _show(callback_data.r, t, bot, admins, report_sessions, group, words, event_at)
    edit_pressed(outbox, query, shown.text, None, event_at)  # a chooser days old: a new message
    answer(outbox, query)
    await _pictures(shown, uow, outbox, worker, t, message.chat.id, None, group)


def router() -> list[Router]:
    in_group = Router(name="reports_group")
    in_group.message.filter(InGroup())
    in_private = Router(name="reports_private")
    in_private.message.filter(InPrivate())
    for spec in SPECS.values():
        in_group.message.register(cmd_in_group, spec.filter())
        in_private.message.register(cmd_in_private, spec.filter())
    buttons = Router(name="reports_buttons")
    buttons.callback_query.filter(InPrivate())
    buttons.callback_query.register(on_group, ReportGroup.filter())
    return [in_group, in_private, buttons]


def feature() -> Feature:
    return Feature("reports", router, commands=(RETENTION, FUNNEL, COMPARE))
