"""Numbers for the dashboard's overview from the tables that exist today: members (joins,
leaves, last activity, balances) and the daily check-in counts (queries never commit)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of
from storage.tables import DailyCheckinCount, Member

_M = Member.__table__
_D = DailyCheckinCount.__table__


async def present_members(session: AsyncSession, group_id: int) -> tuple[int, int]:
    """(members present, the points they hold)."""
    stmt = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(_M.c.points), 0)).where(
        _M.c.group_id == group_id, _M.c.left_at.is_(None)
    )
    count, points = (await session.exec(stmt)).one()
    return int(count), int(points)


async def counts(
    session: AsyncSession, group_id: int, windows: dict[str, tuple[str, datetime, datetime]]
) -> dict[str, int]:
    """Several counts of the group's members in one pass: name -> (column, start, end)."""
    columns = [
        sa.func.sum(sa.case((sa.and_(_M.c[col] >= start, _M.c[col] < end), 1), else_=0)).label(
            name
        )
        for name, (col, start, end) in windows.items()
    ]
    row = (await session.exec(sa.select(*columns).where(_M.c.group_id == group_id))).one()
    return {name: int(row._mapping[name] or 0) for name in windows}


def _day_index(session: AsyncSession, col: sa.ColumnElement, start: datetime) -> sa.ColumnElement:
    """Whole days from `start` to the column's instant (per dialect)."""
    if dialect_of(session) == "postgresql":
        return sa.func.floor(sa.extract("epoch", col - start) / 86400)
    naive = start.replace(tzinfo=None).isoformat(sep=" ")
    return sa.cast(sa.func.julianday(col) - sa.func.julianday(naive), sa.Integer)


async def joins_and_leaves_per_day(
    session: AsyncSession, group_id: int, start: datetime, end: datetime
) -> tuple[dict[int, int], dict[int, int]]:
    """Members who joined, and who left, on each day from `start` (day 0 is the 24 hours from
    `start`), in one pass over the group's members."""
    joined = sa.case(
        (
            sa.and_(_M.c.joined_at >= start, _M.c.joined_at < end),
            _day_index(session, _M.c.joined_at, start),
        ),
    ).label("joined")
    left = sa.case(
        (
            sa.and_(_M.c.left_at >= start, _M.c.left_at < end),
            _day_index(session, _M.c.left_at, start),
        ),
    ).label("left")
    stmt = (
        sa.select(joined, left, sa.func.count())
        .where(
            _M.c.group_id == group_id,
            sa.or_(
                sa.and_(_M.c.joined_at >= start, _M.c.joined_at < end),
                sa.and_(_M.c.left_at >= start, _M.c.left_at < end),
            ),
        )
        .group_by(joined, left)
    )
    joins: dict[int, int] = {}
    leaves: dict[int, int] = {}
    for j, lft, n in (await session.exec(stmt)).all():
        if j is not None:
            joins[int(j)] = joins.get(int(j), 0) + int(n)
        if lft is not None:
            leaves[int(lft)] = leaves.get(int(lft), 0) + int(n)
    return joins, leaves


async def checkins_per_day(
    session: AsyncSession, group_id: int, first: date, last: date
) -> dict[date, int]:
    stmt = sa.select(_D.c.day, _D.c.count).where(
        _D.c.group_id == group_id, _D.c.day >= first, _D.c.day <= last
    )
    return {d: int(n) for d, n in (await session.exec(stmt)).all()}
