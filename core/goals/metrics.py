"""What a goal can be set for, how a target and a date are typed, and each metric's value.

Values come from the analytics' running totals (core/analytics/reports.py, docs/analytics.md),
read for the complete local days only (today is not over):

- members, wau, mau: at the end of the last complete day;
- dau, messages, stickiness, checkin_rate: the average of the last 7 complete days (one day
  alone swings with the weekday);
- d7: of the members who joined in the 28 days whose day-7 is over, the share active 7 days
  after joining.

Rates (stickiness, checkin_rate, d7) are fractions 0–1; people type them as `25%`, `25` or
`0.25`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics import reports
from core.analytics.periods import Period
from core.errors import DomainError

MEMBERS, DAU, WAU, MAU = "members", "dau", "wau", "mau"
STICKINESS, D7, CHECKIN_RATE, MESSAGES = "stickiness", "d7", "checkin_rate", "messages"
METRICS = (MEMBERS, DAU, WAU, MAU, STICKINESS, D7, CHECKIN_RATE, MESSAGES)
RATES = frozenset({STICKINESS, D7, CHECKIN_RATE})
AVERAGED = frozenset({DAU, MESSAGES, STICKINESS, CHECKIN_RATE})
ALIASES = {
    "member": MEMBERS,
    "成员": MEMBERS,
    "成员数": MEMBERS,
    "人数": MEMBERS,
    "日活": DAU,
    "周活": WAU,
    "月活": MAU,
    "粘性": STICKINESS,
    "黏性": STICKINESS,
    "d7_retention": D7,
    "retention": D7,
    "留存": D7,
    "7日留存": D7,
    "checkin": CHECKIN_RATE,
    "checkins": CHECKIN_RATE,
    "签到率": CHECKIN_RATE,
    "message": MESSAGES,
    "消息": MESSAGES,
    "消息数": MESSAGES,
}
AVERAGE_DAYS = 7
HISTORY_DAYS = 28  # the trend is fitted to this many complete days
COHORT_DAYS = 28
MAX_COUNT = 1_000_000_000
MAX_AHEAD_DAYS = 3 * 366

_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*(k|K|w|W|万|千|%|％)?$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
BY_WORDS = ("by", "until", "before", "due", "到", "截至", "截止", "于")


class UnknownMetric(DomainError):
    key = "goal-error-metric"  # args: word, metrics, guess


class BadTarget(DomainError):
    key = "goal-error-target"  # args: word


class TargetNotPositive(DomainError):
    key = "goal-error-not-positive"  # args: word


class RateTooHigh(DomainError):
    key = "goal-error-rate-too-high"  # args: word


class BadDueDate(DomainError):
    key = "goal-error-date"  # args: word


class DueInPast(DomainError):
    key = "goal-error-past"  # args: date, today


class DueTooFar(DomainError):
    key = "goal-error-too-far"  # args: date


def parse_metric(word: str) -> str:
    key = word.strip().lower().replace("-", "_")
    if key in METRICS:
        return key
    if key in ALIASES:
        return ALIASES[key]
    guess = difflib.get_close_matches(key, [*METRICS, *ALIASES], n=1)
    raise UnknownMetric(
        word=word[:40],
        metrics=", ".join(METRICS),
        guess=ALIASES.get(guess[0], guess[0]) if guess else "none",
    )


def parse_target(metric: str, word: str) -> float:
    """A positive number; for rates a share (`25%`, `25` and `0.25` are all 25 %)."""
    text = word.strip().replace(",", "").replace("，", "")
    if text.startswith("-"):
        raise TargetNotPositive(word=word[:40])
    found = _NUMBER.match(text)
    if found is None:
        raise BadTarget(word=word[:40])
    value = float(found.group(1))
    unit = found.group(2) or ""
    percent = unit in ("%", "％")
    if unit.lower() in ("k", "千"):
        value *= 1000
    elif unit.lower() in ("w", "万"):
        value *= 10_000
    if value <= 0:
        raise TargetNotPositive(word=word[:40])
    if metric in RATES:
        if unit and not percent:
            raise BadTarget(word=word[:40])
        share = value / 100 if percent or value > 1 else value
        if share > 1:
            raise RateTooHigh(word=word[:40])
        return share
    if percent or value > MAX_COUNT:
        raise BadTarget(word=word[:40])
    return value


def parse_due(words: list[str], today: date) -> date | None:
    """`by 2027-03-01` (or the date alone); None without one. After today, within 3 years."""
    if not words:
        return None
    if words[0].lower() in BY_WORDS:
        words = words[1:]
    if len(words) != 1:
        raise BadDueDate(word=" ".join(words)[:40] or "—")
    found = _DATE.match(words[0])
    if found is None:
        raise BadDueDate(word=words[0][:40])
    try:
        due = date(*(int(g) for g in found.groups()))
    except ValueError:
        raise BadDueDate(word=words[0][:40]) from None
    if due <= today:
        raise DueInPast(date=due.isoformat(), today=today.isoformat())
    if (due - today).days > MAX_AHEAD_DAYS:
        raise DueTooFar(date=due.isoformat())
    return due


@dataclass(frozen=True, slots=True)
class History:
    """A metric over the last complete days: its daily values (None: no value that day) and
    its current value (definitions above)."""

    metric: str
    days: tuple[date, ...]
    values: tuple[float | None, ...]
    current: float | None


def _daily(metric: str, d: reports.DayNumbers) -> float | None:
    if metric == STICKINESS:
        return d.stickiness
    if metric == CHECKIN_RATE:
        return d.checkin_rate
    if not d.has_data and not d.messages:
        return None  # before the bot knew the group
    return float(getattr(d, metric))


def _average(values: list[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


async def histories(
    session: AsyncSession, group_id: int, today: date, metrics: tuple[str, ...] = METRICS
) -> dict[str, History]:
    """Each metric's history up to yesterday (today is not over): two reads of the group's
    days (and one of its join cohorts when d7 is asked)."""
    last = today - timedelta(days=1)
    first = last - timedelta(days=HISTORY_DAYS - 1)
    series = await reports.daily_series(session, group_id, first, last)
    days = tuple(d.day for d in series)
    found: dict[str, History] = {}
    for metric in metrics:
        if metric == D7:
            continue
        values = tuple(_daily(metric, d) for d in series)
        if metric in AVERAGED:
            current = _average(list(values[-AVERAGE_DAYS:]))
        else:
            current = values[-1]
        found[metric] = History(metric, days, values, current)
    if D7 in metrics:
        found[D7] = await _d7(session, group_id, today)
    return found


async def _d7(session: AsyncSession, group_id: int, today: date) -> History:
    """Each join day's D7 (days nobody joined have none); now: the pooled share of the last
    28 cohorts whose seventh day is over."""
    last = today - timedelta(days=8)  # its day 7 is yesterday
    first = last - timedelta(days=HISTORY_DAYS - 1)
    cohorts = await reports.retention_days(session, group_id, Period(first, last), today)
    observed = [(c.start, c.size, c.active.get(7)) for c in cohorts if c.active.get(7) is not None]
    days = tuple(day for day, _, _ in observed)
    values = tuple(active / size for _, size, active in observed if active is not None)
    recent = [(s, a) for day, s, a in observed if (last - day).days < COHORT_DAYS]
    size = sum(s for s, _ in recent)
    current = sum(a or 0 for _, a in recent) / size if size else None
    return History(D7, days, values, current)
