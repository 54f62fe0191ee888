"""Processed updates and idempotency keys: the records that make a second delivery harmless."""

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
from storage.tables import ProcessedKey, ProcessedUpdate, SetAsideUpdate
from storage.types import UTCDateTime

_T = ProcessedUpdate.__table__
_K = ProcessedKey.__table__
_S = SetAsideUpdate.__table__


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
    # In order: two processes claiming overlapping ids take the row locks in the same order.
    unique = [(uid,) for uid in sorted(set(update_ids))]
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


async def claim_key(session: AsyncSession, key: str, at: datetime) -> bool:
    """Record an idempotency key (a job occurrence, one send of a bulk send); False if it was
    recorded before. On PostgreSQL a concurrent claim of the same key waits for the first."""
    stmt = (
        insert_for(dialect_of(session), _K)
        .values(key=key, processed_at=at)
        .on_conflict_do_nothing()
        .returning(_K.c.key)
    )
    return (await session.exec(stmt)).first() is not None


async def key_known(session: AsyncSession, key: str) -> bool:
    return (await session.exec(select(_K.c.key).where(_K.c.key == key))).first() is not None


async def prune_keys(session: AsyncSession, before: datetime) -> int:
    result = await session.exec(delete(_K).where(_K.c.processed_at < before))
    return result.rowcount or 0


async def set_aside(
    session: AsyncSession, update_id: int, attempts: int, error: str, payload: str, at: datetime
) -> None:
    """Keep an update that cannot be handled, and mark it processed so it is not fetched again."""
    stmt = insert_for(dialect_of(session), _S).values(
        update_id=update_id,
        attempts=attempts,
        error=error[:2000],
        payload=payload,
        set_aside_at=at,
    )
    await session.exec(
        stmt.on_conflict_do_update(
            index_elements=["update_id"],
            set_={"attempts": stmt.excluded.attempts, "error": stmt.excluded.error},
        )
    )
    await claim(session, [update_id], at)
