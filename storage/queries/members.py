"""Users and group members."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select, update
from sqlmodel import select as sqlmodel_select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Member, TgUser
from storage.queries.dialect import upsert

_U = TgUser.__table__
_M = Member.__table__


async def upsert_users(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """rows: id, username, display_name, language_code."""
    if not rows:
        return
    stmt = upsert(session, _U)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "username": stmt.excluded.username,
            "display_name": stmt.excluded.display_name,
            "language_code": stmt.excluded.language_code,
        },
    )
    await session.exec(stmt, params=list(rows))


async def touch_members(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Insert or refresh members seen speaking (rows: group_id, user_id, at); returns their state.

    A member who speaks is in the group, so a stale left_at is cleared, but only by a message
    sent after the leave: a ban and the banned member's last message can be written in either
    order. (An upsert without RETURNING runs as one executemany; with RETURNING, SQLAlchemy
    would go row by row.)
    """
    if not rows:
        return []
    params = [
        {
            "group_id": r["group_id"],
            "user_id": r["user_id"],
            "first_seen_at": r["at"],
            "last_active_at": r["at"],
        }
        for r in rows
    ]
    stmt = upsert(session, _M)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"],
        set_={
            "last_active_at": stmt.excluded.last_active_at,
            "left_at": case(
                (_M.c.left_at < stmt.excluded.last_active_at, None), else_=_M.c.left_at
            ),
        },
    )
    await session.exec(stmt, params=params)
    by_group: dict[int, list[int]] = {}
    for r in rows:
        by_group.setdefault(r["group_id"], []).append(r["user_id"])
    found: list[Any] = []
    for group_id, user_ids in by_group.items():
        query = select(_M).where(_M.c.group_id == group_id, _M.c.user_id.in_(user_ids))
        found.extend((await session.exec(query)).all())
    return found


_APPLY = (
    update(_M)
    .where(_M.c.group_id == bindparam("g"), _M.c.user_id == bindparam("u"))
    .values(
        points=_M.c.points + bindparam("delta"),
        streak=bindparam("streak"),
        best_streak=bindparam("best"),
        checkins=_M.c.checkins + bindparam("dc"),
        last_checkin_day=bindparam("lcd"),
        activity_day=bindparam("ad"),
        activity_today=bindparam("at"),
        activity_last_at=bindparam("alast"),
    )
)


async def apply_progress(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Write check-in/activity progress (keys: g,u,delta,streak,best,dc,lcd,ad,at,alast)."""
    if rows:
        await session.exec(_APPLY, params=list(rows))


async def mark_joined(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> None:
    stmt = upsert(session, _M).values(
        group_id=group_id, user_id=user_id, first_seen_at=at, joined_at=at
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"], set_={"joined_at": at, "left_at": None}
    )
    await session.exec(stmt)


async def mark_left(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> None:
    stmt = upsert(session, _M).values(
        group_id=group_id, user_id=user_id, first_seen_at=at, left_at=at
    )
    stmt = stmt.on_conflict_do_update(index_elements=["group_id", "user_id"], set_={"left_at": at})
    await session.exec(stmt)


async def get_member(session: AsyncSession, group_id: int, user_id: int) -> Member | None:
    return await session.get(Member, (group_id, user_id))


async def get_user(session: AsyncSession, user_id: int) -> TgUser | None:
    return await session.get(TgUser, user_id)


async def find_user_by_username(session: AsyncSession, username: str) -> TgUser | None:
    stmt = sqlmodel_select(TgUser).where(func.lower(TgUser.username) == username.lower()).limit(1)
    return (await session.exec(stmt)).first()


async def credit(session: AsyncSession, group_id: int, user_id: int, amount: int) -> int:
    stmt = (
        update(_M)
        .where(_M.c.group_id == group_id, _M.c.user_id == user_id)
        .values(points=_M.c.points + amount)
        .returning(_M.c.points)
    )
    return (await session.exec(stmt)).scalar_one()


async def debit(session: AsyncSession, group_id: int, user_id: int, amount: int) -> int | None:
    """Take points only if the balance covers them (atomic); None when it does not."""
    stmt = (
        update(_M)
        .where(_M.c.group_id == group_id, _M.c.user_id == user_id, _M.c.points >= amount)
        .values(points=_M.c.points - amount)
        .returning(_M.c.points)
    )
    return (await session.exec(stmt)).scalar_one_or_none()


async def set_user_started(session: AsyncSession, user_id: int, at: datetime) -> None:
    stmt = upsert(session, _U).values(id=user_id, display_name="", started_at=at)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"], set_={"started_at": at, "blocked_at": None}
    )
    await session.exec(stmt)


async def set_user_blocked(session: AsyncSession, user_id: int, at: datetime) -> None:
    await session.exec(update(_U).where(_U.c.id == user_id).values(blocked_at=at))


async def ensure_member(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> None:
    """The member exists and is present (they were just seen in the chat)."""
    stmt = upsert(session, _M).values(group_id=group_id, user_id=user_id, first_seen_at=at)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"], set_={"left_at": None}
    )
    await session.exec(stmt)
