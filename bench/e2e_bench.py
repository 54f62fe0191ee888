"""End-to-end: N check-ins of N members pushed into the Bot API emulator, the bot as a process.

Timed from the push until "Telegram" has every update confirmed. Our bot confirms an update
only after its effects are committed, so confirmed means recorded (and the database is checked
afterwards). The ceiling is aiogram's stock polling with a no-op handler against the same
emulator, in the same run; it includes HTTP, JSON and the emulator itself.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from devtools.bot_process import ROOT, BotProcess
from devtools.emulator import BotAPIEmulator, RateLimits
from storage.tables import Checkin

GROUP = -1009000000002
FIRST_MEMBER = 10_000


# The bot process's CPU per update from ready to all confirmed, by contender (seconds): less
# sensitive to a shared machine's load than the wall-clock rate.
CPU: dict[str, list[float]] = {}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _push_and_time(
    emu: BotAPIEmulator, process: BotProcess, n: int, label: str = "ceiling"
) -> float:
    await process.start()
    try:
        date = datetime.now(UTC)
        assert process.process is not None
        cpu = _cpu_seconds(process.process.pid)
        started = time.perf_counter()
        last = None
        for i in range(n):
            last = emu.send_message(
                GROUP, FIRST_MEMBER + i, "/checkin" if i % 2 else "签到", date=date
            )
        assert last is not None
        await emu.wait_for(lambda: emu.confirmed_offset > last["update_id"], timeout=600)
        rate = n / (time.perf_counter() - started)
        CPU.setdefault(label, []).append((_cpu_seconds(process.process.pid) - cpu) / n)
        return rate
    finally:
        await process.stop(signal.SIGTERM, timeout=60)


def _emulator(n: int) -> BotAPIEmulator:
    emu = BotAPIEmulator(limits=RateLimits())
    emu.add_group(GROUP, "Bench")
    for i in range(n):
        emu.add_user(FIRST_MEMBER + i, f"Member {i}", language_code="zh-hans")
    return emu


async def e2e_ceiling(n: int) -> float:
    emu = _emulator(n)
    await emu.start()
    try:
        noop = BotProcess(emu, "sqlite://", argv=("-m", "bench.noop_bot"), LOG_LEVEL="WARNING")
        return await _push_and_time(emu, noop, n)
    finally:
        await emu.stop()


async def e2e_ours(database_url: str, n: int, root: Path | None = None) -> tuple[float, int]:
    """Our bot; or, with `root`, the bot of another checkout (a baseline in the same run)."""
    emu = _emulator(n)
    await emu.start()
    try:
        bot = BotProcess(emu, database_url, root=root or ROOT, LOG_LEVEL="WARNING")
        backend = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
        label = f"{backend} baseline" if root is not None else backend
        rate = await _push_and_time(emu, bot, n, label)
    finally:
        await emu.stop()
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as db:
            recorded = (await db.execute(select(func.count()).select_from(Checkin))).scalar_one()
    finally:
        await engine.dispose()
    return rate, int(recorded)
