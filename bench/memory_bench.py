"""Memory of the bot process as distinct members keep arriving (`python -m bench --memory`).

Members check in across a few groups, and one in a hundred also writes to the bot in private (a
/me there gets a reply: a per-chat send window). Every member is new, so any map that keeps an
entry per member, per (group, member) or per chat shows as growth. Printed at each tenth: the
process's resident memory (VmRSS), its peak (VmHWM) and the size of every in-process cache.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram.types import Update
from pydantic import SecretStr

from bot.config import Settings
from composition.app import App, create_app, ready_for_traffic
from devtools.inprocess import InProcessSession

GROUPS = [-1009100000000 - i for i in range(20)]
BATCH = 100
FIRST_USER = 100_000_000


@dataclass
class Sample:
    members: int
    rss_mb: float
    peak_mb: float
    caches: dict[str, int]


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _update(i: int, now: int) -> dict[str, Any]:
    user = {
        "id": FIRST_USER + i,
        "is_bot": False,
        "first_name": f"Member {i}",
        "username": f"member_{i}",
        "language_code": "zh-hans" if i % 3 else "en",
    }
    if i % 100 == 99:
        chat: dict[str, Any] = {"id": FIRST_USER + i, "type": "private", "first_name": "M"}
        text = "/me"
    else:
        group = GROUPS[i % len(GROUPS)]
        chat = {"id": group, "type": "supergroup", "title": f"Group {group}"}
        text = "/checkin"
    return {
        "update_id": i + 1,
        "message": {
            "message_id": i + 1,
            "date": now,
            "chat": chat,
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


def _batches(members: int) -> Iterator[list[Update]]:
    now = int(datetime.now(UTC).timestamp())
    for start in range(0, members, BATCH):
        yield [
            Update.model_validate(_update(i, now))
            for i in range(start, min(start + BATCH, members))
        ]


async def measure(database_url: str, members: int, samples: int = 10) -> list[Sample]:
    settings = Settings(
        bot_token=SecretStr("123456:BENCH"), database_url=database_url, log_level="WARNING"
    )
    app = await create_app(settings, bot_session=InProcessSession(record=False))
    app.deps["bot_username"] = "community_test_bot"
    ready_for_traffic(app)  # as run_app: the hot models built, start-up frozen
    app.outbox.start()
    every = max(BATCH, members // samples // BATCH * BATCH)
    found = [_sample(app, 0)]
    try:
        seen = 0
        for batch in _batches(members):
            await app.processor.process(batch)
            seen += len(batch)
            if seen % every == 0 or seen == members:
                await app.processor.drain(60)
                found.append(_sample(app, seen))
                _print(found[-1])
    finally:
        await app.outbox.stop()
        await app.close()
    return found


def _sample(app: App, members: int) -> Sample:
    return Sample(members, _status_mb("VmRSS"), _status_mb("VmHWM"), app.cache_sizes())


def _print(sample: Sample) -> None:
    caches = ", ".join(f"{name} {size:,}" for name, size in sample.caches.items())
    print(
        f"  {sample.members:>9,} members: RSS {sample.rss_mb:6.1f} MB "
        f"(peak {sample.peak_mb:6.1f})  {caches}",
        flush=True,
    )


def report(members: int, found: list[Sample], seconds: float) -> None:
    start, end = found[0], found[-1]
    print(
        f"memory: {members:,} distinct members in {seconds:.0f} s; RSS after start-up "
        f"{start.rss_mb:.1f} MB, at the end {end.rss_mb:.1f} MB, peak {end.peak_mb:.1f} MB"
    )
    grown = [name for name, size in end.caches.items() if size > 0]
    print("largest caches at the end: " + ", ".join(f"{n} {end.caches[n]:,}" for n in grown))


async def run(database_url: str, members: int) -> list[Sample]:
    started = time.perf_counter()
    found = await measure(database_url, members)
    report(members, found, time.perf_counter() - started)
    return found
