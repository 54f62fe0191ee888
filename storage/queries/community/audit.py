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


async def page(
    session: AsyncSession, group_id: int, before_id: int | None, limit: int
) -> list[object]:
    """The group's entries, newest first, with the actor's and the target's names."""
    import sqlalchemy as sa

    from storage.tables import TgUser

    a = AuditLog.__table__
    actor = TgUser.__table__.alias("actor")
    target = TgUser.__table__.alias("target")
    stmt = (
        sa.select(
            a.c.id,
            a.c.actor_id,
            a.c.action,
            a.c.target_user_id,
            a.c.details,
            a.c.created_at,
            actor.c.display_name.label("actor_name"),
            target.c.display_name.label("target_name"),
        )
        .select_from(
            a.outerjoin(actor, actor.c.id == a.c.actor_id).outerjoin(
                target, target.c.id == a.c.target_user_id
            )
        )
        .where(a.c.group_id == group_id)
        .order_by(a.c.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        stmt = stmt.where(a.c.id < before_id)
    return list((await session.exec(stmt)).all())
