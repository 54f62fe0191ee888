"""The Outbox: priorities, pacing, 429 retry_after, 403 recorded; against a scripted Bot API session.

Most tests drive the Outbox with a fake clock: its windows and retry_after waits are measured with
the clock it is given, so a minute of group pacing takes no real time. The loop sleeps in real
time until its next due moment, but any `send` wakes it, so after moving the clock a test queues
one more message (a "nudge", to a fresh private chat) to make it look again.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage, SetMessageReaction, TelegramMethod
from aiogram.types import Message, ReactionTypeEmoji

from bot.outbound import Kind, OutboundLimits, Outbox, Priority
from devtools.inprocess import InProcessSession

ERRORS: dict[str, Callable[[TelegramMethod[Any]], Exception]] = {
    "403": lambda m: TelegramForbiddenError(
        method=m, message="Forbidden: bot was blocked by the user"
    ),
    "429": lambda m: TelegramRetryAfter(method=m, message="Too Many Requests", retry_after=1),
    "network": lambda m: TelegramNetworkError(method=m, message="Request timeout error"),
    "server": lambda m: TelegramServerError(method=m, message="Bad Gateway"),
    "400": lambda m: TelegramBadRequest(method=m, message="Bad Request: message text is empty"),
}


def label(method: TelegramMethod[Any]) -> str:
    text = getattr(method, "text", None)
    return text if text is not None else f"{type(method).__name__}:{method.message_id}"  # type: ignore[attr-defined]


class ScriptedSession(InProcessSession):
    """Answers like Telegram; chats in `blocked` get 403, `rate_limited` chats one 429 first.

    `script[chat_id]` lists errors ("429", "403", "network", "server", "400") that the next calls
    to that chat get, one each, before it answers normally again. `delay` holds every answer.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.clock = clock
        self.sent: list[tuple[float, int, str]] = []
        self.attempts: list[tuple[int, str]] = []
        self.blocked: set[int] = set()
        self.rate_limited: set[int] = set()
        self.script: dict[int, list[str]] = {}
        self.delay = 0.0

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        chat_id = int(method.chat_id)  # type: ignore[attr-defined]
        self.attempts.append((chat_id, label(method)))
        if self.delay:
            await asyncio.sleep(self.delay)
        if chat_id in self.blocked:
            raise ERRORS["403"](method)
        if chat_id in self.rate_limited:
            self.rate_limited.discard(chat_id)
            raise ERRORS["429"](method)
        if self.script.get(chat_id):
            raise ERRORS[self.script[chat_id].pop(0)](method)
        self.sent.append((self.clock(), chat_id, label(method)))
        return await super().make_request(bot, method, timeout)

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [text for _, chat, text in self.sent if chat_id is None or chat == chat_id]


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def outbox_with(limits: OutboundLimits, **kwargs: Any) -> tuple[Outbox, ScriptedSession]:
    session = ScriptedSession(kwargs.get("clock", time.monotonic))
    return Outbox(Bot("123456:TEST", session=session), limits, **kwargs), session


FAST = OutboundLimits(global_per_second=1000, group_per_minute=1000, private_per_second=1000)
_nudge_chats: Iterator[int] = itertools.count(900_000)


def message(chat_id: int, text: str) -> SendMessage:
    return SendMessage(chat_id=chat_id, text=text)


def reaction(chat_id: int, message_id: int) -> SetMessageReaction:
    return SetMessageReaction(
        chat_id=chat_id, message_id=message_id, reaction=[ReactionTypeEmoji(emoji="👍")]
    )


def nudge(outbox: Outbox) -> asyncio.Future[Any]:
    """Wake the loop (any send does) with a message to a chat of its own."""
    chat_id = next(_nudge_chats)
    return outbox.send(chat_id, message(chat_id, "nudge"))


async def settle() -> None:
    """Give the loop time to send whatever it may send now (a few turns: the first send of a
    worker builds aiogram's models, and on a loaded machine one 20 ms turn was not enough)."""
    for _ in range(5):
        await asyncio.sleep(0.02)


async def eventually(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.002)


# ---- priorities ----------------------------------------------------------------------------


async def test_urgent_first() -> None:
    outbox, session = outbox_with(FAST)
    outbox.send(1, message(1, "low"), priority=Priority.LOW)
    outbox.send(2, message(2, "normal"))
    outbox.send(3, message(3, "high"), priority=Priority.HIGH)
    outbox.start()
    assert await outbox.drain(5)
    await outbox.stop()
    assert session.texts() == ["high", "normal", "low"]


async def test_priority_then_arrival_order_across_and_within_chats() -> None:
    outbox, session = outbox_with(FAST)
    for chat_id, text, priority in [
        (1, "low-1", Priority.LOW),
        (2, "normal-2", Priority.NORMAL),
        (1, "high-1", Priority.HIGH),  # overtakes the earlier message to its own chat
        (3, "low-3", Priority.LOW),
        (2, "high-2", Priority.HIGH),
        (3, "normal-3", Priority.NORMAL),
        (1, "normal-1", Priority.NORMAL),
    ]:
        outbox.send(chat_id, message(chat_id, text), priority=priority)
    assert outbox.depth == 7
    outbox.start()
    assert await outbox.drain(5)
    await outbox.stop()
    assert session.texts() == [
        "high-1",
        "high-2",
        "normal-2",
        "normal-3",
        "normal-1",
        "low-1",
        "low-3",
    ]
    assert outbox.depth == 0


async def test_futures_resolve_to_the_api_result() -> None:
    outbox, _ = outbox_with(FAST)
    outbox.start()
    sent = await asyncio.wait_for(outbox.send(-100, message(-100, "hi")), 2)
    await outbox.stop()
    assert isinstance(sent, Message) and sent.text == "hi" and sent.chat.id == -100


# ---- pacing --------------------------------------------------------------------------------


async def test_private_chat_pace() -> None:
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=1000, private_per_second=1)
    )
    outbox.start()
    for i in range(2):
        outbox.send(7, message(7, f"m{i}"))
    outbox.send(8, message(8, "other"))
    assert await outbox.drain(5)
    await outbox.stop()
    times = [at for at, chat, _ in session.sent if chat == 7]
    assert len(times) == 2 and times[1] - times[0] >= 1.0
    assert [chat for _, chat, _ in session.sent].index(8) == 1  # another chat is not held up


@pytest.mark.parametrize(
    ("per_second", "burst", "span"),
    [
        (1.0, 1, 1.1),  # 1 a second, plus the 10% margin
        (0.5, 1, 2.2),  # 1 every 2 s
        (3.0, 3, 1.1),  # 3 a second
    ],
)
async def test_private_window(per_second: float, burst: int, span: float) -> None:
    clock = FakeClock()
    start = clock.now
    outbox, session = outbox_with(
        OutboundLimits(
            global_per_second=1000, group_per_minute=1000, private_per_second=per_second
        ),
        clock=clock,
    )
    outbox.start()
    for i in range(burst + 1):
        outbox.send(7, message(7, f"m{i}"))
    await settle()
    assert session.texts(7) == [f"m{i}" for i in range(burst)]
    clock.now = start + span / 1.1 + 0.01  # Telegram's own window has passed, the margin not
    nudge(outbox)
    await settle()
    assert len(session.texts(7)) == burst
    clock.now = start + span + 0.01
    nudge(outbox)
    await eventually(lambda: len(session.texts(7)) == burst + 1)
    assert session.texts(7)[-1] == f"m{burst}"
    await outbox.stop()


async def test_group_pace_and_busy_signal() -> None:
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=20, private_per_second=1000)
    )
    for i in range(30):
        outbox.send(-100, message(-100, f"g{i}"))
    assert outbox.group_is_busy(-100) and not outbox.group_is_busy(-200)
    outbox.start()
    await asyncio.sleep(0.3)
    await outbox.stop()
    assert len(session.sent) == 20  # 20 a minute per group: the rest waits


async def test_group_window_reopens_after_a_minute_and_a_margin() -> None:
    clock = FakeClock()
    start = clock.now
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=3, private_per_second=1000),
        clock=clock,
    )
    outbox.start()
    for i in range(5):
        outbox.send(-100, message(-100, f"g{i}"))
    outbox.send(-200, message(-200, "other group"))
    await settle()
    assert session.texts(-100) == ["g0", "g1", "g2"]
    assert session.texts(-200) == ["other group"]  # each group has its own window
    clock.now = start + 60.5  # a minute has passed: Telegram would allow it, the margin does not
    nudge(outbox)
    await settle()
    assert len(session.texts(-100)) == 3
    clock.now = start + 66.01
    nudge(outbox)
    await eventually(lambda: len(session.texts(-100)) == 5)
    assert session.texts(-100) == [f"g{i}" for i in range(5)]
    await outbox.stop()


async def test_global_limit() -> None:
    clock = FakeClock()
    start = clock.now
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=2, group_per_minute=1000, private_per_second=1000),
        clock=clock,
    )
    outbox.start()
    outbox.send(1, message(1, "a"))
    outbox.send(-2, message(-2, "b"))
    outbox.send(-3, reaction(-3, 33), counts_as_message=False)  # not a message, still a call
    await settle()
    assert session.texts() == ["a", "b"]
    clock.now = start + 1.0
    nudge(outbox)
    await settle()
    assert session.texts() == ["a", "b"]
    clock.now = start + 1.02
    nudge(outbox)
    await eventually(lambda: len(session.sent) == 4)
    await settle()
    assert session.texts() == ["a", "b", "SetMessageReaction:33", "nudge"]  # the 2nd nudge waits
    await outbox.stop()


async def test_a_call_answered_late_counts_from_its_answer() -> None:
    """Calls that reached Telegram late (a stall on its side or on ours) may have arrived together
    with the next ones: the second after the answer is theirs, and what is out counts too."""
    clock = FakeClock()
    start = clock.now
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=2, group_per_minute=1000, private_per_second=1000),
        clock=clock,
    )
    held = asyncio.Event()
    answer = session.make_request
    out: list[Any] = []

    async def slow(bot: Bot, method: Any, timeout: int | None = None) -> Any:
        out.append(method)
        await held.wait()
        return await answer(bot, method, timeout)

    session.make_request = slow  # type: ignore[method-assign]
    outbox.start()
    outbox.send(1, message(1, "a"))
    outbox.send(2, message(2, "b"))
    outbox.send(3, message(3, "c"))
    await settle()
    clock.now = start + 5.0  # both still out: c waits however long ago they left
    nudge(outbox)
    await settle()
    assert session.texts() == [] and len(out) == 2
    held.set()  # answered at start + 5
    await eventually(lambda: len(session.sent) == 2)
    clock.now = start + 5.9
    nudge(outbox)
    await settle()
    assert session.texts() == ["a", "b"]
    clock.now = start + 6.02
    nudge(outbox)
    await eventually(lambda: len(session.sent) == 4)
    assert session.texts()[2:] == ["c", "nudge"]
    await outbox.stop()


async def test_calls_that_are_not_messages_skip_the_chat_window() -> None:
    clock = FakeClock()
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=1, private_per_second=1000),
        clock=clock,
    )
    outbox.start()
    outbox.send(-100, message(-100, "m1"))
    await settle()
    assert outbox.chat_load(-100) == 1
    outbox.send(-100, reaction(-100, 5), priority=Priority.LOW, counts_as_message=False)
    outbox.send(-100, message(-100, "m2"), priority=Priority.LOW)
    await settle()
    assert session.texts(-100) == ["m1", "SetMessageReaction:5"]  # m2 waits for the window
    assert outbox.chat_load(-100) == 2  # m1 sent + m2 queued; the reaction does not count
    await outbox.stop()


async def test_reactions_are_not_held_behind_a_waiting_message() -> None:
    clock = FakeClock()
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=1, private_per_second=1000),
        clock=clock,
    )
    outbox.start()
    outbox.send(-100, message(-100, "m1"))
    outbox.send(-100, message(-100, "m2"))  # must wait a minute for the group's window
    await settle()
    outbox.send(-100, reaction(-100, 7), priority=Priority.LOW, counts_as_message=False)
    await settle()
    assert session.texts(-100) == ["m1", "SetMessageReaction:7"]
    await outbox.stop()


async def test_chat_load_and_busy_follow_the_window() -> None:
    clock = FakeClock()
    outbox, _ = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=4, private_per_second=1000),
        clock=clock,
    )
    assert outbox.chat_load(-100) == 0 and not outbox.group_is_busy(-100)
    outbox.send(-100, message(-100, "one"))
    assert outbox.chat_load(-100) == 1 and not outbox.group_is_busy(-100)  # threshold 4 // 2
    outbox.send(-100, reaction(-100, 1), counts_as_message=False)
    assert outbox.chat_load(-100) == 1
    outbox.send(-100, message(-100, "two"))
    assert outbox.chat_load(-100) == 2 and outbox.group_is_busy(-100)
    outbox.start()
    assert await outbox.drain(2)
    assert outbox.chat_load(-100) == 2 and outbox.group_is_busy(-100)  # sent, still in window
    clock.now += 66.01
    assert outbox.chat_load(-100) == 0 and not outbox.group_is_busy(-100)
    await outbox.stop()


# ---- answers before acknowledgements -------------------------------------------------------


def ack(chat_id: int, text: str) -> SendMessage:
    return message(chat_id, text)


async def test_answers_go_before_acknowledgements_in_a_paced_group_window() -> None:
    clock = FakeClock()
    start = clock.now
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=8, private_per_second=1000),
        clock=clock,
    )
    assert OutboundLimits(group_per_minute=8).group_answer_reserve == 2
    # Twelve grants acknowledged (admins' acks rank high among acks), then a member's /top.
    for i in range(12):
        outbox.send(-100, ack(-100, f"ack{i}"), kind=Kind.ACK, priority=Priority.HIGH)
    outbox.send(-100, message(-100, "top"), priority=Priority.LOW)
    outbox.start()
    await settle()
    # The answer first, though queued last and at a lower priority; acknowledgements stop while
    # two of the window's eight remain.
    assert session.texts(-100) == ["top"] + [f"ack{i}" for i in range(5)]
    export = outbox.send(-100, message(-100, "export"), priority=Priority.HIGH)
    panel = outbox.send(-100, message(-100, "settings"))
    await asyncio.wait_for(asyncio.gather(export, panel), 2)  # the two kept slots, at once
    assert session.texts(-100)[-2:] == ["export", "settings"]
    # The window is full now: the next answer waits for it, and still overtakes the acks.
    outbox.send(-100, message(-100, "me"), priority=Priority.LOW)
    await settle()
    assert len(session.texts(-100)) == 8
    clock.now = start + 66.01
    nudge(outbox)
    await eventually(lambda: len(session.texts(-100)) == 14)
    await settle()
    assert session.texts(-100)[8:] == ["me"] + [f"ack{i}" for i in range(5, 10)]
    await outbox.stop()


async def test_acknowledgements_leave_room_for_answers_as_they_stream_in() -> None:
    clock = FakeClock()
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=20, private_per_second=1000),
        clock=clock,
    )
    outbox.start()
    for i in range(40):
        outbox.send(-100, ack(-100, f"ack{i}"), kind=Kind.ACK)
        await asyncio.sleep(0)
    await settle()
    assert len(session.texts(-100)) == 15  # 20 a minute, 5 kept for answers
    answers = [outbox.send(-100, message(-100, f"answer{i}")) for i in range(5)]
    await asyncio.wait_for(asyncio.gather(*answers), 2)
    assert session.texts(-100)[15:] == [f"answer{i}" for i in range(5)]
    # Private chats keep their whole (1/s) window: acknowledgements there are not held back.
    outbox.send(7, ack(7, "private ack"), kind=Kind.ACK)
    await eventually(lambda: session.texts(7) == ["private ack"])
    await outbox.stop()


async def test_answers_are_never_dropped() -> None:
    events: list[str] = []
    outbox, session = outbox_with(FAST, max_low_pending=1, on_event=events.append)
    with pytest.raises(ValueError, match="answers never are"):
        outbox.send(-100, message(-100, "export"), droppable=True)
    answers = [outbox.send(-100, message(-100, f"answer{i}")) for i in range(5)]
    acks = [
        outbox.send(-100, ack(-100, f"ack{i}"), kind=Kind.ACK, droppable=True) for i in range(5)
    ]
    outbox.start()
    assert await outbox.drain(2)
    await outbox.stop()
    assert [a.result().text for a in answers] == [f"answer{i}" for i in range(5)]
    assert [a.result() for a in acks[:4]] == [None] * 4  # dropped, oldest first
    assert session.texts() == [f"answer{i}" for i in range(5)] + ["ack4"]
    assert events == ["dropped"] * 4


async def test_stale_droppable_acknowledgements_are_dropped_at_their_turn() -> None:
    clock = FakeClock()
    events: list[str] = []
    outbox, session = outbox_with(
        FAST, clock=clock, droppable_max_age=30.0, on_event=events.append
    )
    session.script[-100] = ["429"]  # the group is held for a while
    outbox.start()

    def reaction_ack(message_id: int, droppable: bool) -> asyncio.Future[Any]:
        return outbox.send(
            -100,
            reaction(-100, message_id),
            kind=Kind.ACK,
            counts_as_message=False,
            droppable=droppable,
        )

    first = reaction_ack(1, False)
    await eventually(lambda: events == ["429"])
    stale, kept = reaction_ack(2, True), reaction_ack(3, False)
    clock.now += 31.0
    fresh = reaction_ack(4, True)  # young: it goes
    await asyncio.wait_for(asyncio.gather(first, kept, fresh), 2)
    assert stale.result() is None and events == ["429", "dropped"]
    assert session.texts(-100) == [
        "SetMessageReaction:1",
        "SetMessageReaction:3",
        "SetMessageReaction:4",
    ]
    await outbox.stop()


# ---- bounded state ---------------------------------------------------------------------------


async def test_windows_of_chats_not_written_to_for_a_span_are_forgotten() -> None:
    clock = FakeClock()
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=2, private_per_second=1),
        clock=clock,
    )
    outbox.start()
    for chat_id in range(1, 51):
        outbox.send(chat_id, message(chat_id, "hi"))
    for _ in range(3):
        outbox.send(-100, message(-100, "group"))
    await eventually(lambda: len(session.sent) == 52)
    assert outbox.cache_sizes()["outbox_windows"] == 51
    assert outbox.chat_load(-100) == 3  # 2 sent within the window + 1 queued
    clock.now += 65.9  # within the group's window (66 s with the margin): nothing forgotten
    assert outbox.cache_sizes()["outbox_windows"] == 51
    clock.now += 0.2
    assert outbox.cache_sizes()["outbox_windows"] == 0  # each says nothing now
    assert outbox.chat_load(-100) == 1  # the queued message still counts
    nudge(outbox)
    await eventually(lambda: len(session.texts(-100)) == 3)
    assert outbox.cache_sizes()["outbox_windows"] == 2  # the group's and the nudge's
    await outbox.stop()


async def test_a_chat_blocked_by_429_is_forgotten_once_the_block_is_over() -> None:
    clock = FakeClock()
    outbox, session = outbox_with(FAST, clock=clock)
    session.script[-100] = ["429"]
    outbox.start()
    future = outbox.send(-100, message(-100, "first"))
    await eventually(lambda: outbox.cache_sizes()["outbox_blocked"] == 1)
    clock.now += 1.0
    nudge(outbox)
    await asyncio.wait_for(future, 2)
    assert outbox.cache_sizes()["outbox_blocked"] == 0
    await outbox.stop()


# ---- errors from Telegram ------------------------------------------------------------------


async def test_429_waits_retry_after_then_delivers_once() -> None:
    events: list[str] = []
    outbox, session = outbox_with(FAST, on_event=events.append)
    session.rate_limited.add(5)
    outbox.start()
    started = time.monotonic()
    future = outbox.send(5, message(5, "hello"))
    other = outbox.send(6, message(6, "meanwhile"))
    await asyncio.wait_for(other, 5)
    assert session.sent[0][2] == "meanwhile"  # the limited chat does not block others
    await asyncio.wait_for(future, 5)
    await outbox.stop()
    assert session.texts() == ["meanwhile", "hello"]
    assert session.sent[-1][0] - started >= 1.0 and events == ["429"]


async def test_429_holds_the_whole_chat_until_retry_after() -> None:
    clock = FakeClock()
    start = clock.now
    events: list[str] = []
    outbox, session = outbox_with(FAST, clock=clock, on_event=events.append)
    session.script[-100] = ["429"]
    outbox.start()
    first = outbox.send(-100, message(-100, "first"))
    await eventually(lambda: events == ["429"])
    second = outbox.send(-100, message(-100, "second"))
    outbox.send(-200, message(-200, "other group"))
    await settle()
    assert session.texts() == ["other group"]
    clock.now = start + 0.99
    nudge(outbox)
    await settle()
    assert session.texts(-100) == [] and not first.done()
    clock.now = start + 1.0
    nudge(outbox)
    await asyncio.wait_for(asyncio.gather(first, second), 2)
    assert session.texts(-100) == ["first", "second"]  # retried first, in order, once each
    assert session.attempts.count((-100, "first")) == 2
    assert session.attempts.count((-100, "second")) == 1
    assert first.result().text == "first" and events == ["429"]
    assert await outbox.drain(1)
    await outbox.stop()


async def test_403_is_recorded_not_raised() -> None:
    blocked: list[int] = []

    async def on_forbidden(chat_id: int) -> None:
        blocked.append(chat_id)

    outbox, session = outbox_with(FAST, on_forbidden=on_forbidden)
    session.blocked.add(9)
    outbox.start()
    future = outbox.send(9, message(9, "are you there?"))
    outbox.send(10, message(10, "hi"))
    assert await outbox.drain(5)
    await outbox.stop()
    with pytest.raises(TelegramForbiddenError):
        future.result()
    assert blocked == [9] and session.texts() == ["hi"]


async def test_403_in_a_group_is_not_a_blocked_user() -> None:
    blocked: list[int] = []
    events: list[str] = []

    async def on_forbidden(chat_id: int) -> None:
        blocked.append(chat_id)

    outbox, session = outbox_with(FAST, on_forbidden=on_forbidden, on_event=events.append)
    session.blocked.add(-100)  # the bot was removed from the group
    outbox.start()
    future = outbox.send(-100, message(-100, "hello group"))
    assert await outbox.drain(2)
    await outbox.stop()
    assert isinstance(future.exception(), TelegramForbiddenError)
    assert blocked == [] and events == ["403"]


async def test_a_failing_on_forbidden_does_not_stop_the_outbox(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def on_forbidden(chat_id: int) -> None:
        raise RuntimeError("database is down")

    outbox, session = outbox_with(FAST, on_forbidden=on_forbidden)
    session.blocked.add(9)
    outbox.start()
    future = outbox.send(9, message(9, "are you there?"))
    assert await outbox.drain(2)
    assert isinstance(future.exception(), TelegramForbiddenError)
    later = outbox.send(10, message(10, "still working"))
    assert (await asyncio.wait_for(later, 2)).text == "still working"
    await outbox.stop()
    assert "could not record blocked chat 9" in caplog.text


async def test_unawaited_failures_are_not_reported_as_never_retrieved() -> None:
    loop = asyncio.get_running_loop()
    reports: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reports.append(context))
    try:
        outbox, session = outbox_with(FAST)
        session.blocked.add(9)
        session.script[10] = ["400"]
        outbox.start()
        outbox.send(9, message(9, "nobody awaits this"))
        outbox.send(10, message(10, "nor this"))
        assert await outbox.drain(2)
        await outbox.stop()
        del outbox, session
        gc.collect()
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(previous)
    assert reports == []


@pytest.mark.parametrize("error", ["network", "server"])
async def test_transient_errors_are_retried_with_backoff(error: str) -> None:
    clock = FakeClock()
    start = clock.now
    outbox, session = outbox_with(FAST, clock=clock)
    session.script[5] = [error] * 3
    outbox.start()
    future = outbox.send(5, message(5, "eventually"))
    # Attempt n fails at t, the next may go at t + 2n: attempts at +0, +2, +6, +12.
    for attempt, due in ((1, 2.0), (2, 6.0), (3, 12.0)):
        await eventually(lambda n=attempt: len(session.attempts) - len(session.sent) >= n)
        clock.now = start + due - 0.05
        nudge(outbox)
        await settle()
        assert session.attempts.count((5, "eventually")) == attempt
        clock.now = start + due
        nudge(outbox)
    assert (await asyncio.wait_for(future, 2)).text == "eventually"
    assert session.attempts.count((5, "eventually")) == 4
    await outbox.stop()


@pytest.mark.parametrize(
    ("error", "exception"), [("network", TelegramNetworkError), ("server", TelegramServerError)]
)
async def test_transient_errors_give_up_after_four_attempts(
    error: str, exception: type[Exception]
) -> None:
    clock = FakeClock()
    outbox, session = outbox_with(FAST, clock=clock)
    session.script[5] = [error] * 10
    outbox.start()
    future = outbox.send(5, message(5, "never"))
    while not future.done():
        clock.now += 10.0  # past any backoff
        nudge(outbox)
        await settle()
    assert isinstance(future.exception(), exception)
    assert session.attempts.count((5, "never")) == 4
    await outbox.stop()


async def test_bad_request_fails_at_once_and_the_chat_goes_on() -> None:
    outbox, session = outbox_with(FAST)
    session.script[5] = ["400"]
    outbox.start()
    bad = outbox.send(5, message(5, "refused"))
    good = outbox.send(5, message(5, "fine"))
    assert await outbox.drain(2)
    await outbox.stop()
    assert isinstance(bad.exception(), TelegramBadRequest)
    assert good.result().text == "fine"
    assert session.attempts == [(5, "refused"), (5, "fine")]


# ---- dropping, draining, stopping ----------------------------------------------------------


async def test_droppable_calls_are_dropped_oldest_first_under_pressure() -> None:
    events: list[str] = []
    outbox, session = outbox_with(FAST, max_low_pending=2, on_event=events.append)
    futures = [
        outbox.send(
            -100,
            reaction(-100, i),
            kind=Kind.ACK,
            priority=Priority.LOW,
            counts_as_message=False,
            droppable=True,
        )
        for i in range(5)
    ]
    assert [f.done() for f in futures] == [True, True, True, False, False]
    assert [f.result() for f in futures[:3]] == [None, None, None]  # skipped, not failed
    assert events == ["dropped"] * 3
    outbox.start()
    assert await outbox.drain(2)
    await outbox.stop()
    assert session.texts() == ["SetMessageReaction:3", "SetMessageReaction:4"]
    assert all(isinstance(f.result(), bool) and f.result() for f in futures[3:])


async def test_only_droppable_calls_are_dropped() -> None:
    events: list[str] = []
    outbox, session = outbox_with(FAST, max_low_pending=1, on_event=events.append)
    for i in range(3):
        outbox.send(-100, message(-100, f"low {i}"), priority=Priority.LOW)
        outbox.send(
            -100,
            reaction(-100, i),
            kind=Kind.ACK,
            priority=Priority.LOW,
            counts_as_message=False,
            droppable=True,
        )
    outbox.start()
    assert await outbox.drain(2)
    await outbox.stop()
    assert session.texts() == ["low 0", "low 1", "low 2", "SetMessageReaction:2"]
    assert events == ["dropped"] * 2


async def test_dropped_calls_leave_the_queues_even_if_their_turn_never_comes() -> None:
    outbox, session = outbox_with(FAST, max_low_pending=2)
    futures = [
        outbox.send(-100, ack(-100, f"ack{i}"), kind=Kind.ACK, droppable=True) for i in range(50)
    ]
    assert sum(f.done() for f in futures) == 48
    # Not started: nothing was sent, yet the dropped ones do not pile up in the queue.
    assert outbox.depth <= 2 * 2 + 1 and outbox.chat_load(-100) == outbox.depth
    outbox.start()
    assert await outbox.drain(2)
    await outbox.stop()
    assert session.texts() == ["ack48", "ack49"]


async def test_drain() -> None:
    outbox, session = outbox_with(FAST)
    assert await outbox.drain(0.01)  # nothing queued
    outbox.send(1, message(1, "queued"))
    assert not await outbox.drain(0.05)  # not started: nothing leaves
    session.delay = 0.2
    outbox.start()
    started = time.monotonic()
    assert await outbox.drain(2)
    assert session.texts() == ["queued"]  # waited for the call in flight, not only the queue
    assert time.monotonic() - started >= 0.2
    await outbox.stop()


async def test_drain_times_out_while_a_chat_waits_for_retry_after() -> None:
    clock = FakeClock()
    outbox, session = outbox_with(FAST, clock=clock)
    session.rate_limited.add(5)
    outbox.start()
    future = outbox.send(5, message(5, "later"))
    assert not await outbox.drain(0.1)
    clock.now += 1.0
    nudge(outbox)
    assert await outbox.drain(2)
    assert future.result().text == "later"
    await outbox.stop()


async def test_stop_cancels_what_is_still_queued() -> None:
    outbox, session = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=1, private_per_second=1000)
    )
    outbox.start()
    first = outbox.send(-100, message(-100, "first"))
    second = outbox.send(-100, message(-100, "second"))
    await asyncio.wait_for(first, 2)
    await asyncio.wait_for(outbox.stop(), 2)
    assert second.cancelled() and outbox.depth == 0
    await settle()
    assert session.texts() == ["first"]


async def test_stop_is_prompt_while_the_loop_waits_on_a_long_window() -> None:
    outbox, _ = outbox_with(
        OutboundLimits(global_per_second=1000, group_per_minute=1, private_per_second=1000)
    )
    outbox.start()
    for _ in range(3):
        outbox.send(-100, message(-100, "x"))
    await settle()  # the loop now sleeps ~66 s until the group's window reopens
    started = time.monotonic()
    await asyncio.wait_for(outbox.stop(), 2)
    assert time.monotonic() - started < 1.0


async def test_a_message_to_a_group_that_moved_goes_to_its_new_id() -> None:
    """Telegram answers 400 with migrate_to_chat_id for a group upgraded to a supergroup."""
    outbox, session = outbox_with(FAST)
    old, new = -4000, -1004000

    original = session.make_request

    async def moved(bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if int(method.chat_id) == old:  # type: ignore[attr-defined]
            raise TelegramMigrateToChat(
                method=method, message="group upgraded", migrate_to_chat_id=new
            )
        return await original(bot, method, timeout)

    session.make_request = moved  # type: ignore[method-assign]
    outbox.start()
    future = outbox.send(old, message(old, "welcome back"))
    assert await outbox.drain(5)
    await outbox.stop()
    assert future.exception() is None
    assert session.texts(new) == ["welcome back"] and session.texts(old) == []
