"""`python -m bench --analytics [--members 100000]`: /stats on a generated year of a big group
(bench/analytics_data.py), through the real Dispatcher and handlers (Telegram in-process), on
a copy of the cached database; /retention, /funnel, /compare and /stats' album through the
handlers with the real worker process; then check-ins answered while an admin asks for
reports in a loop.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram.methods import SendMessage
from aiogram.types import Update
from pydantic import SecretStr

from bench import analytics_data as data
from bot.config import Settings
from composition.app import create_app, ready_for_traffic
from core.analytics import reports
from core.analytics.periods import Period
from devtools.inprocess import InProcessSession

ADMIN = 4_000_001
ASKED_AT = datetime(data.END.year, data.END.month, data.END.day, 4, 0, tzinfo=UTC)  # 12:00
ROUNDS = 5


@dataclass
class Figures:
    generated_seconds: float
    totals: dict[str, int]
    stats: dict[str, list[float]] = field(default_factory=dict)  # what -> seconds per call
    checkin_latency: dict[str, list[float]] = field(default_factory=dict)


def _update(update_id: int, user: int, text: str, at: datetime, first_name: str) -> Update:
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(at.timestamp()),
        "chat": {"id": data.GROUP, "type": "supergroup", "title": "Analytics bench"},
        "from": {"id": user, "is_bot": False, "first_name": first_name, "language_code": "en"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
        ]
    return Update.model_validate({"update_id": update_id, "message": message})


async def measure(url: str, generated: data.Generated) -> Figures:
    figures = Figures(generated.seconds, generated.totals)
    session = InProcessSession(admins={(data.GROUP, ADMIN)})
    settings = Settings(
        bot_token=SecretStr("123456:BENCH"),
        database_url=url,
        default_timezone="Asia/Shanghai",
        outbound_global_per_second=100000.0,
        outbound_group_per_minute=100000.0,
        outbound_private_per_second=100000.0,
    )
    app = await create_app(settings, bot_session=session)
    ready_for_traffic(app)
    app.outbox.start()
    ids = iter(range(10_000_000, 20_000_000))
    worker = app.deps["worker"]
    try:
        end = data.END
        # /stats' numbers, as before its album existed (the album is timed below).
        app.deps["worker"] = _NoCharts()
        for label, days in (("30d", 30), ("90d", 90)):
            period = Period(end - timedelta(days=days - 1), end)
            timings = figures.stats.setdefault(f"/stats {label} (handler)", [])
            core = figures.stats.setdefault(f"summary {label} (core)", [])
            # This process's CPU for it (SQLite's reading included: it runs in our threads;
            # PostgreSQL's is in the server): what a shared machine's load does not inflate.
            cpu = figures.stats.setdefault(f"summary {label} (core), CPU", [])
            for _ in range(ROUNDS):
                before = len(session.calls)
                started = time.perf_counter()
                await app.processor.process(
                    [_update(next(ids), ADMIN, f"/stats {label}", ASKED_AT, "Admin")]
                )
                await app.processor.drain(60)
                timings.append(time.perf_counter() - started)
                sent = [c for c in session.calls[before:] if isinstance(c, SendMessage)]
                assert sent and "Members" in sent[-1].text, sent
                async with app.deps["report_sessions"]() as s:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    await reports.summary(s, data.GROUP, period)
                    core.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - cpu_started)
        app.deps["worker"] = worker  # the real worker process: the pictures are drawn
        await _commands(app, session, ids, figures, end)
        year = Period(end - timedelta(days=364), end)
        for label, call in (
            ("retention weeks, a year", lambda s: reports.retention_weeks(s, data.GROUP, year, end)),
            ("retention days, 90 days", lambda s: reports.retention_days(
                s, data.GROUP, Period(end - timedelta(days=89), end), end)),
            ("funnel, a year", lambda s: reports.funnel(s, data.GROUP, year)),
            ("hour matrix, a year", lambda s: reports.hour_matrix(s, data.GROUP, year)),
            ("members' facts (all)", lambda s: reports.members_facts(s, data.GROUP, end)),
        ):  # fmt: skip
            timings = figures.stats.setdefault(label, [])
            for _ in range(3):
                async with app.deps["report_sessions"]() as s:
                    started = time.perf_counter()
                    await call(s)
                    timings.append(time.perf_counter() - started)
        figures.checkin_latency = await _checkins_during_reports(app, ids)
    finally:
        await app.close()
    return figures


class _NoCharts:
    """A worker that draws nothing: /stats' numbers timed alone."""

    running = True

    async def run(self, fn: Any, /, *args: Any, timeout: float | None = None) -> Any:
        return [None] * len(args[0])


async def _commands(
    app: Any, session: InProcessSession, ids: Any, figures: Figures, end: Any
) -> None:
    """The reports through the handler, pictures included (drawn in the worker process; its
    start and matplotlib's import fall in the first call: the median is a warm worker)."""
    for command in (
        "/retention",
        "/retention days 90d",
        "/funnel 90d",
        f"/compare {end - timedelta(days=14)} 7",
        "/stats 30d",  # with its album of seven charts
    ):
        label = f"{command} (handler{', album' if command.startswith('/stats') else ''})"
        timings = figures.stats.setdefault(label, [])
        for _ in range(ROUNDS):
            before = len(session.calls)
            started = time.perf_counter()
            await app.processor.process([_update(next(ids), ADMIN, command, ASKED_AT, "Admin")])
            await app.processor.drain(60)
            timings.append(time.perf_counter() - started)
            sent = [c for c in session.calls[before:] if isinstance(c, SendMessage)]
            assert sent and "Not enough" not in sent[0].text, (command, sent)


async def _checkins_during_reports(app: Any, ids: Any) -> dict[str, list[float]]:
    """Check-ins of fresh members, 20 at a time, alone and while /stats 90d runs in a loop:
    the time from a batch's arrival to its commit."""
    latency: dict[str, list[float]] = {"alone": [], "during reports": []}
    member = iter(range(6_000_000, 7_000_000))
    at = ASKED_AT + timedelta(hours=1)

    async def batches(label: str, count: int) -> None:
        for _ in range(count):
            batch = [_update(next(ids), next(member), "签到", at, "M") for _ in range(20)]
            started = time.perf_counter()
            await app.processor.process(batch)
            latency[label].append(time.perf_counter() - started)
            await asyncio.sleep(0.05)

    await batches("alone", 20)
    stop = asyncio.Event()

    async def reports_loop() -> None:
        while not stop.is_set():
            await app.processor.process([_update(next(ids), ADMIN, "/stats 90d", at, "Admin")])

    loop = asyncio.create_task(reports_loop())
    try:
        await asyncio.sleep(0.2)
        await batches("during reports", 40)
    finally:
        stop.set()
        await loop
    await app.processor.drain(60)
    return latency


def report(name: str, figures: Figures) -> None:
    made = (
        f"generated in {figures.generated_seconds:.0f} s"
        if figures.generated_seconds
        else "from the cache"
    )
    print(f"{name}: {figures.totals} ({made})")
    for label, values in figures.stats.items():
        print(
            f"  {label:34} median {statistics.median(values) * 1000:7.0f} ms "
            f"(max {max(values) * 1000:.0f} ms, {len(values)} calls)"
        )
    for label, values in figures.checkin_latency.items():
        print(
            f"  check-in batch {label:15} median {statistics.median(values) * 1000:6.0f} ms, "
            f"max {max(values) * 1000:6.0f} ms ({len(values)} batches of 20)"
        )


async def run(members: int, db: str, pg: str | None) -> None:
    if db in ("sqlite", "both"):
        generated = await data.generate_sqlite(members)
        source = Path(generated.url.split("///", 1)[1])
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "analytics.db"
            await asyncio.to_thread(shutil.copyfile, source, copy)
            report("SQLite", await measure(f"sqlite+aiosqlite:///{copy}", generated))
    if db in ("postgresql", "both") and pg is not None:
        template, generated = await data.generate_postgres(pg, members)
        name = f"bench_analytics_run_{int(time.time())}"
        url = await data.copy_postgres(pg, template, name)
        try:
            report("PostgreSQL", await measure(url, generated))
        finally:
            await data.drop_postgres(pg, name)
