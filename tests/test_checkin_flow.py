"""Check-in through the real Dispatcher and database (Telegram answered in-process)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests import factories as f
from tests.app_harness import running_bot

DAY1 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


async def test_checkin_streak_and_duplicate_update(db_url: str) -> None:
    alice = f.user(1, "Alice")
    async with running_bot(db_url) as bot:
        first = f.message(alice, "/checkin", date=DAY1)
        await bot.feed(first)
        assert "streak 1 day" in bot.last_text() and "balance 10" in bot.last_text()
        await bot.feed(first)  # the same update again: nothing changes, no second reply
        assert len(bot.texts()) == 1
        await bot.feed(f.message(alice, "签到", date=DAY1 + timedelta(hours=1)))
        assert "already checked in" in bot.last_text()
        await bot.feed(f.message(alice, "打卡", date=DAY1 + timedelta(days=1)))
        assert "streak 2 days" in bot.last_text() and "balance 20" in bot.last_text()
        await bot.feed(f.message(alice, "/checkin", date=DAY1 + timedelta(days=3)))
        assert "streak 1 day" in bot.last_text() and "balance 30" in bot.last_text()


async def test_day_follows_group_timezone(db_url: str) -> None:
    bob = f.user(2, "Bob")
    async with running_bot(db_url) as bot:
        # 23:30 UTC is 07:30 the next day in Asia/Shanghai: two distinct local days.
        await bot.feed(f.message(bob, "/checkin", date=datetime(2026, 3, 2, 15, 0, tzinfo=UTC)))
        await bot.feed(f.message(bob, "/checkin", date=datetime(2026, 3, 2, 23, 30, tzinfo=UTC)))
        assert "streak 2 days" in bot.last_text()


async def test_milestone_bonus_on_day_seven(db_url: str) -> None:
    carol = f.user(3, "Carol")
    async with running_bot(db_url) as bot:
        for day in range(7):
            await bot.feed(f.message(carol, "/checkin", date=DAY1 + timedelta(days=day)))
        # (the shop announces the 7-day badge after the check-in's answer)
        answer = next(t for t in reversed(bot.texts()) if "checked in" in t)
        assert "Streak bonus for 7 days: +20" in answer
        assert "balance 90" in answer


async def test_positions_today(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(*[f.message(f.user(10 + i), "/checkin", date=DAY1) for i in range(3)])
        texts = bot.texts()
        assert sorted(t.split("You are the ")[1] for t in texts) == [
            "1st today.",
            "2nd today.",
            "3rd today.",
        ]


async def test_me_in_private_lists_groups(db_url: str) -> None:
    dora = f.user(5, "Dora")
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(dora, "/checkin", date=DAY1))
        await bot.feed(f.message(dora, "/me", chat_id=5, date=DAY1))
        text = bot.last_text(5)
        assert "Test Group" in text and "Points: 10" in text and "Rank: #1" in text


async def test_find_user_by_username_returns_a_model(session_factory) -> None:  # type: ignore[no-untyped-def]
    from storage.queries.community import members

    async with session_factory() as session:
        await members.upsert_users(
            session, [{"id": 9, "username": "Zed", "display_name": "Z", "language_code": None}]
        )
        await session.commit()
        found = await members.find_user_by_username(session, "zed")
        assert found is not None and found.id == 9 and found.display_name == "Z"
