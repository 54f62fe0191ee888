"""/goal: the community's goals and its North Star (北极星指标), for administrators in the
group; the weekly report (handlers/numbers/weekly_report.py) sent by the scheduler's leader.

    /goal                                  progress bars and whether the trend gets there
    /goal set <metric> <target> [by <date>]
    /goal star <metric>                    the North Star, shown first everywhere
    /goal del <metric>
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.admins import AdminChecker
from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import DomainError, NotAdmin, UnknownGroup
from core.goals import goals as use_cases
from core.goals import metrics
from core.goals.settings import WEEKLY_SETTINGS
from core.segments.ranking import at_risk_ranking
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.feedback.render import answer, edit
from handlers.numbers import goals_render as render
from handlers.numbers.goals_render import GoalButton
from handlers.numbers.weekly_report import WeeklyReports
from storage.db import SessionFactory

GOAL = CommandSpec("goal", role=Role.ADMIN, area=Area.NUMBERS, aliases=("goals",))
SET = ("set", "设定", "设置", "设")
DELETE = ("del", "delete", "remove", "删除", "删")
STAR = ("star", "northstar", "north_star", "北极星")
REPORT = ("report", "weekly", "周报", "报告")


class GoalUsage(DomainError):
    key = "goal-usage"


async def _view(
    t: Translator, report_sessions: SessionFactory, group: GroupSettings, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None]:
    today = local_day(now, group.timezone, group.day_start_hour)
    async with report_sessions() as session:
        found = await use_cases.goals_progress(session, group.group_id, today)
    title = group.title or str(group.group_id)
    return render.goals_text(t, title, found), render.goals_keyboard(t, group.group_id, found)


async def _report_now(
    message: Message,
    group: GroupSettings,
    weekly_reports: WeeklyReports,
    bot_username: str,
    now: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """/goal report: the weekly report of the last 7 days now, in private to the one asking."""
    sent = await weekly_reports.preview(group, actor_id(message), now)
    if sent:
        reply(outbox, message, t("weekly-preview-sent"), priority=Priority.HIGH)
    else:
        reply(outbox, message, t("weekly-preview-start", bot=bot_username), priority=Priority.HIGH)


async def cmd_goal(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    report_sessions: SessionFactory,
    weekly_reports: WeeklyReports,
    bot_username: str,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    words = command_args(message.text)
    action = words[0].lower() if words else ""
    today = local_day(event_at, group.timezone, group.day_start_hour)
    said = ""
    if action in REPORT and len(words) == 1:
        await uow.commit()  # a report only reads: settle the update before the work
        await _report_now(message, group, weekly_reports, bot_username, event_at, t, outbox)
        return
    if not words:
        pass
    elif action in SET:
        if len(words) < 3:
            raise GoalUsage()
        metric = metrics.parse_metric(words[1])
        target = metrics.parse_target(metric, words[2])
        due = metrics.parse_due(words[3:], today)
        starred = await use_cases.set_goal(
            uow, group.group_id, actor_id(message), metric, target, due, today, event_at
        )
        said = t(
            "goal-set-star" if starred else "goal-set",
            metric=render.metric_name(t, metric),
            target=render.value(metric, target),
        )
    elif action in DELETE and len(words) == 2:
        metric = metrics.parse_metric(words[1])
        await use_cases.delete_goal(uow, group.group_id, actor_id(message), metric, event_at)
        said = t("goal-deleted", metric=render.metric_name(t, metric))
    elif action in STAR and len(words) == 2:
        metric = metrics.parse_metric(words[1])
        await use_cases.star_goal(uow, group.group_id, actor_id(message), metric, event_at)
        said = t("goal-starred", metric=render.metric_name(t, metric))
    else:
        raise GoalUsage()
    text, markup = await _view(t, report_sessions, group, event_at)
    reply(
        outbox,
        message,
        f"{said}\n\n{text}" if said else text,
        markup=markup,
        priority=Priority.HIGH,
    )


async def on_button(
    query: CallbackQuery,
    callback_data: GoalButton,
    uow: UnitOfWork,
    admins: AdminChecker,
    groups: GroupService,
    report_sessions: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """⭐ and 🗑 under /goal: the presser must administer the group (buttons can be forged)."""
    group_id = callback_data.g
    message = query.message
    if message is None or message.chat.id != group_id:
        answer(outbox, query)
        return
    if not await admins.is_admin(group_id, query.from_user.id):
        answer(outbox, query, t(NotAdmin.key), alert=True)
        return
    try:
        group = await groups.settings_for(group_id)
    except UnknownGroup:
        answer(outbox, query, t(UnknownGroup.key), alert=True)
        return
    if callback_data.m not in metrics.METRICS:
        answer(outbox, query)
        return
    try:
        if callback_data.a == "star":
            await use_cases.star_goal(uow, group_id, query.from_user.id, callback_data.m, event_at)
            said = t("goal-starred", metric=render.metric_name(t, callback_data.m))
        elif callback_data.a == "del":
            await use_cases.delete_goal(
                uow, group_id, query.from_user.id, callback_data.m, event_at
            )
            said = t("goal-deleted", metric=render.metric_name(t, callback_data.m))
        else:
            said = ""
    except use_cases.NoSuchGoal as exc:
        said = t(exc.key, **exc.args_map)
    text, markup = await _view(t, report_sessions, group, event_at)
    edit(outbox, query, text, markup, event_at)
    answer(outbox, query, said)


def router() -> list[Router]:
    r = Router(name="goals")
    r.message.register(cmd_goal, GOAL.filter(), InGroup())
    r.callback_query.register(on_button, GoalButton.filter())
    return [r]


def setup(bus: Any, deps: dict[str, Any]) -> None:
    """The weekly report, run in the leader's rounds (every few seconds; it looks at the
    groups at most once a minute)."""
    reports = WeeklyReports(
        deps["session_factory"],
        deps["report_sessions"],
        deps["groups"],
        deps["outbox"],
        deps["locales"],
        deps["worker"],
        clock=deps["clock"],
        segments=deps.get("segments"),
        ranking=lambda: at_risk_ranking(deps),
    )
    deps["weekly_reports"] = reports
    scheduler = deps.get("post_scheduler")
    if scheduler is not None:
        scheduler.every_round(reports.sweep)


def feature() -> Feature:
    return Feature("goals", router, commands=(GOAL,), settings=(WEEKLY_SETTINGS,), setup=setup)
