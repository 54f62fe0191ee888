"""Join cohorts for /retention and the /stats album: which cohorts a period shows, and the
average retention over them (members active n days / weeks later over the members of the
cohorts for which that day or week has come: a cohort still waiting for it is left out,
never counted as 0)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics import reports
from core.analytics.periods import Period
from core.analytics.recording import monday
from storage.tables.analytics import RETENTION_DAYS, RETENTION_WEEKS

DEFAULT_WEEKS = 12  # /retention weeks: the cohorts of the last 12 weeks (this one included)
DEFAULT_DAYS = 30  # /retention days: the join days of the last 30 days
MAX_ROWS = 31  # cohorts shown (the latest); the average covers every cohort of the period


@dataclass(frozen=True, slots=True)
class Observed:
    """Over the cohorts for which day (week) n has come: members active then / their size."""

    active: int
    size: int

    @property
    def rate(self) -> float | None:
        return self.active / self.size if self.size else None


@dataclass(frozen=True, slots=True)
class Retention:
    period: Period
    weeks: bool
    offsets: tuple[int, ...]  # 1, 7, 14, 30 or 1..8
    cohorts: list[reports.Cohort]  # every cohort of the period, oldest first
    average: dict[int, Observed | None]  # None: no cohort has reached n yet

    @property
    def shown(self) -> list[reports.Cohort]:
        """The latest MAX_ROWS cohorts (a table and a picture stay readable on a phone)."""
        return self.cohorts[-MAX_ROWS:]

    @property
    def joined(self) -> int:
        return sum(c.size for c in self.cohorts)


def default_period(weeks: bool, today: date) -> Period:
    if weeks:
        return Period(monday(today) - timedelta(weeks=DEFAULT_WEEKS - 1), today)
    return Period(today - timedelta(days=DEFAULT_DAYS - 1), today)


def average(
    cohorts: Sequence[reports.Cohort], offsets: Sequence[int]
) -> dict[int, Observed | None]:
    found: dict[int, Observed | None] = {}
    for n in offsets:
        seen = [c for c in cohorts if c.active.get(n) is not None]
        found[n] = (
            Observed(sum(c.active[n] or 0 for c in seen), sum(c.size for c in seen))
            if seen
            else None
        )
    return found


async def retention(
    session: AsyncSession, group_id: int, period: Period, today: date, *, weeks: bool
) -> Retention:
    """The cohorts that joined in the period (by join week when `weeks`: weeks whose Monday is
    in it) with D1/D7/D14/D30 (W1..W8): group_day rows only.

    Only days and weeks that are over count as observed: today is not (a D1 read at noon would
    be half a day), nor is the current week (its W-n would be a few days of seven): they stay
    None, "not yet", rather than pulling a rate down."""
    over = today - timedelta(days=1)
    if weeks:
        # reports.retention_weeks observes week n once its Monday is on or before the day it is
        # given: six days before the last day that is over, so the whole week is.
        cohorts = await reports.retention_weeks(
            session, group_id, period, over - timedelta(days=6)
        )
        offsets = RETENTION_WEEKS
    else:
        cohorts = await reports.retention_days(session, group_id, period, over)
        offsets = RETENTION_DAYS
    return Retention(period, weeks, tuple(offsets), cohorts, average(cohorts, offsets))
