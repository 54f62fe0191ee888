"""Engine and session factory. SQLite gets one shared connection (it has a single writer anyway)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import Session as SyncSession
from sqlmodel.ext.asyncio.session import AsyncSession

SessionFactory = async_sessionmaker[AsyncSession]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/community.db"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# A connection back in the pool for longer than this is pinged before it is handed out.
IDLE_PING_AFTER = 5.0


def create_engine(
    url: str, *, pool_size: int = 10, ping_idle_after: float = IDLE_PING_AFTER
) -> AsyncEngine:
    if not is_sqlite(url):
        engine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            # The most recently used connection first: its prepared statements are warm.
            pool_use_lifo=True,
        )
        ping_when_idle(engine, ping_idle_after)
        return engine
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # One connection: transactions queue for it instead of failing with "database is locked".
    engine = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=120)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Pessimistic disconnect handling, for connections that sat idle only.

    pool_pre_ping would ping on every checkout: three round trips (BEGIN, ping, ROLLBACK) per
    transaction in a busy bot. A connection used a moment ago is alive; one that sat idle may
    have been cut (a database restart, a proxy's idle timeout) and is checked, and replaced
    if dead. A connection that dies in between fails its transaction, which is retried.
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("checked_in_at")
        if since is None or time.monotonic() - since < idle_seconds:
            return  # fresh from connect(), or in use a moment ago
        try:
            dbapi_connection.ping()
        except Exception as error:
            # The pool discards this connection and hands out (or opens) another one.
            raise exc.DisconnectionError(str(error)) from error


# A report reads a period's rows of member_day (hundreds of thousands) once and groups them by
# member. With the defaults PostgreSQL prefers a parallel scan of the whole table to the
# period's range of the primary key (random_page_cost 4 is for spinning disks; the rows of a
# day sit together), compiles the query with JIT (~90 ms, more than it saves) and spills the
# grouping to disk (work_mem 4 MB). Measured on a year of 100,000 members: 1.35 s -> 0.45 s.
REPORT_SETTINGS = {"jit": "off", "work_mem": "64MB", "random_page_cost": "1.1"}


def create_report_engine(url: str, engine: AsyncEngine) -> AsyncEngine:
    """Where reports read. SQLite: connections of their own, read-only: in WAL mode a reader
    neither waits for the writer nor holds it, so a long report never delays a check-in (the
    main engine's one connection is the single writer). PostgreSQL: a small pool of its own
    whose connections are set for reading a period's rows (REPORT_SETTINGS)."""
    if not is_sqlite(url):
        readers = create_async_engine(
            url, pool_size=2, max_overflow=2, connect_args={"server_settings": REPORT_SETTINGS}
        )
        ping_when_idle(readers, IDLE_PING_AFTER)
        return readers
    database = make_url(url).database
    if not database or database == ":memory:":
        return engine  # a private in-memory database is seen through its one connection only
    readers = create_async_engine(url, pool_size=2, max_overflow=0, pool_timeout=120)

    @event.listens_for(readers.sync_engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # A report groups a period's rows: sort in memory, read the file mapped.
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.close()

    return readers


class _Session(SyncSession):
    """The sessions the bot opens: writes deferred to the commit go in just before it."""


def _hook_deferred_writes() -> None:
    from storage.queries.analytics.activity import (
        flush_deferred_group_days,
        forget_deferred_group_days,
    )

    if not event.contains(_Session, "before_commit", flush_deferred_group_days):
        event.listen(_Session, "before_commit", flush_deferred_group_days)
        event.listen(_Session, "after_rollback", forget_deferred_group_days)


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    _hook_deferred_writes()
    return async_sessionmaker(
        engine, class_=AsyncSession, sync_session_class=_Session, expire_on_commit=False
    )
