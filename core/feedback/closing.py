"""When a survey closes by itself: what admins type after the question, parsed (pure).

The closing time follows the question after a last `|`, so no question text is ever taken
for one (a question may well end in "for 24h"):

    /survey nps How was the event? | until 18:00             the next 18:00, group's timezone
    /survey nps How was the event? | until 2026-12-05 18:00  that local date and time
    /survey csat How was support? | for 24h                  30m, 24h, 2d (a minute to 90 days)
    /survey nps How was it? | 明天 18点                       a time as people say it (docs/times.md)

截止 / 持续 work as until / for. Without a `|` the survey stays open until `/survey close`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from core.feedback.rules import FeedbackError
from core.schedule import when

UNTIL_WORDS = ("until", "截止", "截至", "到")
FOR_WORDS = ("for", "持续")
MIN_OPEN = timedelta(minutes=1)
MAX_OPEN = timedelta(days=90)
_DURATION = re.compile(r"(\d{1,5})\s*(m|min|h|d|分钟|小时|天)", re.IGNORECASE)
_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "分钟": 60, "小时": 3600, "天": 86400}


class BadClosing(FeedbackError):
    key = "survey-error-closing"  # args: value


class ClosingInPast(FeedbackError):
    key = "survey-error-closing-past"


class ClosingTooFar(FeedbackError):
    key = "survey-error-closing-too-far"  # args: days


def split(text: str) -> tuple[str, str | None]:
    """(question, closing text or None): the closing text follows the last `|`."""
    question, bar, closing = text.rpartition("|")
    if not bar:
        return text, None
    return question, closing.strip()


def parse(text: str, now: datetime, timezone: str) -> datetime:
    """The UTC instant the survey closes; refused when unclear, past or too far ahead."""
    words = text.split()
    if not words:
        raise BadClosing(value=text[:40])
    first = words[0].lower()
    if first in FOR_WORDS:
        match = _DURATION.fullmatch("".join(words[1:]))
        if match is None:
            raise BadClosing(value=text[:40])
        span = timedelta(seconds=int(match[1]) * _UNITS[match[2].lower()])
        if span < MIN_OPEN:
            raise BadClosing(value=text[:40])
        at = now + span
    else:
        # until 18:00, until tomorrow 9:00, 截止 明天 18点; or the time alone, as people say
        # it: in 2 hours, 2小时后, 明天 18点 (core/schedule/natural.py).
        spec = words[1:] if first in UNTIL_WORDS else words
        if not spec:
            raise BadClosing(value=text[:40])
        try:
            rule, used = when.parse_when(spec, now, timezone)
        except when.PastTime:
            raise ClosingInPast() from None
        except (when.InvalidWhen, when.InvalidTime, when.InvalidDate, when.TooFarAhead):
            raise BadClosing(value=text[:40]) from None
        if rule.kind != when.ONCE or used != len(spec) or rule.at is None:
            raise BadClosing(value=text[:40])
        at = rule.at
    if at <= now:
        raise ClosingInPast()
    if at - now > MAX_OPEN:
        raise ClosingTooFar(days=MAX_OPEN.days)
    return at.replace(microsecond=0)
