"""The rewards catalogue and coupon codes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import Reward, RewardCode

_R = Reward.__table__
_C = RewardCode.__table__


async def next_number(session: AsyncSession, group_id: int) -> int:
    stmt = select(func.coalesce(func.max(_R.c.number), 0)).where(_R.c.group_id == group_id)
    return int((await session.exec(stmt)).scalar_one()) + 1


async def add(session: AsyncSession, values: dict[str, Any]) -> Reward:
    reward = Reward(**values)
    session.add(reward)
    await session.flush()
    return reward


async def get(session: AsyncSession, group_id: int, number: int) -> Reward | None:
    stmt = select(Reward).where(Reward.group_id == group_id, Reward.number == number)
    return (await session.exec(stmt)).scalars().first()


async def get_by_id(session: AsyncSession, reward_id: int) -> Reward | None:
    return await session.get(Reward, reward_id)


async def list_group(
    session: AsyncSession, group_id: int, *, enabled_only: bool = False
) -> list[Reward]:
    stmt = select(Reward).where(Reward.group_id == group_id)
    if enabled_only:
        stmt = stmt.where(Reward.enabled.is_(True))  # type: ignore[attr-defined]
    stmt = stmt.order_by(Reward.number)
    return list((await session.exec(stmt)).scalars().all())


async def update_fields(session: AsyncSession, reward_id: int, values: dict[str, Any]) -> None:
    await session.exec(update(_R).where(_R.c.id == reward_id).values(**values))


async def take_one(session: AsyncSession, reward_id: int) -> int | None:
    """One item of stock taken atomically (never below zero): what is left, or None if none
    was (an unlimited reward is not asked)."""
    stmt = (
        update(_R)
        .where(_R.c.id == reward_id, _R.c.stock > 0)
        .values(stock=_R.c.stock - 1)
        .returning(_R.c.stock)
    )
    return (await session.exec(stmt)).scalar_one_or_none()


async def put_back(session: AsyncSession, reward_id: int) -> None:
    stmt = update(_R).where(_R.c.id == reward_id, _R.c.stock.is_not(None))
    await session.exec(stmt.values(stock=_R.c.stock + 1))


async def mark_low_stock_reported(session: AsyncSession, reward_id: int) -> bool:
    """True the first time only."""
    stmt = (
        update(_R)
        .where(_R.c.id == reward_id, _R.c.low_stock_reported.is_(False))
        .values(low_stock_reported=True)
        .returning(_R.c.id)
    )
    return (await session.exec(stmt)).first() is not None


async def existing_codes(session: AsyncSession, reward_id: int, codes: Sequence[str]) -> set[str]:
    if not codes:
        return set()
    stmt = select(_C.c.code).where(_C.c.reward_id == reward_id, _C.c.code.in_(list(codes)))
    return set((await session.exec(stmt)).scalars().all())


async def add_codes(
    session: AsyncSession, reward_id: int, codes: Sequence[str], at: datetime
) -> int:
    """Codes not there yet are added (a concurrent duplicate is skipped); how many were."""
    if not codes:
        return 0
    stmt = (
        upsert(session, _C)
        .values([{"reward_id": reward_id, "code": c, "created_at": at} for c in codes])
        .on_conflict_do_nothing()
        .returning(_C.c.id)
    )
    return len((await session.exec(stmt)).all())


async def free_codes(session: AsyncSession, reward_id: int) -> int:
    stmt = select(func.count()).where(_C.c.reward_id == reward_id, _C.c.taken_by.is_(None))
    return int((await session.exec(stmt)).scalar_one())


async def take_code(session: AsyncSession, reward_id: int, key: str) -> str | None:
    """One unused code, taken for `key`; concurrent takers get different codes (SKIP LOCKED on
    PostgreSQL; SQLite runs one writer at a time)."""
    free = (
        select(_C.c.id)
        .where(_C.c.reward_id == reward_id, _C.c.taken_by.is_(None))
        .order_by(_C.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    stmt = (
        update(_C)
        .where(_C.c.id == free, _C.c.taken_by.is_(None))
        .values(taken_by=key)
        .returning(_C.c.code)
    )
    return (await session.exec(stmt)).scalar_one_or_none()


async def release_code(session: AsyncSession, key: str) -> None:
    await session.exec(update(_C).where(_C.c.taken_by == key).values(taken_by=None))
