"""A member's features on a local day, from their days of activity and check-in (pure).

A member's days are kept as two integers of bits, anchored at the last day of the span read
(`end`): bit i is the day `end - i`. A window of n days ending day D is then a shift and a mask,
and a streak is a count of trailing ones, so a snapshot of a week costs a few integer
operations per member, whatever the span.

The features (all as of the end of day D, D included):
- active_7, active_14, active_28: days with any activity among the 7 / 14 / 28 days ending D;
- since_active: days since the last active day (0: active on D), WINDOW if none in the window;
- streak: consecutive check-in days ending D (0 if no check-in on D);
- broken_streak: if there was no check-in on D, the length of the last run of check-in days
  (the streak that broke), else 0;
- since_checkin: days since the last check-in (WINDOW if none in the window);
- checkins_7, checkins_28: check-in days among the 7 / 28 days ending D;
- tenure: days since the member joined (or was first seen), at most 365;
- habit: weekdays on which the member was active in at least 3 of the last 4 weeks (0-7): a
  weekly routine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WINDOW = 56  # days of history a snapshot looks at (streaks up to 56 days)
POPULATION_DAYS = 30  # scored and snapshotted: members active in the 30 days ending D
LABEL_DAYS = 7  # the label: active in the 7 days after D
MAX_TENURE = 365

FEATURES = (
    "active_7",
    "active_14",
    "active_28",
    "since_active",
    "streak",
    "broken_streak",
    "since_checkin",
    "checkins_7",
    "checkins_28",
    "tenure",
    "habit",
)

# Bits 0, 7, 14, 21: one weekday in each of the last four weeks.
_WEEKDAY_MASK = 1 | 1 << 7 | 1 << 14 | 1 << 21


def window(bits: int, offset: int, days: int) -> int:
    """The `days` days ending the day `offset` days before the span's end: bit 0 that day."""
    return (bits >> offset) & ((1 << days) - 1)


def trailing_ones(bits: int) -> int:
    return (~bits & (bits + 1)).bit_length() - 1


def trailing_zeros(bits: int, limit: int) -> int:
    return (bits & -bits).bit_length() - 1 if bits else limit


@dataclass(frozen=True, slots=True)
class Features:
    active_7: int
    active_14: int
    active_28: int
    since_active: int
    streak: int
    broken_streak: int
    since_checkin: int
    checkins_7: int
    checkins_28: int
    tenure: int
    habit: int

    def row(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in FEATURES)

    @property
    def weekly_before(self) -> float:
        """Active days a week in the three weeks before the last one."""
        return (self.active_28 - self.active_7) / 3


def in_population(active: int, offset: int) -> bool:
    """Active in the POPULATION_DAYS days ending the day `offset` days before the span's end."""
    return window(active, offset, POPULATION_DAYS) != 0


def features_at(active: int, checkins: int, offset: int, tenure: int) -> Features:
    """A member's features at the day `offset` days before the span's end (bit 0 of both)."""
    a = window(active, offset, WINDOW)
    c = window(checkins, offset, WINDOW)
    a28 = a & ((1 << 28) - 1)
    if c & 1:
        streak, broken = trailing_ones(c), 0
    else:
        streak = 0
        gap = trailing_zeros(c, WINDOW)
        broken = trailing_ones(c >> gap) if gap < WINDOW else 0
    habit = sum(1 for j in range(7) if ((a28 >> j) & _WEEKDAY_MASK).bit_count() >= 3)
    return Features(
        active_7=(a & 0x7F).bit_count(),
        active_14=(a & 0x3FFF).bit_count(),
        active_28=a28.bit_count(),
        since_active=trailing_zeros(a, WINDOW),
        streak=streak,
        broken_streak=broken,
        since_checkin=trailing_zeros(c, WINDOW),
        checkins_7=(c & 0x7F).bit_count(),
        checkins_28=(c & ((1 << 28) - 1)).bit_count(),
        tenure=max(0, min(tenure, MAX_TENURE)),
        habit=habit,
    )


def label_at(active: int, offset: int) -> int | None:
    """Active in the LABEL_DAYS days after the day `offset` days before the span's end (None:
    those days are not all over yet)."""
    if offset < LABEL_DAYS:
        return None
    return 1 if window(active, offset - LABEL_DAYS, LABEL_DAYS) else 0


class DayBits:
    """Builds a member's bits from their days (any order) within [end - span + 1, end]."""

    __slots__ = ("end", "active", "checkins")

    def __init__(self, end: date) -> None:
        self.end = end
        self.active = 0
        self.checkins = 0

    def add(self, day: date, active: bool, checkin: bool) -> None:
        i = (self.end - day).days
        if i < 0:
            return
        if active or checkin:  # a check-in is activity
            self.active |= 1 << i
        if checkin:
            self.checkins |= 1 << i
