"""Update intake: an update is confirmed to Telegram only after its effects are committed.

aiogram's start_polling asks for the next offset while handlers still run; a crash then loses
updates for good. Here a batch is fed through the Dispatcher (concurrently across chats and
members, in order within one), already-processed updates are skipped, and only then does the
poller move the offset.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from bisect import bisect_right
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramConflictError,
    TelegramNetworkError,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates
from aiogram.types import ChatMemberUpdated, Update
from pydantic import ValidationError
from sqlalchemy import text as sa_text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.metrics import update_kind
from bot.set_aside import MAX_ATTEMPTS, SetAside
from bot.update_leases import LeaseLost, UpdateLeases
from bot.update_parts import chat_and_user, event_of, is_real_member
from core.uow import CommittedUpdates
from storage.db import SessionFactory
from storage.queries import updates as processed

logger = logging.getLogger(__name__)


class RetryBatch(Exception):
    """Something outside the update failed (e.g. the database is down): try again later."""


# PostgreSQL's serialization failure and deadlock: the transaction was rolled back and may run
# again (several processes writing the same rows, e.g. two replicas' check-in batches).
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError):
        return True
    if isinstance(exc, DBAPIError) and (
        exc.connection_invalidated or getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES
    ):
        return True
    return isinstance(exc, (ConnectionError, OSError, TimeoutError))


def ordering_key(update: Update) -> tuple[int, int] | int:
    """Updates with the same key are handled one after another, in arrival order.

    A person's updates share one key whatever the chat, so their private message right after
    joining and speaking in a group sees what those group updates recorded (even from the
    batched path, whose handlers wait for their batch's commit). A member change is keyed by
    the member it is about. Service accounts (an anonymous admin, a channel) and bots are
    keyed per chat: they speak in many groups at once."""
    event = event_of(update)
    chat, user = chat_and_user(event)
    if isinstance(event, ChatMemberUpdated):
        user = event.new_chat_member.user
    chat_id = chat.id if chat is not None else 0
    user_id = user.id if user is not None else 0
    if is_real_member(user):
        return (0, user_id)
    if not chat_id and not user_id:
        return update.update_id
    return (chat_id, user_id)


class KeyedLocks:
    """One lock per ordering key, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        return len(self._locks)

    async def acquire(self, key: object) -> None:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        await lock.acquire()

    def release(self, key: object) -> None:
        lock, users = self._locks[key]
        lock.release()
        if users == 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)


class RecentIds:
    """The last `size` update ids handled to the end in this process (the lowest go first).

    Kept as ranges of consecutive ids: Telegram numbers updates in sequence, so a burst of
    100,000 is a handful of ranges, where a set of them held 11 MB.
    """

    def __init__(self, size: int = 100_000) -> None:
        self._starts: list[int] = []  # sorted; the ranges never touch or overlap
        self._ends: list[int] = []  # inclusive
        self._count = 0
        self._size = size

    def __contains__(self, update_id: object) -> bool:
        if not isinstance(update_id, int):
            return False
        i = bisect_right(self._starts, update_id) - 1
        return i >= 0 and update_id <= self._ends[i]

    def __len__(self) -> int:
        return self._count

    def ranges(self) -> int:
        return len(self._starts)

    def add(self, update_id: int) -> None:
        starts, ends = self._starts, self._ends
        i = bisect_right(starts, update_id)  # ranges before i start at or below the id
        if i and update_id <= ends[i - 1]:
            return
        joins_left = i > 0 and ends[i - 1] == update_id - 1
        joins_right = i < len(starts) and starts[i] == update_id + 1
        if joins_left and joins_right:
            ends[i - 1] = ends[i]
            del starts[i], ends[i]
        elif joins_left:
            ends[i - 1] = update_id
        elif joins_right:
            starts[i] = update_id
        else:
            starts.insert(i, update_id)
            ends.insert(i, update_id)
        self._count += 1
        while self._count > self._size:  # forget the lowest ids
            excess = self._count - self._size
            length = ends[0] - starts[0] + 1
            if length <= excess:
                del starts[0], ends[0]
                self._count -= length
            else:
                starts[0] += excess
                self._count -= excess


def _settle(future: asyncio.Future[object], outcome: BaseException | None) -> None:
    if not future.done():
        future.set_result(outcome)


class UpdateProcessor:
    """Feeds updates through the Dispatcher and tells when each one is done.

    An update is *settled* when its effects are committed or its handling has finished; only
    then may it be confirmed to Telegram. Whatever a handler does after committing (rendering
    and queuing its reply) may still run when `process` returns, so the next getUpdates
    overlaps with it; it keeps holding the update's ordering key, so the same member's next
    update in the same chat still waits for it.
    """

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        session_factory: SessionFactory,
        committed: CommittedUpdates,
        *,
        concurrency: int = 100,
        observe: Callable[..., None] | None = None,
        set_aside: SetAside | None = None,
        database_answers: Callable[[], Awaitable[bool]] | None = None,
        leases: UpdateLeases | None = None,
        **feed_kwargs: Any,
    ) -> None:
        self._dp = dispatcher
        self._bot = bot
        self._session_factory = session_factory
        self._committed = committed
        self._limit = asyncio.Semaphore(concurrency)
        self._observe = observe or (lambda _what, _update, _seconds=None: None)
        self._feed_kwargs = feed_kwargs
        self._key_locks = KeyedLocks()
        self._finished = RecentIds()
        self._lanes: set[asyncio.Task[None]] = set()
        self._set_aside = set_aside or SetAside(session_factory)
        self._database_answers = database_answers or self._select_one
        # Failed attempts of updates that are being retried (forgotten once they are done).
        self._attempts: dict[int, int] = {}
        # Set in polling mode: ids above it were never processed by anyone (see below).
        self._high_water: int | None = None
        # Webhook replicas on PostgreSQL: one process at a time per update (bot/update_leases).
        self.leases = leases

    def cache_sizes(self) -> dict[str, int]:
        return {
            "recent update ids": len(self._finished),
            "committed ids": len(self._committed),
            "ordering locks": len(self._key_locks),
            "retried updates": len(self._attempts),
        }

    @property
    def recent(self) -> RecentIds:
        """Update ids handled lately (bounded), to drop a copy delivered twice at once."""
        return self._finished

    async def assume_single_consumer(self) -> None:
        """Polling: Telegram hands updates to one poller at a time (a second one gets 409), so
        an id above the highest one recorded, and above every id fed since, cannot have been
        processed: the redelivery check is skipped for it. (Ids reset at random after a week
        without updates can only fall below the mark, and are then checked.)"""
        async with self._session_factory() as session:
            self._high_water = await processed.highest(session) or 0

    async def set_aside(self, update_id: int, kind: str, payload: str, error: str) -> None:
        """An update that cannot even be parsed."""
        await self._set_aside.keep(update_id, kind, payload, error)

    async def process_one(self, update: Update) -> None:
        """For webhooks: one update per request; same-chat-and-member updates still in order.

        With leases (several processes), a copy of an update another process is handling
        waits here until that one is done, then finds it processed (or, if it died, handles
        it); RetryBatch if it waited too long (Telegram delivers it again)."""
        leases = self.leases
        if leases is None:
            await self.process([update])
            return
        try:
            mine = await leases.acquire(update.update_id)
        except LeaseLost as exc:
            raise RetryBatch(f"update lease unavailable: {exc}") from exc
        if not mine:
            raise RetryBatch(f"update {update.update_id} is still in hand elsewhere")
        try:
            await self.process([update])
        finally:
            leases.release(update.update_id)

    async def process(self, batch: Sequence[Update]) -> None:
        """Return once every update of the batch is settled; RetryBatch if one must be
        delivered again."""
        if not batch:
            return
        ids = [u.update_id for u in batch]
        to_check = ids
        if self._high_water is not None:
            to_check = [i for i in ids if i <= self._high_water]
            self._high_water = max(self._high_water, *ids)
        seen: set[int] = set()
        if to_check:
            async with self._session_factory() as session:
                seen = await processed.known(session, to_check)
        for update in batch:
            if update.update_id in seen:
                self._observe("duplicate", update)
        todo = [u for u in batch if u.update_id not in seen]
        if not todo:
            return
        loop = asyncio.get_running_loop()
        settled: dict[int, asyncio.Future[object]] = {}
        lanes: dict[object, list[Update]] = {}
        for update in todo:
            future = settled[update.update_id] = loop.create_future()
            self._committed.notify(update.update_id, future)
            lanes.setdefault(ordering_key(update), []).append(update)
        culprits: dict[int, BaseException] = {}
        for key, lane in lanes.items():
            task = asyncio.create_task(self._run_lane(key, lane, settled, culprits))
            self._lanes.add(task)
            task.add_done_callback(self._lanes.discard)
        outcomes = await asyncio.gather(*settled.values())
        failed = [exc for exc in outcomes if exc is not None]
        todo_ids = [u.update_id for u in todo]
        committed = self._committed.take(todo_ids)  # forgotten either way: no leak on failure
        if failed:
            await self._set_aside_repeat_failures(todo, culprits)
            raise RetryBatch(f"{len(failed)} update(s) hit a transient error: {failed[0]!r}")
        for update_id in ids:
            self._attempts.pop(update_id, None)
        # Handlers that wrote nothing (reads, ignored updates) are recorded here in one go.
        rest = set(todo_ids) - committed
        if rest:
            async with self._session_factory() as session:
                await processed.claim(session, sorted(rest), datetime.now(UTC))
                await session.commit()

    async def _set_aside_repeat_failures(
        self, todo: Sequence[Update], culprits: dict[int, BaseException]
    ) -> None:
        """An update that failed MAX_ATTEMPTS times while the database answered is not a
        passing fault: set it aside, and the retried batch goes on without it. While the
        database is down nothing is counted: everything waits for it."""
        if not culprits or not await self._database_answers():
            return
        for update in todo:
            error = culprits.get(update.update_id)
            if error is None:
                continue
            attempts = self._attempts[update.update_id] = (
                self._attempts.get(update.update_id, 0) + 1
            )
            if attempts >= MAX_ATTEMPTS:
                await self._set_aside.keep(
                    update.update_id,
                    update_kind(update),
                    update.model_dump_json(by_alias=True, exclude_none=True),
                    repr(error),
                    attempts,
                )
                self._attempts.pop(update.update_id, None)
                self._observe("set_aside", update)

    async def _select_one(self) -> bool:
        try:
            async with asyncio.timeout(2.0), self._session_factory() as session:
                await session.exec(sa_text("SELECT 1"))  # type: ignore[call-overload]
            return True
        except Exception:  # noqa: BLE001
            return False

    async def drain(self, timeout: float) -> None:
        """Let handlers still running finish (at shutdown, and in tests)."""
        if self._lanes:
            await asyncio.wait(set(self._lanes), timeout=timeout)

    async def _run_lane(
        self,
        key: object,
        lane: list[Update],
        settled: dict[int, asyncio.Future[object]],
        culprits: dict[int, BaseException],
    ) -> None:
        await self._key_locks.acquire(key)
        try:
            failure: BaseException | None = None
            for update in lane:
                done = settled[update.update_id]
                if failure is not None:
                    _settle(done, failure)  # keep the lane's order: wait for the redelivery
                    continue
                if update.update_id in self._finished:  # a copy delivered twice at once
                    self._observe("duplicate", update)
                    _settle(done, None)
                    continue
                failure = await self._feed(update)
                if failure is None:
                    self._finished.add(update.update_id)
                else:
                    culprits[update.update_id] = failure
                _settle(done, failure)
        finally:
            self._key_locks.release(key)

    async def _feed(self, update: Update) -> BaseException | None:
        """Handle one update; returns the transient error that should make it come again."""
        async with self._limit:
            self._observe("received", update)
            started = time.perf_counter()
            try:
                await self._dp.feed_update(self._bot, update, **self._feed_kwargs)
            except Exception as exc:  # noqa: BLE001
                self._observe("failed", update)
                if is_transient(exc):
                    logger.warning("update %s: transient failure %r", update.update_id, exc)
                    return exc
                # The errors handler already logged and apologised; do not retry a bug.
                logger.exception("update %s failed", update.update_id)
                return None
            self._observe("processed", update, time.perf_counter() - started)
            return None


class RawGetUpdates(GetUpdates):
    """getUpdates answered as plain JSON, to take apart a batch that does not parse."""

    __returning__ = list[dict[str, Any]]


class Poller:
    """Long polling that confirms a batch only after it was processed."""

    def __init__(
        self,
        bot: Bot,
        processor: UpdateProcessor,
        *,
        allowed_updates: list[str],
        timeout: int = 30,
    ) -> None:
        self._bot = bot
        self._processor = processor
        self._allowed = allowed_updates
        self._timeout = timeout
        self.offset: int | None = None

    async def run(self, stop: asyncio.Event) -> None:
        await self._processor.assume_single_consumer()
        backoff = 1.0
        while not stop.is_set():
            fetch = asyncio.create_task(
                self._bot.get_updates(
                    offset=self.offset,
                    timeout=self._timeout,
                    allowed_updates=self._allowed,
                    request_timeout=self._timeout + 15,
                )
            )
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({fetch, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if fetch not in done:
                fetch.cancel()  # nothing fetched is lost: it is not confirmed yet
                await asyncio.gather(fetch, return_exceptions=True)
                break
            last_id: int | None = None
            try:
                batch = fetch.result()
            except ClientDecodeError:
                # One update Telegram sent does not parse: take the batch apart.
                batch, last_id = await self._parse_one_by_one()
                if not batch:
                    if last_id is not None:
                        self.offset = last_id + 1
                    continue
            except (TelegramUnauthorizedError, TelegramConflictError):
                raise
            except (TelegramNetworkError, TelegramServerError, OSError) as exc:
                logger.warning("getUpdates failed: %s; retrying in %.0fs", exc, backoff)
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            backoff = 1.0
            if not batch:
                continue
            if not await self._process_until_done(batch, stop):
                break
            self.offset = max(batch[-1].update_id, last_id or 0) + 1
        await self.confirm()

    async def _parse_one_by_one(self) -> tuple[list[Update], int | None]:
        """The batch again, as raw JSON; what parses is returned, the rest is set aside."""
        raw = await self._bot(
            RawGetUpdates(offset=self.offset, timeout=0, allowed_updates=self._allowed)
        )
        parsed: list[Update] = []
        last_id: int | None = None
        for item in raw:
            update_id = item.get("update_id")
            if isinstance(update_id, int):
                last_id = max(last_id or update_id, update_id)
            try:
                parsed.append(Update.model_validate(item, context={"bot": self._bot}))
            except ValidationError as exc:
                if not isinstance(update_id, int):
                    logger.error("an update without an id could not be parsed: %s", exc)
                    continue
                kind = next((k for k in item if k != "update_id"), "unknown")
                await self._processor.set_aside(update_id, kind, json.dumps(item), str(exc))
        return parsed, last_id

    async def _process_until_done(self, batch: list[Update], stop: asyncio.Event) -> bool:
        delay = 1.0
        while True:
            try:
                await self._processor.process(batch)
                return True
            except RetryBatch as exc:
                logger.warning("%s; retrying the batch in %.0fs", exc, delay)
                if await _sleep_or_stop(stop, delay):
                    return False
                delay = min(delay * 2, 30.0)

    async def confirm(self) -> None:
        """Tell Telegram everything before `offset` is done (it learns it from the next call)."""
        if self.offset is None:
            return
        try:
            await self._bot.get_updates(
                offset=self.offset, limit=1, timeout=0, allowed_updates=self._allowed
            )
        except Exception as exc:  # noqa: BLE001
            logger.info("could not confirm offset %s at stop: %s", self.offset, exc)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep; True if `stop` was set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
        return True
    except TimeoutError:
        return False
