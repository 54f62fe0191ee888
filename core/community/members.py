"""Members: joins and leaves, reachability in private chats, and housekeeping."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries import updates
from storage.queries.community import members as member_rows

logger = logging.getLogger(__name__)


class MemberService:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    async def record_join(
        self, uow: UnitOfWork, group_id: int, user: dict[str, object], at: datetime
    ) -> None:
        await member_rows.upsert_users(uow.session, [user])
        await member_rows.mark_joined(uow.session, group_id, int(user["id"]), at)  # type: ignore[call-overload]
        await uow.commit()

    async def record_leave(
        self, uow: UnitOfWork, group_id: int, user_id: int, at: datetime
    ) -> None:
        await member_rows.mark_left(uow.session, group_id, user_id, at)
        await uow.commit()

    async def record_started(self, uow: UnitOfWork, user: dict[str, object], at: datetime) -> None:
        await member_rows.upsert_users(uow.session, [user])
        await member_rows.set_user_started(uow.session, int(user["id"]), at)  # type: ignore[call-overload]
        await uow.commit()

    async def record_blocked(self, user_id: int, at: datetime) -> None:
        """A 403 from Telegram: the user blocked the bot (or never opened a chat with it)."""
        async with self._session_factory() as session:
            await member_rows.set_user_blocked(session, user_id, at)
            await session.commit()

    async def prune_processed_updates(self, clock: Callable[[], datetime], keep: timedelta) -> int:
        """Telegram redelivers for 24 h at most; older records of processed updates can go."""
        async with self._session_factory() as session:
            removed = await updates.prune(session, clock() - keep)
            await session.commit()
        logger.info("pruned %d processed-update records", removed)
        return removed


def user_row(
    user_id: int, username: str | None, full_name: str, language_code: str | None
) -> dict[str, object]:
    return {
        "id": user_id,
        "username": username,
        "display_name": full_name[:255],
        "language_code": language_code,
    }
