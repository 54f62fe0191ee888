"""The dashboard's Overview: headline numbers with their change, daily series and a weekday ×
hour matrix for a period.

`OverviewProvider` is the seam: `CurrentTablesOverview` reads what the tables hold today
(members, joins and leaves, check-ins, balances); the analytics module's period summary, daily
series and weekday × hour matrix replace it by implementing the same three methods (the
composition chooses which one the dashboard gets). Numbers the tables cannot give (how many were
active in the previous period, activity by hour) are None: the page says "not measured yet"
rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from weakref import WeakKeyDictionary

from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.errors import DomainError
from core.uow import UnitOfWork
from storage.queries import overview as rows

PERIODS = (7, 30, 90)  # days


class UnknownPeriod(DomainError):
    key = "dash-error-bad-query"


@dataclass(frozen=True, slots=True)
class Headline:
    key: str  # dash-kpi-<key>
    value: int
    previous: int | None  # the same number for the period before (None: not measured)


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
    days: int
    start: datetime  # the first local day's start
    end: datetime  # now
    first_day: date
    last_day: date

    @property
    def previous(self) -> tuple[datetime, datetime]:
        return self.start - timedelta(days=self.days), self.start


def period_of(group: GroupSettings, days: int, now: datetime) -> Period:
    if days not in PERIODS:
        raise UnknownPeriod()
    last = local_day(now, group.timezone, group.day_start_hour)
    first = last - timedelta(days=days - 1)
    start = day_start_instant(first, group.timezone, group.day_start_hour)
    return Period(days, start, now, first, last)


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


class CurrentTablesOverview:
    """What today's tables can say (see the module's docstring). Joins and leaves come from
    index ranges, the members present and their points from the points board's index, check-ins
    from the daily running totals; only "active" reads every member of the group."""

    def __init__(self) -> None:
        # The members present, read once per request (headlines and series both need them).
        self._present: WeakKeyDictionary[UnitOfWork, tuple[int, int]] = WeakKeyDictionary()

    async def _present_members(self, uow: UnitOfWork, group_id: int) -> tuple[int, int]:
        found = self._present.get(uow)
        if found is None:
            found = self._present[uow] = await rows.present_members(uow.session, group_id)
        return found

    async def headlines(
        self, uow: UnitOfWork, group: GroupSettings, period: Period
    ) -> list[Headline]:
        s, g = uow.session, group.group_id
        present, points = await self._present_members(uow, g)
        now, before = (period.start, period.end), period.previous
        joins = await rows.count_between(s, g, "joined_at", *now)
        leaves = await rows.count_between(s, g, "left_at", *now)
        joins_before = await rows.count_between(s, g, "joined_at", *before)
        leaves_before = await rows.count_between(s, g, "left_at", *before)
        active = await rows.count_between(s, g, "last_active_at", *now)
        checkins = await rows.checkins_per_day(
            s, g, period.first_day - timedelta(days=period.days), period.last_day
        )
        now_sum = sum(n for d, n in checkins.items() if d >= period.first_day)
        before_sum = sum(n for d, n in checkins.items() if d < period.first_day)
        return [
            Headline("members", present, present - joins + leaves),
            Headline("joins", joins, joins_before),
            Headline("leaves", leaves, leaves_before),
            Headline("active", active, None),
            Headline("checkins", now_sum, before_sum),
            Headline("points", points, None),
        ]

    async def series(self, uow: UnitOfWork, group: GroupSettings, period: Period) -> list[Series]:
        s, g = uow.session, group.group_id
        days = [period.first_day + timedelta(days=i) for i in range(period.days)]
        checkins = await rows.checkins_per_day(s, g, period.first_day, period.last_day)
        joins = await rows.per_day(s, g, "joined_at", period.start, period.end)
        leaves = await rows.per_day(s, g, "left_at", period.start, period.end)
        present, _ = await self._present_members(uow, g)
        # Members at the end of each day, counted back from today's.
        growth: list[int] = []
        count = present
        for i in reversed(range(period.days)):
            growth.append(count)
            count = count - joins.get(i, 0) + leaves.get(i, 0)
        growth.reverse()
        return [
            Series("members", days, growth),
            Series("joins", days, [joins.get(i, 0) for i in range(period.days)]),
            Series("leaves", days, [leaves.get(i, 0) for i in range(period.days)]),
            Series("checkins", days, [checkins.get(d, 0) for d in days]),
        ]

    async def heatmap(
        self, uow: UnitOfWork, group: GroupSettings, period: Period
    ) -> Heatmap | None:
        return None  # activity by hour is recorded by the analytics module
