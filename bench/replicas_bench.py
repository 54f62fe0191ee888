"""Several processes as one bot: `python -m bench --replicas [--n 3000] [--rounds 3]`.

Webhook mode on PostgreSQL, behind HAProxy with the shipped configuration (TLS), the Bot API
emulator delivering N check-ins of N members spread over four busy groups (replicas serve many
groups; within one group their batches queue for the same day-count row), rate limits on. Each
round runs, in turn:

- `1 replica, Redis`: one process with REDIS_URL (the shared limiter and digest);
- `2 replicas, Redis`: two processes with REDIS_URL, the proxy spreading the webhook;
- `1 replica, in memory`: one process without REDIS_URL (today's limiter).

Rate: N / time from the push until every update is confirmed (committed). Bot CPU per update:
user + system time of the bot processes over the same span, from /proc, divided by N.
"""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bench.checkin_bench import with_postgres
from devtools.bot_process import BotProcess, free_port
from devtools.emulator import BotAPIEmulator, RateLimits
from devtools.load_balancer import LoadBalancer
from devtools.redis_keys import wipe
from storage.tables import Checkin

GROUPS = [-1009000000003 - i for i in range(4)]
FIRST_MEMBER = 20_000
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
MODES = ("1 replica, Redis", "2 replicas, Redis", "1 replica, in memory")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _round(db_url: str, n: int, mode: str, workdir: Path) -> tuple[float, float, int]:
    replicas = 2 if mode.startswith("2") else 1
    redis = "Redis" in mode
    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    emu = BotAPIEmulator(limits=RateLimits())
    for group in GROUPS:
        emu.add_group(group, f"Bench {group}")
    for i in range(n):
        emu.add_user(FIRST_MEMBER + i, f"Member {i}", language_code="zh-hans")
    await emu.start()
    ports = [free_port() for _ in range(replicas)]
    lb = LoadBalancer(workdir / uuid.uuid4().hex[:8], [f"127.0.0.1:{p}" for p in ports])
    emu.webhook_ssl = lb.trust()
    env = {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix} if redis else {}
    processes = [
        BotProcess(
            emu,
            db_url,
            LOG_LEVEL="WARNING",
            BOT_MODE="webhook",
            WEBHOOK_URL=lb.url,
            WEBHOOK_LISTEN=f"127.0.0.1:{port}",
            WEBHOOK_SECRET="bench",
            REPLICA_NAME=f"r{i}",
            **env,
        )
        for i, port in enumerate(ports)
    ]
    try:
        await lb.start()
        await asyncio.gather(*(p.start() for p in processes))
        await asyncio.sleep(3.0)  # both set their webhook; the proxy's checks see them up
        pids = [p.process.pid for p in processes if p.process is not None]
        cpu_before = sum(_cpu_seconds(pid) for pid in pids)
        date = datetime.now(UTC)
        started = time.perf_counter()
        last = None
        for i in range(n):
            last = emu.send_message(
                GROUPS[i % len(GROUPS)],
                FIRST_MEMBER + i,
                "/checkin" if i % 2 else "签到",
                date=date,
            )
            if i % 200 == 0:
                await asyncio.sleep(0)
        assert last is not None
        await emu.wait_for(lambda: emu.confirmed_offset > last["update_id"], timeout=600)
        elapsed = time.perf_counter() - started
        cpu = sum(_cpu_seconds(pid) for pid in pids) - cpu_before
    finally:
        await asyncio.gather(*(p.stop(signal.SIGTERM, timeout=60) for p in processes))
        lb.stop()
        await emu.stop()
        if redis:
            await wipe(REDIS_URL, prefix)
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as db:
            recorded = (await db.execute(select(func.count()).select_from(Checkin))).scalar_one()
    finally:
        await engine.dispose()
    return n / elapsed, cpu / n * 1e6, int(recorded)


async def run(pg: str, n: int, rounds: int) -> None:
    rates: dict[str, list[float]] = {m: [] for m in MODES}
    cpus: dict[str, list[float]] = {m: [] for m in MODES}
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(rounds):
            order = MODES[index % 3 :] + MODES[: index % 3]  # who goes first alternates
            for mode in order:
                rate, cpu, recorded = await with_postgres(
                    pg, lambda url, mode=mode: _round(url, n, mode, Path(tmp))
                )
                if recorded != n:
                    raise SystemExit(f"{mode}: recorded {recorded} of {n} check-ins")
                rates[mode].append(rate)
                cpus[mode].append(cpu)
                print(f"  round {index + 1}: {mode:22} {rate:6.0f}/s  {cpu:5.0f} µs CPU/update")
    one = median(rates[MODES[0]])
    for mode in MODES:
        print(
            f"{mode:22} median {median(rates[mode]):6.0f} updates/s "
            f"({min(rates[mode]):.0f}-{max(rates[mode]):.0f}), "
            f"{median(rates[mode]) / one:.2f} of one replica with Redis; "
            f"bot CPU median {median(cpus[mode]):.0f} µs/update "
            f"({min(cpus[mode]):.0f}-{max(cpus[mode]):.0f})"
        )
    memory, shared = median(cpus[MODES[2]]), median(cpus[MODES[0]])
    print(f"CPU per update, Redis limiter / in-memory: {shared / memory:.2f}")
