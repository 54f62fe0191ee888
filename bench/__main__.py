"""`python -m bench [--n 5000] [--skip-postgres] [--e2e]`: check-in throughput against aiogram's ceiling.

Default: the in-process bench (Dispatcher, handlers, database; Telegram answered in-process).
--e2e: the bot as a process polling the Bot API emulator (default N 3,000).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.checkin_bench import ceiling, make_updates, ours, with_postgres
from bench.e2e_bench import e2e_ceiling, e2e_ours


async def compare(
    label: str,
    top: float,
    ours_on: Callable[[str], Awaitable[tuple[float, int]]],
    n: int,
    pg: str | None,
) -> None:
    """Print our rate on SQLite (and PostgreSQL) as a ratio of the ceiling measured in this run."""
    print(f"{label} ceiling: {top:8.0f} updates/s")
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("SQLite", ours_on(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"))]
        if pg is not None:
            runs.append(("PostgreSQL", with_postgres(pg, ours_on)))
        for name, run in runs:
            rate, recorded = await run
            print(
                f"{label} check-ins, {name + ':':12} {rate:8.0f} /s  ratio {rate / top:.2f}"
                f"  recorded {recorded}/{n}"
            )


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--n", type=int, default=None, help="check-ins (one per member)")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--e2e", action="store_true", help="the bot as a process, via the emulator"
    )
    parser.add_argument(
        "--pg", default=os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    pg = None if args.skip_postgres else args.pg
    if args.e2e:
        n = args.n or 3000
        top = await e2e_ceiling(n)
        await compare("e2e (aiogram polling, no-op)", top, lambda url: e2e_ours(url, n), n, pg)
        return
    n = args.n or 5000
    updates = make_updates(n)
    # The pre-built updates are the harness's, not the bot's: keep them out of GC scans.
    gc.collect()
    gc.freeze()
    top = await ceiling(updates)
    await compare("in-process (no-op aiogram handler)", top, lambda url: ours(url, updates), n, pg)


asyncio.run(main())
