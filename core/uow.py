"""A use case's transaction, tied to the Telegram update that caused it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.errors import DuplicateUpdate
from storage.queries import updates


class CommittedUpdates:
    """Update ids whose use case recorded them as processed.

    The intake learns from it that an update is done (it may be confirmed to Telegram while its
    handler still renders the reply) and that it need not record the update a second time.
    """

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self._waiters: dict[int, asyncio.Future[object]] = {}

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
    """Commit = record the update as processed + commit, atomically.

    If the update was already processed (a redelivery after a crash), the effects are rolled
    back and DuplicateUpdate is raised, so nothing is applied or answered twice.
    """

    def __init__(
        self,
        session: AsyncSession | None,
        update_id: int | None,
        committed: CommittedUpdates | None = None,
        *,
        factory: Callable[[], AsyncSession] | None = None,
    ) -> None:
        """Give a session, or a factory: then the session is opened on first use and closed by
        `close()` (most updates, check-ins included, never need one of their own)."""
        assert session is not None or factory is not None
        self._session = session
        self._factory = factory
        self.update_id = update_id
        self._committed = committed
        self._claimed = False

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            assert self._factory is not None
            self._session = self._factory()
        return self._session

    async def close(self) -> None:
        if self._factory is not None and self._session is not None:
            await self._session.close()

    async def claim(self) -> None:
        """Record the update first (use cases whose writes have unique keys call this up front).

        On PostgreSQL a concurrent duplicate waits here for the first to finish, then stops.
        """
        if self.update_id is None or self._claimed:
            return
        fresh = await updates.claim(self.session, [self.update_id], datetime.now(UTC))
        if not fresh:
            await self.session.rollback()
            raise DuplicateUpdate(self.update_id)
        self._claimed = True

    async def commit(self) -> None:
        await self.claim()
        await self.session.commit()
        self._claimed = False
        if self.update_id is not None and self._committed is not None:
            self._committed.add((self.update_id,))

    async def rollback(self) -> None:
        if self._session is not None:
            await self._session.rollback()
        self._claimed = False
