"""The running week and month totals when a group's calendar changes (timezone, day start).

Ledger appends keep each member's totals for their latest local week and month (see
storage.queries.engagement.ledger.append). A new timezone or day-start hour moves where weeks
and months begin, so the totals of everyone who earned anything near the current periods are
counted again from the ledger, in the new calendar, in the same transaction as the change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import day_start_instant, local_day, period_starts
from storage.queries.engagement import ledger

# A calendar change moves the start of a day by at most 26 hours of UTC offset plus 23 of
# day start. Earning rows older than this before both calendars' current periods lie in
# earlier periods under either calendar, so their members' totals are never on a board.
MAX_SHIFT = timedelta(days=3)


def _periods_begin(at: datetime, timezone: str, day_start_hour: int) -> datetime:
    week, month = period_starts(local_day(at, timezone, day_start_hour))
    return day_start_instant(min(week, month), timezone, day_start_hour)


async def recount_for_new_calendar(
    session: AsyncSession,
    group_id: int,
    old: tuple[str, int],
    new: tuple[str, int],
    at: datetime,
) -> None:
    """old, new: (timezone, day_start_hour) of the group before and after the change at `at`."""
    if old == new:
        return
    timezone, hour = new
    since = min(_periods_begin(at, *old), _periods_begin(at, *new)) - MAX_SHIFT
    rows = []
    for user_id, latest in await ledger.latest_earnings(session, group_id, since):
        week, month = period_starts(local_day(latest, timezone, hour))
        week_at = day_start_instant(week, timezone, hour)
        month_at = day_start_instant(month, timezone, hour)
        rows.append(
            {
                "g": group_id,
                "u": user_id,
                "w": week,
                "ws": week_at,
                "m": month,
                "ms": month_at,
            }
        )
    await ledger.recount_periods(session, rows)
