"""A use case's transaction, tied to the Telegram update that caused it."""

from __future__ import annotations

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
        session: AsyncSession,
        update_id: int | None,
        committed: CommittedUpdates | None = None,
    ) -> None:
        self.session = session
        self.update_id = update_id
        self._committed = committed
        self._claimed = False

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
        await self.session.rollback()
        self._claimed = False
