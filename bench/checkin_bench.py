"""Check-in throughput through the real Dispatcher, handlers and database (Telegram in-process).

The ceiling is a no-op aiogram handler fed the same updates in the same run.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message, Update
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.config import Settings
from composition.app import create_app, ready_for_traffic
from devtools.inprocess import InProcessSession
from storage.tables import Checkin

GROUP = -1009000000001
BATCH = 100  # what one getUpdates call returns at most


def make_updates(n: int, start_id: int = 1, first_user: int = 10_000) -> list[Update]:
    return [Update.model_validate(payload) for payload in make_payloads(n, start_id, first_user)]


def make_payloads(n: int, start_id: int = 1, first_user: int = 10_000) -> list[dict[str, Any]]:
    """The updates as getUpdates returns them (JSON objects)."""
    now = int(datetime.now(UTC).timestamp())
    return [
        (
            {
                "update_id": start_id + i,
                "message": {
                    "message_id": i + 1,
                    "date": now,
                    "chat": {"id": GROUP, "type": "supergroup", "title": "Bench"},
                    "from": {
                        "id": first_user + i,
                        "is_bot": False,
                        "first_name": f"Member {i}",
                        "language_code": "zh-hans",
                    },
                    "text": "/checkin" if i % 2 else "签到",
                    **(
                        {"entities": [{"type": "bot_command", "offset": 0, "length": 8}]}
                        if i % 2
                        else {}
                    ),
                },
            }
        )
        for i in range(n)
    ]


def parsed(payloads: list[dict[str, Any]], bot: Bot) -> list[Update]:
    """One getUpdates batch parsed as aiogram's session parses it: mounted on the bot, so
    feed_update does not dump and re-validate every update (which polling never does)."""
    return [Update.model_validate(payload, context={"bot": bot}) for payload in payloads]


async def ceiling(payloads: list[dict[str, Any]]) -> float:
    """Updates/s of a no-op aiogram handler, batch by batch like the real intake (each batch
    parsed, then handled)."""
    router = Router()

    @router.message()
    async def noop(message: Message) -> None:
        return None

    dp = Dispatcher()
    dp.include_router(router)
    bot = Bot("123456:BENCH", session=InProcessSession(record=False))
    started = time.perf_counter()
    for i in range(0, len(payloads), BATCH):
        batch = parsed(payloads[i : i + BATCH], bot)
        await asyncio.gather(*(dp.feed_update(bot, u) for u in batch))
    return len(payloads) / (time.perf_counter() - started)


async def ours(database_url: str, payloads: list[dict[str, Any]]) -> tuple[float, int]:
    settings = Settings(
        bot_token=SecretStr("123456:BENCH"), database_url=database_url, log_level="WARNING"
    )
    app = await create_app(settings, bot_session=InProcessSession(record=False))
    app.deps["bot_username"] = "community_test_bot"
    ready_for_traffic(app)
    app.outbox.start()
    try:
        warm = make_payloads(
            50, start_id=10_000_000, first_user=5_000_000
        )  # connections, caches, compiled statements
        await app.processor.process(parsed(warm, app.bot))
        started = time.perf_counter()
        for i in range(0, len(payloads), BATCH):
            await app.processor.process(parsed(payloads[i : i + BATCH], app.bot))
        await app.processor.drain(60)
        elapsed = time.perf_counter() - started
        async with app.session_factory() as session:
            recorded = (await session.exec(select(func.count()).select_from(Checkin))).scalar_one()
        return len(payloads) / elapsed, int(recorded) - 50
    finally:
        await app.outbox.stop()
        await app.close()


async def with_postgres(admin_dsn: str, run):  # type: ignore[no-untyped-def]
    name = f"bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin_dsn)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    base = admin_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        return await run(f"{base}/{name}")
    finally:
        conn = await asyncpg.connect(admin_dsn)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()
