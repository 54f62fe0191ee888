"""Levels from lifetime earned points and badges awarded once (check-ins through the real
Dispatcher and batcher, both databases)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.replies import plain
from core.shop.levels import LevelCurve, parse_thresholds, parse_titles
from storage.tables import MemberBadge
from tests import factories as f
from tests.app_harness import running_bot

DAY1 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")


def test_curve() -> None:
    curve = LevelCurve((0, 70, 300), ())
    assert [curve.level(p) for p in (0, 69, 70, 299, 300, 10_000)] == [1, 1, 2, 2, 3, 3]
    progress = curve.progress(35)
    assert (progress.level, progress.next_at, progress.bar()) == (1, 70, "▰▰▰▰▰▱▱▱▱▱")
    assert curve.progress(500).next_at is None
    assert parse_thresholds("70, 300") == "0,70,300"
    for bad in ("0,70,70", "abc", "0,300,70", ",".join(str(i) for i in range(30))):
        with pytest.raises(ValueError):
            parse_thresholds(bad)
    assert parse_titles("新人，活跃成员") == "新人,活跃成员"
    assert parse_titles("default") == "default"


async def badges(bot, user_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    async with bot.app.session_factory() as s:
        rows = await s.exec(select(MemberBadge.badge).where(MemberBadge.user_id == user_id))
        return sorted(rows.scalars().all())


async def test_week_of_checkins_reaches_level_2_and_badges_once(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        for day in range(7):
            at = DAY1 + timedelta(days=day)
            await bot.feed(f.message(BOB, "/checkin", date=at))
            await bot.feed(f.message(BOB, "/checkin", date=at))  # once a day
        assert await badges(bot, 200) == ["first_checkin", "streak_7"]
        announced = [t for t in bot.texts() if "earned a badge" in t]
        assert announced == ["🏅 Bob earned a badge: 7-day streak"]
        assert bot.sent()[-1].chat_id == f.GROUP_ID
        await bot.feed(f.message(BOB, "/me", date=DAY1 + timedelta(days=6)))
        me = plain(bot.last_text())
        assert "Level 2 · Regular" in me, me
        assert "to level 3" in me and "First check-in, 7-day streak" in me
        # Spending never lowers a level.
        await bot.feed(f.message(ADMIN, "/deduct @bob 50", date=DAY1 + timedelta(days=6)))
        await bot.feed(f.message(BOB, "/me", date=DAY1 + timedelta(days=6)))
        assert "Level 2" in plain(bot.last_text())
        # Renamed titles and another curve.
        await bot.feed(f.message(ADMIN, "/settings level_titles 新人,活跃成员", date=DAY1))
        await bot.feed(f.message(ADMIN, "/settings levels 0,10,5000", date=DAY1))
        await bot.feed(f.message(BOB, "/me", date=DAY1 + timedelta(days=6)))
        me = plain(bot.last_text())
        assert "Level 2 · 活跃成员" in me and "90/5,000 to level 3" in me, me
    # A restart (a new app on the same database): badges are not awarded twice.
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/settings announce_badges dm", date=DAY1))
        await bot.feed(f.message(BOB, "/start", chat_id=BOB["id"], date=DAY1))  # DMs reach him
        bot.clear()
        for day in range(7, 31):
            await bot.feed(f.message(BOB, "/checkin", date=DAY1 + timedelta(days=day)))
        assert await badges(bot, 200) == ["first_checkin", "streak_30", "streak_7"]
        assert [plain(t) for t in bot.texts(200)] == ["🏅 Bob earned a badge: 30-day streak"]


def test_every_shop_text_is_valid_telegram_html() -> None:
    """Placeholders like <number> must be escaped: Telegram refuses unknown tags."""
    import re
    from pathlib import Path

    from bot.i18n import Locales
    from devtools.emulator.content import checked_text

    locales = Locales()
    args = {name: "x" for name in re.findall(r"\$(\w+)", Path("locales/en/shop.ftl").read_text())}
    for language in ("en", "zh"):
        t = locales.get(language)
        for key in sorted(locales.message_ids(language)):
            if key.startswith(("shop-", "level-", "badge", "help-re", "help-codes", "cmd-re")):
                checked_text(t(key, **args), "HTML", 4096, key)


async def test_top_three_of_a_month_awarded_once_when_it_ends(db_url: str) -> None:
    from core.shop import monthly

    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        # Asia/Shanghai: March ends at 2026-03-31 16:00 UTC.
        march = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
        april = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)  # already April 1st there
        people = [f.user(200 + i, f"P{i}", username=f"p{i}") for i in range(5)]
        for i, person in enumerate(people):
            await bot.feed(f.message(person, "/checkin", date=march))
            if i:
                await bot.feed(f.message(ADMIN, f"/grant @p{i} {i * 10}", date=march))
        await bot.feed(f.message(ADMIN, "/grant @p0 500", date=april))  # April: not counted
        app = bot.app
        groups = app.deps["groups"]
        early = await monthly.award_last_month(app.session_factory, groups, march, app.deps["bus"])
        assert [b for _, _, b in early] == []  # February: nobody earned
        done = await monthly.award_last_month(app.session_factory, groups, april, app.deps["bus"])
        assert sorted(u for _, u, _ in done) == [202, 203, 204]
        assert {b for _, _, b in done} == {"top3_2026_03"}
        again = await monthly.award_last_month(app.session_factory, groups, april, app.deps["bus"])
        assert again == []
        await bot.app.outbox.drain(5)
        assert sum("Top 3 of 2026-03" in plain(t) for t in bot.texts()) == 3
