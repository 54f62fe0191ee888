"""A report that reads for seconds never keeps members waiting: reports read through their own
sessions (on SQLite read-only connections of their own, beside the writer's one connection),
so check-ins are committed while the report runs."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import sqlalchemy as sa

from tests import factories as f
from tests.app_harness import running_bot

NOW = datetime.now(UTC)
# A report busy for a second or two: SQLite reads (its single writer must not wait for it);
# PostgreSQL holds its connection and transaction.
SLOW = {
    "sqlite": sa.text(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500000) "
        "SELECT count(*) FROM c"
    ),
    "postgresql": sa.text("SELECT pg_sleep(1.5)"),
}


async def test_checkins_are_answered_while_a_report_reads(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(f.user(1, "Warm"), "签到", date=NOW))  # the schema is warm
        reading = asyncio.Event()

        async def report() -> None:
            async with bot.app.deps["report_sessions"]() as session:
                await session.exec(sa.text("SELECT 1"))
                reading.set()
                await session.exec(SLOW[session.bind.dialect.name])

        task = asyncio.create_task(report())
        await reading.wait()
        waits = []
        for i in range(5):
            started = time.perf_counter()
            await bot.app.processor.process([f.message(f.user(10 + i, "M"), "签到", date=NOW)])
            waits.append(time.perf_counter() - started)
        assert not task.done(), "the check-ins were committed while the report still read"
        assert max(waits) < 1.0, waits
        await task
