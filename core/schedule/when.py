"""When a scheduled post runs: what admins type, parsed into a `Rule` (pure; no clock, no I/O).

`parse_when(words, now, timezone)` reads the words after `/schedule` and returns the rule and
how many words it used (the rest is the post's text). Every form is in the group's timezone:

    2026-12-01 09:30        once, at that local date and time
    08:00                   once, the next time it is 08:00 locally (today or tomorrow)
    +30m  +2h  +45s  +1d    once, that long from now
    daily 08:00
    weekly mon,thu 19:00    (mon..sun, 一..日 / 周一.. too)
    monthly 1 10:00         (day 1..31, or `last`; months without that day are skipped)
    cron "0 8 * * 1-5"      minute hour day month weekday, weekday 0/7 = Sunday as in crontab
    every 30m / every 2h    a fixed interval (at least MIN_EVERY)

and the forms people say, English and Chinese (`in 10 minutes`, `明天 9点`, `每周一 19:00`,
`工作日 9:00`…), which core/schedule/natural.py turns into the ones above (docs/times.md).

A rule has a canonical text (`Rule.text`, what is stored) that `parse_rule` reads back.
Times are computed by the runtime (APScheduler's triggers, with the group's timezone); the
core only validates. Local times that do not exist (a DST gap) or exist twice (a DST fold)
follow zoneinfo: the gap's time is taken with the offset before the change, the fold's first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.errors import DomainError
from core.schedule.natural import natural_when

ONCE = "once"
DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
CRON = "cron"
EVERY = "every"

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MIN_EVERY = timedelta(minutes=5)  # what /schedule accepts; the service takes any (tests)
MAX_AHEAD = timedelta(days=366 * 5)
MAX_RELATIVE = timedelta(days=366)

_ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_ALIASES = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{
        full: i
        for i, full in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}


class InvalidWhen(DomainError):
    """Not a time we understand: the reply lists the forms."""

    key = "schedule-error-when"


class InvalidTime(DomainError):
    key = "schedule-error-time"


class InvalidDate(DomainError):
    key = "schedule-error-date"


class PastTime(DomainError):
    key = "schedule-error-past"


class TooFarAhead(DomainError):
    key = "schedule-error-too-far"


class InvalidCron(DomainError):
    key = "schedule-error-cron"


class InvalidWeekdays(DomainError):
    key = "schedule-error-weekdays"


class InvalidMonthDay(DomainError):
    key = "schedule-error-monthday"


class IntervalTooShort(DomainError):
    key = "schedule-error-interval"


@dataclass(frozen=True, slots=True)
class Rule:
    """One schedule. Only the fields of its kind are set."""

    kind: str
    hour: int = 0
    minute: int = 0
    weekdays: tuple[int, ...] = ()  # 0 = Monday
    month_day: int = 0  # 1..31, or -1 for the last day
    cron: str = ""  # canonical: weekday field in names (APScheduler 3 counts 0 = Monday)
    cron_text: str = ""  # as typed, for the description
    seconds: int = 0  # EVERY
    at: datetime | None = None  # ONCE, UTC

    @property
    def recurring(self) -> bool:
        return self.kind != ONCE

    @property
    def text(self) -> str:
        hm = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == ONCE:
            assert self.at is not None
            return f"once {self.at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        if self.kind == DAILY:
            return f"daily {hm}"
        if self.kind == WEEKLY:
            return f"weekly {','.join(WEEKDAYS[d] for d in self.weekdays)} {hm}"
        if self.kind == MONTHLY:
            return f"monthly {'last' if self.month_day == -1 else self.month_day} {hm}"
        if self.kind == CRON:
            return f"cron {self.cron}|{self.cron_text}"
        return f"every {self.seconds}"


def parse_rule(text: str) -> Rule:
    """A stored canonical text back into its rule (ValueError if it is not one)."""
    kind, _, rest = text.partition(" ")
    if kind == ONCE:
        return Rule(ONCE, at=datetime.strptime(rest, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC))
    if kind == DAILY:
        hour, minute = _clock(rest)
        return Rule(DAILY, hour, minute)
    if kind == WEEKLY:
        days, hm = rest.split(" ")
        hour, minute = _clock(hm)
        return Rule(
            WEEKLY, hour, minute, weekdays=tuple(WEEKDAYS.index(d) for d in days.split(","))
        )
    if kind == MONTHLY:
        day, hm = rest.split(" ")
        hour, minute = _clock(hm)
        return Rule(MONTHLY, hour, minute, month_day=-1 if day == "last" else int(day))
    if kind == CRON:
        cron, _, typed = rest.partition("|")
        return Rule(CRON, cron=cron, cron_text=typed or cron)
    if kind == EVERY:
        return Rule(EVERY, seconds=int(rest))
    raise ValueError(text)


def _clock(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})", text.strip())
    if not match:
        raise InvalidTime(value=text[:20])
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise InvalidTime(value=text[:20])
    return hour, minute


def _looks_like_clock(word: str) -> bool:
    return re.fullmatch(r"\d{1,2}[:：]\d{1,2}", word) is not None


_RELATIVE = re.compile(r"\+(\d{1,6})([smhd])", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(word: str) -> timedelta | None:
    match = re.fullmatch(r"\+?(\d{1,6})([smhd])", word, re.IGNORECASE)
    if not match:
        return None
    return timedelta(seconds=int(match[1]) * _UNITS[match[2].lower()])


def parse_weekdays(text: str) -> tuple[int, ...]:
    days: set[int] = set()
    for part in re.split(r"[,，、]", text.strip().lower()):
        part = part.strip().removeprefix("周").removeprefix("星期")
        if not part:
            continue
        if "-" in part:
            a, _, b = part.partition("-")
            start, end = _weekday(a), _weekday(b)
            days.update(
                range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
            )
        else:
            days.add(_weekday(part))
    if not days:
        raise InvalidWeekdays(value=text[:30])
    return tuple(sorted(days))


def _weekday(word: str) -> int:
    word = word.strip().removeprefix("周").removeprefix("星期")
    if word in _DAY_ALIASES:
        return _DAY_ALIASES[word]
    if word in _ZH_DAYS:
        return _ZH_DAYS[word]
    raise InvalidWeekdays(value=word[:30])


def parse_when(words: list[str], now: datetime, timezone: str) -> tuple[Rule, int]:
    """(rule, number of words used). `now` is aware (the message's date)."""
    said = natural_when(words, now, timezone)
    if said is not None:
        canonical, used = said
        rule, _ = _parse_canonical(canonical, now, timezone)
        return rule, used
    return _parse_canonical(words, now, timezone)


def _parse_canonical(words: list[str], now: datetime, timezone: str) -> tuple[Rule, int]:
    if not words:
        raise InvalidWhen()
    tz = ZoneInfo(timezone)
    first = words[0].lower()
    if first == DAILY:
        if len(words) < 2:
            raise InvalidTime(value="")
        hour, minute = _clock(words[1])
        return Rule(DAILY, hour, minute), 2
    if first == WEEKLY:
        if len(words) < 3:
            raise InvalidWeekdays(value=" ".join(words[1:])[:30])
        days = parse_weekdays(words[1])
        hour, minute = _clock(words[2])
        return Rule(WEEKLY, hour, minute, weekdays=days), 3
    if first == MONTHLY:
        if len(words) < 3:
            raise InvalidMonthDay(value=" ".join(words[1:])[:30])
        day_word = words[1].lower()
        if day_word == "last":
            day = -1
        elif day_word.isdecimal() and 1 <= int(day_word) <= 31:
            day = int(day_word)
        else:
            raise InvalidMonthDay(value=day_word[:30])
        hour, minute = _clock(words[2])
        return Rule(MONTHLY, hour, minute, month_day=day), 3
    if first == CRON:
        return _parse_cron_words(words[1:])
    if first == EVERY:
        span = _duration(words[1]) if len(words) > 1 else None
        if span is None:
            raise InvalidWhen()
        if span < MIN_EVERY:
            raise IntervalTooShort(minimum=int(MIN_EVERY.total_seconds() // 60))
        return Rule(EVERY, seconds=int(span.total_seconds())), 2
    if first.startswith("+"):
        span = _duration(first)
        if span is None or span.total_seconds() <= 0:
            raise InvalidWhen()
        if span > MAX_RELATIVE:
            raise TooFarAhead()
        return Rule(ONCE, at=(now + span).astimezone(UTC).replace(microsecond=0)), 1
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", first):
        if len(words) < 2 or not _looks_like_clock(words[1]):
            raise InvalidTime(value=words[1][:20] if len(words) > 1 else "")
        try:
            day = datetime.strptime(first, "%Y-%m-%d").date()
        except ValueError:
            raise InvalidDate(value=first[:20]) from None
        hour, minute = _clock(words[1])
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
        at = local.astimezone(UTC)
        if at <= now:
            raise PastTime()
        if at - now > MAX_AHEAD:
            raise TooFarAhead()
        return Rule(ONCE, at=at), 2
    if _looks_like_clock(first):
        hour, minute = _clock(first)
        local_now = now.astimezone(tz)
        local = datetime(local_now.year, local_now.month, local_now.day, hour, minute, tzinfo=tz)
        at = local.astimezone(UTC)
        if at <= now:
            tomorrow = local_now.date() + timedelta(days=1)
            local = datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour, minute, tzinfo=tz)
            at = local.astimezone(UTC)
        return Rule(ONCE, at=at), 1
    raise InvalidWhen()


# ---- cron ------------------------------------------------------------------------------

_CRON_FIELDS = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day", 1, 31),
    ("month", 1, 12),
    ("weekday", 0, 7),
)


def _parse_cron_words(words: list[str]) -> tuple[Rule, int]:
    """`cron "0 8 * * 1-5"` (quoted, “curly” quotes too) or five bare fields."""
    if not words:
        raise InvalidCron(value="")
    joined = " ".join(words)
    quote = joined[0]
    if quote in "\"'“”‘’":
        closing = re.search(r"[\"'“”‘’]", joined[1:])
        if closing is None:
            raise InvalidCron(value=joined[:40])
        expr = joined[1 : 1 + closing.start()]
        consumed_text = joined[: closing.start() + 2]
        used = len(consumed_text.split())
    else:
        expr = " ".join(words[:5])
        used = min(5, len(words))
    return Rule(CRON, cron=normalize_cron(expr), cron_text=" ".join(expr.split())), 1 + used


def normalize_cron(expr: str) -> str:
    """Validate a crontab expression; the weekday field becomes names (sun = 0 or 7)."""
    fields = expr.split()
    if len(fields) != 5:
        raise InvalidCron(value=expr[:40])
    out = []
    for text, (name, low, high) in zip(fields, _CRON_FIELDS, strict=True):
        values = _cron_field(text.lower(), name, low, high, expr)
        if name == "weekday":
            if values is None:
                out.append("*")
            else:
                days = sorted({(v - 1) % 7 for v in values})  # crontab 1 = Monday -> 0
                out.append(",".join(WEEKDAYS[d] for d in days))
        else:
            out.append(
                text.lower()
                if values is None or name != "month"
                else ",".join(map(str, sorted(values)))
            )
    return " ".join(out)


def _cron_field(text: str, name: str, low: int, high: int, expr: str) -> set[int] | None:
    """The values a field allows (None for `*`)."""
    if text == "*":
        return None
    values: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not step_text.isdecimal() or int(step_text) < 1:
                raise InvalidCron(value=expr[:40])
            step = int(step_text)
        if base == "*":
            start, end = low, high if name != "weekday" else 6
        elif "-" in base:
            a, _, b = base.partition("-")
            start, end = (
                _cron_value(a, name, low, high, expr),
                _cron_value(b, name, low, high, expr),
            )
            if start > end:
                raise InvalidCron(value=expr[:40])
        else:
            start = _cron_value(base, name, low, high, expr)
            end = high if step_text else start
        values.update(range(start, end + 1, step))
    return values


def _cron_value(text: str, name: str, low: int, high: int, expr: str) -> int:
    if name == "weekday" and text[:3] in ("sun", "mon", "tue", "wed", "thu", "fri", "sat"):
        return ("sun", "mon", "tue", "wed", "thu", "fri", "sat").index(text[:3])
    if name == "month" and text[:3] in MONTHS:
        return MONTHS.index(text[:3]) + 1
    if not text.isdecimal() or not low <= int(text) <= high:
        raise InvalidCron(value=expr[:40])
    return int(text)
