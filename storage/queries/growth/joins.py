"""Where joins came from: one row per join, and running totals per group, day and source."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import JoinSource, JoinSourceDay

_J = JoinSource.__table__
_D = JoinSourceDay.__table__


async def record(
    session: AsyncSession, group_id: int, user_id: int, day: date, source: str, at: datetime
) -> str | None:
    """Record the join with its source: "" when it is new, else the source it was already
    recorded with (Telegram's second report of the same join)."""
    stmt = (
        upsert(session, _J)
        .values(group_id=group_id, user_id=user_id, day=day, source=source, joined_at=at)
        .on_conflict_do_nothing(index_elements=["group_id", "user_id", "day"])
        .returning(_J.c.source)
    )
    if (await session.exec(stmt)).first() is not None:
        return ""
    stored = sa.select(_J.c.source).where(
        _J.c.group_id == group_id, _J.c.user_id == user_id, _J.c.day == day
    )
    return str((await session.exec(stored)).scalar_one())


async def change(
    session: AsyncSession, group_id: int, user_id: int, day: date, old: str, new: str
) -> bool:
    stmt = (
        sa.update(_J)
        .where(_J.c.group_id == group_id, _J.c.user_id == user_id, _J.c.day == day)
        .where(_J.c.source == old)
        .values(source=new)
        .returning(_J.c.source)
    )
    return (await session.exec(stmt)).first() is not None


async def add_to_day(
    session: AsyncSession, group_id: int, day: date, source: str, joins: int
) -> None:
    stmt = upsert(session, _D).values(group_id=group_id, day=day, source=source, joins=joins)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "day", "source"], set_={"joins": _D.c.joins + joins}
    )
    await session.exec(stmt)


async def by_source(
    session: AsyncSession, group_id: int, first_day: date, last_day: date
) -> dict[str, int]:
    stmt = (
        sa.select(_D.c.source, sa.func.sum(_D.c.joins))
        .where(_D.c.group_id == group_id, _D.c.day >= first_day, _D.c.day <= last_day)
        .group_by(_D.c.source)
    )
    return {str(s): int(n) for s, n in (await session.exec(stmt)).all()}
