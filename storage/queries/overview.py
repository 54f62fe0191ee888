"""Numbers for the dashboard's overview from the tables that exist today: members (joins,
leaves, last activity, balances) and the days' check-in counts (group_day) (queries never commit)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of
from storage.tables import GroupDay, Member

_M = Member.__table__
_D = GroupDay.__table__


async def present_members(session: AsyncSession, group_id: int) -> tuple[int, int]:
    """(members present, the points they hold): from the points board's partial index."""
    stmt = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(_M.c.points), 0)).where(
        _M.c.group_id == group_id, _M.c.left_at.is_(None)
    )
    count, points = (await session.exec(stmt)).one()
    return int(count), int(points)


async def count_between(
    session: AsyncSession, group_id: int, column: str, start: datetime, end: datetime
) -> int:
    """Members whose `column` falls in [start, end): joined_at and left_at are indexed (an
    index range); last_active_at is not (it changes on every message): a pass."""
    col = _M.c[column]
    stmt = sa.select(sa.func.count()).where(_M.c.group_id == group_id, col >= start, col < end)
    return int((await session.exec(stmt)).scalar_one())


async def per_day(
    session: AsyncSession, group_id: int, column: str, start: datetime, end: datetime
) -> dict[int, int]:
    """Members whose `column` (joined_at, left_at) falls on each day from `start` (day 0 is the
    24 hours from `start`): an index range."""
    col = _M.c[column]
    day = _day_index(session, col, start).label("day")
    stmt = (
        sa.select(day, sa.func.count())
        .where(_M.c.group_id == group_id, col >= start, col < end)
        .group_by(day)
    )
    return {int(d): int(n) for d, n in (await session.exec(stmt)).all()}


def _day_index(session: AsyncSession, col: sa.ColumnElement, start: datetime) -> sa.ColumnElement:
    """Whole days from `start` to the column's instant (per dialect)."""
    if dialect_of(session) == "postgresql":
        return sa.func.floor(sa.extract("epoch", col - start) / 86400)
    naive = start.replace(tzinfo=None).isoformat(sep=" ")
    return sa.cast(sa.func.julianday(col) - sa.func.julianday(naive), sa.Integer)


async def checkins_per_day(
    session: AsyncSession, group_id: int, first: date, last: date
) -> dict[date, int]:
    stmt = sa.select(_D.c.day, _D.c.checkins).where(
        _D.c.group_id == group_id, _D.c.day >= first, _D.c.day <= last
    )
    return {d: int(n) for d, n in (await session.exec(stmt)).all()}
