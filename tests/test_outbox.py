"""The Outbox: priorities, pacing, 429 retry_after, 403 recorded; against a scripted Bot API session."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import SendMessage, TelegramMethod

from bot.outbound import OutboundLimits, Outbox, Priority
from bot.testing.inprocess import InProcessSession


class ScriptedSession(InProcessSession):
    """Answers like Telegram; chats in `blocked` get 403, `rate_limited` chats one 429 first."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[float, int, str]] = []
        self.blocked: set[int] = set()
        self.rate_limited: set[int] = set()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        chat_id = int(method.chat_id)  # type: ignore[attr-defined]
        if chat_id in self.blocked:
            raise TelegramForbiddenError(
                method=method, message="Forbidden: bot was blocked by the user"
            )
        if chat_id in self.rate_limited:
            self.rate_limited.discard(chat_id)
            raise TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=1)
        self.sent.append((time.monotonic(), chat_id, method.text))  # type: ignore[attr-defined]
        return await super().make_request(bot, method, timeout)


def outbox_with(limits: OutboundLimits, **kwargs: Any) -> tuple[Outbox, ScriptedSession]:
    session = ScriptedSession()
    return Outbox(Bot("123456:TEST", session=session), limits, **kwargs), session


FAST = OutboundLimits(global_per_second=1000, group_per_minute=1000, private_per_second=1000)


async def test_urgent_first() -> None:
    outbox, session = outbox_with(FAST)
    outbox.send(1, SendMessage(chat_id=1, text="low"), priority=Priority.LOW)
    outbox.send(2, SendMessage(chat_id=2, text="normal"))
    outbox.send(3, SendMessage(chat_id=3, text="high"), priority=Priority.HIGH)
    outbox.start()
    assert await outbox.drain(5)
    await outbox.stop()
    assert [text for _, _, text in session.sent] == ["high", "normal", "low"]


async def test_private_chat_pace() -> None:
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=1000, private_per_second=1)
    )
    outbox.start()
    for i in range(2):
        outbox.send(7, SendMessage(chat_id=7, text=f"m{i}"))
    outbox.send(8, SendMessage(chat_id=8, text="other"))
    assert await outbox.drain(5)
    await outbox.stop()
    times = [at for at, chat, _ in session.sent if chat == 7]
    assert len(times) == 2 and times[1] - times[0] >= 1.0
    assert [chat for _, chat, _ in session.sent].index(8) == 1  # another chat is not held up


async def test_group_pace_and_busy_signal() -> None:
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=20, private_per_second=1000)
    )
    for i in range(30):
        outbox.send(-100, SendMessage(chat_id=-100, text=f"g{i}"))
    assert outbox.group_is_busy(-100) and not outbox.group_is_busy(-200)
    outbox.start()
    await asyncio.sleep(0.3)
    await outbox.stop()
    assert len(session.sent) == 20  # 20 a minute per group: the rest waits


async def test_429_waits_retry_after_then_delivers_once() -> None:
    events: list[str] = []
    outbox, session = outbox_with(FAST, on_event=events.append)
    session.rate_limited.add(5)
    outbox.start()
    started = time.monotonic()
    future = outbox.send(5, SendMessage(chat_id=5, text="hello"))
    other = outbox.send(6, SendMessage(chat_id=6, text="meanwhile"))
    await asyncio.wait_for(other, 5)
    assert session.sent[0][2] == "meanwhile"  # the limited chat does not block others
    await asyncio.wait_for(future, 5)
    await outbox.stop()
    assert [text for _, _, text in session.sent] == ["meanwhile", "hello"]
    assert session.sent[-1][0] - started >= 1.0 and events == ["429"]


async def test_403_is_recorded_not_raised() -> None:
    blocked: list[int] = []

    async def on_forbidden(chat_id: int) -> None:
        blocked.append(chat_id)

    outbox, session = outbox_with(FAST, on_forbidden=on_forbidden)
    session.blocked.add(9)
    outbox.start()
    future = outbox.send(9, SendMessage(chat_id=9, text="are you there?"))
    outbox.send(10, SendMessage(chat_id=10, text="hi"))
    assert await outbox.drain(5)
    await outbox.stop()
    with pytest.raises(TelegramForbiddenError):
        future.result()
    assert blocked == [9] and [text for _, _, text in session.sent] == ["hi"]
