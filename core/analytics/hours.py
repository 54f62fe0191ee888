"""When members are active: the weekday x hour activity of a group's recent complete days, from
group_day's h00-h23 (a few dozen rows, never the members' days).

`recent_activity` is what /stats reads (a report session); `GroupDayActivity` is the same
behind the best-time seam (`core/schedule/best_time.ActivityMatrixSource`, deps
["activity_matrix"]) that the guided /schedule asks in its update's transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics import reports
from core.analytics.periods import Period
from core.calendar import local_day
from core.community.groups import GroupService
from core.schedule.best_time import HOURS, WEEKDAYS, ActivityMatrix
from core.uow import UnitOfWork
from storage.queries.analytics import reports as rows


async def recent_activity(
    session: AsyncSession, group_id: int, timezone: str, today: date, days: int
) -> ActivityMatrix | None:
    """The `days` complete local days before today (today is not over: its evening would be
    missing), from the group's first recorded day on; None for a group with no days at all."""
    first = await rows.first_day(session, group_id)
    if first is None:
        return None
    end = today - timedelta(days=1)
    start = max(first, today - timedelta(days=days))
    if start > end:
        empty = tuple((0,) * HOURS for _ in range(WEEKDAYS))
        return ActivityMatrix(empty, 0, timezone)
    matrix = await reports.hour_matrix(session, group_id, Period(start, end))
    return ActivityMatrix(tuple(tuple(row) for row in matrix), (end - start).days + 1, timezone)


class GroupDayActivity:
    """ActivityMatrixSource from the analytics' running day totals."""

    def __init__(self, groups: GroupService) -> None:
        self._groups = groups

    async def weekday_hour_activity(
        self, uow: UnitOfWork, group_id: int, *, days: int, now: datetime
    ) -> ActivityMatrix | None:
        group = await self._groups.settings_for(group_id, session=uow.session)
        today = local_day(now, group.timezone, group.day_start_hour)
        return await recent_activity(uow.session, group_id, group.timezone, today, days)
