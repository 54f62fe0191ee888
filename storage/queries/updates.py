"""Processed Telegram updates: the record that makes redelivered updates harmless."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, insert_for
from storage.queries.rowset import RowSet
from storage.tables import ProcessedUpdate
from storage.types import UTCDateTime

_T = ProcessedUpdate.__table__


@cache
def _claim(dialect: str) -> tuple[Any, RowSet]:
    ids = RowSet("ids", dialect, [("update_id", sa.BigInteger())])
    rows = select(ids.c.update_id, sa.bindparam("at", type_=UTCDateTime())).where(sa.true())
    stmt = (
        insert_for(dialect, _T)
        .from_select(["update_id", "processed_at"], rows)
        .on_conflict_do_nothing()
        .returning(_T.c.update_id)
    )
    return stmt, ids


async def claim(session: AsyncSession, update_ids: Iterable[int], at: datetime) -> set[int]:
    """Record the ids as processed; returns those that were not recorded before."""
    unique = [(uid,) for uid in dict.fromkeys(update_ids)]
    if not unique:
        return set()
    stmt, ids = _claim(dialect_of(session))
    result = await session.exec(stmt, params={**ids.params(unique), "at": at})
    return set(result.scalars().all())


async def known(session: AsyncSession, update_ids: list[int]) -> set[int]:
    if not update_ids:
        return set()
    result = await session.exec(select(_T.c.update_id).where(_T.c.update_id.in_(update_ids)))
    return set(result.scalars().all())


async def highest(session: AsyncSession) -> int | None:
    """The largest update id recorded (ids above it cannot have been processed)."""
    return (await session.exec(select(sa.func.max(_T.c.update_id)))).scalar_one()


async def prune(session: AsyncSession, before: datetime) -> int:
    result = await session.exec(delete(_T).where(_T.c.processed_at < before))
    return result.rowcount or 0
