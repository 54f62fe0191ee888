"""The weekly report: when it is due for a group, and what it says (plain data).

Due at the group's `weekly_report_day` and `weekly_report_time` in its timezone (Monday 09:00
by default), once per group and ISO week of that day: the key `weekly:<group>:<YYYY-Www>` is
claimed through core/jobs.run_once, so restarts, a second process or a take-over never send a
week twice (a process killed between the claim and the sends loses that week's report: at most
once, as for scheduled posts). A report more than GRACE late (the bot was down) is skipped.

It covers the 7 complete local days before the day it is sent, against the 7 before them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics import reports
from core.analytics.periods import Period
from core.calendar import day_start_instant, local_day, zone
from core.community.group_settings import GroupSettings
from core.goals.goals import GoalProgress, goals_progress
from core.goals.settings import weekly_when
from core.schedule.variants import variants
from core.segments.ranking import AtRiskMember, AtRiskRanking
from storage.queries.goals import weekly as rows
from storage.queries.schedule import posts as post_rows
from storage.queries.schedule.post_results import variant_reach

GRACE = timedelta(hours=12)
POSTS_READ = 20


@dataclass(frozen=True, slots=True)
class Due:
    key: str
    due_at: datetime  # UTC
    period: Period  # the week reported


def due(group: GroupSettings, now: datetime) -> Due | None:
    """The latest report time at or before `now` (None: off, or more than GRACE ago)."""
    when = weekly_when(group)
    if not when.on:
        return None
    tz = zone(group.timezone)
    local_now = now.astimezone(tz)
    day = local_now.date() - timedelta(days=(local_now.weekday() - when.weekday) % 7)
    at = datetime.combine(day, time(when.hour, when.minute), tzinfo=tz).astimezone(UTC)
    if at > now:
        day -= timedelta(days=7)
        at = datetime.combine(day, time(when.hour, when.minute), tzinfo=tz).astimezone(UTC)
    if now - at > GRACE:
        return None
    year, week, _ = day.isocalendar()
    last = local_day(at, group.timezone, group.day_start_hour) - timedelta(days=1)
    return Due(
        f"weekly:{group.group_id}:{year}-W{week:02d}",
        at,
        Period(last - timedelta(days=6), last),
    )


@dataclass(frozen=True, slots=True)
class PostResult:
    post_id: int
    variant: int  # 0 = A
    text: str
    votes: int
    views: int

    @property
    def rate(self) -> float:
        return self.votes / self.views if self.views else 0.0


@dataclass(frozen=True, slots=True)
class WeeklyData:
    group_id: int
    title: str
    period: Period
    summary: reports.Summary
    goals: list[GoalProgress]
    overview: Any | None  # core.segments.service.Overview
    at_risk: list[AtRiskMember]
    ranking: str  # "baseline" or the model's name
    best: PostResult | None
    worst: PostResult | None
    series: list[reports.DayNumbers] = field(default_factory=list)  # the two weeks' days

    @property
    def has_data(self) -> bool:
        return self.summary.has_data


async def post_results(
    session: AsyncSession, group: GroupSettings, period: Period
) -> tuple[PostResult | None, PostResult | None]:
    """The best and the worst variant (👍 per view) of the posts with 👍 buttons sent in the
    week; (None, None) when no such post was sent, the worst None when only one variant."""
    start = day_start_instant(period.start, group.timezone, group.day_start_hour)
    end = day_start_instant(period.end + timedelta(days=1), group.timezone, group.day_start_hour)
    found: list[PostResult] = []
    for post_id in await rows.posts_sent(session, group.group_id, start, end, POSTS_READ):
        post = await post_rows.get(session, post_id)
        if post is None or post.source_message_id is not None:
            continue
        texts = variants(post.text)
        if len(texts) < 2:
            continue  # no 👍 button: nothing measured
        for text, reach in zip(
            texts, await variant_reach(session, group.group_id, post_id, len(texts)), strict=True
        ):
            if reach.sends:
                found.append(
                    PostResult(
                        post_id, reach.variant, text, reach.votes, max(reach.views, reach.votes)
                    )
                )
    if not found:
        return None, None
    ranked = sorted(found, key=lambda p: (p.rate, p.votes), reverse=True)
    return ranked[0], (ranked[-1] if len(ranked) > 1 else None)


async def gather(
    session: AsyncSession,
    group: GroupSettings,
    now: datetime,
    period: Period,
    *,
    segments: Any | None,  # core.segments.service.SegmentService
    ranking: AtRiskRanking,
) -> WeeklyData:
    today = period.end + timedelta(days=1)
    summary = await reports.summary(session, group.group_id, period)
    goals = await goals_progress(session, group.group_id, today)
    overview = await segments.overview(session, group, now) if segments is not None else None
    at_risk = await ranking.most_at_risk(session, group, now)
    best, worst = await post_results(session, group, period)
    return WeeklyData(
        group.group_id,
        group.title or str(group.group_id),
        period,
        summary,
        goals,
        overview,
        at_risk,
        # A model's ranking falls back to the baseline where it is not measured to be better.
        ranking.method if any(m.probability is not None for m in at_risk) else "baseline",
        best,
        worst,
        summary.series,
    )


async def done_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    return await rows.known_keys(session, keys)


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
