"""`python -m bench [--n 5000] [--skip-postgres] [--e2e] [--rounds R]`: check-in throughput
against aiogram's ceiling.

Default: the in-process bench (Dispatcher, handlers, database; Telegram answered in-process).
--e2e: the bot as a process polling the Bot API emulator (default N 3,000, 5 rounds).
--boards [--members M] [--ledger L] [--db sqlite|postgresql|both] [--shape spread|ties|both]:
/top and /me latency in one group of M members (default 200,000): values spread out over L
ledger rows (default 1,000,000), and most members tied at the cut (1-3 check-ins each).
--flash [--n TAPS] [--stock S] [--db …]: a flash drop (default 2,000 taps within a second for
stock 100): every tap's answer latency, exactly S redemptions.
--memory [--members M]: resident memory and cache sizes while M distinct members (default
1,000,000) check in (SQLite).
--analytics [--members M] [--db …]: /stats 30d and 90d, retention, funnel on a generated year
of a group of M members (default 100,000; bench/analytics_data.py, cached), and check-ins
answered while reports run in a loop.
--segments [--members M] [--ledger L] [--db …]: the segments' daily run, /segments, selector
counts and pages, /whois in one group of M members (default 100,000; L default 1,000,000).
--dashboard [--members M] [--db …]: the dashboard's server time per page in a group of M members
(default 200,000), and check-ins while it is in use.
--predict [--members M] [--weeks W] [--db …]: prediction on a generated group (default 20,000
members, 30 weeks; bench/predict_data.py) in the worker process: model AUC and Brier against the
baseline's, snapshot/training/scoring time and the worker's peak memory.
--campaign [--members M]: a campaign to M members (default 10,000) against the emulator's rate
limits: its sending rate against Telegram's 30/s, 429s, check-in answers while it sends.
--replicas [--n N] [--rounds R]: webhook replicas on PostgreSQL behind HAProxy, one and two
with Redis and one without (default N 3,000, 3 rounds): rates and bot CPU per update.
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
from statistics import median

from bench.analytics_bench import run as run_analytics
from bench.boards_bench import measure as measure_boards
from bench.boards_bench import report as report_boards
from bench.campaign_bench import report as report_campaign
from bench.campaign_bench import run as run_campaign
from bench.checkin_bench import ceiling, make_payloads, ours, with_postgres
from bench.dashboard_bench import measure as measure_dashboard
from bench.dashboard_bench import report as report_dashboard
from bench.e2e_bench import CPU, e2e_ceiling, e2e_ours
from bench.flash_bench import report as report_flash
from bench.flash_bench import run as run_flash
from bench.memory_bench import run as run_memory
from bench.predict_bench import measure as measure_predict
from bench.predict_bench import report as report_predict
from bench.segments_bench import measure as measure_segments
from bench.segments_bench import report as report_segments


async def compare(
    label: str,
    ceiling_run: Callable[[], Awaitable[float]],
    ours_on: Callable[[str], Awaitable[tuple[float, int]]],
    n: int,
    pg: str | None,
    rounds: int,
    baseline_on: Callable[[str], Awaitable[tuple[float, int]]] | None = None,
) -> None:
    """Rates on SQLite (and PostgreSQL) as ratios of the ceiling measured in the same round.

    Rounds alternate ceiling and ours, so a slow spell of the machine hits both; the medians
    over rounds are what to quote (the range shows the noise). With a baseline (another
    checkout's bot), each round runs it too, alternating which of the two goes first.
    """
    backends = ["SQLite"] + (["PostgreSQL"] if pg is not None else [])
    names = [
        name
        for backend in backends
        for name in ([backend] + ([f"{backend} baseline"] if baseline_on else []))
    ]
    ceilings: list[float] = []
    rates: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(rounds):
            top = await ceiling_run()
            ceilings.append(top)
            order = names if index % 2 == 0 else names[::-1]
            for name in order:
                run = baseline_on if name.endswith("baseline") else ours_on
                assert run is not None
                if name.startswith("SQLite"):
                    url = f"sqlite+aiosqlite:///{Path(tmp) / f'bench-{index}-{len(name)}.db'}"
                    rate, recorded = await run(url)
                else:
                    assert pg is not None
                    rate, recorded = await with_postgres(pg, run)
                if recorded != n:
                    raise SystemExit(f"{name}: recorded {recorded} of {n} check-ins")
                rates[name].append(rate)
                ratios[name].append(rate / top)
            print(
                f"  round {index + 1}: ceiling {top:6.0f}/s  "
                + "  ".join(f"{name} {rates[name][-1]:5.0f}/s" for name in names),
                flush=True,
            )
    print(f"{label} ceiling: median {median(ceilings):6.0f} updates/s  ({_span(ceilings)})")
    for name in names:
        print(
            f"{label} check-ins, {name + ':':12} median {median(rates[name]):6.0f}/s  "
            f"ratio median {median(ratios[name]):.2f} ({_span(ratios[name], '.2f')})"
            f"  recorded {n}/{n} each round"
        )


def _span(values: list[float], fmt: str = ".0f") -> str:
    return f"range {min(values):{fmt}}-{max(values):{fmt}}"


async def boards(members: int, ledger_rows: int, db: str, pg: str | None, shape: str) -> None:
    for each in ("spread", "ties") if shape == "both" else (shape,):
        if db in ("sqlite", "both"):
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite+aiosqlite:///{Path(tmp) / 'boards.db'}"
                result = await measure_boards(url, members, ledger_rows, shape=each)
            report_boards(f"SQLite, {each}", members, ledger_rows * (each == "spread"), result)
        if db in ("postgresql", "both") and pg is not None:
            result = await with_postgres(
                pg, lambda url, each=each: measure_boards(url, members, ledger_rows, shape=each)
            )
            report_boards(f"PostgreSQL, {each}", members, ledger_rows * (each == "spread"), result)


async def segments(members: int, ledger_rows: int, db: str, pg: str | None) -> None:
    if db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'segments.db'}"
            result = await measure_segments(url, members, ledger_rows)
        report_segments("SQLite", members, ledger_rows, result)
    if db in ("postgresql", "both") and pg is not None:
        result = await with_postgres(pg, lambda url: measure_segments(url, members, ledger_rows))
        report_segments("PostgreSQL", members, ledger_rows, result)


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--n", type=int, default=None, help="check-ins (one per member)")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--e2e", action="store_true", help="the bot as a process, via the emulator"
    )
    parser.add_argument("--rounds", type=int, default=None, help="default 5 (e2e), 1")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="--e2e: another checkout whose bot runs in the same rounds (e.g. main, exported)",
    )
    parser.add_argument("--boards", action="store_true", help="/top and /me in a big group")
    parser.add_argument("--memory", action="store_true", help="memory as members arrive")
    parser.add_argument(
        "--replicas", action="store_true", help="1 and 2 webhook replicas (PostgreSQL, Redis)"
    )
    parser.add_argument("--flash", action="store_true", help="a flash drop: tap latency")
    parser.add_argument("--campaign", action="store_true", help="a campaign, emulator limits")
    parser.add_argument("--analytics", action="store_true", help="/stats on a generated year")
    parser.add_argument(
        "--segments", action="store_true", help="segments: daily run, reports, selector"
    )
    parser.add_argument("--dashboard", action="store_true", help="dashboard pages, 200k members")
    parser.add_argument("--predict", action="store_true", help="prediction: AUC vs baseline")
    parser.add_argument("--weeks", type=int, default=30, help="--predict: weeks of history")
    parser.add_argument("--stock", type=int, default=100, help="--flash: the drop's stock")
    parser.add_argument(
        "--members", type=int, default=None, help="--boards: group size; --memory: members"
    )
    parser.add_argument("--ledger", type=int, default=1_000_000, help="--boards: ledger rows")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--shape",
        choices=["spread", "ties", "both"],
        default="both",
        help="--boards: values spread out, or most members tied at the cut (or both)",
    )
    parser.add_argument(
        "--pg", default=os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    pg = None if args.skip_postgres else args.pg
    if args.campaign:
        report_campaign(await run_campaign(args.members or 10_000))
        return
    if args.boards:
        await boards(args.members or 200_000, args.ledger, args.db, pg, args.shape)
        return
    if args.analytics:
        await run_analytics(args.members or 100_000, args.db, pg)
        return
    if args.segments:
        await segments(args.members or 100_000, args.ledger, args.db, pg)
        return
    if args.predict:
        members = args.members or 20_000
        if args.db in ("sqlite", "both"):
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite+aiosqlite:///{Path(tmp) / 'predict.db'}"
                report_predict("SQLite", await measure_predict(url, members, args.weeks))
        if args.db in ("postgresql", "both") and pg is not None:
            result = await with_postgres(pg, lambda url: measure_predict(url, members, args.weeks))
            report_predict("PostgreSQL", result)
        return
    if args.dashboard:
        members = args.members or 200_000
        if args.db in ("sqlite", "both"):
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite+aiosqlite:///{Path(tmp) / 'dashboard.db'}"
                report_dashboard("SQLite", members, await measure_dashboard(url, members))
        if args.db in ("postgresql", "both") and pg is not None:
            result = await with_postgres(pg, lambda url: measure_dashboard(url, members))
            report_dashboard("PostgreSQL", members, result)
        return
    if args.flash:
        n = args.n or 2000
        if args.db in ("sqlite", "both"):
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite+aiosqlite:///{Path(tmp) / 'flash.db'}"
                report_flash("SQLite", args.stock, await run_flash(url, n, args.stock))
        if args.db in ("postgresql", "both") and pg is not None:
            result = await with_postgres(pg, lambda url: run_flash(url, n, args.stock))
            report_flash("PostgreSQL", args.stock, result)
        return
    if args.memory:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'memory.db'}"
            await run_memory(url, args.members or 1_000_000)
        return
    if args.replicas:
        from bench.replicas_bench import run as run_replicas

        await run_replicas(args.pg, args.n or 3000, args.rounds or 3)
        return
    if args.e2e:
        n = args.n or 3000
        await compare(
            "e2e (aiogram polling, no-op)",
            lambda: e2e_ceiling(n),
            lambda url: e2e_ours(url, n),
            n,
            pg,
            args.rounds or 5,
            (lambda url: e2e_ours(url, n, args.baseline.resolve())) if args.baseline else None,
        )
        for label, values in CPU.items():
            print(
                f"e2e bot CPU per update, {label + ':':22} median {median(values) * 1e6:5.0f} µs"
                f"  ({_span([v * 1e6 for v in values])})"
            )
        return
    n = args.n or 5000
    updates = make_payloads(n)
    # The pre-built payloads are the harness's, not the bot's: keep them out of GC scans.
    gc.collect()
    gc.freeze()
    await compare(
        "in-process (no-op aiogram handler)",
        lambda: ceiling(updates),
        lambda url: ours(url, updates),
        n,
        pg,
        args.rounds or 1,
    )


asyncio.run(main())
