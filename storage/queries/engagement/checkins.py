"""Check-in rows (how many a group had each day is group_day.checkins: storage/queries/analytics)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, insert_for
from storage.queries.rowset import RowSet
from storage.tables import Checkin
from storage.types import UTCDateTime

_C = Checkin.__table__


@cache
def _insert_new(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "checkins",
        dialect,
        [
            ("group_id", sa.BigInteger()),
            ("user_id", sa.BigInteger()),
            ("day", sa.Date()),
            ("streak", sa.Integer()),
            ("points", sa.Integer()),
            ("created_at", UTCDateTime()),
        ],
    )
    stmt = (
        insert_for(dialect, _C)
        .from_select([c.name for c in src.c], select(*src.c).where(sa.true()))
        .on_conflict_do_nothing(index_elements=["group_id", "user_id", "day"])
        .returning(_C.c.group_id, _C.c.user_id, _C.c.day)
    )
    return stmt, src


async def insert_new(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> set[tuple[int, int, date]]:
    """Insert check-ins (group_id, user_id, day, streak, points, created_at; one per member and
    day); returns the (group_id, user_id, day) that did not exist yet."""
    if not rows:
        return set()
    stmt, src = _insert_new(dialect_of(session))
    result = await session.exec(stmt, params=src.params(rows))
    return {(r.group_id, r.user_id, r.day) for r in result.all()}


_OUTCOME = (
    update(_C)
    .where(
        _C.c.group_id == bindparam("g"),
        _C.c.user_id == bindparam("u"),
        _C.c.day == bindparam("d"),
    )
    .values(streak=bindparam("new_streak"), points=bindparam("new_points"))
)


async def set_outcomes(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Correct the streak and points stored with check-ins (rows as given to insert_new)."""
    if rows:
        params = [
            {
                "g": r["group_id"],
                "u": r["user_id"],
                "d": r["day"],
                "new_streak": r["streak"],
                "new_points": r["points"],
            }
            for r in rows
        ]
        await session.exec(_OUTCOME, params=params)
