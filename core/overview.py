"""The dashboard's Overview: headline numbers with their change against the period before, daily
series, a weekday × hour matrix, and the goals (the North Star first) for a period.

`OverviewProvider` is the seam the page reads through; the analytics module's provider
(core/analytics/overview.py) implements it from the running day totals. `GoalsSource` is the
seam for goals: the composition gives the dashboard the goals feature's (composition/goals.py);
without goals the page shows its empty state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from core.analytics.periods import Period as DayRange
from core.analytics.periods import parse_period
from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.uow import UnitOfWork

PERIODS = ("7d", "30d", "90d")  # the picker's presets; any range parse_period reads is allowed
COUNT, AVERAGE, RATE = "count", "average", "rate"


@dataclass(frozen=True, slots=True)
class Headline:
    key: str  # dash-kpi-<key>
    value: float | None  # None: no value (a rate without a denominator)
    previous: float | None  # the same number for the period before (None: not measured)
    kind: str = COUNT  # count | average | rate (0..1): how the page shows it and its change


@dataclass(frozen=True, slots=True)
class Series:
    key: str  # dash-series-<key>
    days: list[date]
    values: list[int]


@dataclass(frozen=True, slots=True)
class Heatmap:
    """values[weekday][hour], Monday first, in the group's timezone."""

    values: list[list[int]]


@dataclass(frozen=True, slots=True)
class Period:
    """Local days first..last of the group (both included)."""

    first_day: date
    last_day: date
    token: str  # what the picker sends back: 7d, 30d, 90d or from..to

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def range(self) -> DayRange:
        return DayRange(self.first_day, self.last_day)


def period_of(group: GroupSettings, text: str, now: datetime) -> Period:
    """The period the picker sent (`7d`, `30d`, `90d`, `Nd`, `from..to`) in the group's
    calendar; the same localized errors as /stats."""
    today = local_day(now, group.timezone, group.day_start_hour)
    found = parse_period(text.split(), today)
    return Period(found.start, found.end, found.token)


@dataclass(frozen=True, slots=True)
class GoalView:
    """A goal as the Overview shows it."""

    metric: str  # dash-goal-metric-<metric>
    target: float
    current: float | None  # None: not measured (yet)
    kind: str  # count | average | rate: how value and target are shown
    deadline: date | None
    north_star: bool
    share: float = 0.0  # of the way from where it started to the target (0..1)
    outlook: str | None = None  # the trend's outlook: reached, on_track, behind, eta, ...
    eta: date | None = None  # when the trend reaches the target (no deadline)


class OverviewProvider(Protocol):
    async def headlines(
        self, uow: UnitOfWork, group: GroupSettings, period: Period
    ) -> list[Headline]: ...

    async def series(
        self, uow: UnitOfWork, group: GroupSettings, period: Period
    ) -> list[Series]: ...

    async def heatmap(
        self, uow: UnitOfWork, group: GroupSettings, period: Period
    ) -> Heatmap | None: ...


class GoalsSource(Protocol):
    async def goals(self, uow: UnitOfWork, group: GroupSettings, today: date) -> list[GoalView]:
        """The group's goals, the North Star first ([]: none set, or goals not available)."""
        ...


class NoGoals:
    async def goals(self, uow: UnitOfWork, group: GroupSettings, today: date) -> list[GoalView]:
        return []
