"""Birthdays and join anniversaries (入群周年).

Birthdays: members set theirs in private (`/birthday MM-DD`); each group with a morning
greeting congratulates, in one message after that greeting, its members whose birthday it is
that day (local date in the group's timezone). 29 February is celebrated on 28 February in
other years. It goes out with the greeting's occurrence, so at most once a day.

Anniversaries (setting `anniversaries` on): members who joined on this local day of an
earlier year, in one message after the morning greeting."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.analytics import recorder as analytics
from core.errors import DomainError
from core.events import PointsEarned, Transaction
from core.uow import UnitOfWork
from storage.queries.community import members as member_rows
from storage.queries.engagement import ledger
from storage.queries.schedule import birthdays as rows

MORNING = "greeting:morning"  # the label of the post birthdays go out with


class InvalidBirthday(DomainError):
    key = "birthday-error"


def parse_birthday(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2})[-/.月](\d{1,2})日?", text.strip())
    if not match:
        raise InvalidBirthday(value=text[:20])
    month, day = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
        raise InvalidBirthday(value=text[:20])
    return month, day


def birthdays_on(day: date) -> list[tuple[int, int]]:
    """The (month, day) birthdays celebrated on `day`."""
    found = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        found.append((2, 29))
    return found


async def set_birthday(uow: UnitOfWork, user_id: int, text: str, at: datetime) -> tuple[int, int]:
    month, day = parse_birthday(text)
    await rows.put(uow.session, user_id, month, day, at)
    await uow.commit()
    return month, day


async def remove_birthday(uow: UnitOfWork, user_id: int) -> bool:
    removed = await rows.remove(uow.session, user_id)
    await uow.commit()
    return removed


async def birthday_of(uow: UnitOfWork, user_id: int) -> tuple[int, int] | None:
    return await rows.get(uow.session, user_id)


MAX_YEARS = 15


def anniversary_windows(day: date, timezone: str) -> list[tuple[int, datetime, datetime]]:
    """(years ago, start, end) in UTC of `day`'s month and day in each earlier year (29
    February joiners have theirs on 28 February in other years)."""
    tz = ZoneInfo(timezone)
    windows = []
    for years in range(1, MAX_YEARS + 1):
        year = day.year - years
        days = []
        if (day.month, day.day) == (2, 29):
            if calendar.isleap(year):
                days.append(date(year, 2, 29))
        else:
            days.append(date(year, day.month, day.day))
            leap_day_joiners = (day.month, day.day) == (2, 28) and not calendar.isleap(day.year)
            if leap_day_joiners and calendar.isleap(year):
                days.append(date(year, 2, 29))
        for local in days:
            start = datetime.combine(local, time(0), tz).astimezone(UTC)
            end = datetime.combine(local + timedelta(days=1), time(0), tz).astimezone(UTC)
            windows.append((years, start, end))
    return windows


async def credit_birthdays(
    tx: Transaction,
    group_id: int,
    people: list[tuple[int, str]],
    amount: int,
    year: int,
    at: datetime,
) -> list[int]:
    """Birthday points through the ledger, once a year per member and group (the ledger's
    unique key `birthday:<group>:<user>:<year>`; a concurrent second credit fails its
    transaction instead of paying twice). Returns who was credited now; what it adds to their
    lifetime earned points is published (PointsEarned: a level reached is announced)."""
    session = tx.session
    keys = {user_id: f"birthday:{group_id}:{user_id}:{year}" for user_id, _ in people}
    done = await rows.ledger_keys(session, list(keys.values()))
    entries = []
    for user_id, key in keys.items():
        if key in done:
            continue
        await member_rows.credit(session, group_id, user_id, amount)
        entries.append(
            {
                "group_id": group_id,
                "user_id": user_id,
                "amount": amount,
                "reason": "birthday_bonus",
                "note": None,
                "source": "job",
                "actor_id": None,
                "idempotency_key": key,
                "created_at": at,
            }
        )
    earned = await ledger.append(session, entries)
    if earned:
        tx.publish(PointsEarned(tuple(earned), at))
    await analytics.record_points(tx, group_id, [(e["user_id"], amount, 0) for e in entries], at)
    return [e["user_id"] for e in entries]
