"""The running week and month totals when a group's calendar changes (timezone, day start).

Ledger appends keep each member's totals for their latest local week and month (see
storage.queries.engagement.ledger.append). A new timezone or day-start hour moves the instants
at which weeks and months begin; an earning row between a period's old and new beginning now
belongs to another period. The totals of the members with such rows are counted again from the
ledger, in the new calendar, in the same transaction as the change. Everyone else's rows keep
their periods, and so do their totals.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import day_start_instant, local_day, period_starts
from core.events import GroupCalendarChanged, Transaction
from storage.queries.engagement import ledger

Calendar = tuple[str, int]  # (timezone, day_start_hour)

# Earnings dated ahead of the change (clock skew, late deliveries) that may still be counted.
AHEAD = timedelta(days=35)


def _period_firsts(start: date, end: date) -> list[date]:
    """Mondays and firsts of a month from `start` to `end`."""
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() == 0 or d.day == 1]


def moved_spans(old: Calendar, new: Calendar, at: datetime) -> list[tuple[datetime, datetime]]:
    """The spans of time whose earnings change week or month with the change at `at`, among
    the periods that are current or later under either calendar (earlier ones are never on a
    board again): [old beginning, new beginning) of each such period, or the other way round."""
    first = min(min(period_starts(local_day(at, *calendar))) for calendar in (old, new))
    spans = []
    for day in _period_firsts(first, local_day(at, *new) + AHEAD):
        a, b = day_start_instant(day, *old), day_start_instant(day, *new)
        if a != b:
            spans.append((min(a, b), max(a, b)))
    return spans


async def recount_for_new_calendar(
    session: AsyncSession, group_id: int, old: Calendar, new: Calendar, at: datetime
) -> None:
    """old, new: (timezone, day_start_hour) of the group before and after the change at `at`."""
    spans = moved_spans(old, new, at)
    if not spans:
        return
    timezone, hour = new
    rows = []
    for user_id, latest in await ledger.latest_earnings(session, group_id, spans):
        week, month = period_starts(local_day(latest, timezone, hour))
        rows.append(
            {
                "g": group_id,
                "u": user_id,
                "w": week,
                "ws": day_start_instant(week, timezone, hour),
                "m": month,
                "ms": day_start_instant(month, timezone, hour),
            }
        )
    await ledger.recount_periods(session, rows)


async def on_calendar_changed(tx: Transaction, event: GroupCalendarChanged) -> None:
    """Subscriber: the running totals follow a group's new calendar, in the same transaction."""
    await recount_for_new_calendar(tx.session, event.group_id, event.old, event.new, event.at)
