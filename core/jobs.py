"""Work that no update starts (a scheduled post, a weekly report, one send of a campaign).

Each occurrence has its own idempotency key, recorded in the same transaction as its effects
through the same mechanism as processed updates: an occurrence that fires twice (a restart,
a second process, a take-over) has its effect once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from core.errors import DuplicateUpdate
from core.events import EventBus
from core.uow import UnitOfWork
from storage.db import SessionFactory

T = TypeVar("T")


def occurrence_key(kind: str, item_id: int | str, due: datetime) -> str:
    """`post:42:2026-12-01T08:00:00+00:00`: one key per job and due time."""
    return f"{kind}:{item_id}:{due.isoformat()}"


async def run_once(
    session_factory: SessionFactory,
    key: str,
    work: Callable[[UnitOfWork], Awaitable[T]],
    *,
    bus: EventBus | None = None,
) -> tuple[bool, T | None]:
    """Run `work` in one transaction keyed by `key`; (False, None) if the key was done before.

    The key is claimed first, so on PostgreSQL a concurrent run of the same occurrence waits
    for the first to commit and then stops; if `work` fails, nothing (the key included) is
    recorded and the occurrence may run again.
    """
    async with session_factory() as session:
        uow = UnitOfWork(session, key=key, bus=bus)
        try:
            await uow.claim()
            result = await work(uow)
            await uow.commit()
        except DuplicateUpdate:
            return False, None
        return True, result
