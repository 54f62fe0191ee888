"""Activity points, rule by rule, with the group defaults (1 point, 5+ characters, 60 s, 20 a day).

Complements test_activity_points.py (one walk through all rules) with one behaviour per test and
checks the ledger row by row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from storage.tables import LedgerEntry, Member
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 on 2 March in Asia/Shanghai
MIDNIGHT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 00:00 on 3 March in Asia/Shanghai
BOB = f.user(200, "Bob", username="bob")
SEC = timedelta(seconds=1)


async def state(bot: Harness, user_id: int = 200) -> dict[str, object]:
    """The member's balance and activity counters next to their ledger."""
    async with bot.app.session_factory() as s:
        m = (
            await s.exec(
                select(Member).where(Member.group_id == f.GROUP_ID, Member.user_id == user_id)
            )
        ).one()
        rows = (
            await s.exec(
                select(LedgerEntry)
                .where(LedgerEntry.user_id == user_id)
                .order_by(LedgerEntry.created_at, LedgerEntry.id)
            )
        ).all()
    return {
        "points": m.points,
        "ledger": sum(r.amount for r in rows),
        "activity_rows": len([r for r in rows if r.reason == "activity"]),
        "today": m.activity_today,
        "day": m.activity_day,
        "last": m.activity_last_at,
        "rows": rows,
    }


def summary(st: dict[str, object]) -> tuple[object, object, object]:
    return st["points"], st["ledger"], st["activity_rows"]


async def test_too_short_messages_earn_nothing(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        for i, text in enumerate(["hi", "1234", "   abc   ", "🙂🙂", "ok!!"]):
            await bot.feed(f.message(BOB, text, date=DAY + 61 * i * SEC))
        st = await state(bot)
        assert summary(st) == (0, 0, 0) and st["last"] is None and st["today"] == 0

        # Exactly five characters is enough, in any script (counted as characters, not bytes).
        await bot.feed(f.message(BOB, "hello", date=DAY + 400 * SEC))
        await bot.feed(f.message(BOB, "大家早上好", date=DAY + 500 * SEC))
        assert summary(await state(bot)) == (2, 2, 2)
        assert bot.texts() == []  # silent


async def test_short_messages_do_not_start_the_cooldown(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "hi", date=DAY))
        await bot.feed(f.message(BOB, "a proper message", date=DAY + SEC))
        st = await state(bot)
        assert summary(st) == (1, 1, 1) and st["last"] == DAY + SEC


async def test_cooldown_is_sixty_seconds_from_the_last_credited_message(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "first message", date=DAY))
        await bot.feed(f.message(BOB, "second, 30 s later", date=DAY + 30 * SEC))
        await bot.feed(f.message(BOB, "third, 59 s later", date=DAY + 59 * SEC))
        assert summary(await state(bot)) == (1, 1, 1)
        # Uncredited messages do not push the cooldown back: 60 s after the first one counts.
        await bot.feed(f.message(BOB, "fourth, 60 s later", date=DAY + 60 * SEC))
        st = await state(bot)
        assert summary(st) == (2, 2, 2) and st["last"] == DAY + 60 * SEC
        await bot.feed(f.message(BOB, "fifth, 119 s later", date=DAY + 119 * SEC))
        assert summary(await state(bot)) == (2, 2, 2)


async def test_daily_cap_of_twenty(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        for i in range(30):
            await bot.feed(f.message(BOB, f"message number {i}", date=DAY + 61 * i * SEC))
        st = await state(bot)
        assert summary(st) == (20, 20, 20)
        assert st["today"] == 20 and st["day"] == date(2026, 3, 2)
        rows = st["rows"]
        assert isinstance(rows, list)
        # One row per credited message, the first twenty, each at its message's time.
        assert [r.created_at for r in rows] == [DAY + 61 * i * SEC for i in range(20)]
        assert {(r.amount, r.reason, r.source, r.actor_id) for r in rows} == {
            (1, "activity", "update", None)
        }
        assert len({r.idempotency_key for r in rows}) == 20


async def test_cap_holds_within_one_batch(db_url: str) -> None:
    """Many messages of one member in one getUpdates batch: same rules as one at a time."""
    async with running_bot(db_url) as bot:
        await bot.feed(
            *[f.message(BOB, f"batched message {i}", date=DAY + 61 * i * SEC) for i in range(25)],
            *[f.message(BOB, f"too soon {i}", date=DAY + (61 * i + 5) * SEC) for i in range(3)],
        )
        st = await state(bot)
        assert summary(st) == (20, 20, 20) and st["today"] == 20


async def test_a_new_local_day_resets_the_cap(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        for i in range(20):
            await bot.feed(f.message(BOB, f"message number {i}", date=DAY + 61 * i * SEC))
        # 23:59:59 in Shanghai: still the capped day.
        await bot.feed(f.message(BOB, "late at night", date=MIDNIGHT - SEC))
        st = await state(bot)
        assert summary(st) == (20, 20, 20) and st["day"] == date(2026, 3, 2)
        # 00:00:00 in Shanghai (16:00 UTC): a fresh allowance.
        await bot.feed(f.message(BOB, "new day already", date=MIDNIGHT))
        st = await state(bot)
        assert summary(st) == (21, 21, 21)
        assert st["day"] == date(2026, 3, 3) and st["today"] == 1
        for i in range(1, 25):
            await bot.feed(f.message(BOB, f"second day {i}", date=MIDNIGHT + 61 * i * SEC))
        st = await state(bot)
        assert summary(st) == (40, 40, 40) and st["today"] == 20


async def test_cooldown_spans_midnight(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "just before", date=MIDNIGHT - 30 * SEC))
        await bot.feed(f.message(BOB, "just after", date=MIDNIGHT + 10 * SEC))
        assert summary(await state(bot)) == (1, 1, 1)
        await bot.feed(f.message(BOB, "a minute on", date=MIDNIGHT + 30 * SEC))
        st = await state(bot)
        assert summary(st) == (2, 2, 2) and st["day"] == date(2026, 3, 3) and st["today"] == 1


async def test_redelivered_update_is_credited_once(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        first = f.message(BOB, "hello there", date=DAY)
        await bot.feed(first)
        await bot.feed(first)
        await bot.feed(first, first)  # and twice within one batch
        assert summary(await state(bot)) == (1, 1, 1)
        # Redelivered after a later credited message: still nothing new.
        await bot.feed(f.message(BOB, "a minute later", date=DAY + 61 * SEC))
        await bot.feed(first)
        st = await state(bot)
        assert summary(st) == (2, 2, 2) and st["last"] == DAY + 61 * SEC


async def test_redelivered_update_in_a_fresh_batch_with_new_messages(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        first = f.message(BOB, "hello there", date=DAY)
        await bot.feed(first)
        await bot.feed(first, f.message(BOB, "something new", date=DAY + 61 * SEC))
        assert summary(await state(bot)) == (2, 2, 2)


async def test_many_members_in_one_batch_each_earn(db_url: str) -> None:
    users = [f.user(1000 + i, f"U{i}") for i in range(15)]
    async with running_bot(db_url) as bot:
        await bot.feed(*[f.message(u, "good morning all", date=DAY) for u in users])
        for u in users:
            assert summary(await state(bot, u["id"])) == (1, 1, 1)


async def test_captions_count_commands_and_checkins_do_not(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.photo_message(BOB, date=DAY))  # a photo alone: seen, nothing earned
        st = await state(bot)
        assert summary(st) == (0, 0, 0)
        await bot.feed(f.photo_message(BOB, "look at this view", date=DAY + SEC))
        assert summary(await state(bot)) == (1, 1, 1)
        await bot.feed(f.message(BOB, "/unknowncommand with words", date=DAY + 100 * SEC))
        await bot.feed(f.message(BOB, "/top", date=DAY + 200 * SEC))
        assert summary(await state(bot)) == (1, 1, 1)
        await bot.feed(f.message(BOB, "签到", date=DAY + 300 * SEC))
        st = await state(bot)
        assert st["points"] == 11 and st["ledger"] == 11 and st["activity_rows"] == 1


async def test_bots_and_service_accounts_earn_nothing(db_url: str) -> None:
    other_bot = {"id": 999, "is_bot": True, "first_name": "OtherBot", "username": "other_bot"}
    anonymous_admin = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
    async with running_bot(db_url) as bot:
        await bot.feed(
            f.message(other_bot, "automatic announcement", date=DAY),
            f.message(anonymous_admin, "a message from the admins", date=DAY),
        )
        async with bot.app.session_factory() as s:
            members = (await s.exec(select(func.count()).select_from(Member))).one()
            ledger = (await s.exec(select(func.count()).select_from(LedgerEntry))).one()
        assert (members, ledger) == (0, 0)


async def test_balance_equals_ledger_for_everyone(db_url: str) -> None:
    users = [f.user(2000 + i, f"V{i}") for i in range(4)]
    async with running_bot(db_url) as bot:
        for step in range(25):
            await bot.feed(
                *[
                    f.message(u, f"chatting away {step}", date=DAY + (31 * step + i) * SEC)
                    for i, u in enumerate(users)
                ]
            )
        await bot.feed(*[f.message(u, "/checkin", date=DAY + 900 * SEC) for u in users])
        async with bot.app.session_factory() as s:
            points = dict((await s.exec(select(Member.user_id, Member.points))).all())
            ledger = dict(
                (
                    await s.exec(
                        select(LedgerEntry.user_id, func.sum(LedgerEntry.amount)).group_by(
                            LedgerEntry.user_id
                        )
                    )
                ).all()
            )
        # 25 messages 31 s apart: every other one is credited (13), plus the check-in's 10.
        assert points == ledger == {u["id"]: 23 for u in users}
