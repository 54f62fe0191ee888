"""Best time to post: from a weekday × hour activity matrix to the hours members are most active.

The matrix (messages and actions per weekday and local hour over the last weeks) comes from a
provider, `ActivityMatrixSource`: composition/app.py puts the analytics' one in
`deps["activity_matrix"]` (core/analytics/hours.py, group_day's h00-h23 of the complete days).
`NoActivityData` (no matrix: nothing is suggested) is the stand-in for tests.

`best_times` is pure: the hours of the day with the most activity (summed over the weekdays),
best first, no two within an hour of each other (20:00 and 21:00 are one peak), each well
above an average hour (`min_lift`: 25 % more than 1/24 of the activity); and the busiest hour
of the week. Below `min_events` actions or `min_days` days of history it says "not enough data
yet"; when no hour stands out, "no clear peak".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from core.uow import UnitOfWork

HOURS = 24
WEEKDAYS = 7
TOP = 3
MIN_EVENTS = 200
MIN_DAYS = 14
MIN_LIFT = 1.25
LOOKBACK_DAYS = 28


@dataclass(frozen=True, slots=True)
class ActivityMatrix:
    counts: tuple[tuple[int, ...], ...]  # 7 rows (Monday first) of 24 local hours
    days: int  # days of history counted
    timezone: str


class ActivityMatrixSource(Protocol):
    async def weekday_hour_activity(
        self, uow: UnitOfWork, group_id: int, *, days: int, now: datetime
    ) -> ActivityMatrix | None:
        """The group's activity over the last `days` days, None when there is none to give."""
        ...


class NoActivityData:
    """A source that knows nothing: no matrix, nothing suggested."""

    async def weekday_hour_activity(
        self, uow: UnitOfWork, group_id: int, *, days: int, now: datetime
    ) -> ActivityMatrix | None:
        return None


class Status(StrEnum):
    OK = "ok"
    NOT_ENOUGH_DATA = "not_enough_data"
    NO_CLEAR_PEAK = "no_clear_peak"


@dataclass(frozen=True, slots=True)
class BestHour:
    hour: int  # local, 0-23: the hour from hour:00 to hour+1:00
    share: float  # of all the activity
    lift: float  # share x 24: 1.0 is an average hour


@dataclass(frozen=True, slots=True)
class BestSlot:
    weekday: int  # 0 = Monday
    hour: int
    share: float


@dataclass(frozen=True, slots=True)
class BestTimes:
    status: Status
    hours: tuple[BestHour, ...]
    slot: BestSlot | None  # the busiest hour of the week
    events: int  # the sample: actions counted
    days: int  # over this many days
    timezone: str


def best_times(
    matrix: ActivityMatrix,
    *,
    top: int = TOP,
    min_events: int = MIN_EVENTS,
    min_days: int = MIN_DAYS,
    min_lift: float = MIN_LIFT,
) -> BestTimes:
    counts = matrix.counts
    if len(counts) != WEEKDAYS or any(len(row) != HOURS for row in counts):
        raise ValueError("7 weekdays of 24 hours expected")
    if any(value < 0 for row in counts for value in row):
        raise ValueError("counts are not negative")
    total = sum(sum(row) for row in counts)
    if total < min_events or matrix.days < min_days:
        return BestTimes(Status.NOT_ENOUGH_DATA, (), None, total, matrix.days, matrix.timezone)
    by_hour = [sum(row[hour] for row in counts) for hour in range(HOURS)]
    picked: list[BestHour] = []
    for hour in sorted(range(HOURS), key=lambda h: (-by_hour[h], h)):
        share = by_hour[hour] / total
        if share * HOURS < min_lift or len(picked) >= top:
            break
        if any(_distance(hour, p.hour) <= 1 for p in picked):
            continue  # the same peak as a better hour
        picked.append(BestHour(hour, share, share * HOURS))
    weekday, hour = max(
        ((d, h) for d in range(WEEKDAYS) for h in range(HOURS)),
        key=lambda cell: (counts[cell[0]][cell[1]], -cell[0], -cell[1]),
    )
    slot = BestSlot(weekday, hour, counts[weekday][hour] / total)
    status = Status.OK if picked else Status.NO_CLEAR_PEAK
    return BestTimes(
        status, tuple(picked), slot if picked else None, total, matrix.days, matrix.timezone
    )


def _distance(a: int, b: int) -> int:
    """Hours apart on the clock (23:00 and 00:00 are one apart)."""
    apart = abs(a - b) % HOURS
    return min(apart, HOURS - apart)


async def suggest(
    uow: UnitOfWork, source: ActivityMatrixSource, group_id: int, now: datetime
) -> BestTimes | None:
    """The group's best times from the source's last LOOKBACK_DAYS days; None without data."""
    matrix = await source.weekday_hour_activity(uow, group_id, days=LOOKBACK_DAYS, now=now)
    return best_times(matrix) if matrix is not None else None
