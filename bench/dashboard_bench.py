"""`python -m bench --dashboard`: the dashboard's server time per page at 200,000 members, and
the check-in path's throughput while the dashboard is in use (same process, same database).

Each page's first screen is the API requests the page makes when it opens (the members table:
also a deep page, a search, a filter and other sorts), timed from the request's arrival to its
last byte, in the process that runs the bot (aiohttp's server in-process, Telegram answered
in-process). Check-ins: batches of 100 through the real Dispatcher into the same database,
alone and while a client keeps the dashboard's heaviest pages loading, in alternating rounds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bench.checkin_bench import BATCH, make_payloads, parsed
from bot.config import Settings
from composition.app import App, create_app, ready_for_traffic
from composition.dashboard import build_dashboard
from devtools.emulator import webapp
from devtools.emulator.world import World
from devtools.inprocess import InProcessSession
from devtools.seed_members import seed_group
from storage.db import create_engine
from storage.migrate import upgrade

GROUP = -1009100000001
OWNER = 42
TOKEN = "123456:BENCH"


def first_screens(group: int) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """The requests each page makes when it opens (and the members table's other views)."""
    g = f"/api/g/{group}"
    return {
        "overview 7 days": [(f"{g}/overview", {"period": "7d"})],
        "overview 30 days": [(f"{g}/overview", {"period": "30d"})],
        "overview 90 days": [(f"{g}/overview", {"period": "90d"})],
        "members (by points)": [(f"{g}/members", {})],
        "members page 2,000": [(f"{g}/members", {"page": "2000"})],
        "members by last active": [(f"{g}/members", {"sort": "last_active"})],
        "members by streak": [(f"{g}/members", {"sort": "streak"})],
        "members search": [(f"{g}/members", {"q": "member 1234"})],
        "members quiet 30 days": [(f"{g}/members", {"activity": "dormant30"})],
        "members dormant+tag:vip": [(f"{g}/members", {"f_selector": "dormant+tag:vip"})],
        "members at_risk, by last active": [
            (f"{g}/members", {"f_selector": "at_risk", "sort": "last_active"})
        ],
        "member card": [(f"{g}/members/10001234", {})],
        "rewards": [(f"{g}/rewards", {})],
        "schedule": [(f"{g}/schedule", {})],
        "feedback": [(f"{g}/feedback", {})],
        "settings": [(f"{g}/settings", {})],
        "audit log": [(f"{g}/audit", {})],
    }


@dataclass
class Timer:
    """Server time per request: from arrival to the last byte written (a middleware)."""

    samples: list[float] = field(default_factory=list)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        started = time.perf_counter()
        response = await handler(request)
        self.samples.append(time.perf_counter() - started)
        return response


async def _app(url: str) -> App:
    settings = Settings(
        bot_token=SecretStr(TOKEN),
        database_url=url,
        log_level="WARNING",
        bot_owner_ids=frozenset({OWNER}),  # authorized without asking Telegram
        dashboard_url="http://bench.local/",
    )
    app = await create_app(settings, bot_session=InProcessSession(record=False))
    app.deps["bot_username"] = "community_test_bot"
    ready_for_traffic(app)
    app.outbox.start()
    return app


async def _client(app: App, timer: Timer) -> tuple[TestClient, Callable[[], Awaitable[None]]]:
    runtime = build_dashboard(app)
    web_app = web.Application(middlewares=[timer.middleware])
    runtime.dashboard.mount(web_app)
    client = TestClient(TestServer(web_app))
    await client.start_server()
    world = World(bot_username="b", files_dir=None)
    world.bot_token = TOKEN
    world.users[OWNER] = {"id": OWNER, "is_bot": False, "first_name": "Owner"}
    response = await client.post(
        "/api/session", json={"init_data": webapp.init_data(world, OWNER)}
    )
    assert response.status == 200, await response.text()

    async def close() -> None:
        await client.close()
        await runtime.close()

    return client, close


async def _checkins(app: App, n: int, first_update: int, first_user: int) -> float:
    payloads = make_payloads(n, start_id=first_update, first_user=first_user)
    started = time.perf_counter()
    for i in range(0, n, BATCH):
        await app.processor.process(parsed(payloads[i : i + BATCH], app.bot))
    await app.processor.drain(60)
    return n / (time.perf_counter() - started)


async def measure(url: str, members: int, calls: int = 7, checkins: int = 2000, rounds: int = 3):  # type: ignore[no-untyped-def]
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    started = time.perf_counter()
    await seed_group(url, GROUP, members)
    seeded = time.perf_counter() - started
    app = await _app(url)
    timer = Timer()
    client, close = await _client(app, timer)
    pages: dict[str, list[float]] = {}
    try:
        for _ in range(2):  # warm: connections, compiled statements, the page's texts
            for requests in first_screens(GROUP).values():
                for path, params in requests:
                    await (await client.get(path, params=params)).read()
        for name, requests in first_screens(GROUP).items():
            for _ in range(calls):
                timer.samples.clear()
                for path, params in requests:
                    response = await client.get(path, params=params)
                    await response.read()
                    assert response.status == 200, (path, response.status)
                pages.setdefault(name, []).append(sum(timer.samples))
        # Check-ins alone and while the dashboard is in use, rounds alternating.
        alone: list[float] = []
        busy: list[float] = []
        heavy = [
            r
            for k in ("overview 90 days", "members by last active", "members search")
            for r in first_screens(GROUP)[k]
        ]
        update, user = 1, 1_000
        await _checkins(app, 200, 900_000, 900_000)  # warm the check-in path
        for _ in range(rounds):
            alone.append(await _checkins(app, checkins, update, user))
            update, user = update + checkins, user + checkins
            stop = asyncio.Event()
            loads = 0

            async def keep_loading(stop: asyncio.Event = stop) -> None:
                nonlocal loads
                while not stop.is_set():
                    for path, params in heavy:
                        await (await client.get(path, params=params)).read()
                        loads += 1

            loader = asyncio.create_task(keep_loading())
            busy.append(await _checkins(app, checkins, update, user))
            stop.set()
            await loader
            update, user = update + checkins, user + checkins
        return seeded, pages, alone, busy
    finally:
        await close()
        await app.outbox.stop()
        await app.close()


def report(name: str, members: int, result: Any) -> None:
    seeded, pages, alone, busy = result
    print(f"\n{name}: {members:,} members (seeded in {seeded:.1f} s)")
    print(f"  {'page (first screen)':28} {'median':>8} {'max':>8}   server time")
    worst = 0.0
    for page, samples in pages.items():
        worst = max(worst, median(samples))
        print(f"  {page:28} {median(samples) * 1000:7.1f}ms {max(samples) * 1000:7.1f}ms")
    verdict = "under" if worst < 0.3 else "OVER"
    print(f"  slowest median {worst * 1000:.0f} ms: {verdict} the 300 ms target")
    ratio = median(busy) / median(alone)
    print(
        f"  check-ins alone {median(alone):6.0f}/s, while the dashboard loads "
        f"{median(busy):6.0f}/s (ratio {ratio:.2f}; rounds alternate)"
    )
