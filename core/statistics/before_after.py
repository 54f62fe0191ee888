"""Before and after a date (/compare): is the change larger than the group's usual variation?

A daily number (active members, messages, check-ins…) is averaged over the N days before the
date and the N days from it; the change is after − before. Whether that is more than the
group's ordinary ups and downs is judged against the changes between consecutive N-day
windows in the history before the date (every day a window could end on, up to
`max_history_days` back): their median is the usual change (a growing group grows every week)
and 1.4826 × their median absolute deviation their usual spread (the standard deviation, were
they normal, without letting one odd week inflate it). The change is clear when it lies more
than `threshold` (2) spreads from the usual change — outside about 95 % of ordinary weeks — and
the report says which way; otherwise "no clear change". With fewer than `min_pairs` (14)
historical changes there is not enough history to say what is usual.

Pure Python (no numpy): cheap enough to run in the bot process. Worked example in
docs/statistics.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import mean, median, stdev

MAD_TO_SD = 1.4826  # the MAD of normal data times this is its standard deviation
THRESHOLD = 2.0
MIN_PAIRS = 14
MAX_HISTORY_DAYS = 91


class Change(StrEnum):
    UP = "up"
    DOWN = "down"
    NO_CLEAR_CHANGE = "no_clear_change"
    NOT_ENOUGH_HISTORY = "not_enough_history"


@dataclass(frozen=True, slots=True)
class WindowChange:
    days: int  # N: the length of each window
    before: float | None  # the mean of the N days before the date
    after: float | None  # the mean of the N days from it
    change: float | None  # after - before
    relative: float | None  # change / before (None when before is 0 or unknown)
    usual_change: float | None  # the median change between consecutive windows before
    usual_spread: float | None  # their robust standard deviation
    score: float | None  # (change - usual_change) / usual_spread
    # The share of the historical changes that were further from the usual one than this change
    # (small: this change is unusual).
    as_large_share: float | None
    pairs: int  # historical window pairs behind the judgement
    verdict: Change


def _window_mean(values: Sequence[float | None], start: int, days: int) -> float | None:
    window = values[start : start + days]
    if start < 0 or len(window) < days or any(v is None for v in window):
        return None
    return mean(float(v) for v in window if v is not None)


def compare_windows(
    values: Sequence[float | None],
    change_at: int,
    days: int,
    *,
    threshold: float = THRESHOLD,
    min_pairs: int = MIN_PAIRS,
    max_history_days: int = MAX_HISTORY_DAYS,
) -> WindowChange:
    """`values[i]` is day i (None: no data that day); `change_at` is the index of the first
    day after the change. Compares values[change_at - days : change_at] with
    values[change_at : change_at + days]."""
    if days < 1:
        raise ValueError("windows of at least one day")
    before = _window_mean(values, change_at - days, days)
    after = _window_mean(values, change_at, days)
    history: list[float] = []
    first_start = max(days, change_at - max_history_days + days)
    # A historical pair: the window starting at `start` against the one before it; both end
    # before the date (the last such pair is the compared "before" window and its previous).
    for start in range(first_start, change_at - days + 1):
        later = _window_mean(values, start, days)
        earlier = _window_mean(values, start - days, days)
        if later is not None and earlier is not None:
            history.append(later - earlier)
    change = after - before if after is not None and before is not None else None
    relative = change / before if change is not None and before else None
    if change is None or len(history) < min_pairs:
        return WindowChange(
            days,
            before,
            after,
            change,
            relative,
            None,
            None,
            None,
            None,
            len(history),
            Change.NOT_ENOUGH_HISTORY,
        )
    usual = median(history)
    spread = MAD_TO_SD * median(abs(h - usual) for h in history)
    if spread == 0:
        spread = stdev(history)  # most weeks identical: fall back on the plain deviation
    distance = abs(change - usual)
    as_large = sum(1 for h in history if abs(h - usual) >= distance) / len(history)
    if spread == 0:
        score = 0.0 if distance == 0 else (1 if change > usual else -1) * float("inf")
    else:
        score = (change - usual) / spread
    if score > threshold:
        verdict = Change.UP
    elif score < -threshold:
        verdict = Change.DOWN
    else:
        verdict = Change.NO_CLEAR_CHANGE
    return WindowChange(
        days,
        before,
        after,
        change,
        relative,
        usual,
        spread,
        score,
        as_large,
        len(history),
        verdict,
    )
