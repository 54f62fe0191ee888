"""What /stats draws for a period (and later reports may too): the days, when members were
active, the join cohorts' retention and the funnel of the period's joiners. Reads group_day
only (the period's rows a few times; milliseconds on the bench's 100,000-member group)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics import reports
from core.analytics.cohorts import Retention, retention
from core.analytics.periods import Period

WEEKLY_COHORTS_FROM = 32  # a period of this many days or more groups its joiners by week


@dataclass(frozen=True, slots=True)
class Album:
    period: Period
    today: date
    days: list[reports.DayNumbers]  # the period's days, oldest first
    hours: list[list[int]]  # [weekday][hour] over the period
    retention: Retention
    funnel: reports.Funnel

    @property
    def partial_last(self) -> bool:
        """The period ends today, which is not over."""
        return self.period.end >= self.today


async def album(
    session: AsyncSession,
    group_id: int,
    period: Period,
    today: date,
    series: list[reports.DayNumbers] | None = None,
) -> Album:
    """`series`: the period's days when the caller has them already (/stats' summary)."""
    if series is None:
        days = await reports.chart_series(session, group_id, period)
    else:
        days = [d for d in series if period.start <= d.day <= period.end]
    hours = await reports.hour_matrix(session, group_id, period)
    weeks = period.days >= WEEKLY_COHORTS_FROM
    cohorts = await retention(session, group_id, period, today, weeks=weeks)
    funnel = await reports.funnel(session, group_id, period)
    return Album(period, today, days, hours, cohorts, funnel)
