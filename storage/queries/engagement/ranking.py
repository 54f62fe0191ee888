"""Ranks computed in SQL (members who left are never ranked)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import Member

_M = Member.__table__


async def points_rank(session: AsyncSession, group_id: int, points: int) -> int:
    """1 + the number of present members with more points (ties share a rank)."""
    stmt = select(func.count()).where(
        _M.c.group_id == group_id, _M.c.left_at.is_(None), _M.c.points > points
    )
    return int((await session.exec(stmt)).scalar_one()) + 1
