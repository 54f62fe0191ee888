"""PostgreSQL connections cut while idle (a restart, a proxy's timeout) are replaced unnoticed."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.db import create_engine
from tests.conftest import PG_ADMIN_DSN


async def _cut_connections(name: str) -> None:
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
    finally:
        await admin.close()


async def _backend_pid(engine) -> int:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()


async def test_an_idle_connection_is_pinged_and_replaced_when_dead(
    pg_database: tuple[str, str],
) -> None:
    name, url = pg_database
    engine = create_engine(url, ping_idle_after=0.0)
    try:
        first = await _backend_pid(engine)
        await _cut_connections(name)
        assert await _backend_pid(engine) != first  # no error reached the caller
    finally:
        await engine.dispose()


async def test_a_connection_in_use_a_moment_ago_is_not_pinged(
    pg_database: tuple[str, str],
) -> None:
    name, url = pg_database
    engine = create_engine(url, ping_idle_after=3600.0)
    try:
        first = await _backend_pid(engine)
        assert await _backend_pid(engine) == first  # the same (warm) connection again
        await _cut_connections(name)
        # Not pinged: the dead connection fails its transaction (the intake retries it)...
        with pytest.raises(DBAPIError) as failure:
            await _backend_pid(engine)
        assert failure.value.connection_invalidated
        # ...and the pool has replaced it by the next one.
        assert await _backend_pid(engine) != first
    finally:
        await engine.dispose()
