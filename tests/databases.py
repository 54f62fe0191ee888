"""The test run's databases: migrated once per run, copied for every test.

SQLite: one migrated template file, copied per test. PostgreSQL: one migrated template
database, and per test `CREATE DATABASE ... TEMPLATE` it. Test databases are dropped in the
background (every DROP DATABASE forces a checkpoint, a second or more on a busy server).

Every PostgreSQL database of a run is called pt_<run>_..., and the run holds an advisory lock
on its id while it lives. A run's databases whose lock is free belong to a run that ended
without cleaning up (killed, aborted); the next run drops them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import logging
import re
import shutil
import threading
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import asyncpg
from sqlalchemy import text

from storage.db import create_engine
from storage.migrate import upgrade

logger = logging.getLogger(__name__)

T = TypeVar("T")

PREFIX = "pt_"
RUN_NAME = re.compile(rf"^{PREFIX}([0-9a-f]{{8}})_")
LOCK_SPACE = 0x7074_0000_0000_0000  # "pt": advisory lock ids of test runs


def run_lock(run: str) -> int:
    return LOCK_SPACE | int(run, 16)


def in_own_loop(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion on a fresh event loop, even from inside a running one."""

    async def main() -> T:
        return await make()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


class SqliteTemplate:
    """A migrated SQLite file; copy() makes a test's database of it."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.db"
        in_own_loop(self._make)

    async def _make(self) -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{self.path}")
        try:
            await upgrade(engine)
            async with engine.connect() as conn:
                await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        finally:
            await engine.dispose()
        wal = self.path.with_name(self.path.name + "-wal")
        # The last connection closed: the whole database is in the one file.
        assert not wal.exists() or wal.stat().st_size == 0, "template WAL not checkpointed"

    def copy(self, path: Path) -> str:
        shutil.copy(self.path, path)
        return f"sqlite+aiosqlite:///{path}"


class PostgresRun:
    """This run's PostgreSQL databases, managed on a background event loop of their own.

    Copies of the template are made ahead of the tests that take them, and dropped after them
    by a few connections at once (concurrent drops share checkpoints).
    """

    READY = 2
    DROPPERS = 3

    def __init__(self, admin_dsn: str) -> None:
        self.admin_dsn = admin_dsn
        self.run = uuid.uuid4().hex[:8]
        self.template = f"{PREFIX}{self.run}_tmpl"
        self._names = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="test-databases", daemon=True
        )
        self._thread.start()
        try:
            self._call(self._open())
        except BaseException:
            self._stop_loop()
            raise

    def url(self, name: str) -> str:
        base = self.admin_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        return f"{base}/{name}"

    async def create(self, *, migrated: bool = True) -> tuple[str, str]:
        """A database of the caller's own (a copy of the migrated template, or empty)."""
        if migrated:
            future = asyncio.run_coroutine_threadsafe(self._take_copy(), self._loop)
            name = await asyncio.wrap_future(future)
        else:
            name = self._new_name()
            future = asyncio.run_coroutine_threadsafe(self._create(name, None), self._loop)
            await asyncio.wrap_future(future)
        return name, self.url(name)

    def drop_later(self, name: str) -> None:
        self._loop.call_soon_threadsafe(self._drops.put_nowait, name)

    def close(self) -> None:
        try:
            self._call(self._close())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def _call(self, coro: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()  # type: ignore[arg-type]

    def _new_name(self) -> str:
        return f"{PREFIX}{self.run}_{next(self._names)}"

    async def _open(self) -> None:
        self._admin = await asyncpg.connect(self.admin_dsn)
        await self._admin.execute("SELECT pg_advisory_lock($1)", run_lock(self.run))
        self._create_lock = asyncio.Lock()
        await self._create(self.template, None)
        await _migrate(self.url(self.template))
        # Copying needs a template nobody is connected to: keep it that way.
        await self._admin.execute(f'ALTER DATABASE "{self.template}" ALLOW_CONNECTIONS false')
        self._ready: asyncio.Queue[str | BaseException] = asyncio.Queue(self.READY)
        self._drops: asyncio.Queue[str | None] = asyncio.Queue()
        self._copier = asyncio.create_task(self._make_copies())
        self._droppers = [
            asyncio.create_task(self._drop_loop(leftovers=i == 0)) for i in range(self.DROPPERS)
        ]

    async def _create(self, name: str, template: str | None) -> None:
        source = f' TEMPLATE "{template}"' if template else ""
        async with self._create_lock:
            await self._admin.execute(f'CREATE DATABASE "{name}"{source}')

    async def _make_copies(self) -> None:
        try:
            while True:
                name = self._new_name()
                await self._create(name, self.template)
                await self._ready.put(name)
        except Exception as error:
            await self._ready.put(error)

    async def _take_copy(self) -> str:
        name = await self._ready.get()
        if isinstance(name, BaseException):
            self._ready.put_nowait(name)  # for every test after this one, too
            raise name
        return name

    async def _drop_loop(self, *, leftovers: bool) -> None:
        conn = await asyncpg.connect(self.admin_dsn)
        try:
            if leftovers:
                await self._drop_leftovers(conn)
            while (name := await self._drops.get()) is not None:
                await self._drop(conn, name)
        finally:
            await conn.close()

    async def _drop(self, conn: asyncpg.Connection, name: str) -> None:
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except asyncpg.PostgresError as error:
            logger.warning("could not drop test database %s: %s", name, error)

    async def _drop_leftovers(self, conn: asyncpg.Connection) -> None:
        runs: dict[str, list[str]] = {}
        for (name,) in await conn.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE $1", PREFIX + "%"
        ):
            match = RUN_NAME.match(name)
            if match and match.group(1) != self.run:
                runs.setdefault(match.group(1), []).append(name)
        for run, names in runs.items():
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", run_lock(run)):
                continue  # that run is still going
            try:
                for name in names:
                    await self._drop(conn, name)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", run_lock(run))

    async def _close(self) -> None:
        self._copier.cancel()
        await asyncio.gather(self._copier, return_exceptions=True)
        # Whatever of this run is left: the template, unused copies, copies still queued.
        for (name,) in await self._admin.fetch(
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
            f"{PREFIX}{self.run}_",
        ):
            self._drops.put_nowait(name)
        for _ in self._droppers:
            self._drops.put_nowait(None)
        await asyncio.gather(*self._droppers)
        await self._admin.close()
