"""/top on both databases: ranking in SQL, departed members hidden, periods from the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.types import Update

from tests import factories as f
from tests.app_harness import running_bot

MON = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


def left(user: dict, at: datetime) -> Update:
    return Update.model_validate(
        {
            "update_id": f.next_update_id(),
            "message": {
                "message_id": 9000 + f.next_update_id(),
                "date": f.ts(at),
                "chat": f.chat(),
                "from": user,
                "left_chat_member": user,
            },
        }
    )


async def test_points_board_with_own_rank_and_departures(db_url: str) -> None:
    members = [f.user(500 + i, f"M{i:02d}") for i in range(12)]
    async with running_bot(db_url) as bot:
        # Member i checks in on i+1 days (so M11 leads), M00 only once.
        for day in range(12):
            await bot.feed(
                *[
                    f.message(m, "/checkin", date=MON + timedelta(days=day))
                    for i, m in enumerate(members)
                    if i >= 11 - day
                ]
            )
        await bot.feed(left(members[10], MON + timedelta(days=12)))
        await bot.feed(f.message(members[0], "/top", date=MON + timedelta(days=12)))
        text = bot.last_text()
        lines = text.splitlines()
        assert (
            lines[0].startswith("🏆") and "🥇 M11" in lines[1] and "M10" not in text
        )  # left the group
        assert len([line for line in lines if " — " in line]) == 10
        assert "You: #11 with 10" in text

        await bot.feed(f.message(members[5], "/top checkins", date=MON + timedelta(days=12)))
        assert "Most check-ins" in bot.last_text() and "🥇 M11 — 12" in bot.last_text()
        # Everyone last checked in on day 11: streaks are alive on day 12, broken from day 13.
        await bot.feed(f.message(members[5], "/top streak", date=MON + timedelta(days=12)))
        assert "🥇 M11 — 12" in bot.last_text()
        await bot.feed(f.message(members[5], "/top streak", date=MON + timedelta(days=13)))
        assert "empty" in bot.last_text()


async def test_week_and_month_count_only_the_period(db_url: str) -> None:
    ann, ben = f.user(601, "Ann"), f.user(602, "Ben")
    async with running_bot(db_url) as bot:
        await bot.feed(
            f.message(ann, "/checkin", date=MON - timedelta(days=8))
        )  # previous week (February)
        await bot.feed(f.message(ben, "/checkin", date=MON))
        await bot.feed(f.message(ben, "/checkin", date=MON + timedelta(days=1)))
        await bot.feed(f.message(ann, "/top week", date=MON + timedelta(days=1)))
        text = bot.last_text()
        assert "this week" in text and "🥇 Ben — 20" in text and "Ann" not in text
        await bot.feed(f.message(ann, "/top month", date=MON + timedelta(days=1)))
        assert "this month" in bot.last_text() and "Ann" not in bot.last_text()
        await bot.feed(f.message(ann, "/top", date=MON + timedelta(days=1)))
        assert "🥇 Ben — 20" in bot.last_text() and "🥈 Ann — 10" in bot.last_text()
        await bot.feed(f.message(ann, "/top forever", date=MON))
        assert "Unknown option" in bot.last_text() and "week" in bot.last_text()
        await bot.feed(
            f.message(
                f.user(603, "Zhou", lang="zh-hans"), "/top 本周", date=MON + timedelta(days=1)
            )
        )
        assert "本周积分榜" in bot.last_text()
