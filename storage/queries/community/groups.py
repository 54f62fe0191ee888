"""Group rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import ChatGroup

_T = ChatGroup.__table__


async def get(session: AsyncSession, group_id: int) -> ChatGroup | None:
    return await session.get(ChatGroup, group_id)


async def register(
    session: AsyncSession, group_id: int, title: str, at: datetime, defaults: dict[str, object]
) -> None:
    """Create the group with default settings, or mark it active again (settings are kept)."""
    stmt = upsert(session, _T).values(
        id=group_id, title=title[:255], is_active=True, added_at=at, **defaults
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "title": stmt.excluded.title,
            "is_active": True,
            "added_at": stmt.excluded.added_at,
            "removed_at": None,
        },
    )
    await session.exec(stmt)


async def ensure(
    session: AsyncSession, group_id: int, title: str, defaults: dict[str, object]
) -> None:
    stmt = upsert(session, _T).values(id=group_id, title=title[:255], is_active=True, **defaults)
    await session.exec(stmt.on_conflict_do_nothing())


async def deactivate(session: AsyncSession, group_id: int, at: datetime) -> None:
    await session.exec(
        update(_T).where(_T.c.id == group_id).values(is_active=False, removed_at=at)
    )


async def set_column(session: AsyncSession, group_id: int, column: str, value: object) -> None:
    await session.exec(update(_T).where(_T.c.id == group_id).values({column: value}))


async def list_for_user(session: AsyncSession, user_id: int) -> list[ChatGroup]:
    from storage.tables import Member

    stmt = (
        select(ChatGroup)
        .join(Member, Member.group_id == ChatGroup.id)
        .where(Member.user_id == user_id, Member.left_at.is_(None), ChatGroup.is_active)
        .order_by(ChatGroup.title)
    )
    return list((await session.exec(stmt)).all())


async def set_title(session: AsyncSession, group_id: int, title: str) -> None:
    await session.exec(update(_T).where(_T.c.id == group_id).values(title=title[:255]))
