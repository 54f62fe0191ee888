"""Report periods: `7d`, `30d`, `90d` (the local days ending today) or `<from>..<to>` (dates)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import DomainError

MAX_DAYS = 366
DEFAULT = "30d"
PRESETS = ("7d", "30d", "90d")

_DAYS = re.compile(r"^(\d{1,4})\s*(d|day|days|天|日)?$")
_SEPARATORS = re.compile(r"\s*(?:\.\.|~|～|至|到|—|–)\s*")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


class PeriodError(DomainError):
    key = "stats-error-period"  # args: word


class PeriodTooLong(DomainError):
    key = "stats-error-too-long"  # args: days, max


class PeriodInFuture(DomainError):
    key = "stats-error-future"  # args: today


class PeriodReversed(DomainError):
    key = "stats-error-reversed"  # args: start, end


class BadDate(DomainError):
    key = "stats-error-date"  # args: word


@dataclass(frozen=True, slots=True)
class Period:
    """Local days start..end (both included)."""

    start: date
    end: date
    preset: str | None = None  # "7d", "30d", "90d" when it is one (buttons mark it)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    @property
    def token(self) -> str:
        """What parse_period reads back (for buttons)."""
        return self.preset or f"{self.start.isoformat()}..{self.end.isoformat()}"


def last_days(days: int, today: date, preset: str | None = None) -> Period:
    return Period(today - timedelta(days=days - 1), today, preset)


def parse_period(words: list[str], today: date) -> Period:
    """The period a manager typed (nothing: the last 30 days); a clear error otherwise."""
    text = " ".join(words).strip().lower()
    if not text:
        return last_days(30, today, DEFAULT)
    found = _DAYS.match(text)
    if found:
        days = int(found.group(1))
        if days < 1:
            raise PeriodError(word=text[:32])
        if days > MAX_DAYS:
            raise PeriodTooLong(days=days, max=MAX_DAYS)
        label = f"{days}d"
        return last_days(days, today, label if label in PRESETS else None)
    parts = _SEPARATORS.split(text)
    if len(parts) != 2:
        raise PeriodError(word=text[:32])
    start, end = (_date(part) for part in parts)
    if start > end:
        raise PeriodReversed(start=start.isoformat(), end=end.isoformat())
    if end > today:
        raise PeriodInFuture(today=today.isoformat())
    days = (end - start).days + 1
    if days > MAX_DAYS:
        raise PeriodTooLong(days=days, max=MAX_DAYS)
    return Period(start, end)


def parse_date(word: str) -> date:
    """A date as a manager types it (2026-03-01, 2026/3/1); BadDate otherwise."""
    return _date(word)


def _date(word: str) -> date:
    found = _DATE.match(word)
    if found is None:
        raise BadDate(word=word[:32])
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        raise BadDate(word=word[:32]) from None
