"""member.lifetime_earned, the running total levels come from, against its rebuild from the
ledger on both databases: grants and birthday bonuses raise it, spending, deductions and the
refund of a rejected redemption never move it; the ledger append returns before and after."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.engagement import points
from core.errors import DuplicateUpdate
from core.events import EventBus, PointsEarned
from core.schedule.birthdays import credit_birthdays
from core.shop import redeem
from core.uow import UnitOfWork
from storage.queries.community import members as member_rows
from storage.queries.engagement import ledger
from storage.tables import Member
from tests import board_oracle as oracle
from tests.test_shop_redeem import ADMIN, GROUP, NOW, G, add, member, redeem_once, uow


async def lifetime(session_factory, user_id: int) -> int:  # type: ignore[no-untyped-def]
    async with session_factory() as s:
        return (
            await s.exec(
                select(Member.lifetime_earned).where(
                    Member.group_id == GROUP, Member.user_id == user_id
                )
            )
        ).scalar_one()


async def check_against_ledger(session_factory) -> dict[int, int]:  # type: ignore[no-untyped-def]
    async with session_factory() as s:
        snap = await oracle.snapshot(s, GROUP)
    assert oracle.stored_lifetime(snap) == oracle.lifetime_earned(snap)
    return oracle.stored_lifetime(snap)


async def test_spending_deductions_and_refunds_never_lower_it(session_factory) -> None:  # type: ignore[no-untyped-def]
    await member(session_factory, 7, 100)  # a grant of 100
    assert await lifetime(session_factory, 7) == 100
    await add(session_factory, "30 5 Mug mode=manual")
    await add(session_factory, "10 5 Gated level=2")
    done = await redeem_once(session_factory, 7, 1, 30, nonce=1)
    assert done.balance == 70 and await lifetime(session_factory, 7) == 100
    async with session_factory() as s:
        target = points.Target(7, "U7")
        await points.deduct(uow(s), G, ADMIN, target, 60, None, NOW)
    async with session_factory() as s:
        await redeem.decide(uow(s), done.redemption.id, ADMIN, False, "no", NOW)  # refund 30
    async with session_factory() as s:
        balance = (await member_rows.get_member(s, GROUP, 7)).points  # type: ignore[union-attr]
    assert balance == 40
    assert await check_against_ledger(session_factory) == {7: 100}
    # Level 2 (70 earned) though 40 are left: the level-gated reward is open.
    gated = await redeem_once(session_factory, 7, 2, 10, nonce=2)
    assert gated.balance == 30


async def test_the_append_returns_before_and_after(session_factory) -> None:  # type: ignore[no-untyped-def]
    await member(session_factory, 8, 5)
    bus = EventBus()
    seen: list[PointsEarned] = []

    async def on_earned(_tx, event: PointsEarned) -> None:  # type: ignore[no-untyped-def]
        seen.append(event)

    bus.subscribe(PointsEarned, on_earned)
    async with session_factory() as s:
        tx = UnitOfWork(s, key="birthday-test", bus=bus)
        credited = await credit_birthdays(tx, GROUP, [(8, "U8")], 20, 2026, NOW)
        await tx.commit()
    assert credited == [8]
    assert [e.changes for e in seen] == [((GROUP, 8, 5, 25),)]
    async with session_factory() as s:  # the same year again: nothing credited, nothing said
        tx = UnitOfWork(s, key="birthday-test-2", bus=bus)
        assert await credit_birthdays(tx, GROUP, [(8, "U8")], 20, 2026, NOW) == []
        await tx.commit()
    assert len(seen) == 1
    async with session_factory() as s:
        tx = UnitOfWork(s, update_id=424242, bus=bus)
        await points.grant(tx, G, ADMIN, points.Target(8, "U8"), 7, None, NOW)
    async with session_factory() as s:  # the same update again: credited once
        tx = UnitOfWork(s, update_id=424242, bus=bus)
        with pytest.raises(DuplicateUpdate):
            await points.grant(tx, G, ADMIN, points.Target(8, "U8"), 7, None, NOW)
    assert [e.changes for e in seen[1:]] == [((GROUP, 8, 25, 32),)]
    async with session_factory() as s:
        # A deduction and a spend: no change returned.
        row = {
            "group_id": GROUP,
            "user_id": 8,
            "amount": -3,
            "reason": "admin_deduct",
            "note": None,
            "source": "test",
            "actor_id": None,
            "idempotency_key": "t-deduct",
            "created_at": NOW + timedelta(seconds=1),
            "week_start": NOW.date(),
            "month_start": NOW.date(),
        }
        assert await ledger.append(s, [row]) == []
        await s.commit()
    assert await check_against_ledger(session_factory) == {8: 32}
