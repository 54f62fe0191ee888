"""Welcome templates (queries never commit)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import GreetingTemplate, Member

_G = GreetingTemplate.__table__
_M = Member.__table__


async def get(session: AsyncSession, group_id: int, kind: str) -> str | None:
    stmt = sa.select(_G.c.template).where(_G.c.group_id == group_id, _G.c.kind == kind)
    return (await session.exec(stmt)).scalar_one_or_none()


async def put(
    session: AsyncSession, group_id: int, kind: str, template: str, actor_id: int, at: datetime
) -> None:
    values = {"template": template, "updated_by": actor_id, "updated_at": at}
    stmt = (
        upsert(session, _G)
        .values(group_id=group_id, kind=kind, **values)
        .on_conflict_do_update(index_elements=["group_id", "kind"], set_=values)
    )
    await session.exec(stmt)


async def remove(session: AsyncSession, group_id: int, kind: str) -> bool:
    stmt = sa.delete(_G).where(_G.c.group_id == group_id, _G.c.kind == kind)
    return bool((await session.exec(stmt)).rowcount)


async def present_members(session: AsyncSession, group_id: int) -> int:
    """Members the bot knows to be in the group."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(_M)
        .where(_M.c.group_id == group_id, _M.c.left_at.is_(None))
    )
    return int((await session.exec(stmt)).scalar_one())
