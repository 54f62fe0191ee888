"""The one way out to Telegram for messages: paced within Telegram's limits, by priority.

Handlers enqueue and move on; a single scheduler picks the most urgent call whose chat may be
written to now (about 30 messages/s overall, 20/min per group, 1/s per private chat), retries
after a 429's retry_after, and records 403s (a member blocked the bot) instead of failing.

Every call is either an *answer* (someone waits for it: the reply to a command, a document, a
settings panel, an error) or an *acknowledgement* of a routine action (a check-in, a grant, a
reaction, a digest edit). Answers go before every acknowledgement, and acknowledgements may use
only part of a group's window, so a fresh command finds a free slot however many
acknowledgements are queued. Acknowledgements may be dropped (when marked droppable) or folded
by their sender (bot/digest.py); answers never are. *Bulk* sends (one message to many members)
come after both and are never dropped.

Several processes of one bot count the limits together when a `SharedGate` is given
(bot/shared_limits.py, Redis): each call this process picks is then granted by the gate first;
a refusal says how long to wait, and what this process learns of a chat's load from it feeds
`group_is_busy`. Without a gate nothing changes: the windows below are the limiter.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Protocol

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod

from core.cache import BoundedCache

logger = logging.getLogger(__name__)


class Kind(IntEnum):
    """What a call is for; every answer goes before every acknowledgement."""

    ANSWER = 0  # someone waits for it; never dropped
    ACK = 1  # acknowledges a routine action; may be dropped or folded, uses part of a window
    BULK = 2  # one of many (an announcement to members): after everything else, never dropped


class Priority(IntEnum):
    """Order within a kind."""

    HIGH = 0  # administrators and private chats
    NORMAL = 1  # members in groups
    LOW = 2  # routine: reactions, digest edits


@dataclass(frozen=True)
class OutboundLimits:
    global_per_second: float = 30.0
    group_per_minute: float = 20.0
    private_per_second: float = 1.0

    @property
    def group_busy_threshold(self) -> int:
        return max(1, int(self.group_per_minute // 2))

    @property
    def group_answer_reserve(self) -> int:
        """Messages of a group's window that acknowledgements may not take (kept for answers)."""
        return int(self.group_per_minute) // 4


@dataclass(frozen=True, slots=True)
class Verdict:
    """A shared gate's answer: granted, or wait `wait` seconds (scope: global, chat, pause,
    demand); `load` is the chat's sends within its window, as far as the gate knows."""

    granted: bool
    wait: float
    scope: str
    load: int
    token: str = ""  # a granted request's slot, released once Telegram answered


class SharedGate(Protocol):
    async def acquire(
        self, chat_id: int, kind: int, counts_as_message: bool, messages: int = 1
    ) -> Verdict: ...

    async def release(self, token: str) -> None: ...

    async def pause(self, chat_id: int, seconds: float) -> None: ...


class GateUnavailable(Exception):
    """The gate could not be asked (Redis down): the call waits and asks again."""


@dataclass(eq=False)
class _Item:
    kind: int
    priority: int
    seq: int
    chat_id: int
    method: TelegramMethod[Any] | Callable[[], TelegramMethod[Any]]
    counts_as_message: bool
    droppable: bool
    future: asyncio.Future[Any]
    queued_at: float
    messages: int = 1  # messages the call sends (an album of four photos: 4)
    attempts: int = 0
    grant: str = ""  # the shared gate's slot for this send
    order: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # (kind, priority, seq) as one int: the queues hold (order, item) pairs, so the heap
        # compares ints (unique: seq is), never calls into Python.
        self.order = (self.kind << 56) | (self.priority << 48) | self.seq


# A shared gate that did not answer is asked again after this, doubling up to the maximum.
GATE_RETRY_FIRST = 0.25
GATE_RETRY_MAX = 4.0
# How long a chat's load reported by the shared gate is taken as current.
REMOTE_LOAD_FRESH = 10.0
MAX_CHAT_HOLDS = 1000

# Requests sent at the edge of a window can reach Telegram bunched closer together than they left
# (network jitter), and Telegram counts arrivals: keep a little margin.
WINDOW_MARGIN = 1.1


class _Window:
    """Timestamps of recent sends, for a limit of `limit` per `span` seconds."""

    __slots__ = ("limit", "span", "times")

    def __init__(self, limit: float, span: float) -> None:
        self.limit = max(1, int(limit)) if limit >= 1 else 1
        self.span = (span if limit >= 1 else span / limit) * WINDOW_MARGIN
        self.times: deque[float] = deque()

    def free_at(self, now: float, keep: int = 0, need: int = 1) -> float:
        """When `need` sends may go, leaving `keep` of the window's sends unused (a call
        needing more than the window holds waits for the whole window)."""
        while self.times and self.times[0] <= now - self.span:
            self.times.popleft()
        allowed = max(1, self.limit - keep)
        if need != 1:
            need = min(max(1, need), allowed)
        if len(self.times) + need <= allowed:
            return now
        return self.times[len(self.times) - allowed + need - 1] + self.span

    def record(self, now: float, count: int = 1) -> None:
        if count == 1:
            self.times.append(now)
        else:
            self.times.extend([now] * count)


# The overall window counts from a request's answer (below), which already covers any delay on the
# way: the margin is only for rounding.
GLOBAL_MARGIN = 1.01


class _AnsweredWindow:
    """The overall limit, kept so that no second at Telegram holds more than `limit` calls however
    unevenly they reach it. A call counts from when it leaves until `span` after Telegram answered
    it (it arrived at some moment between the two): a call may leave only when fewer than
    `limit` are out or were answered within the span. A sliding window of departure times
    cannot promise that: when Telegram (or the machine) stalls for a moment, the calls that left
    during the stall arrive together with the next second's (429s)."""

    __slots__ = ("in_flight", "limit", "span", "times")

    def __init__(self, limit: float, span: float) -> None:
        self.limit = max(1, int(limit))
        self.span = span * GLOBAL_MARGIN
        self.times: deque[float] = deque()  # answers, in the order they came (ascending)
        self.in_flight = 0

    def free_at(self, now: float, need: int = 1) -> float:
        """When `need` calls may leave (a call needing more than the limit waits for all)."""
        while self.times and self.times[0] <= now - self.span:
            self.times.popleft()
        need = min(max(1, need), self.limit)
        excess = len(self.times) + self.in_flight + need - self.limit
        if excess <= 0:
            return now
        if excess <= len(self.times):
            return self.times[excess - 1] + self.span
        return now + self.span  # an answer comes first: it wakes the sender

    def left(self, count: int = 1) -> None:
        self.in_flight += count

    def answered(self, now: float, count: int = 1) -> None:
        self.in_flight -= count
        self.times.extend([now] * count)


def _private_span(limits: OutboundLimits) -> float:
    return _Window(limits.private_per_second, 1.0).span


def _key(item: _Item) -> tuple[int, bool]:
    return item.chat_id, item.counts_as_message


def _noop_exception(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class Outbox:
    def __init__(
        self,
        bot: Bot,
        limits: OutboundLimits = OutboundLimits(),
        *,
        on_forbidden: Callable[[int], Awaitable[None]] | None = None,
        on_event: Callable[[str], None] | None = None,
        # Droppable calls waiting at most (about 30 s of reactions at 30/s: newer ones matter
        # more), and how long one may wait at all (a chat held by retry_after, say).
        max_low_pending: int = 1000,
        droppable_max_age: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
        gate: SharedGate | None = None,
    ) -> None:
        self._bot = bot
        self._limits = limits
        self._on_forbidden = on_forbidden
        self._on_event = on_event or (lambda _name: None)
        self._max_low = max_low_pending
        self._max_age = droppable_max_age
        self._reserve = limits.group_answer_reserve
        self._clock = clock
        self._seq = itertools.count()
        # Per chat, two queues: messages (paced by the chat's window) and other calls (reactions,
        # edits, callback answers), so those are not held up behind a message that must wait.
        self._queues: dict[tuple[int, bool], list[tuple[int, _Item]]] = {}
        # A window with nothing in its span says nothing: it is forgotten. The chats written to
        # within the longest span are at most global_per_second x span, which bounds the size.
        longest = max(_Window(limits.group_per_minute, 60.0).span, _private_span(limits))
        self._chat_windows: BoundedCache[int, _Window] = BoundedCache(
            max(1000, int(limits.global_per_second * longest * 2)), longest, clock=clock
        )
        self._global = _AnsweredWindow(limits.global_per_second, 1.0)
        # Bulk sends are spread evenly over the global window rather than sent in bursts: a
        # burst would keep every answer waiting behind it.
        self._bulk_spacing = self._global.span / self._global.limit
        self._bulk_next = 0.0
        self._blocked_until: dict[int, float] = {}  # only chats with a call queued
        self._low_pending: deque[_Item] = deque()
        self._dropped_queued = 0  # dropped calls still in the queues
        self._queued_messages: dict[int, int] = {}
        self._wake = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()
        # A shared gate (several processes): what it told, kept until it may have changed.
        self._gate = gate
        self._kind_hold = [0.0, 0.0, 0.0]  # by kind: ask the gate again after this time
        self._chat_hold: dict[int, tuple[float, int]] = {}  # chat -> (until, least urgent kind)
        self._gate_down_until = 0.0
        self._gate_backoff = GATE_RETRY_FIRST
        self._remote_load: BoundedCache[int, int] = BoundedCache(
            max(1000, int(limits.global_per_second * 60)), REMOTE_LOAD_FRESH, clock=clock
        )
        self._pick = self._pick_gated if gate is not None else self._pick_local

    # ---- public -------------------------------------------------------------------------
    def send(
        self,
        chat_id: int,
        method: TelegramMethod[Any] | Callable[[], TelegramMethod[Any]],
        *,
        kind: Kind = Kind.ANSWER,
        priority: Priority = Priority.NORMAL,
        counts_as_message: bool = True,
        droppable: bool = False,
        messages: int = 1,
    ) -> asyncio.Future[Any]:
        """Queue a call; the returned future resolves to its result (awaiting it is optional).

        `messages`: how many messages the call sends, each counted in the chat's and the
        global windows (an album of four photos is four messages to Telegram's limits).

        A droppable acknowledgement resolves to None if it is dropped: when more than
        `max_low_pending` wait (the oldest go), or when it waited `droppable_max_age` seconds.
        `method` may be a function that builds the call: it is called only when the call's
        turn comes (most reactions of a busy group are dropped before that).
        """
        if droppable and kind is not Kind.ACK:
            raise ValueError("only acknowledgements may be dropped; answers never are")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_noop_exception)
        item = _Item(
            int(kind),
            int(priority),
            next(self._seq),
            chat_id,
            method,
            counts_as_message,
            droppable,
            future,
            self._clock(),
            max(1, messages),
        )
        self._push(item)
        if droppable:
            self._low_pending.append(item)
            self._drop_excess()
        self._idle.clear()
        self._wake.set()
        return future

    def chat_load(self, chat_id: int) -> int:
        """Messages sent to the chat within its window (a minute for groups) plus those queued."""
        window = self._chat_windows.get(chat_id)
        recent = 0
        if window is not None:
            window.free_at(self._clock())  # forgets sends that left the window
            recent = len(window.times)
        if self._gate is not None:  # sends of the other processes, as the gate last said
            recent = max(recent, self._remote_load.get(chat_id) or 0)
        return recent + self._queued_messages.get(chat_id, 0)

    def group_is_busy(self, chat_id: int) -> bool:
        return self.chat_load(chat_id) >= self._limits.group_busy_threshold

    @property
    def depth(self) -> int:
        return sum(len(q) for q in self._queues.values())

    def cache_sizes(self) -> dict[str, int]:
        sizes = {
            "outbox_windows": len(self._chat_windows),
            "outbox_blocked": len(self._blocked_until),
            "outbox_queued": self.depth,
        }
        if self._gate is not None:
            sizes["outbox_remote_loads"] = len(self._remote_load)
            sizes["outbox_chat_holds"] = len(self._chat_hold)
        return sizes

    def start(self) -> None:
        if self._runner is None:
            self._stopping = False
            self._runner = asyncio.create_task(self._run(), name="outbox")

    async def drain(self, timeout: float) -> bool:
        """Wait until everything queued is sent (or timeout); True when empty."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
            return True
        except TimeoutError:
            return False

    async def stop(self) -> None:
        if self._runner is not None:
            # A flag as well as cancel(): on Python 3.11 asyncio.wait_for can swallow a
            # cancellation that arrives as its inner wait completes, and the loop would go on.
            self._stopping = True
            self._wake.set()
            self._runner.cancel()
            await asyncio.gather(self._runner, return_exceptions=True)
            self._runner = None
        for task in list(self._in_flight):
            task.cancel()
        await asyncio.gather(*self._in_flight, return_exceptions=True)
        for queue in self._queues.values():
            for _, item in queue:
                if not item.future.done():
                    item.future.cancel()
        self._queues.clear()
        self._queued_messages.clear()
        self._blocked_until.clear()
        self._low_pending.clear()
        self._dropped_queued = 0

    # ---- scheduling ---------------------------------------------------------------------
    def _record(self, chat_id: int, now: float, count: int = 1) -> None:
        """Count messages sent to the chat; its window is kept for a span after them."""
        window = self._chat_windows.get(chat_id)
        if window is None:
            if chat_id > 0:
                window = _Window(self._limits.private_per_second, 1.0)
            else:
                window = _Window(self._limits.group_per_minute, 60.0)
        window.record(now, count)
        self._chat_windows.put(chat_id, window)

    def _pick_local(self, now: float) -> tuple[_Item | None, float]:
        """The most urgent sendable item, or None and the time to look again."""
        global_free = self._global.free_at(now)
        if global_free > now:
            return None, global_free
        best: _Item | None = None
        wake = now + 3600.0
        for (chat_id, _), queue in self._queues.items():
            head = queue[0][1]
            ready = now
            blocked = self._blocked_until.get(chat_id)
            if blocked is not None:
                if blocked > now:
                    ready = blocked
                else:
                    del self._blocked_until[chat_id]
            window = self._chat_windows.get(chat_id) if head.counts_as_message else None
            if window is not None:
                # Acknowledgements (and bulk) leave part of a group's window to answers.
                keep = self._reserve if head.kind != Kind.ANSWER and chat_id < 0 else 0
                ready = max(ready, window.free_at(now, keep, head.messages))
            if head.messages > 1:
                ready = max(ready, self._global.free_at(now, need=head.messages))
            if head.kind == Kind.BULK:
                ready = max(ready, self._bulk_next)
            if ready > now:
                wake = min(wake, ready)
                continue
            if best is None or head.order < best.order:
                best = head
        return best, wake

    def _pick_gated(self, now: float) -> tuple[_Item | None, float]:
        """As _pick_local, also skipping what the shared gate said must wait."""
        if self._gate_down_until > now:
            return None, self._gate_down_until
        global_free = self._global.free_at(now)
        if global_free > now:
            return None, global_free
        kind_hold = self._kind_hold
        best: _Item | None = None
        wake = now + 3600.0
        for (chat_id, _), queue in self._queues.items():
            head = queue[0][1]
            ready = kind_hold[head.kind]
            blocked = self._blocked_until.get(chat_id)
            if blocked is not None:
                if blocked > now:
                    ready = max(ready, blocked)
                else:
                    del self._blocked_until[chat_id]
            held = self._chat_hold.get(chat_id)
            if held is not None:
                if held[0] <= now:
                    del self._chat_hold[chat_id]
                elif head.kind >= held[1]:
                    ready = max(ready, held[0])
            window = self._chat_windows.get(chat_id) if head.counts_as_message else None
            if window is not None:
                keep = self._reserve if head.kind != Kind.ANSWER and chat_id < 0 else 0
                ready = max(ready, window.free_at(now, keep, head.messages))
            if head.kind == Kind.BULK:
                ready = max(ready, self._bulk_next)
            if ready > now:
                wake = min(wake, ready)
                continue
            if best is None or head.order < best.order:
                best = head
        return best, wake

    async def _granted(self, item: _Item) -> bool:
        """Ask the shared gate for this send; on a refusal remember what must wait."""
        assert self._gate is not None
        try:
            verdict = await self._gate.acquire(
                item.chat_id, item.kind, item.counts_as_message, item.messages
            )
        except GateUnavailable:
            # Nothing is dropped: the call stays queued and the gate is asked again.
            self._on_event("gate_unavailable")
            self._gate_down_until = self._clock() + self._gate_backoff
            self._gate_backoff = min(self._gate_backoff * 2, GATE_RETRY_MAX)
            return False
        self._gate_backoff = GATE_RETRY_FIRST
        if item.counts_as_message and item.chat_id < 0:
            self._remote_load.put(item.chat_id, verdict.load)
        if verdict.granted:
            item.grant = verdict.token
            return True
        self._on_event(f"gate_{verdict.scope}")
        until = self._clock() + verdict.wait
        if verdict.scope in ("global", "demand", "in_flight"):
            for kind in range(item.kind, len(self._kind_hold)):  # and everything less urgent
                self._kind_hold[kind] = max(self._kind_hold[kind], until)
        elif verdict.scope == "pause":
            self._blocked_until[item.chat_id] = max(
                until, self._blocked_until.get(item.chat_id, 0.0)
            )
        else:  # the chat's window: what is as urgent as this, or less, waits
            if len(self._chat_hold) > MAX_CHAT_HOLDS:  # forget the ones that ran out
                now = self._clock()
                self._chat_hold = {c: h for c, h in self._chat_hold.items() if h[0] > now}
            self._chat_hold[item.chat_id] = (until, item.kind)
        return False

    async def _run(self) -> None:
        gated = self._gate is not None
        while not self._stopping:
            now = self._clock()
            item, wake_at = self._pick(now)
            if item is None:
                if not self._queues and not self._in_flight:
                    self._idle.set()
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), max(0.0, wake_at - now))
                except TimeoutError:
                    pass
                continue
            if gated and not (item.future.done() or self._stale(item, now)):
                if not await self._granted(item):
                    continue
                now = self._clock()
                if not self._take(item):  # more urgent calls may have been queued meanwhile
                    continue
            else:
                self._pop(item)
            if item.future.done():
                self._dropped_queued = max(0, self._dropped_queued - 1)
                continue  # dropped while waiting
            if self._stale(item, now):
                item.future.set_result(None)  # stale: nobody looks at it any more
                self._on_event("dropped")
                continue
            self._global.left(item.messages)
            if item.kind == Kind.BULK:  # on a steady beat (a late wake-up is caught up once)
                beat = max(self._bulk_next, now - self._bulk_spacing)
                self._bulk_next = beat + self._bulk_spacing * item.messages
            if item.counts_as_message:
                self._record(item.chat_id, now, item.messages)
            task = asyncio.create_task(self._send(item))
            self._in_flight.add(task)
            task.add_done_callback(self._delivered)
            # Let the delivery start before picking again (keeps the loop fair under load).
            await asyncio.sleep(0)

    def _stale(self, item: _Item, now: float) -> bool:
        return item.droppable and now - item.queued_at >= self._max_age

    def _delivered(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()  # the loop may now be idle, or a requeued item may be due

    def _push(self, item: _Item) -> None:
        heapq.heappush(self._queues.setdefault(_key(item), []), (item.order, item))
        if item.counts_as_message:
            queued = self._queued_messages.get(item.chat_id, 0)
            self._queued_messages[item.chat_id] = queued + item.messages

    def _pop(self, head: _Item) -> _Item:
        key = _key(head)
        queue = self._queues[key]
        item = heapq.heappop(queue)[1]
        assert item is head
        chat_id = item.chat_id
        if not queue:
            del self._queues[key]
        if item.counts_as_message:
            left = self._queued_messages[chat_id] - item.messages
            if left:
                self._queued_messages[chat_id] = left
            else:
                del self._queued_messages[chat_id]
        return item

    def _take(self, item: _Item) -> bool:
        """Take an item out of its queue, at the head or not; False if it is gone (a dropped
        call compacted away meanwhile)."""
        queue = self._queues.get(_key(item))
        if queue is None:
            return False
        if queue[0][1] is item:
            self._pop(item)
            return True
        try:
            queue.remove((item.order, item))
        except ValueError:
            return False
        heapq.heapify(queue)  # not empty: the item was behind a head
        if item.counts_as_message:
            self._queued_messages[item.chat_id] -= 1
        return True

    def _requeue(self, item: _Item) -> None:
        self._push(item)
        self._wake.set()

    async def _deliver(self, item: _Item) -> None:
        try:
            if not isinstance(item.method, TelegramMethod):
                item.method = item.method()  # built now that its turn has come
            result = await self._bot(item.method)
        finally:
            self._global.answered(self._clock(), item.messages)
            self._release(item)
        if not item.future.done():
            item.future.set_result(result)

    def _release(self, item: _Item) -> None:
        if item.grant and self._gate is not None:
            token, item.grant = item.grant, ""
            task = asyncio.create_task(self._gate.release(token))
            self._in_flight.add(task)
            task.add_done_callback(self._delivered)

    async def _send(self, item: _Item) -> None:
        try:
            await self._deliver(item)
        except TelegramRetryAfter as exc:
            self._on_event("429")
            logger.info("429 for chat %s: retry after %ss", item.chat_id, exc.retry_after)
            self._blocked_until[item.chat_id] = self._clock() + float(exc.retry_after)
            self._requeue(item)
            if self._gate is not None:  # every process waits, not only this one
                try:
                    await self._gate.pause(item.chat_id, float(exc.retry_after))
                except GateUnavailable:
                    logger.warning("could not share the 429 pause of chat %s", item.chat_id)
            return
        except TelegramMigrateToChat as exc:
            # The group became a supergroup (a new chat id): send it there, once.
            new_chat = exc.migrate_to_chat_id
            if getattr(item.method, "chat_id", None) == new_chat or item.attempts > 0:
                item.future.set_exception(exc)
                return
            logger.info("chat %s moved to %s: sending there", item.chat_id, new_chat)
            item.method = item.method.model_copy(update={"chat_id": new_chat})
            if hasattr(item.method, "reply_parameters"):
                item.method = item.method.model_copy(update={"reply_parameters": None})
            item.chat_id = new_chat
            item.attempts += 1
            self._requeue(item)
            return
        except TelegramForbiddenError as exc:
            self._on_event("403")
            logger.info("403 for chat %s: %s", item.chat_id, exc.message)
            if self._on_forbidden is not None and item.chat_id > 0:
                try:
                    await self._on_forbidden(item.chat_id)
                except Exception:  # noqa: BLE001
                    logger.exception("could not record blocked chat %s", item.chat_id)
            item.future.set_exception(exc)
            return
        except (TelegramNetworkError, TelegramServerError) as exc:
            item.attempts += 1
            if item.attempts < 4:
                logger.warning(
                    "outbound %s failed (%s), retrying", type(item.method).__name__, exc
                )
                self._blocked_until[item.chat_id] = self._clock() + 2.0 * item.attempts
                self._requeue(item)
                return
            item.future.set_exception(exc)
            return
        except TelegramBadRequest as exc:
            logger.warning(
                "outbound %s to %s refused: %s",
                type(item.method).__name__,
                item.chat_id,
                exc.message,
            )
            item.future.set_exception(exc)
            return
        except Exception as exc:  # noqa: BLE001
            logger.exception("outbound %s failed", type(item.method).__name__)
            item.future.set_exception(exc)
            return

    def _drop_excess(self) -> None:
        while len(self._low_pending) > self._max_low:
            item = self._low_pending.popleft()
            if not item.future.done():
                item.future.set_result(None)  # skipped when its turn comes
                self._on_event("dropped")
                self._dropped_queued += 1
        # Forget entries that were already sent.
        while self._low_pending and self._low_pending[0].future.done():
            self._low_pending.popleft()
        if self._dropped_queued > self._max_low:
            self._compact()

    def _compact(self) -> None:
        """Take calls that are done (dropped) out of the queues. They are skipped at their
        turn, but while more urgent calls take every send, their turn may not come."""
        for key in list(self._queues):
            queue = self._queues[key]
            kept = [entry for entry in queue if not entry[1].future.done()]
            if len(kept) == len(queue):
                continue
            removed = sum(e[1].messages for e in queue) - sum(e[1].messages for e in kept)
            chat_id, counts_as_message = key
            if counts_as_message:
                left = self._queued_messages[chat_id] - removed
                if left:
                    self._queued_messages[chat_id] = left
                else:
                    del self._queued_messages[chat_id]
            if kept:
                heapq.heapify(kept)
                self._queues[key] = kept
            else:
                del self._queues[key]
        self._dropped_queued = 0
