"""Members: joins and leaves, reachability in private chats, and housekeeping."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from core.events import MemberJoined, MemberLeft
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries import updates
from storage.queries.community import members as member_rows

logger = logging.getLogger(__name__)

KEEP_KEYS = timedelta(days=30)


class MemberService:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    async def record_joins(
        self,
        uow: UnitOfWork,
        group_id: int,
        users: Sequence[dict[str, object]],
        at: datetime,
        *,
        invite_link: str | None = None,
        via_join_request: bool = False,
    ) -> None:
        """Everyone one update adds (a join message may add several) in one transaction."""
        unique = list({int(u["id"]): u for u in users}.values())  # type: ignore[call-overload]
        if not unique:
            return
        await member_rows.upsert_users(uow.session, unique)
        for user in unique:
            user_id = int(user["id"])  # type: ignore[call-overload]
            was_present, was_joined = await member_rows.presence(uow.session, group_id, user_id)
            await member_rows.mark_joined(uow.session, group_id, user_id, at)
            uow.publish(
                MemberJoined(
                    group_id,
                    user_id,
                    str(user.get("display_name") or ""),
                    user.get("username"),  # type: ignore[arg-type]
                    at,
                    invite_link,
                    via_join_request,
                    was_present,
                    was_joined,
                )
            )
        await uow.commit()

    async def record_leave(
        self, uow: UnitOfWork, group_id: int, user_id: int, at: datetime
    ) -> None:
        was_present, _ = await member_rows.presence(uow.session, group_id, user_id)
        await member_rows.mark_left(uow.session, group_id, user_id, at)
        uow.publish(MemberLeft(group_id, user_id, at, was_present))
        await uow.commit()

    async def record_started(self, uow: UnitOfWork, user: dict[str, object], at: datetime) -> None:
        await member_rows.upsert_users(uow.session, [user])
        await member_rows.set_user_started(uow.session, int(user["id"]), at)  # type: ignore[call-overload]
        await uow.commit()

    async def record_blocked(self, user_id: int, at: datetime) -> None:
        """A 403 from Telegram to a private chat: the user blocked the bot, if they had started
        it (one who never did has not blocked anything, and stays "never started")."""
        async with self._session_factory() as session:
            await member_rows.set_user_blocked(session, user_id, at)
            await session.commit()

    async def prune_processed_updates(
        self, clock: Callable[[], datetime], keep: timedelta, keep_keys: timedelta = KEEP_KEYS
    ) -> int:
        """Telegram redelivers for 24 h at most; older records of processed updates can go.
        Job keys are kept longer: an occurrence is never replayed weeks later."""
        async with self._session_factory() as session:
            removed = await updates.prune(session, clock() - keep)
            removed_keys = await updates.prune_keys(session, clock() - keep_keys)
            await session.commit()
        logger.info("pruned %d processed-update and %d key records", removed, removed_keys)
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
