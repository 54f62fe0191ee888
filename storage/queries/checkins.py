"""Check-in rows and the per-day counters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Checkin, DailyCheckinCount
from storage.queries.dialect import upsert

_C = Checkin.__table__
_D = DailyCheckinCount.__table__


async def insert_new(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> set[tuple[int, int, date]]:
    """Insert check-ins; returns the (group_id, user_id, day) that did not exist yet."""
    if not rows:
        return set()
    stmt = (
        upsert(session, _C)
        .on_conflict_do_nothing(index_elements=["group_id", "user_id", "day"])
        .returning(_C.c.group_id, _C.c.user_id, _C.c.day)
    )
    result = await session.exec(stmt, params=list(rows))
    return {(r.group_id, r.user_id, r.day) for r in result.all()}


async def bump_day_counts(
    session: AsyncSession, counts: dict[tuple[int, date], int]
) -> dict[tuple[int, date], int]:
    """Add to each (group, day) counter; returns the new totals."""
    if not counts:
        return {}
    rows = [{"group_id": g, "day": d, "count": n} for (g, d), n in counts.items()]
    stmt = upsert(session, _D)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "day"], set_={"count": _D.c.count + stmt.excluded.count}
    ).returning(_D.c.group_id, _D.c.day, _D.c.count)
    result = await session.exec(stmt, params=rows)
    return {(r.group_id, r.day): r.count for r in result.all()}


_OUTCOME = (
    update(_C)
    .where(
        _C.c.group_id == bindparam("g"),
        _C.c.user_id == bindparam("u"),
        _C.c.day == bindparam("d"),
    )
    .values(streak=bindparam("streak"), points=bindparam("points"))
)


async def set_outcomes(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store the streak and points each new check-in earned (keys: g, u, d, streak, points)."""
    if rows:
        await session.exec(_OUTCOME, params=list(rows))
