"""/export daily: one row per local day of the group (rates as fractions 0-1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics.periods import MAX_DAYS, Period
from core.analytics.reports import DayNumbers, daily_series
from core.csv_export import write_csv
from storage.queries.analytics import reports as rows

DAILY_COLUMNS = [
    "date",
    "members",
    "joined",
    "left",
    "dau",
    "wau",
    "mau",
    "stickiness",
    "checkins",
    "checkin_rate",
    "messages",
    "points_issued",
    "points_spent",
    "redemptions",
    "feedback",
]


def _fraction(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


async def default_period(session: AsyncSession, group_id: int, today: date) -> Period:
    """Every recorded day up to today (at most MAX_DAYS, the latest ones)."""
    first = await rows.first_day(session, group_id)
    start = today if first is None or first > today else first
    return Period(max(start, date.fromordinal(today.toordinal() - MAX_DAYS + 1)), today)


async def daily_csv(session: AsyncSession, group_id: int, period: Period) -> tuple[bytes, int]:
    series = await daily_series(session, group_id, period.start, period.end)

    async def days() -> AsyncIterator[DayNumbers]:
        for day in series:
            yield day

    return await write_csv(
        DAILY_COLUMNS,
        days(),
        lambda d: (
            d.day.isoformat(),
            d.members,
            d.joined,
            d.left,
            d.dau,
            d.wau,
            d.mau,
            _fraction(d.stickiness),
            d.checkins,
            _fraction(d.checkin_rate),
            d.messages,
            d.points_issued,
            d.points_spent,
            d.redemptions,
            d.feedback,
        ),
    )
