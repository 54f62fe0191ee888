"""A group's goals (group_goal). Queries never commit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import GroupGoal

_G = GroupGoal.__table__


async def of_group(session: AsyncSession, group_id: int) -> list[Any]:
    """The group's goals, the North Star first, then by metric."""
    stmt = (
        sa.select(_G)
        .where(_G.c.group_id == group_id)
        .order_by(_G.c.north_star.desc(), _G.c.metric)
    )
    return list((await session.exec(stmt)).all())


async def north_star(session: AsyncSession, group_id: int) -> Any | None:
    stmt = sa.select(_G).where(_G.c.group_id == group_id, _G.c.north_star.is_(True)).limit(1)
    return (await session.exec(stmt)).first()


async def put(
    session: AsyncSession,
    *,
    group_id: int,
    metric: str,
    target: float,
    due_day: date | None,
    start_value: float | None,
    start_day: date,
    set_by: int,
    at: datetime,
) -> None:
    """Set (or replace) the goal for a metric; a replaced goal keeps its North Star mark."""
    values = dict(
        target=target,
        due_day=due_day,
        start_value=start_value,
        start_day=start_day,
        set_by=set_by,
        updated_at=at,
    )
    stmt = (
        upsert(session, _G)
        .values(group_id=group_id, metric=metric, north_star=False, **values)
        .on_conflict_do_update(index_elements=["group_id", "metric"], set_=values)
    )
    await session.exec(stmt)  # type: ignore[call-overload]


async def delete(session: AsyncSession, group_id: int, metric: str) -> bool:
    stmt = sa.delete(_G).where(_G.c.group_id == group_id, _G.c.metric == metric)
    return bool((await session.exec(stmt)).rowcount)  # type: ignore[call-overload]


async def set_star(session: AsyncSession, group_id: int, metric: str | None) -> bool:
    """Make the metric's goal the North Star (None: no North Star); False if it has no goal."""
    if metric is not None:
        found = await session.exec(
            sa.select(_G.c.metric).where(_G.c.group_id == group_id, _G.c.metric == metric)
        )
        if found.first() is None:
            return False
    await session.exec(  # type: ignore[call-overload]
        sa.update(_G)
        .where(_G.c.group_id == group_id)
        .values(north_star=sa.case((_G.c.metric == (metric or ""), True), else_=False))
    )
    return True
