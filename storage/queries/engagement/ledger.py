"""The append-only points ledger."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import insert, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of
from storage.queries.rowset import RowSet
from storage.tables import LedgerEntry
from storage.types import UTCDateTime

_L = LedgerEntry.__table__
_COLUMNS = [
    ("group_id", sa.BigInteger()),
    ("user_id", sa.BigInteger()),
    ("amount", sa.Integer()),
    ("reason", sa.String()),
    ("note", sa.String()),
    ("source", sa.String()),
    ("actor_id", sa.BigInteger()),
    ("idempotency_key", sa.String()),
    ("created_at", UTCDateTime()),
]


@cache
def _append(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet("entries", dialect, _COLUMNS)
    stmt = insert(_L).from_select([c for c, _ in _COLUMNS], select(*src.c))
    return stmt, src


async def append(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """rows: group_id, user_id, amount, reason, note, source, actor_id, idempotency_key, created_at."""
    if rows:
        stmt, src = _append(dialect_of(session))
        await session.exec(stmt, params=src.params(rows))
