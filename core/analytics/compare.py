"""/compare <date> [days]: the group's key daily numbers over the N days before a date against
the N days from it, each judged against the group's usual change between consecutive N-day
windows (core/statistics/before_after.py; method and worked example: docs/statistics.md).

Reads the group's days only: the two windows and up to 91 days of history before them (one
range of group_day, two statements). Days before the group's first recorded day have no data
(None), never zeros: windows containing them are left out of the history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics import reports
from core.analytics.periods import MAX_DAYS, Period, PeriodInFuture, parse_date
from core.errors import DomainError
from core.statistics.before_after import MAX_HISTORY_DAYS, WindowChange, compare_windows
from storage.queries.analytics import reports as rows

DEFAULT_DAYS = 7
MAX_WINDOW = 28  # longer windows leave fewer than 14 pairs in 91 days of history
METRICS = ("dau", "messages", "checkins", "joined", "left")  # DayNumbers' fields

_DAYS = re.compile(r"^(\d{1,4})\s*(d|day|days|天|日)?$")


class CompareUsage(DomainError):
    key = "compare-usage"


class CompareBadDays(DomainError):
    key = "compare-error-days"  # args: word, max


class CompareTooOld(DomainError):
    key = "compare-error-too-old"  # args: max


class CompareNotOver(DomainError):
    key = "compare-error-not-over"  # args: start, end, days, fits (the days that are over)


@dataclass(frozen=True, slots=True)
class Metric:
    name: str  # one of METRICS
    change: WindowChange


@dataclass(frozen=True, slots=True)
class Comparison:
    day: date  # the first day after the change
    days: int
    before: Period
    after: Period
    first_day: date | None  # the group's first recorded day
    metrics: list[Metric]

    @property
    def has_data(self) -> bool:
        """The whole window before the date was counted (else: "not enough data yet")."""
        return self.first_day is not None and self.first_day <= self.before.start


def parse_compare(words: list[str], today: date) -> tuple[date, int]:
    """`<date> [days]`: the first day after the change and N. Both windows must be over (the
    N days from the date end before today, which is not)."""
    if not words or len(words) > 2:
        raise CompareUsage()
    day = parse_date(words[0])
    days = DEFAULT_DAYS
    if len(words) == 2:
        found = _DAYS.match(words[1].lower())
        if found is None or not 1 <= int(found.group(1)) <= MAX_WINDOW:
            raise CompareBadDays(word=words[1][:32], max=MAX_WINDOW)
        days = int(found.group(1))
    if day > today:
        raise PeriodInFuture(today=today.isoformat())
    if day < today - timedelta(days=MAX_DAYS):
        raise CompareTooOld(max=MAX_DAYS)
    end = day + timedelta(days=days - 1)
    if end >= today:
        raise CompareNotOver(
            start=day.isoformat(), end=end.isoformat(), days=days, fits=(today - day).days
        )
    return day, days


async def compare(session: AsyncSession, group_id: int, day: date, days: int) -> Comparison:
    start = day - timedelta(days=MAX_HISTORY_DAYS)  # the history reaches this far back
    end = day + timedelta(days=days - 1)
    first = await rows.first_day(session, group_id)
    series = await reports.daily_series(session, group_id, start, end)
    change_at = (day - start).days
    metrics = []
    for name in METRICS:
        values = [None if first is None or d.day < first else getattr(d, name) for d in series]
        metrics.append(Metric(name, compare_windows(values, change_at, days)))
    before = Period(day - timedelta(days=days), day - timedelta(days=1))
    return Comparison(day, days, before, Period(day, end), first, metrics)
