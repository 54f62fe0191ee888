"""The shop's money-like guarantees on both databases: never oversold, never negative, once per
confirmation, refunds through the ledger."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from core.community.group_settings import GroupSettings
from core.engagement import points
from core.errors import DuplicateUpdate
from core.shop import catalogue, redeem
from core.shop.errors import (
    InvalidReward,
    LevelTooLow,
    LimitReached,
    NotCodeReward,
    NotEnoughPoints,
    OutOfCodes,
    PriceChanged,
    RewardDisabled,
    RewardUnknown,
    SoldOut,
)
from core.shop.levels import DEFAULT_THRESHOLDS, DEFAULT_TITLES
from core.uow import UnitOfWork
from storage.tables import LedgerEntry, Member, MemberBadge, Redemption, Reward, RewardCode

NOW = datetime(2026, 3, 2, tzinfo=UTC)
GROUP = -100
ADMIN = 1
_ids = iter(range(10_000, 10_000_000))


def group(**values: object) -> GroupSettings:
    return GroupSettings(
        GROUP,
        "G",
        {
            "timezone": "UTC",
            "day_start": 0,
            "language": "en",
            "level_thresholds": DEFAULT_THRESHOLDS,
            "level_titles": DEFAULT_TITLES,
            **values,
        },
    )


G = group()


def uow(s, update_id: int | None = None) -> UnitOfWork:  # type: ignore[no-untyped-def]
    return UnitOfWork(s, update_id=update_id or next(_ids))


async def member(session_factory, user_id: int, balance: int) -> None:  # type: ignore[no-untyped-def]
    async with session_factory() as s:
        u = uow(s)
        target = await points.ensure_member(
            u,
            GROUP,
            {
                "id": user_id,
                "username": None,
                "display_name": f"U{user_id}",
                "language_code": None,
            },
            NOW,
        )
        await points.grant(u, G, ADMIN, target, balance, "seed", NOW)


async def add(session_factory, text: str) -> Reward:  # type: ignore[no-untyped-def]
    async with session_factory() as s:
        return await catalogue.add(uow(s), GROUP, ADMIN, catalogue.parse_add(text.split()), NOW)


async def redeem_once(session_factory, user_id: int, number: int, cost: int, nonce: int):  # type: ignore[no-untyped-def]
    async with session_factory() as s:
        return await redeem.redeem(uow(s), G, user_id, number, cost, nonce, NOW)


async def totals(session_factory, user_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    async with session_factory() as s:
        balance = (
            await s.exec(select(Member.points).where(Member.user_id == user_id))
        ).scalar_one()
        ledger = (
            await s.exec(
                select(func.sum(LedgerEntry.amount)).where(LedgerEntry.user_id == user_id)
            )
        ).scalar_one()
    return balance, ledger


async def count(session_factory, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with session_factory() as s:
        return (await s.exec(select(func.count()).select_from(model).where(*where))).scalar_one()


def test_parse_add() -> None:
    new = catalogue.parse_add("50 10 Coffee mug limit=2 level=3 mode=code | a nice mug".split())
    assert (new.cost, new.stock, new.name, new.limit, new.level, new.mode) == (
        50,
        10,
        "Coffee mug",
        2,
        3,
        "code",
    )
    assert new.description == "a nice mug"
    assert catalogue.parse_add("5 unlimited Sticker".split()).stock is None
    for bad in (
        "-5 10 X",
        "0 10 X",
        "5000000 1 X",
        "abc 1 X",
        "5 0 X",
        "5 -1 X",
        "5 1",
        "5 1 X mode=weird",
        "5 1 X limit=-1",
        "5 1 X level=0",
        "5 1 " + "n" * 65,
    ):
        with pytest.raises(InvalidReward):
            catalogue.parse_add(bad.split())


async def test_numbers_and_catalogue(session_factory) -> None:  # type: ignore[no-untyped-def]
    first = await add(session_factory, "10 5 Sticker")
    second = await add(session_factory, "20 unlimited Badge")
    assert (first.number, second.number) == (1, 2)
    async with session_factory() as s:
        await catalogue.set_enabled(uow(s), GROUP, ADMIN, 1, False, NOW)
    async with session_factory() as s:
        shown = await catalogue.catalogue(uow(s), GROUP, enabled_only=True)
        assert [r.number for r in shown] == [2]
    third = await add(session_factory, "30 1 Hat")
    assert third.number == 3
    async with session_factory() as s:
        edited = await catalogue.edit(
            uow(s), GROUP, ADMIN, 3, catalogue.parse_edit("cost", "35"), NOW
        )
    assert edited.cost == 35
    async with session_factory() as s:
        with pytest.raises(RewardUnknown):
            await catalogue.edit(uow(s), GROUP, ADMIN, 9, {"cost": 1}, NOW)


async def test_redeem_debits_once_per_confirmation(session_factory) -> None:  # type: ignore[no-untyped-def]
    await member(session_factory, 7, 100)
    await add(session_factory, "30 5 Sticker")
    done = await redeem_once(session_factory, 7, 1, 30, nonce=1)
    assert done.balance == 70 and done.redemption.status == "fulfilled" and not done.already
    assert done.new_badges == ("first_redemption",)
    again = await redeem_once(session_factory, 7, 1, 30, nonce=1)  # a double tap
    assert again.already and again.redemption.id == done.redemption.id
    assert await totals(session_factory, 7) == (70, 70)
    async with session_factory() as s:  # a redelivered update: nothing at all
        with pytest.raises(DuplicateUpdate):
            u = UnitOfWork(s, update_id=555)
            await redeem.redeem(u, G, 7, 1, 30, 2, NOW)
            await redeem.redeem(UnitOfWork(s, update_id=555), G, 7, 1, 30, 3, NOW)
    assert await totals(session_factory, 7) == (40, 40)
    assert await count(session_factory, Redemption) == 2
    assert await count(session_factory, MemberBadge) == 1
    async with session_factory() as s:
        stock = (await s.exec(select(Reward.stock))).scalar_one()
    assert stock == 3


async def test_refusals_change_nothing(session_factory) -> None:  # type: ignore[no-untyped-def]
    await member(session_factory, 7, 50)
    await add(session_factory, "30 1 Sticker limit=1")
    await add(session_factory, "60 5 Big")
    await add(session_factory, "10 5 Gated level=2")
    await add(session_factory, "10 5 Coupon mode=code")
    await add(session_factory, "10 5 Off")
    async with session_factory() as s:
        await catalogue.set_enabled(uow(s), GROUP, ADMIN, 5, False, NOW)
    cases = [
        (2, 60, NotEnoughPoints),
        (3, 10, LevelTooLow),
        (4, 10, OutOfCodes),
        (5, 10, RewardDisabled),
        (9, 10, RewardUnknown),
        (1, 29, PriceChanged),  # a stale (or forged) confirmation
    ]
    for number, cost, error in cases:
        with pytest.raises(error):
            await redeem_once(session_factory, 7, number, cost, nonce=next(_ids))
    assert await totals(session_factory, 7) == (50, 50)
    assert await count(session_factory, Redemption) == 0
    await redeem_once(session_factory, 7, 1, 30, nonce=1)
    with pytest.raises((SoldOut, LimitReached)):
        await redeem_once(session_factory, 7, 1, 30, nonce=2)
    assert await totals(session_factory, 7) == (20, 20)


async def test_level_gate_opens_with_earned_points(session_factory) -> None:  # type: ignore[no-untyped-def]
    await member(session_factory, 7, 69)
    await add(session_factory, "10 5 Gated level=2")
    with pytest.raises(LevelTooLow):
        await redeem_once(session_factory, 7, 1, 10, nonce=1)
    await member(session_factory, 7, 1)  # 70 earned: level 2
    assert (await redeem_once(session_factory, 7, 1, 10, nonce=2)).balance == 60


async def test_codes_and_reject_refund(session_factory) -> None:  # type: ignore[no-untyped-def]
    await member(session_factory, 7, 100)
    await add(session_factory, "10 unlimited Coupon mode=code")
    await add(session_factory, "40 2 Hoodie mode=manual")
    async with session_factory() as s:
        added = await catalogue.add_codes(uow(s), GROUP, ADMIN, 1, ["A1", "B2", "A1"], NOW)
    assert (added.added, added.duplicates, added.free) == (2, ["A1"], 2)
    async with session_factory() as s:
        again = await catalogue.add_codes(uow(s), GROUP, ADMIN, 1, ["B2", "C3"], NOW)
    assert (again.added, again.duplicates, again.free) == (1, ["B2"], 3)
    async with session_factory() as s:
        with pytest.raises(NotCodeReward):
            await catalogue.add_codes(uow(s), GROUP, ADMIN, 2, ["X"], NOW)
    got = {(await redeem_once(session_factory, 7, 1, 10, nonce=n)).redemption.code for n in (1, 2)}
    assert got == {"A1", "B2"}
    pending = await redeem_once(session_factory, 7, 2, 40, nonce=3)
    assert pending.redemption.status == "pending" and pending.low_stock == 1
    assert await totals(session_factory, 7) == (40, 40)
    async with session_factory() as s:
        rejected = await redeem.decide(uow(s), pending.redemption.id, ADMIN, False, "no size", NOW)
    assert rejected.status == "rejected" and rejected.reason == "no size"
    assert await totals(session_factory, 7) == (80, 80)
    async with session_factory() as s:
        stock = (await s.exec(select(Reward.stock).where(Reward.number == 2))).scalar_one()
        assert stock == 2
        from core.shop.errors import AlreadyDecided

        with pytest.raises(AlreadyDecided):  # a second press: no second refund
            await redeem.decide(uow(s), pending.redemption.id, ADMIN, True, None, NOW)
    assert await totals(session_factory, 7) == (80, 80)
    assert await count(session_factory, RewardCode, RewardCode.taken_by.is_(None)) == 1


async def test_concurrent_confirms_for_the_last_item(session_factory) -> None:  # type: ignore[no-untyped-def]
    for user in (7, 8):
        await member(session_factory, user, 100)
    await add(session_factory, "30 1 Last")
    outcomes = await asyncio.gather(
        *(redeem_once(session_factory, u, 1, 30, nonce=u) for u in (7, 8)),
        return_exceptions=True,
    )
    assert sum(isinstance(o, redeem.Redeemed) for o in outcomes) == 1
    assert sum(isinstance(o, SoldOut) for o in outcomes) == 1
    balances = sorted([(await totals(session_factory, u))[0] for u in (7, 8)])
    assert balances == [70, 100]


async def test_twenty_concurrent_confirms_for_stock_five(session_factory) -> None:  # type: ignore[no-untyped-def]
    users = list(range(100, 120))
    for user in users:
        await member(session_factory, user, 50)
    await add(session_factory, "30 5 Drop mode=code")
    async with session_factory() as s:
        await catalogue.add_codes(uow(s), GROUP, ADMIN, 1, [f"C{i}" for i in range(8)], NOW)
    # and one member double-taps, concurrently
    calls = [redeem_once(session_factory, u, 1, 30, nonce=u) for u in users]
    calls.append(redeem_once(session_factory, users[0], 1, 30, nonce=users[0]))
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    unexpected = [o for o in outcomes if not isinstance(o, (redeem.Redeemed, SoldOut))]
    assert not unexpected, unexpected
    won = [o for o in outcomes if isinstance(o, redeem.Redeemed) and not o.already]
    assert len(won) == 5
    assert len({o.redemption.code for o in won}) == 5
    assert await count(session_factory, Redemption) == 5
    async with session_factory() as s:
        stock = (await s.exec(select(Reward.stock))).scalar_one()
        spent = (
            await s.exec(select(func.count()).where(LedgerEntry.reason == "shop_redeem"))
        ).scalar_one()
    assert stock == 0 and spent == 5
    for user in users:
        balance, ledger = await totals(session_factory, user)
        assert balance == ledger and balance in (20, 50)
