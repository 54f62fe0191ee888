"""A use case's transaction, tied to what caused it: a Telegram update or an idempotency key."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.errors import DuplicateUpdate
from core.events import DomainEvent, EventBus
from storage.queries import updates

logger = logging.getLogger(__name__)

# Events published by subscribers while handling events: more rounds mean a cycle.
MAX_EVENT_ROUNDS = 10


class CommittedUpdates:
    """Update ids whose use case recorded them as processed.

    The intake learns from it that an update is done (it may be confirmed to Telegram while its
    handler still renders the reply) and that it need not record the update a second time.
    """

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self._waiters: dict[int, asyncio.Future[object]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, update_ids: Iterable[int]) -> None:
        for update_id in update_ids:
            self._ids.add(update_id)
            waiter = self._waiters.pop(update_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    def notify(self, update_id: int, future: asyncio.Future[object]) -> None:
        """Resolve `future` with None once the update is committed (unless it is resolved first)."""
        if update_id in self._ids:
            if not future.done():
                future.set_result(None)
        else:
            self._waiters[update_id] = future

    def take(self, update_ids: list[int]) -> set[int]:
        """Forget these updates; returns those that were committed."""
        for update_id in update_ids:
            self._waiters.pop(update_id, None)
        found = self._ids.intersection(update_ids)
        self._ids.difference_update(found)
        return found


class UnitOfWork:
    """Commit = domain events handled + "processed" recorded + commit, atomically.

    What caused the work is recorded in the same transaction as its effects: the Telegram
    update id, or an idempotency key (`post:42:2026-12-01T08:00`) for work no update started.
    If it was recorded before (a redelivery, a job fired twice), the effects are rolled back
    and DuplicateUpdate is raised, so nothing is applied or answered twice.
    """

    def __init__(
        self,
        session: AsyncSession | None,
        update_id: int | None = None,
        committed: CommittedUpdates | None = None,
        *,
        factory: Callable[[], AsyncSession] | None = None,
        key: str | None = None,
        bus: EventBus | None = None,
    ) -> None:
        """Give a session, or a factory: then the session is opened on first use and closed by
        `close()` (most updates, check-ins included, never need one of their own)."""
        assert session is not None or factory is not None
        self._session = session
        self._factory = factory
        self.update_id = update_id
        self.key = key
        self._committed = committed
        self._bus = bus
        self._claimed = False
        self.committed = False  # the use case's transaction committed (at least once)
        self._events: list[DomainEvent] = []
        self._after_commit: list[Callable[[], object]] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            assert self._factory is not None
            self._session = self._factory()
        return self._session

    async def close(self) -> None:
        if self._factory is not None and self._session is not None:
            await self._session.close()

    def publish(self, event: DomainEvent) -> None:
        """Subscribers handle it at commit, in this transaction."""
        self._events.append(event)

    def pending(self, event: DomainEvent) -> bool:
        """The event was published and not handled yet (no commit or rollback since)."""
        return any(e is event for e in self._events)

    def after_commit(self, action: Callable[[], object]) -> None:
        """Run `action` once the transaction has committed (queue a reply, a message)."""
        self._after_commit.append(action)

    async def claim(self) -> None:
        """Record the cause first (use cases whose writes have unique keys call this up front).

        On PostgreSQL a concurrent duplicate waits here for the first to finish, then stops.
        """
        if self._claimed:
            return
        now = datetime.now(UTC)
        fresh = True
        if self.update_id is not None:
            fresh = bool(await updates.claim(self.session, [self.update_id], now))
        if fresh and self.key is not None:
            fresh = await updates.claim_key(self.session, self.key, now)
        if not fresh:
            await self.rollback()
            raise DuplicateUpdate(self.update_id if self.update_id is not None else self.key)
        self._claimed = True

    async def dispatch_events(self) -> None:
        """Let subscribers handle what was published (and what they publish in turn)."""
        for _ in range(MAX_EVENT_ROUNDS):
            if not self._events:
                return
            events, self._events = self._events, []
            if self._bus is not None:
                for event in events:
                    await self._bus.dispatch(self, event)
        raise RuntimeError("domain events keep publishing each other")

    async def commit(self) -> None:
        await self.dispatch_events()
        await self.claim()
        await self.session.commit()
        self._claimed = False
        self.committed = True
        if self.update_id is not None and self._committed is not None:
            self._committed.add((self.update_id,))
        self.run_after_commit()

    def run_after_commit(self) -> None:
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            try:
                action()
            except Exception:  # one failed reply must not hide the others
                logger.exception("after-commit action failed")

    async def rollback(self) -> None:
        if self._session is not None:
            await self._session.rollback()
        self._claimed = False
        self._events.clear()
        self._after_commit.clear()
