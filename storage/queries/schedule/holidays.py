"""A group's holiday greeting choices (queries never commit)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import HolidayGreeting

_H = HolidayGreeting.__table__


async def choices(session: AsyncSession, group_id: int) -> dict[str, tuple[bool, str | None]]:
    """holiday key -> (enabled, own text or None), for the holidays the group changed."""
    stmt = sa.select(_H.c.holiday, _H.c.enabled, _H.c.text).where(_H.c.group_id == group_id)
    return {r.holiday: (bool(r.enabled), r.text) for r in (await session.exec(stmt)).all()}


async def put(
    session: AsyncSession,
    group_id: int,
    holiday: str,
    *,
    enabled: bool,
    text: str | None,
    actor_id: int,
    at: datetime,
) -> None:
    values = {"enabled": enabled, "text": text, "updated_by": actor_id, "updated_at": at}
    await session.exec(
        upsert(session, _H)
        .values(group_id=group_id, holiday=holiday, **values)
        .on_conflict_do_update(index_elements=["group_id", "holiday"], set_=values)
    )


async def remove(session: AsyncSession, group_id: int, holiday: str) -> bool:
    stmt = sa.delete(_H).where(_H.c.group_id == group_id, _H.c.holiday == holiday)
    return bool((await session.exec(stmt)).rowcount)
