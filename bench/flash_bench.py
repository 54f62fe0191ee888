"""A flash drop through the real Dispatcher, handlers and database (Telegram in-process):
`taps` members (who checked in, so they have points) tap within one second a drop of `stock`.

Taps arrive in getUpdates batches of 100, spread evenly over the second; each tap's latency is
from its arrival to its answerCallbackQuery going out. The drop must end with exactly `stock`
redemptions, one per member, and every tap answered.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import median
from typing import Any

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, SendMessage, TelegramMethod
from aiogram.types import Update
from pydantic import SecretStr
from sqlalchemy import func, select

from bench.checkin_bench import BATCH, GROUP, make_updates
from bot.config import Settings
from composition.app import create_app
from devtools.inprocess import InProcessSession
from storage.tables import Redemption

ADMIN = 42
FIRST_MEMBER = 100_000


class TimedSession(InProcessSession):
    """Records when each callback query is answered, and the bot's messages' markup."""

    def __init__(self) -> None:
        super().__init__(admins={(GROUP, ADMIN)}, record=False)
        self.answered: dict[str, float] = {}
        self.texts: list[SendMessage] = []

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if isinstance(method, AnswerCallbackQuery):
            self.answered[method.callback_query_id] = time.perf_counter()
        elif isinstance(method, SendMessage):
            self.texts.append(method)
        return await super().make_request(bot, method, timeout)


def _message(update_id: int, user_id: int, text: str) -> Update:
    return Update.model_validate(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(datetime.now(UTC).timestamp()),
                "chat": {"id": GROUP, "type": "supergroup", "title": "Bench"},
                "from": {"id": user_id, "is_bot": False, "first_name": "Admin"},
                "text": text,
                "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
            },
        }
    )


def _tap(update_id: int, user_id: int, data: str, message_id: int) -> Update:
    return Update.model_validate(
        {
            "update_id": update_id,
            "callback_query": {
                "id": f"q{update_id}",
                "from": {"id": user_id, "is_bot": False, "first_name": f"M{user_id}"},
                "chat_instance": "bench",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(datetime.now(UTC).timestamp()),
                    "chat": {"id": GROUP, "type": "supergroup", "title": "Bench"},
                    "text": "…",
                },
            },
        }
    )


@dataclass(frozen=True)
class FlashResult:
    taps: int
    answered: int
    redemptions: int
    p50: float
    p95: float
    worst: float


async def run(database_url: str, taps: int = 2000, stock: int = 100) -> FlashResult:
    session = TimedSession()
    settings = Settings(
        bot_token=SecretStr("123456:BENCH"), database_url=database_url, log_level="WARNING"
    )
    app = await create_app(settings, bot_session=session)
    app.deps["bot_username"] = "community_test_bot"
    app.outbox.start()
    try:
        checkins = make_updates(taps, start_id=1, first_user=FIRST_MEMBER)
        for i in range(0, taps, BATCH):
            await app.processor.process(checkins[i : i + BATCH])
        await app.processor.drain(60)
        next_id = taps + 1
        for text in (f"/reward_add 5 {stock} Drop", "/flash 1"):
            await app.processor.process([_message(next_id, ADMIN, text)])
            next_id += 1
        await app.processor.drain(10)
        await app.outbox.drain(10)
        post = next(m for m in reversed(session.texts) if m.reply_markup is not None)
        data = post.reply_markup.inline_keyboard[0][0].callback_data  # type: ignore[union-attr]
        updates = [_tap(next_id + i, FIRST_MEMBER + i, data, 1) for i in range(taps)]
        arrival: dict[str, float] = {}
        started = time.perf_counter()
        for i in range(0, taps, BATCH):
            batch = updates[i : i + BATCH]
            # A batch is there for getUpdates once its last tap has arrived.
            ready = started + (i + len(batch) - 1) / taps
            await asyncio.sleep(max(0.0, ready - time.perf_counter()))
            for k, u in enumerate(batch):
                assert u.callback_query is not None
                arrival[u.callback_query.id] = started + (i + k) / taps
            await app.processor.process(batch)
        await app.processor.drain(60)
        await app.outbox.drain(60)
        latencies = sorted(
            session.answered[q] - arrival[q] for q in arrival if q in session.answered
        )
        async with app.session_factory() as s:
            redeemed = (await s.exec(select(func.count()).select_from(Redemption))).scalar_one()
        return FlashResult(
            taps,
            len(latencies),
            int(redeemed),
            median(latencies),
            latencies[int(len(latencies) * 0.95) - 1],
            latencies[-1],
        )
    finally:
        await app.outbox.stop()
        await app.close()


def report(name: str, stock: int, result: FlashResult) -> None:
    print(
        f"flash drop, {name + ':':12} {result.taps} taps within 1 s for stock {stock}: "
        f"answered {result.answered}/{result.taps}, redemptions {result.redemptions}, "
        f"latency p50 {result.p50:.2f} s, p95 {result.p95:.2f} s, worst {result.worst:.2f} s"
    )
