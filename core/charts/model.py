"""What each chart is drawn from: plain, picklable data (sent to the worker process as is).

Every text on a chart comes from the caller, already in the reader's language (locale keys
`chart-*`); `language` only picks how dates are written ("Dec 1" / "12月1日"). A chart is
never drawn from nothing: empty data is refused (`NothingToDraw`), and the caller says "not
enough data yet" instead of showing a flat line at zero. `partial_last` marks the last day as
not over yet (today so far): drawn hatched or dashed, and named in the legend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class NothingToDraw(ValueError):
    """The data is empty (or all missing): say "not enough data yet" instead of a chart."""


@dataclass(frozen=True, slots=True)
class Texts:
    title: str
    subtitle: str = ""  # the period, the timezone
    y_label: str = ""
    x_label: str = ""
    legend: tuple[str, ...] = ()  # one per series, in the order of the data
    partial: str = ""  # legend entry of the partial last day ("today so far")
    note: str = ""  # a footnote (how to read it)


@dataclass(frozen=True, slots=True)
class MemberGrowth:
    """Members at the end of each day (a line)."""

    days: tuple[date, ...]
    members: tuple[int | None, ...]
    texts: Texts
    language: str = "en"
    partial_last: bool = False


@dataclass(frozen=True, slots=True)
class ActiveMembers:
    """DAU, WAU and MAU per day (three lines; legend in that order)."""

    days: tuple[date, ...]
    dau: tuple[int | None, ...]
    wau: tuple[int | None, ...]
    mau: tuple[int | None, ...]
    texts: Texts
    language: str = "en"
    partial_last: bool = False


@dataclass(frozen=True, slots=True)
class JoinsLeaves:
    """Members who joined (bars up) and left (bars down) each day; legend: joined, left."""

    days: tuple[date, ...]
    joined: tuple[int, ...]
    left: tuple[int, ...]
    texts: Texts
    language: str = "en"
    partial_last: bool = False


@dataclass(frozen=True, slots=True)
class CheckinsPerDay:
    """Check-ins each day (bars)."""

    days: tuple[date, ...]
    checkins: tuple[int, ...]
    texts: Texts
    language: str = "en"
    partial_last: bool = False


@dataclass(frozen=True, slots=True)
class ActivityHeatmap:
    """Activity by weekday (rows, Monday first) and local hour (columns 0-23)."""

    counts: tuple[tuple[int, ...], ...]  # 7 rows of 24
    weekdays: tuple[str, ...]  # 7 row labels, Monday first
    texts: Texts


@dataclass(frozen=True, slots=True)
class RetentionHeatmap:
    """Join cohorts (rows) by offset (columns: D1, D7, D14, D30 or W1…W8): the share of the
    cohort active then, 0-1; None where that day or week has not come yet (left empty)."""

    cohorts: tuple[str, ...]  # row labels ("Dec 1", "W48")
    sizes: tuple[int, ...]  # members in each cohort
    offsets: tuple[str, ...]  # column labels
    shares: tuple[tuple[float | None, ...], ...]
    texts: Texts


@dataclass(frozen=True, slots=True)
class Funnel:
    """Steps top to bottom with the members who reached each (conversion from the step above)."""

    steps: tuple[str, ...]
    counts: tuple[int, ...]
    texts: Texts


Chart = (
    MemberGrowth
    | ActiveMembers
    | JoinsLeaves
    | CheckinsPerDay
    | ActivityHeatmap
    | RetentionHeatmap
    | Funnel
)
