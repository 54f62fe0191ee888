"""Local-day arithmetic: a group's "day" starts at its chosen hour in its own timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo


class GroupCalendar(Protocol):
    """What the calendar needs to know about a group (GroupSettings has it)."""

    @property
    def group_id(self) -> int: ...

    @property
    def timezone(self) -> str: ...

    @property
    def day_start_hour(self) -> int: ...


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_day(instant: datetime, tz_name: str, day_start_hour: int = 0) -> date:
    """The group's calendar day that contains `instant` (an aware datetime, e.g. a message date)."""
    local = instant.astimezone(zone(tz_name))
    return (local - timedelta(hours=day_start_hour)).date()


def local_day_and_hour(
    instant: datetime, tz_name: str, day_start_hour: int = 0
) -> tuple[date, int]:
    """local_day() and the wall-clock hour of `instant` there (one conversion for both)."""
    local = instant.astimezone(zone(tz_name))
    return (local - timedelta(hours=day_start_hour)).date(), local.hour


def day_start_instant(day: date, tz_name: str, day_start_hour: int = 0) -> datetime:
    """The UTC instant at which the group's `day` begins."""
    local = datetime.combine(day, time(hour=day_start_hour), tzinfo=zone(tz_name))
    return local.astimezone(UTC)


def week_start(today: date) -> date:
    """Monday of the week containing `today` (ISO weeks, as most of the world and China count)."""
    return today - timedelta(days=today.weekday())


def month_start(today: date) -> date:
    return today.replace(day=1)


def period_starts(day: date) -> tuple[date, date]:
    """The first days of the week and of the month that a local day belongs to: the keys of
    the running week and month totals (and of the boards that read them)."""
    return week_start(day), month_start(day)


def from_timestamp(seconds: int | float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
