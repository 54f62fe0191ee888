"""A use case's transaction, tied to the Telegram update that caused it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.services.errors import DuplicateUpdate
from storage.queries import updates


class UnitOfWork:
    """Commit = record the update as processed + commit, atomically.

    If the update was already processed (a redelivery after a crash), the effects are rolled
    back and DuplicateUpdate is raised, so nothing is applied or answered twice.
    """

    def __init__(self, session: AsyncSession, update_id: int | None) -> None:
        self.session = session
        self.update_id = update_id

    async def commit(self) -> None:
        if self.update_id is not None:
            fresh = await updates.claim(self.session, [self.update_id], datetime.now(UTC))
            if not fresh:
                await self.session.rollback()
                raise DuplicateUpdate(self.update_id)
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
