"""Message-activity points with the defaults: 1 per message of 5+ characters, 60 s apart, 20 a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage.tables import LedgerEntry, Member
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai
BOB = f.user(200, "Bob", username="bob")


async def points_and_ledger(bot: Harness) -> tuple[int, int]:
    async with bot.app.session_factory() as s:
        points = (await s.exec(select(Member.points).where(Member.user_id == 200))).scalar_one()
        ledger = (
            await s.exec(
                select(func.sum(LedgerEntry.amount)).where(
                    LedgerEntry.user_id == 200, LedgerEntry.reason == "activity"
                )
            )
        ).scalar_one()
    return points, int(ledger or 0)


async def test_activity_rules(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "hi", date=DAY))  # too short
        first = f.message(BOB, "hello there", date=DAY + timedelta(seconds=1))
        await bot.feed(first)
        await bot.feed(first)  # redelivered: credited once
        await bot.feed(f.message(BOB, "and again", date=DAY + timedelta(seconds=30)))  # cooldown
        assert await points_and_ledger(bot) == (1, 1)

        # 40 more messages, 61 s apart: the day's cap of 20 holds.
        for i in range(1, 41):
            await bot.feed(
                f.message(BOB, f"message number {i}", date=DAY + timedelta(seconds=1 + 61 * i))
            )
        assert await points_and_ledger(bot) == (20, 20)

        # The next local day (from 16:00 UTC in Asia/Shanghai) starts a new allowance.
        await bot.feed(
            f.message(BOB, "good morning", date=datetime(2026, 3, 2, 16, 5, tzinfo=UTC))
        )
        assert await points_and_ledger(bot) == (21, 21)
        assert bot.texts() == []  # activity is silent


async def test_chatting_asks_telegram_nothing_about_admin_rights(db_url: str) -> None:
    """Admin-only routers check their commands before the person: an ordinary message (or a
    photo) in a group must not cost a getChatMember per member, nor wait for one."""
    from aiogram.methods import GetChatMember

    async with running_bot(db_url) as bot:
        chatters = [f.user(300 + i, f"C{i}") for i in range(5)]
        await bot.feed(*[f.message(c, "hello everyone", date=DAY) for c in chatters])
        await bot.feed(f.photo_message(chatters[0], date=DAY + timedelta(minutes=2)))
        assert bot.sent(GetChatMember) == []
        # An admin command still asks (and a non-admin is refused).
        await bot.feed(f.message(chatters[1], "/grant @bob 5", date=DAY + timedelta(minutes=3)))
        assert len(bot.sent(GetChatMember)) == 1
