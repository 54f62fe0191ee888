"""Levels reached are announced once, briefly, with the level's title: from check-ins, chat
activity and grants (in the group, by private message or not at all, per announce_badges);
in a busy group badges and levels are lines of the check-in digest, never a message each.
Through the real Dispatcher, batcher and database, both backends."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiogram.methods import EditMessageText, SendMessage
from sqlmodel import update

from bot.digest import MAX_NOTICES, Digest
from bot.i18n import Locales
from bot.replies import plain
from core.shop.level_ups import crossed
from core.shop.levels import LevelCurve
from storage.tables import Member
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY1 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
REACHED = "reached level"


def test_crossed() -> None:
    curve = LevelCurve((0, 10, 30), ())
    assert crossed(curve, 0, 9) is None
    assert crossed(curve, 9, 10) == 2
    assert crossed(curve, 5, 40) == 3  # two at once: the highest is announced
    assert crossed(curve, 40, 90) is None  # at the top


def level_texts(bot: Harness, chat_id: int | None = None) -> list[str]:
    return [plain(t) for t in bot.texts(chat_id) if REACHED in t]


async def test_levels_are_announced_once_from_every_way_of_earning(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/settings levels 0,10,30,36", date=DAY1))
        checkin = f.message(BOB, "/checkin", date=DAY1)
        await bot.feed(checkin)
        assert level_texts(bot) == ["🎉 Bob reached level 2 · Regular"]
        assert "checked in" in bot.texts()[-2]  # the check-in's answer first
        assert bot.sent()[-1].chat_id == f.GROUP_ID
        await bot.feed(checkin)  # redelivered: nothing credited, nothing announced
        assert len(level_texts(bot)) == 1
        # Spending never lowers a level: earning again does not announce level 2 twice.
        await bot.feed(f.message(ADMIN, "/deduct @bob 10", date=DAY1))
        await bot.feed(f.message(BOB, "/checkin", date=DAY1 + timedelta(days=1)))  # 20 earned
        assert len(level_texts(bot)) == 1
        await bot.feed(f.message(ADMIN, "/grant @bob 15", date=DAY1 + timedelta(days=1)))
        assert level_texts(bot)[-1] == "🎉 Bob reached level 3 · Core member"  # 35 earned
        # Renamed titles; a point for chatting reaches level 4.
        await bot.feed(f.message(ADMIN, "/settings level_titles 新人,活跃,核心,明星", date=DAY1))
        at = DAY1 + timedelta(days=1, hours=1)
        await bot.feed(f.message(BOB, "what a lovely community this is", date=at))
        assert level_texts(bot)[-1] == "🎉 Bob reached level 4 · 明星"
        assert len(level_texts(bot)) == 3


async def test_levels_by_private_message_or_not_at_all(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/settings levels 0,10,20", date=DAY1))
        await bot.feed(f.message(ADMIN, "/settings announce_badges dm", date=DAY1))
        await bot.feed(f.message(BOB, "/checkin", date=DAY1))
        # Bob never started the bot in private: nothing can reach him there.
        assert level_texts(bot) == []
        await bot.feed(f.message(BOB, "/start", chat_id=BOB["id"], date=DAY1))
        await bot.feed(f.message(BOB, "/checkin", date=DAY1 + timedelta(days=1)))
        assert level_texts(bot, BOB["id"]) == ["🎉 Bob reached level 3 · Core member"]
        assert level_texts(bot, f.GROUP_ID) == []
        await bot.feed(f.message(ADMIN, "/settings announce_badges off", date=DAY1))
        await bot.feed(f.message(ADMIN, "/grant @bob 50", date=DAY1))
        assert len(level_texts(bot)) == 1


PER_MINUTE = 10
THRESHOLD = PER_MINUTE // 2


@asynccontextmanager
async def busy_bot(db_url: str, **settings: Any) -> AsyncIterator[Harness]:
    async with running_bot(
        db_url, admins={(f.GROUP_ID, 100)}, outbound_group_per_minute=PER_MINUTE, **settings
    ) as bot:
        digest = Digest(
            bot.app.outbox, bot.app.deps["locales"], edit_interval=0.02, notice_delay=0.02
        )
        bot.app.deps["digest"] = digest
        bot.app.digest = digest
        yield bot


async def settle(bot: Harness) -> None:
    for _ in range(4):
        await asyncio.sleep(0.08)
        await bot.app.outbox.drain(5)


def digest_text(bot: Harness) -> str:
    """What the check-in digest says now (its latest edit, or the message as sent)."""
    sent = [m for m in bot.sent(SendMessage) if "checked in today" in m.text]
    assert len(sent) == 1, [m.text for m in sent]
    edits = [e.text for e in bot.sent(EditMessageText)]
    return plain(edits[-1] if edits else sent[0].text)


async def test_a_busy_group_reads_levels_in_the_checkin_digest(db_url: str) -> None:
    async with busy_bot(db_url) as bot:
        await bot.feed(f.message(ADMIN, "/settings levels 0,10", date=DAY1))
        bot.clear()
        rush = [f.message(f.user(7000 + i, f"Rush{i}"), "/checkin", date=DAY1) for i in range(20)]
        await bot.feed(*rush)
        await settle(bot)
        alone = [m for m in bot.sent(SendMessage) if REACHED in m.text]
        # Queued until the group's share was used; the others are digest lines.
        assert len(alone) <= THRESHOLD
        text = digest_text(bot)
        lines = [line for line in text.split("\n") if "level 2" in line]
        assert len(lines) == MAX_NOTICES
        assert lines[-1] == "🎉 Rush19: level 2 · Regular"
        assert f"…and {20 - len(alone) - MAX_NOTICES} more" in text
        assert text.startswith("✅ 20 checked in today")
        assert len(bot.sent(SendMessage)) <= THRESHOLD + 1


async def test_a_busy_group_reads_badges_in_the_checkin_digest(db_url: str) -> None:
    """A crowd on the sixth day of a streak checks in at once: 7-day streak badges, folded."""
    async with busy_bot(db_url) as bot:
        crowd = [f.user(7000 + i, f"P{i}") for i in range(12)]
        await bot.feed(*[f.message(p, "hi", date=DAY1 - timedelta(hours=1)) for p in crowd])
        async with bot.app.session_factory() as s:
            await s.exec(
                update(Member)
                .where(Member.user_id.in_([p["id"] for p in crowd]))  # type: ignore[attr-defined]
                .values(streak=6, best_streak=6, checkins=6, last_checkin_day=date(2026, 3, 1))
            )
            await s.commit()
        bot.clear()
        await bot.feed(*[f.message(p, "/checkin", date=DAY1) for p in crowd])
        await settle(bot)
        # The check-ins' own answers are queued first and use the group's share; a badge is
        # sent alone only while the group is still quiet, the rest are digest lines (the latest
        # MAX_NOTICES, and how many more).
        alone = [m for m in bot.sent(SendMessage) if "earned a badge" in m.text]
        assert len(alone) <= THRESHOLD
        text = digest_text(bot)
        assert text.startswith("✅ 12 checked in today")
        badge_lines = [line for line in text.split("\n") if "7-day streak" in line]
        more = re.search(r"…and (\d+) more", text)
        folded = len(badge_lines) + (int(more.group(1)) if more else 0)
        assert len(alone) + folded == 12 and len(badge_lines) <= MAX_NOTICES
        assert badge_lines[-1] == "🏅 P11: 7-day streak"
        assert len(bot.sent(SendMessage)) <= THRESHOLD + 1


async def test_notices_alone_open_a_digest_after_a_moment() -> None:
    class Outbox:
        def __init__(self) -> None:
            self.calls: list[Any] = []

        def send(self, chat_id: int, method: Any, **_: Any) -> asyncio.Future[Any]:
            self.calls.append(method)
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            future.set_result(type("Sent", (), {"message_id": len(self.calls)})())
            return future

    outbox = Outbox()
    digest = Digest(outbox, Locales(), edit_interval=0.01, notice_delay=0.01)  # type: ignore[arg-type]
    day = date(2026, 3, 2)
    digest.notice(-1, day, "en", "🏅 A: 7-day streak")
    assert outbox.calls == []  # waits for the check-in that usually follows
    await asyncio.sleep(0.05)
    assert [c.text for c in outbox.calls] == ["🏅 A: 7-day streak"]
    for i in range(MAX_NOTICES + 2):
        digest.notice(-1, day, "en", f"🎉 N{i}: level 2 · Regular")
    digest.checkin(-1, day, "en", "B", 1)
    await asyncio.sleep(0.05)
    last = outbox.calls[-1]
    assert isinstance(last, EditMessageText)
    lines = last.text.split("\n")
    assert lines[0].startswith("✅ 1 checked in today")
    assert lines[1] == "…and 3 more" and len(lines) == 2 + MAX_NOTICES
    digest.notice(-1, day + timedelta(days=1), "zh", "🏅 C：7 天连续")  # a new day: a new digest
    await asyncio.sleep(0.05)
    assert outbox.calls[-1].text == "🏅 C：7 天连续"
    await digest.close()


async def test_a_first_redemption_in_a_busy_group_is_a_digest_line(db_url: str) -> None:
    from handlers.shop.render import ShopConfirm

    async with busy_bot(db_url) as bot:
        await bot.feed(f.message(ADMIN, "/reward_add 5 9 Sticker", date=DAY1))
        rush = [f.message(f.user(7000 + i, f"Rush{i}"), "/checkin", date=DAY1) for i in range(12)]
        await bot.feed(*rush)
        await settle(bot)
        bot.clear()
        confirm = ShopConfirm(u=7000, n=1, c=5, k=987654).pack()
        await bot.feed(f.callback(f.user(7000, "Rush0"), confirm, 5))
        await settle(bot)
        assert not [m for m in bot.sent(SendMessage) if "earned a badge" in m.text]
        assert "Rush0 redeemed #1 Sticker" in plain(bot.sent(EditMessageText)[0].text)
        # The press is today (the rush was on 2 March): today's digest opens with the line.
        said = [plain(m.text) for m in bot.sent(SendMessage)]
        assert said == ["🏅 Rush0: First redemption"], said


async def test_no_second_connection_is_waited_for_when_the_settings_cache_has_expired(
    db_url: str,
) -> None:
    """Levels, badges and /me read the group's settings inside the transaction that holds
    SQLite's only connection: with the cache expired (here: no cache), reading them through a
    second session hung the check-in batch for the pool's 120 s timeout."""
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(ADMIN, "/settings levels 0,10,30,36", date=DAY1))
        async with asyncio.timeout(20):
            await bot.feed(f.message(BOB, "/checkin", date=DAY1))
            await bot.feed(f.message(BOB, "/me", chat_id=BOB["id"], date=DAY1))
        assert level_texts(bot) == ["🎉 Bob reached level 2 · Regular"]
        assert "Regular" in bot.texts(BOB["id"])[-1]
