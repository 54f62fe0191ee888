"""A use case's transaction, tied to the Telegram update that caused it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services.errors import DuplicateUpdate
from storage.queries import updates


class CommittedUpdates:
    """Update ids whose use case already recorded them as processed (saves a second write)."""

    def __init__(self) -> None:
        self._ids: set[int] = set()

    def add(self, update_ids: object) -> None:
        self._ids.update(update_ids)  # type: ignore[arg-type]

    def take(self, update_ids: list[int]) -> set[int]:
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
