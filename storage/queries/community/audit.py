"""The administrators' audit log."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import AuditLog


async def record(
    session: AsyncSession,
    *,
    group_id: int | None,
    actor_id: int,
    action: str,
    at: datetime,
    target_user_id: int | None = None,
    details: dict[str, object] | None = None,
) -> None:
    await session.exec(
        insert(AuditLog.__table__).values(
            group_id=group_id,
            actor_id=actor_id,
            action=action,
            target_user_id=target_user_id,
            details=json.dumps(details or {}, ensure_ascii=False)[:2000],
            created_at=at,
        )
    )
