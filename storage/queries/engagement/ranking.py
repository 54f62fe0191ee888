"""Ranks computed in SQL (members who left are never ranked)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.engagement.leaderboard import count_members_above
from storage.tables import ALL_TIME, BoardValueCount

_V = BoardValueCount.__table__


async def points_rank(session: AsyncSession, group_id: int, points: int) -> int:
    """1 + the number of present members with more points (ties share a rank), summed from
    the members per points value (board_value_count) rather than counted."""
    return (
        await count_members_above(session, group_id, "points", _V.c.period == ALL_TIME, points) + 1
    )
