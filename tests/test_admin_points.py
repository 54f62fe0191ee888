"""/grant and /deduct through the real Dispatcher on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from storage.tables import AuditLog, LedgerEntry, Member
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "Eve", username="eve")


async def balances(bot: Harness, user_id: int) -> tuple[int, int, int]:
    """(member.points, sum of ledger, number of ledger rows)."""
    async with bot.app.session_factory() as s:
        points = (
            await s.exec(select(Member.points).where(Member.user_id == user_id))
        ).scalar_one()
        total = (
            await s.exec(
                select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                    LedgerEntry.user_id == user_id
                )
            )
        ).scalar_one()
        rows = (
            await s.exec(
                select(func.count()).select_from(LedgerEntry).where(LedgerEntry.user_id == user_id)
            )
        ).scalar_one()
    return points, total, rows


async def test_grant_and_deduct_every_way(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        bob_msg = f.message(BOB, "hello everyone", date=DAY)
        await bot.feed(bob_msg, f.message(ADMIN, "hi", date=DAY))
        grant = f.message(
            ADMIN, "/grant 50 great answer", date=DAY, reply_to=f.message_payload(bob_msg)
        )
        await bot.feed(grant)
        assert "+50 points to Bob" in bot.last_text() and "Balance: 51" in bot.last_text()
        assert "great answer" in bot.last_text()
        await bot.feed(grant)  # redelivered: credited once, answered once
        assert len([t for t in bot.texts() if "+50" in t]) == 1
        await bot.feed(f.message(ADMIN, "/grant @bob 20", date=DAY))
        # 71 earned: level 2 (70), announced after the answer.
        assert "Balance: 71" in bot.texts()[-2]
        assert bot.last_text() == "🎉 Bob reached level 2 · Regular"
        await bot.feed(f.message(ADMIN, "/deduct 200 10", date=DAY))
        assert "Who?" in bot.last_text()  # 200 is too short to be an id: no target given
        await bot.feed(f.message(ADMIN, "/deduct 00200 10 spam", date=DAY))
        assert "10 points taken from Bob" in bot.last_text() and "Balance: 61" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/deduct @bob 1000", date=DAY))
        assert "has only 61 points" in bot.last_text()
        assert await balances(bot, 200) == (61, 61, 4)  # activity point + 3 admin changes

        async with bot.app.session_factory() as s:
            actions = (
                (
                    await s.exec(
                        select(AuditLog.action)
                        .where(AuditLog.target_user_id == 200)
                        .order_by(AuditLog.id)
                    )
                )
                .scalars()
                .all()
            )
        assert list(actions) == ["grant", "grant", "deduct"]


async def test_non_admin_and_bad_input_change_nothing(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(BOB, "hello everyone", date=DAY))
        await bot.feed(f.message(EVE, "/grant @bob 50", date=DAY))
        assert "Only group administrators" in bot.last_text()
        for bad in (
            "/grant @bob 0",
            "/grant @bob -5",
            "/grant @bob abc",
            "/grant @bob 1000000000",
            "/grant @bob",
        ):
            await bot.feed(f.message(ADMIN, bad, date=DAY))
            assert "whole number from 1 to 100,000" in bot.last_text(), bad
        await bot.feed(f.message(ADMIN, "/grant @nobody 5", date=DAY))
        assert "don't know the member @nobody" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/grant", date=DAY))
        assert "Who?" in bot.last_text()
        assert await balances(bot, 200) == (1, 1, 1)


async def test_bot_owner_may_grant(db_url: str) -> None:
    async with running_bot(db_url, bot_owner_ids=frozenset({300})) as bot:
        await bot.feed(f.message(BOB, "hello everyone", date=DAY))
        await bot.feed(f.message(EVE, "/grant @bob 5 owner", date=DAY))
        assert "+5 points to Bob" in bot.last_text()
