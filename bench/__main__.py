"""`python -m bench [--n 5000] [--skip-postgres]`: check-in throughput against the aiogram ceiling."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import tempfile
from pathlib import Path

from bench.checkin_bench import ceiling, make_updates, ours, with_postgres


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--n", type=int, default=5000, help="check-ins (one per member)")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--pg", default=os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
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
