"""Points for feedback: off by default, N per item through the ledger, capped per member and
local day, credited once for a redelivered update, in the item's transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.methods import EditMessageText
from sqlalchemy import select

from handlers.feedback.render import CategoryButton
from storage.tables import FeedbackItem, LedgerEntry, Member
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")


async def ledger(bot: Harness) -> list[tuple[int, int, str, str]]:
    async with bot.app.session_factory() as s:
        rows = (await s.exec(select(LedgerEntry).order_by(LedgerEntry.id))).scalars().all()
    return [(r.user_id, r.amount, r.reason, r.idempotency_key) for r in rows]


async def balance(bot: Harness, user_id: int) -> int:
    async with bot.app.session_factory() as s:
        member = await s.get(Member, (f.GROUP_ID, user_id))
    return member.points if member else 0


async def items_of(bot: Harness) -> list[FeedbackItem]:
    async with bot.app.session_factory() as s:
        return list((await s.exec(select(FeedbackItem))).scalars().all())


async def count_items(bot: Harness) -> int:
    return len(await items_of(bot))


async def test_no_points_by_default(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "/feedback the app crashes", date=DAY))
        assert "#1" in bot.last_text() and "points" not in bot.last_text()
        assert await ledger(bot) == []


async def test_points_per_item_capped_per_day_and_credited_once(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(ADMIN, "/settings feedback_points 4", date=DAY))
        await bot.feed(f.message(ADMIN, "/settings feedback_points_daily_cap 10", date=DAY))
        first = f.message(BOB, "/feedback the app crashes", date=DAY)
        await bot.feed(first)
        assert "+4 points for your feedback" in bot.last_text()
        await bot.feed(first)  # redelivered: no second item, no second credit
        assert await count_items(bot) == 1 and await balance(bot, 200) == 4
        entries = await ledger(bot)
        assert [e[:3] for e in entries] == [(200, 4, "feedback")]
        assert entries[0][3] == f"feedback:{f.GROUP_ID}:u{first.update_id}"
        # Bob changes the category: the edited confirmation still says what it earned.
        item_id = (await items_of(bot))[0].id
        change = CategoryButton(item=item_id, cat="service").pack()
        await bot.feed(f.callback(BOB, change, 1))
        edit = bot.sent(EditMessageText)[-1].text
        assert "Service" in edit and "+4 points for your feedback" in edit
        assert await balance(bot, 200) == 4  # and nothing credited again

        await bot.feed(f.message(BOB, "/feedback second", date=DAY + timedelta(minutes=1)))
        await bot.feed(f.message(BOB, "/feedback third", date=DAY + timedelta(minutes=2)))
        assert "+2 points" in bot.last_text()  # what is left of the day's 10
        await bot.feed(f.message(BOB, "/feedback fourth", date=DAY + timedelta(minutes=3)))
        assert "#4" in bot.last_text() and "points" not in bot.last_text()
        assert await balance(bot, 200) == 10 and await count_items(bot) == 4
        # The next local day (the group's timezone) starts a new cap.
        await bot.feed(f.message(BOB, "/feedback next day", date=DAY + timedelta(days=1)))
        assert "+4 points" in bot.last_text() and await balance(bot, 200) == 14
        assert [e[1] for e in await ledger(bot)] == [4, 4, 2, 4]


async def test_a_refused_item_earns_nothing(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(ADMIN, "/settings feedback_points 5", date=DAY))
        await bot.feed(f.message(BOB, "/feedback " + "x" * 2001, date=DAY))
        await bot.feed(f.message(BOB, "/feedback", date=DAY))  # the guided form: no item yet
        assert await ledger(bot) == [] and await count_items(bot) == 0
