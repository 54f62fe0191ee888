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
from pathlib import Path

from bench.checkin_bench import ceiling, make_updates, ours, with_postgres
from bench.e2e_bench import e2e_ceiling, e2e_ours


async def end_to_end(n: int, pg: str | None) -> None:
    top = await e2e_ceiling(n)
    print(f"e2e ceiling (aiogram polling, no-op): {top:8.0f} updates/s")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        rate, recorded = await e2e_ours(url, n)
        print(
            f"e2e check-ins, SQLite:      {rate:8.0f} /s  ratio {rate / top:.2f}  recorded {recorded}/{n}"
        )
    if pg is not None:
        rate, recorded = await with_postgres(pg, lambda u: e2e_ours(u, n))
        print(
            f"e2e check-ins, PostgreSQL:  {rate:8.0f} /s  ratio {rate / top:.2f}  recorded {recorded}/{n}"
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
    if args.e2e:
        await end_to_end(args.n or 3000, None if args.skip_postgres else args.pg)
        return
    args.n = args.n or 5000
    updates = make_updates(args.n)
    # The pre-built updates are the harness's, not the bot's: keep them out of GC scans.
    gc.collect()
    gc.freeze()
    top = await ceiling(updates)
    print(f"ceiling (no-op aiogram handler): {top:8.0f} updates/s")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        rate, recorded = await ours(url, updates)
        print(
            f"check-ins, SQLite:      {rate:8.0f} /s  ratio {rate / top:.2f}  recorded {recorded}/{args.n}"
        )
    if not args.skip_postgres:
        rate, recorded = await with_postgres(args.pg, lambda u: ours(u, updates))
        print(
            f"check-ins, PostgreSQL:  {rate:8.0f} /s  ratio {rate / top:.2f}  recorded {recorded}/{args.n}"
        )


asyncio.run(main())
