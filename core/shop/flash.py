"""Flash sales (秒杀): one post per drop, the tap is the confirmation. Redemption is the same
transaction as everywhere (core/shop/redeem.py); the post's update id is the nonce, so each
member redeems a drop at most once however often they tap."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from core.shop.errors import InvalidReward

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def opening(text: str | None, now: datetime, tz_name: str) -> datetime:
    """When a drop opens: the next local HH:MM (today, or tomorrow if it has passed), or now."""
    if not text:
        return now
    match = _HHMM.match(text.strip())
    if match is None:
        raise InvalidReward(field="time", low=0, high=0)
    from core.calendar import zone

    tz = zone(tz_name)
    local_now = now.astimezone(tz)
    at = datetime.combine(local_now.date(), time(int(match[1]), int(match[2])), tzinfo=tz)
    if at < local_now - timedelta(minutes=1):
        at += timedelta(days=1)
    return at.astimezone(now.tzinfo)
