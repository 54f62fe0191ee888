"""Group etiquette under load, in-process: past the group's pace, reactions and one edited digest.

A group is busy once the messages sent to it within the last minute (plus those queued) reach
half its per-minute allowance (OutboundLimits.group_busy_threshold). Here the allowance is
10/min, so the sixth check-in in a row is answered with a reaction, and the first of those
starts a digest message that is edited as more members check in. Also: concurrent check-ins
of one member record one check-in.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.methods import EditMessageText, SendMessage, SetMessageReaction
from sqlalchemy import func
from sqlmodel import select

from bot.digest import Digest
from storage.tables import Checkin, GroupDay, LedgerEntry, Member
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai
PER_MINUTE = 10
THRESHOLD = PER_MINUTE // 2
OTHER_GROUP = -1009876543210
DIGEST = "checked in today"


@asynccontextmanager
async def busy_bot(db_url: str, **settings: Any) -> AsyncIterator[Harness]:
    """The bot with a small group allowance and a digest that edits after 20 ms, not 10 s."""
    settings.setdefault("outbound_group_per_minute", PER_MINUTE)
    async with running_bot(db_url, **settings) as bot:
        digest = Digest(bot.app.outbox, bot.app.deps["locales"], edit_interval=0.02)
        bot.app.deps["digest"] = digest
        bot.app.digest = digest
        yield bot


async def settle(bot: Harness) -> None:
    """Let pending digest edits fire and be sent."""
    for _ in range(3):
        await asyncio.sleep(0.08)
        await bot.app.outbox.drain(5)


def rush(count: int, *, start: int = 7000, at: datetime = DAY) -> list[Any]:
    return [f.message(f.user(start + i, f"Rush{i}"), "/checkin", date=at) for i in range(count)]


def mid(update: Any) -> int:
    """The message id of an update's message."""
    return int(update.message.message_id)


def replied_to(message: SendMessage) -> int:
    assert message.reply_parameters is not None
    return message.reply_parameters.message_id


def replies(bot: Harness) -> list[SendMessage]:
    return [m for m in bot.sent(SendMessage) if DIGEST not in m.text]


def digests(bot: Harness) -> list[SendMessage]:
    return [m for m in bot.sent(SendMessage) if DIGEST in m.text]


def reactions(bot: Harness) -> list[SetMessageReaction]:
    return bot.sent(SetMessageReaction)


def edits(bot: Harness) -> list[EditMessageText]:
    return bot.sent(EditMessageText)


def emojis(bot: Harness) -> Counter[str]:
    return Counter(r.reaction[0].emoji for r in reactions(bot))  # type: ignore[index,union-attr]


async def checkin_totals(bot: Harness) -> tuple[int, int, int]:
    """(check-in rows, sum of check-in ledger rows, sum of members' points)."""
    async with bot.app.session_factory() as s:
        rows = (await s.exec(select(func.count()).select_from(Checkin))).one()
        credited = (
            await s.exec(
                select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                    LedgerEntry.reason == "checkin"
                )
            )
        ).one()
        points = (await s.exec(select(func.coalesce(func.sum(Member.points), 0)))).one()
    return rows, credited, points


# ---- a quiet group ---------------------------------------------------------------------------


async def test_quiet_group_gets_a_reply_per_checkin(db_url: str) -> None:
    async with running_bot(db_url) as bot:  # the default test allowance: 1000/min
        checkins = rush(20)
        await bot.feed(*checkins)
        assert len(replies(bot)) == 20 and digests(bot) == [] and reactions(bot) == []
        assert {replied_to(m) for m in replies(bot)} == {mid(u) for u in checkins}


async def test_below_the_threshold_each_checkin_is_answered(db_url: str) -> None:
    async with busy_bot(db_url) as bot:
        await bot.feed(*rush(THRESHOLD))
        await settle(bot)
        assert len(replies(bot)) == THRESHOLD
        assert digests(bot) == [] and reactions(bot) == [] and edits(bot) == []


# ---- a busy group ----------------------------------------------------------------------------


async def test_rush_in_one_batch_gets_reactions_and_one_edited_digest(db_url: str) -> None:
    async with busy_bot(db_url) as bot:
        checkins = rush(20)
        await bot.feed(*checkins)
        await settle(bot)

        assert len(replies(bot)) == THRESHOLD
        assert all("checked in — streak 1 day" in m.text for m in replies(bot))
        assert len(bot.sent(SendMessage)) == THRESHOLD + 1  # the replies and one digest
        busy = 20 - THRESHOLD
        assert len(reactions(bot)) == busy and emojis(bot) == {"👍": busy}

        # Each check-in is acknowledged exactly once, by a reply or by a reaction on it.
        answered = [replied_to(m) for m in replies(bot)] + [r.message_id for r in reactions(bot)]
        assert sorted(answered) == sorted(mid(u) for u in checkins)
        assert {r.chat_id for r in reactions(bot)} == {f.GROUP_ID}

        # One digest, edited in place until it counts everyone.
        (digest,) = digests(bot)
        assert digest.text.startswith("✅ ") and digest.reply_parameters is None
        assert edits(bot), "the digest is edited as it fills"
        assert len({e.message_id for e in edits(bot)}) == 1
        assert edits(bot)[-1].text.startswith("✅ 20 checked in today.")
        assert "Rush" in edits(bot)[-1].text
        assert await checkin_totals(bot) == (20, 200, 200)


async def test_rush_one_at_a_time_switches_to_reactions_at_the_threshold(db_url: str) -> None:
    async with busy_bot(db_url) as bot:
        checkins = rush(14)
        for i, update in enumerate(checkins):
            await bot.feed(update)
            if i < THRESHOLD:  # still quiet: the check-in got its own reply
                assert replied_to(replies(bot)[-1]) == mid(update)
        await settle(bot)

        assert [replied_to(m) for m in replies(bot)] == [mid(u) for u in checkins[:THRESHOLD]]
        assert [r.message_id for r in reactions(bot)] == [mid(u) for u in checkins[THRESHOLD:]]
        (digest,) = digests(bot)
        assert digest.text.startswith(f"✅ {THRESHOLD + 1} checked in today.")
        counts = [int(e.text.split()[1]) for e in edits(bot)]
        assert counts == sorted(counts) and counts[-1] == 14  # it only ever grows
        assert len(bot.sent(SendMessage)) == THRESHOLD + 1
        assert await checkin_totals(bot) == (14, 140, 140)


async def test_repeat_checkins_in_a_busy_group_get_a_different_reaction(db_url: str) -> None:
    async with busy_bot(db_url) as bot:
        first = rush(12)
        await bot.feed(*first)
        await settle(bot)
        before = (len(bot.sent(SendMessage)), len(edits(bot)), edits(bot)[-1].text)
        bot.clear()

        # Everyone tries again an hour later: already checked in, acknowledged with 👌 only.
        again = rush(12, at=DAY + timedelta(hours=1))
        await bot.feed(*again)
        await settle(bot)
        assert bot.sent(SendMessage) == [] and edits(bot) == []
        assert emojis(bot) == {"👌": 12}
        assert sorted(r.message_id for r in reactions(bot)) == sorted(mid(u) for u in again)
        assert before[0] == THRESHOLD + 1 and before[2].startswith("✅ 12 checked in")
        assert await checkin_totals(bot) == (12, 120, 120)


async def test_a_new_day_starts_a_new_digest(db_url: str) -> None:
    async with busy_bot(db_url) as bot:
        await bot.feed(*rush(10))
        await settle(bot)
        assert len(digests(bot)) == 1
        yesterdays = edits(bot)[-1].message_id
        bot.clear()
        # The next local day, while the group is still busy (its minute has not passed).
        await bot.feed(*rush(3, at=DAY + timedelta(days=1)))
        await settle(bot)
        assert replies(bot) == [] and emojis(bot) == {"👍": 3}
        (digest,) = digests(bot)  # a fresh message, not an edit of yesterday's
        assert yesterdays not in {e.message_id for e in edits(bot)}
        texts = [digest.text] + [e.text for e in edits(bot)]
        assert texts[-1].startswith("✅ 3 checked in today.")


async def test_busy_is_per_group(db_url: str) -> None:
    async with busy_bot(db_url) as bot:
        await bot.feed(*rush(12))
        await settle(bot)
        bot.clear()
        elsewhere = f.message(f.user(8000, "Quiet"), "/checkin", chat_id=OTHER_GROUP, date=DAY)
        await bot.feed(elsewhere)
        await settle(bot)
        assert reactions(bot) == [] and digests(bot) == []
        (answer,) = replies(bot)
        assert answer.chat_id == OTHER_GROUP and "You are the 1st today." in answer.text


async def test_messages_sent_for_other_reasons_make_the_group_busy(db_url: str) -> None:
    """The load counts every message the bot sent to the group in the last minute."""
    async with busy_bot(db_url) as bot:
        for i in range(THRESHOLD):
            await bot.feed(f.message(f.user(100 + i), "/top", date=DAY))
        assert len(bot.sent(SendMessage)) == THRESHOLD
        await bot.feed(*rush(2))
        await settle(bot)
        assert len(reactions(bot)) == 2 and len(digests(bot)) == 1
        assert len(bot.sent(SendMessage)) == THRESHOLD + 1


# ---- an administrator rewarding many members ---------------------------------------------------

ADMIN = f.user(100, "Ada", username="ada")


async def winners(bot: Harness, count: int) -> list[Any]:
    """Members who spoke (the admin replies to their messages), known to the bot."""
    hellos = [
        f.message(f.user(90_000 + i, f"Winner{i}", username=f"w{i}"), "hello everyone", date=DAY)
        for i in range(count)
    ]
    await bot.feed(*hellos)
    return hellos


async def admin_changes(bot: Harness, reason: str) -> list[int]:
    async with bot.app.session_factory() as s:
        rows = await s.exec(select(LedgerEntry.user_id).where(LedgerEntry.reason == reason))
        return sorted(rows.all())


async def test_grants_in_a_busy_group_fold_into_one_message(db_url: str) -> None:
    async with busy_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        hellos = await winners(bot, 12)
        grants = [
            f.message(ADMIN, "/grant 5 winner", date=DAY, reply_to=f.message_payload(hello))
            for hello in hellos
        ]
        for grant in grants:
            await bot.feed(grant)  # one at a time, as an admin types them
        await settle(bot)

        answers = [m for m in bot.sent(SendMessage) if "+5 points to" in m.text]
        assert [replied_to(m) for m in answers] == [mid(g) for g in grants[:THRESHOLD]]
        (fold,) = [m for m in bot.sent(SendMessage) if "points each to" in m.text]
        assert len(bot.sent(SendMessage)) == THRESHOLD + 1  # instead of 12
        assert [r.message_id for r in reactions(bot)] == [mid(g) for g in grants[THRESHOLD:]]
        final = edits(bot)[-1].text if edits(bot) else fold.text
        assert final == (
            "✅ +5 points each to Winner11, Winner10, Winner9, Winner8, Winner7, … (7 members)"
        )
        assert await admin_changes(bot, "admin_grant") == [90_000 + i for i in range(12)]


async def test_deducts_fold_apart_from_grants_and_mixed_amounts_show_the_total(
    db_url: str,
) -> None:
    async with busy_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await winners(bot, 8)
        for i in range(8):  # the group becomes busy with these answers
            await bot.feed(f.message(ADMIN, f"/grant @w{i} 5", date=DAY))
        bot.clear()
        for i, amount in ((0, 1), (1, 1), (2, 2)):
            await bot.feed(f.message(ADMIN, f"/deduct {90_000 + i} {amount} spam", date=DAY))
        await settle(bot)
        (fold,) = bot.sent(SendMessage)
        texts = [fold.text] + [e.text for e in edits(bot)]
        assert texts[0] == "➖ 1 points each taken from Winner0 (1 member)"
        assert texts[-1] == "➖ 4 points in all taken from Winner2, Winner1, Winner0 (3 members)"
        assert await admin_changes(bot, "admin_deduct") == [90_000, 90_001, 90_002]


# ---- one member, two check-ins at once ---------------------------------------------------------


async def one_member_state(bot: Harness, user_id: int) -> tuple[int, int, int, int, int]:
    """(check-in rows, ledger rows, points, member.checkins, the day's count) for a member."""
    async with bot.app.session_factory() as s:
        rows = (
            await s.exec(
                select(func.count()).select_from(Checkin).where(Checkin.user_id == user_id)
            )
        ).one()
        ledger = (
            await s.exec(
                select(func.count()).select_from(LedgerEntry).where(LedgerEntry.user_id == user_id)
            )
        ).one()
        m = (await s.exec(select(Member).where(Member.user_id == user_id))).one()
        day_count = (await s.exec(select(func.coalesce(func.sum(GroupDay.checkins), 0)))).one()
    return rows, ledger, m.points, m.checkins, day_count


async def test_two_checkins_of_one_member_in_one_batch(db_url: str) -> None:
    ann = f.user(1, "Ann")
    async with running_bot(db_url) as bot:
        await bot.feed(
            f.message(ann, "/checkin", date=DAY),
            f.message(ann, "签到", date=DAY + timedelta(seconds=1)),
        )
        assert await one_member_state(bot, 1) == (1, 1, 10, 1, 1)
        texts = bot.texts()
        assert len(texts) == 2
        assert sum("checked in — streak 1 day" in t for t in texts) == 1
        assert sum("already checked in" in t for t in texts) == 1


async def test_two_concurrent_feeds_of_one_members_checkins(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        for i in range(5):  # a few rounds, new member each time: interleavings vary
            user = f.user(10 + i, f"Concurrent{i}")
            await asyncio.gather(
                bot.feed(f.message(user, "/checkin", date=DAY)),
                bot.feed(f.message(user, "打卡", date=DAY)),
            )
            rows, ledger, points, checkins, _ = await one_member_state(bot, 10 + i)
            assert (rows, ledger, points, checkins) == (1, 1, 10, 1), i
        async with bot.app.session_factory() as s:
            (count,) = (await s.exec(select(GroupDay.checkins).where(GroupDay.checkins > 0))).all()
        assert count == 5  # positions counted once per member
        texts = bot.texts()
        assert sum("checked in — streak 1 day" in t for t in texts) == 5
        assert sum("already checked in" in t for t in texts) == 5


async def test_concurrent_webhook_requests_for_one_member(db_url: str) -> None:
    """Webhook mode: one request per update, two arriving together."""
    async with running_bot(db_url) as bot:
        eve = f.user(20, "Eve")
        await asyncio.gather(
            bot.app.processor.process_one(f.message(eve, "/checkin", date=DAY)),
            bot.app.processor.process_one(f.message(eve, "/checkin", date=DAY)),
        )
        await bot.app.outbox.drain(5)
        assert await one_member_state(bot, 20) == (1, 1, 10, 1, 1)


async def test_concurrent_feeds_with_the_same_update(db_url: str) -> None:
    """Telegram redelivers while the first delivery is still being handled."""
    async with running_bot(db_url) as bot:
        fay = f.user(30, "Fay")
        update = f.message(fay, "/checkin", date=DAY)
        await asyncio.gather(bot.feed(update), bot.feed(update))
        assert await one_member_state(bot, 30) == (1, 1, 10, 1, 1)
        # One confirmation and nothing else: the second copy is a duplicate, not "already".
        texts = bot.texts()
        assert sum("checked in — streak 1 day" in t for t in texts) == 1
        assert not [t for t in texts if "already checked in" in t]


async def test_two_checkins_of_one_member_in_one_write_batch(db_url: str) -> None:
    """Both events reach the batcher together and are written in one transaction."""
    from core.engagement.member_events import MemberEvent, UserInfo

    async with running_bot(db_url) as bot:
        batcher = bot.app.deps["batcher"]
        written: list[int] = []
        write = batcher._write

        async def counting_write(batch: Any) -> Any:
            written.append(len(batch))
            return await write(batch)

        batcher._write = counting_write
        gus = UserInfo(40, None, "Gus", "en")
        events = [
            MemberEvent("checkin", f.next_update_id(), f.GROUP_ID, gus, DAY + timedelta(seconds=i))
            for i in range(2)
        ]
        results = await asyncio.gather(*(batcher.submit(e) for e in events))
        assert written == [2]
        assert sorted(r.status for r in results) == ["already", "new"]
        assert await one_member_state(bot, 40) == (1, 1, 10, 1, 1)


async def test_two_bot_processes_on_one_database(db_url: str) -> None:
    """Two instances (e.g. a restart overlapping the old one) handle one member's check-ins."""
    async with running_bot(db_url) as one, running_bot(db_url) as two:
        for i in range(3):
            user = f.user(50 + i, f"Twice{i}")
            await asyncio.gather(
                one.feed(f.message(user, "/checkin", date=DAY)),
                two.feed(f.message(user, "签到", date=DAY)),
            )
            rows, ledger, points, checkins, _ = await one_member_state(one, 50 + i)
            assert (rows, ledger, points, checkins) == (1, 1, 10, 1), i
        answers = one.texts() + two.texts()
        assert sum("checked in — streak 1 day" in t for t in answers) == 3
        assert sum("already checked in" in t for t in answers) == 3


async def test_the_same_update_twice_in_one_write_batch(db_url: str) -> None:
    from core.engagement.member_events import MemberEvent, UserInfo

    async with running_bot(db_url) as bot:
        batcher = bot.app.deps["batcher"]
        hal = UserInfo(50, None, "Hal", "en")
        event = MemberEvent("checkin", f.next_update_id(), f.GROUP_ID, hal, DAY)
        again = dataclasses.replace(event)  # a second delivery: equal, not the same object
        results = await asyncio.gather(batcher.submit(event), batcher.submit(again))
        assert sorted(r.status for r in results) == ["duplicate", "new"]
        assert await one_member_state(bot, 50) == (1, 1, 10, 1, 1)
