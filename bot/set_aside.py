"""Updates that cannot be handled are set aside, so one bad update never stops the bot.

An update Telegram sends that the bot cannot parse, or whose handling fails again and again
while the database answers, would otherwise be fetched (and fail) forever, since it is never
confirmed. It is kept with its payload and error (table set_aside_update), logged, counted in
/metrics (`bot_updates_total{outcome="set_aside"}`), marked processed and confirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from storage.db import SessionFactory
from storage.queries import updates

logger = logging.getLogger(__name__)

# Handling attempts (while the database answers) before an update is set aside.
MAX_ATTEMPTS = 3


class SetAside:
    def __init__(
        self,
        session_factory: SessionFactory,
        count: Callable[[str], None] = lambda _kind: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._session_factory = session_factory
        self._count = count
        self._clock = clock

    async def keep(
        self, update_id: int, kind: str, payload: str, error: str, attempts: int = 1
    ) -> None:
        logger.error(
            "update %s (%s) set aside after %d attempt(s): %s", update_id, kind, attempts, error
        )
        async with self._session_factory() as session:
            await updates.set_aside(session, update_id, attempts, error, payload, self._clock())
            await session.commit()
        self._count(kind)
