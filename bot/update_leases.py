"""Webhook replicas on one PostgreSQL: one process at a time handles a given update.

Telegram may deliver an update again while a first delivery is still being handled (its
answer was late, a proxy retried): behind a load balancer the copy reaches another process.
The guarantee that nothing is applied twice is the `processed_update` row, written in the same
transaction as the effects (its primary key makes the second writer wait for the first and
then find it). This lease comes first, so that the copy waits before doing anything — no work,
no second reply from a read-only command (/me, /top), no refusal from a unique key — and then
finds the update processed and answers 200, or, if the first process died, handles it.

The lease is a session-level advisory lock on (LEASE_SPACE, update id), held on one connection
this process keeps for all its leases: when the process dies, its connection closes and
PostgreSQL releases every lease it held at once. Requests that arrive together share one
statement (lock and unlock several ids at a time). If the connection is lost the leases are
gone: updates still in hand are safe (their transaction claims them), new ones wait for a
new connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

logger = logging.getLogger(__name__)

# The first key of the two-key advisory locks (the scheduler's leader lock uses the one-key form).
LEASE_SPACE = 0x5C4E
# How long a copy waits for the process that has the update (Telegram waits about a minute).
MAX_WAIT = 20.0
# A dead peer's connection is noticed by PostgreSQL within idle + interval x count seconds.
KEEPALIVE = (
    "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3"
)

_STATEMENT = text(
    "SELECT k, CASE WHEN op THEN pg_try_advisory_lock(:space, k) "
    "ELSE pg_advisory_unlock(:space, k) END "
    "FROM unnest(CAST(:keys AS integer[]), CAST(:ops AS boolean[])) AS x(k, op)"
)


def lease_key(update_id: int) -> int:
    """The advisory lock's second key (32-bit): ids 2**31 apart share one, harmlessly."""
    return update_id & 0x7FFFFFFF


class LeaseLost(Exception):
    """The lease connection failed: the update is answered 503 and comes again."""


async def keep_alive(conn: AsyncConnection) -> None:
    """Make PostgreSQL notice a vanished peer (a host that died without closing its sockets)."""
    for statement in KEEPALIVE.split("; "):
        await conn.execute(text(statement))


class UpdateLeases:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        max_wait: float = MAX_WAIT,
        on_wait: Callable[[], None] | None = None,
    ) -> None:
        self._engine = engine
        self._max_wait = max_wait
        self._on_wait = on_wait or (lambda: None)
        self._conn: AsyncConnection | None = None
        self._held: dict[int, int] = {}  # key -> holders in this process
        self._locking: dict[int, asyncio.Future[bool]] = {}
        self._unlocking: set[int] = set()
        self._runner: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._held)

    async def acquire(self, update_id: int) -> bool:
        """Wait until this process holds the update's lease (True), or MAX_WAIT passed (False).

        A copy already in hand here is not locked twice (the intake's own ordering and its
        recent ids deal with it)."""
        key = lease_key(update_id)
        if key in self._held:
            self._held[key] += 1
            return True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._max_wait
        pause = 0.02
        waited = False
        while True:
            if key in self._held:  # a copy in this process got it meanwhile
                self._held[key] += 1
                return True
            if await self._ask(key):
                self._held[key] = self._held.get(key, 0) + 1
                return True
            if not waited:
                waited = True
                self._on_wait()
            if loop.time() + pause > deadline:
                return False
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.2)

    def release(self, update_id: int) -> None:
        key = lease_key(update_id)
        holders = self._held.get(key, 0)
        if holders > 1:
            self._held[key] = holders - 1
            return
        if holders == 1:
            del self._held[key]
            self._unlocking.add(key)
            self._kick()

    async def close(self) -> None:
        if self._runner is not None:
            await asyncio.gather(self._runner, return_exceptions=True)
        # Not back to the pool: the leases belong to the session, which must end with them.
        await self._drop_connection()

    # ---- the one connection -------------------------------------------------------------
    def _ask(self, key: int) -> asyncio.Future[bool]:
        future = self._locking.get(key)
        if future is None:
            future = self._locking[key] = asyncio.get_running_loop().create_future()
            self._kick()
        return future

    def _kick(self) -> None:
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run(), name="update-leases")

    async def _run(self) -> None:
        while self._locking or self._unlocking:
            locking, self._locking = self._locking, {}
            unlocking, self._unlocking = self._unlocking, set()
            keys = [*unlocking, *locking]
            ops = [False] * len(unlocking) + [True] * len(locking)
            try:
                conn = await self._connection()
                rows = (
                    await conn.execute(
                        _STATEMENT, {"space": LEASE_SPACE, "keys": keys, "ops": ops}
                    )
                ).all()
            except Exception as exc:  # noqa: BLE001
                logger.warning("update leases: connection failed (%r); leases dropped", exc)
                await self._drop_connection()
                for future in locking.values():
                    if not future.done():
                        future.set_exception(LeaseLost(repr(exc)))
                continue
            got = {k: bool(v) for k, v in rows[len(unlocking) :]}
            for key, future in locking.items():
                if not future.done():
                    future.set_result(got.get(key, False))

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            conn = await self._engine.connect()
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await keep_alive(conn)
            self._conn = conn
        return self._conn

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        self._held.clear()  # PostgreSQL released them with the session
        if conn is not None:
            try:
                await conn.invalidate()  # the session ends: PostgreSQL releases its leases
                await conn.close()
            except Exception:  # noqa: BLE001
                pass
