"""Update intake: an update is confirmed to Telegram only after its effects are committed.

aiogram's start_polling asks for the next offset while handlers still run; a crash then loses
updates for good. Here a batch is fed through the Dispatcher (concurrently across chats and
members, in order within one), already-processed updates are skipped, and only then does the
poller move the offset.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramNetworkError,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import Update
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.uow import CommittedUpdates
from bot.update_parts import chat_and_user, event_of
from storage.db import SessionFactory
from storage.queries import updates as processed

logger = logging.getLogger(__name__)


class RetryBatch(Exception):
    """Something outside the update failed (e.g. the database is down): try again later."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, OperationalError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (ConnectionError, OSError, TimeoutError))


def ordering_key(update: Update) -> tuple[int, int] | int:
    """Updates with the same key are handled one after another, in arrival order."""
    chat, user = chat_and_user(event_of(update))
    chat_id = chat.id if chat is not None else 0
    user_id = user.id if user is not None else 0
    if not chat_id and not user_id:
        return update.update_id
    return (chat_id, user_id)


class KeyedLocks:
    """One lock per ordering key, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}

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


class UpdateProcessor:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        session_factory: SessionFactory,
        committed: CommittedUpdates,
        *,
        concurrency: int = 100,
        observe: Callable[..., None] | None = None,
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

    async def process_one(self, update: Update) -> None:
        """For webhooks: one update per request; same-chat-and-member updates still in order."""
        key = ordering_key(update)
        await self._key_locks.acquire(key)
        try:
            await self.process([update])
        finally:
            self._key_locks.release(key)

    async def process(self, batch: Sequence[Update]) -> None:
        """Handle a batch completely; raises RetryBatch if it must be delivered again."""
        if not batch:
            return
        async with self._session_factory() as session:
            seen = await processed.known(session, [u.update_id for u in batch])
        for update in batch:
            if update.update_id in seen:
                self._observe("duplicate", update)
        todo = [u for u in batch if u.update_id not in seen]
        lanes: dict[object, list[Update]] = {}
        for update in todo:
            lanes.setdefault(ordering_key(update), []).append(update)
        outcomes = await asyncio.gather(*(self._run_lane(lane) for lane in lanes.values()))
        failed = [exc for lane_failures in outcomes for exc in lane_failures]
        if failed:
            raise RetryBatch(f"{len(failed)} update(s) hit a transient error: {failed[0]!r}")
        # Handlers that wrote nothing (reads, ignored updates) are recorded here in one go.
        ids = [u.update_id for u in todo]
        rest = set(ids) - self._committed.take(ids)
        if rest:
            async with self._session_factory() as session:
                await processed.claim(session, sorted(rest), datetime.now(UTC))
                await session.commit()

    async def _run_lane(self, lane: list[Update]) -> list[BaseException]:
        failures: list[BaseException] = []
        for update in lane:
            if failures:
                break  # keep the lane's order: later updates wait for the redelivery
            async with self._limit:
                self._observe("received", update)
                started = time.perf_counter()
                try:
                    await self._dp.feed_update(self._bot, update, **self._feed_kwargs)
                except Exception as exc:  # noqa: BLE001
                    if is_transient(exc):
                        logger.warning("update %s: transient failure %r", update.update_id, exc)
                        self._observe("failed", update)
                        failures.append(exc)
                        continue
                    # The errors handler already logged and apologised; do not retry a bug.
                    logger.exception("update %s failed", update.update_id)
                    self._observe("failed", update)
                    continue
                self._observe("processed", update, time.perf_counter() - started)
        return failures


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
            try:
                batch = fetch.result()
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
            self.offset = batch[-1].update_id + 1
        await self.confirm()

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
