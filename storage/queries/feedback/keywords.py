"""A group's own keyword lists per category (queries never commit)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import FeedbackKeywords

_K = FeedbackKeywords.__table__


async def of_group(session: AsyncSession, group_id: int) -> dict[str, tuple[str, ...]]:
    """The categories the group has its own list of, with that list."""
    stmt = sa.select(_K.c.category, _K.c.words).where(_K.c.group_id == group_id)
    return {
        category: tuple(w for w in words.split("\n") if w)
        for category, words in (await session.exec(stmt)).all()
    }


async def put(
    session: AsyncSession,
    group_id: int,
    category: str,
    words: tuple[str, ...],
    actor_id: int,
    at: datetime,
) -> None:
    stmt = upsert(session, _K).values(
        group_id=group_id,
        category=category,
        words="\n".join(words),
        updated_by=actor_id,
        updated_at=at,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "category"],
        set_={k: stmt.excluded[k] for k in ("words", "updated_by", "updated_at")},
    )
    await session.exec(stmt)


async def drop(session: AsyncSession, group_id: int, category: str) -> bool:
    stmt = sa.delete(_K).where(_K.c.group_id == group_id, _K.c.category == category)
    return bool((await session.exec(stmt)).rowcount)
