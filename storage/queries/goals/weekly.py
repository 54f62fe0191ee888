"""What the weekly report reads beyond the analytics: the posts sent in a week, the keys of
the weeks already reported. Queries never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import PostOccurrence, ProcessedKey

_O = PostOccurrence.__table__
_K = ProcessedKey.__table__


async def posts_sent(
    session: AsyncSession, group_id: int, start: datetime, end: datetime, limit: int
) -> list[int]:
    """Ids of the group's posts with an occurrence sent in [start, end), latest first."""
    sent_at = sa.func.coalesce(_O.c.sent_at, _O.c.run_at)
    stmt = (
        sa.select(_O.c.post_id, sa.func.max(sent_at).label("last"))
        .where(
            _O.c.group_id == group_id,
            _O.c.outcome.in_(("sent", "sending")),
            sent_at >= start,
            sent_at < end,
        )
        .group_by(_O.c.post_id)
        .order_by(sa.desc("last"))
        .limit(limit)
    )
    return [int(r[0]) for r in (await session.exec(stmt)).all()]


async def known_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    if not keys:
        return set()
    stmt = sa.select(_K.c.key).where(_K.c.key.in_(list(keys)))
    return set((await session.exec(stmt)).scalars().all())
