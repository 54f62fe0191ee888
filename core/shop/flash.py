"""Flash sales (秒杀): one post per drop, the tap is the confirmation. Redemption is the same
transaction as everywhere (core/shop/redeem.py); the post's update id is the nonce, so each
member redeems a drop at most once however often they tap."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from core.errors import DomainError
from core.schedule import when
from core.shop.errors import InvalidReward

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def opening(words: list[str], now: datetime, tz_name: str) -> datetime:
    """When a drop opens: the next local HH:MM (today, or tomorrow if it has passed), a time
    as people say it (`in 10 minutes`, `下午3点`, `明天 9点`: core/schedule/natural.py), or
    now when no time is given."""
    if not words:
        return now
    match = _HHMM.match(words[0].strip()) if len(words) == 1 else None
    if match is None:
        return _said(words, now, tz_name)
    from core.calendar import zone

    tz = zone(tz_name)
    local_now = now.astimezone(tz)
    at = datetime.combine(local_now.date(), time(int(match[1]), int(match[2])), tzinfo=tz)
    if at < local_now - timedelta(minutes=1):
        at += timedelta(days=1)
    return at.astimezone(now.tzinfo)


def _said(words: list[str], now: datetime, tz_name: str) -> datetime:
    try:
        rule, used = when.parse_when(words, now, tz_name)
    except (when.PastTime, when.TooFarAhead):
        raise
    except DomainError:
        raise InvalidReward(field="time", low=0, high=0) from None
    if rule.kind != when.ONCE or rule.at is None or used != len(words):
        raise InvalidReward(field="time", low=0, high=0)
    return rule.at.astimezone(now.tzinfo)
