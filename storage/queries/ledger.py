"""The append-only points ledger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import LedgerEntry

_L = LedgerEntry.__table__


async def append(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """rows: group_id, user_id, amount, reason, note, source, actor_id, idempotency_key, created_at."""
    if rows:
        await session.exec(insert(_L), params=list(rows))
