"""Processed Telegram updates: the record that makes redelivered updates harmless."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedUpdate
from storage.queries.dialect import upsert

_T = ProcessedUpdate.__table__


async def claim(session: AsyncSession, update_ids: Iterable[int], at: datetime) -> set[int]:
    """Record the ids as processed; returns those that were not recorded before."""
    rows = [{"update_id": uid, "processed_at": at} for uid in dict.fromkeys(update_ids)]
    if not rows:
        return set()
    stmt = upsert(session, _T).on_conflict_do_nothing().returning(_T.c.update_id)
    result = await session.exec(stmt, params=rows)
    return set(result.scalars().all())


async def known(session: AsyncSession, update_ids: list[int]) -> set[int]:
    if not update_ids:
        return set()
    result = await session.exec(select(_T.c.update_id).where(_T.c.update_id.in_(update_ids)))
    return set(result.scalars().all())


async def prune(session: AsyncSession, before: datetime) -> int:
    result = await session.exec(delete(_T).where(_T.c.processed_at < before))
    return result.rowcount or 0
