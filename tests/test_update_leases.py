"""Webhook replicas on one PostgreSQL: a copy of an update waits for the process that has it
(bot/update_leases.py), then finds it processed: one effect and one reply, also for commands
that write nothing; and a process that dies lets the copy through at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.update_leases import UpdateLeases
from storage.db import create_engine, create_session_factory
from storage.tables import Checkin, ProcessedUpdate
from tests import factories as f
from tests.app_harness import running_bot

DAY1 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
WEBHOOK = {
    "bot_mode": "webhook",
    "webhook_url": "https://bot.example.org/hook",
    "webhook_secret": "lease-test",
}


async def test_a_copy_waits_for_the_holder_and_a_dead_holder_frees_it(
    pg_database: tuple[str, str],
) -> None:
    _, url = pg_database
    engines = [create_engine(url), create_engine(url)]
    first, second = (UpdateLeases(e, max_wait=5.0) for e in engines)
    try:
        assert await first.acquire(41)
        waiting = asyncio.create_task(second.acquire(41))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # the first process still has it
        assert await second.acquire(42)  # other updates are not held up
        first.release(41)
        assert await asyncio.wait_for(waiting, 5)
        second.release(41)

        assert await first.acquire(43)
        waiting = asyncio.create_task(second.acquire(43))
        await asyncio.sleep(0.2)
        await first.close()  # the process dies: its connection and leases go
        assert await asyncio.wait_for(waiting, 5)
        third = UpdateLeases(engines[0], max_wait=0.3)
        assert not await third.acquire(43)  # the second process has it now
        await third.close()
    finally:
        await first.close()
        await second.close()
        for engine in engines:
            await engine.dispose()


async def test_the_same_update_at_two_processes_at_once_applies_and_answers_once(
    pg_database: tuple[str, str],
) -> None:
    _, url = pg_database
    alice = f.user(1, "Alice")
    async with running_bot(url, **WEBHOOK) as one, running_bot(url, **WEBHOOK) as two:
        assert one.app.processor.leases is not None
        checkin = f.message(alice, "/checkin", date=DAY1)
        me = f.message(alice, "/me", date=DAY1)  # writes nothing: recorded after it is handled
        for update in (checkin, me):
            await asyncio.gather(
                one.app.processor.process_one(update), two.app.processor.process_one(update)
            )
        for bot in (one, two):
            await bot.app.processor.drain(10)
            await bot.app.outbox.drain(10)
        replies = one.texts() + two.texts()
        assert len([t for t in replies if "checked in" in t]) == 1, replies
        assert len([t for t in replies if "Points" in t or "points" in t.lower()]) == 2, replies
        assert len(replies) == 2, replies
        engine = create_engine(url)
        try:
            async with create_session_factory(engine)() as session:
                checkins = await session.scalar(select(func.count()).select_from(Checkin))
                processed = await session.scalar(
                    select(func.count())
                    .select_from(ProcessedUpdate)
                    .where(ProcessedUpdate.update_id.in_([checkin.update_id, me.update_id]))
                )
        finally:
            await engine.dispose()
        assert checkins == 1 and processed == 2
