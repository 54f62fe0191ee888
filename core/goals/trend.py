"""Whether a metric's current trend reaches its target in time: a straight line fitted to the
recent days (least squares, `statistics.linear_regression`), extended to the due day.

A rough guide, said as one: growth is rarely a straight line, and the report names how many
days the line stands on. With fewer than MIN_POINTS days of values there is no trend ("not
enough data yet"), never a guess.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta

MIN_POINTS = 7
MAX_ETA_DAYS = 3 * 366

REACHED = "reached"  # the current value is at or past the target
ON_TRACK = "on_track"  # the line reaches the target by the due day
BEHIND = "behind"  # the line falls short by the due day
ETA = "eta"  # no due day: the line reaches the target on `eta`
NOT_CLOSER = "not_closer"  # no due day: the line does not rise (or needs over 3 years)
NO_TREND = "no_trend"  # not enough days of values for a line


@dataclass(frozen=True, slots=True)
class Trend:
    slope: float  # per day
    last_day: date
    last_value: float  # the line's value on last_day
    points: int  # the days it stands on

    def at(self, day: date) -> float:
        return self.last_value + self.slope * (day - self.last_day).days


def fit(days: tuple[date, ...], values: tuple[float | None, ...]) -> Trend | None:
    pairs = [(d, v) for d, v in zip(days, values, strict=True) if v is not None]
    if len(pairs) < MIN_POINTS:
        return None
    origin = pairs[-1][0]
    xs = [float((d - origin).days) for d, _ in pairs]
    ys = [float(v) for _, v in pairs]
    if len(set(xs)) < 2:
        return None
    slope, intercept = statistics.linear_regression(xs, ys)
    return Trend(slope, origin, intercept, len(pairs))


@dataclass(frozen=True, slots=True)
class Outlook:
    status: str
    projected: float | None = None  # the line's value on the due day
    eta: date | None = None  # the day the line reaches the target (no due day)
    needed_per_day: float | None = None  # the rise a day still needed to make it (behind)
    per_day: float | None = None  # the line's rise a day
    points: int = 0


def outlook(
    current: float | None, target: float, trend: Trend | None, today: date, due: date | None
) -> Outlook:
    if current is not None and current >= target:
        return Outlook(REACHED, points=trend.points if trend else 0)
    if trend is None:
        return Outlook(NO_TREND)
    common = dict(per_day=trend.slope, points=trend.points)
    if due is not None:
        projected = trend.at(due)
        if projected >= target:
            return Outlook(ON_TRACK, projected=projected, **common)  # type: ignore[arg-type]
        left = max(1, (due - today).days)
        needed = (target - (current if current is not None else trend.at(today))) / left
        return Outlook(BEHIND, projected=projected, needed_per_day=needed, **common)  # type: ignore[arg-type]
    if trend.slope <= 0:
        return Outlook(NOT_CLOSER, **common)  # type: ignore[arg-type]
    days = math.ceil((target - trend.last_value) / trend.slope)
    if days > MAX_ETA_DAYS:
        return Outlook(NOT_CLOSER, **common)  # type: ignore[arg-type]
    eta = max(today, trend.last_day + timedelta(days=max(days, 0)))
    return Outlook(ETA, eta=eta, **common)  # type: ignore[arg-type]


def progress(current: float | None, target: float, start: float | None) -> float:
    """How far from the start (the value when the goal was set) to the target, 0–1; from 0
    when the goal started at or above its target or without a value."""
    if current is None:
        return 0.0
    base = start if start is not None and start < target else 0.0
    return min(1.0, max(0.0, (current - base) / (target - base)))
