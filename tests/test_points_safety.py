"""Money-like guarantees on both databases: no overselling, never negative, ledger == balance."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.engagement import points
from core.errors import InsufficientPoints
from core.uow import UnitOfWork
from storage.queries.community import members
from storage.tables import LedgerEntry, Member

NOW = datetime(2026, 3, 2, tzinfo=UTC)
GROUP = -100


@dataclass(frozen=True)
class Calendar:
    group_id: int = GROUP
    timezone: str = "UTC"
    day_start_hour: int = 0


CALENDAR = Calendar()


async def seed(session_factory, balance: int) -> points.Target:  # type: ignore[no-untyped-def]
    async with session_factory() as s:
        uow = UnitOfWork(s, update_id=1)
        target = await points.ensure_member(
            uow, GROUP, {"id": 7, "username": "m", "display_name": "M", "language_code": None}, NOW
        )
        await points.grant(uow, CALENDAR, 1, target, balance, "seed", NOW)
    return target


async def test_concurrent_spends_never_oversell(session_factory) -> None:  # type: ignore[no-untyped-def]
    target = await seed(session_factory, 100)

    async def spend(update_id: int) -> bool:
        async with session_factory() as s:
            try:
                await points.deduct(UnitOfWork(s, update_id), CALENDAR, 1, target, 10, None, NOW)
                return True
            except InsufficientPoints:
                return False

    outcomes = await asyncio.gather(*(spend(1000 + i) for i in range(20)))
    assert outcomes.count(True) == 10
    async with session_factory() as s:
        balance = (await s.exec(select(Member.points).where(Member.user_id == 7))).scalar_one()
        total = (
            await s.exec(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.user_id == 7))
        ).scalar_one()
    assert balance == 0 and total == 0


async def test_balance_can_never_go_negative_even_bypassing_the_service(session_factory) -> None:  # type: ignore[no-untyped-def]
    await seed(session_factory, 5)
    async with session_factory() as s:
        assert await members.debit(s, GROUP, 7, 6) is None  # the guarded debit refuses
        with pytest.raises(IntegrityError):
            await members.credit(s, GROUP, 7, -6)  # and the CHECK constraint backs it up
        await s.rollback()


async def test_same_update_credits_once(session_factory) -> None:  # type: ignore[no-untyped-def]
    target = await seed(session_factory, 5)
    async with session_factory() as s:
        await points.grant(UnitOfWork(s, 42), CALENDAR, 1, target, 5, None, NOW)
    from core.errors import DuplicateUpdate

    async with session_factory() as s:
        with pytest.raises(DuplicateUpdate):
            await points.grant(UnitOfWork(s, 42), CALENDAR, 1, target, 5, None, NOW)
    async with session_factory() as s:
        assert (await s.exec(select(Member.points).where(Member.user_id == 7))).scalar_one() == 10
