"""Shared fixtures: every database test runs on SQLite and on PostgreSQL (a fresh database each)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from pydantic import SecretStr

from bot.config import Settings
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.migrate import upgrade

PG_ADMIN_DSN = os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_url(name: str) -> str:
    base = PG_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


async def create_pg_database() -> tuple[str, str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, _pg_url(name)


async def drop_pg_database(name: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    name, url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(name)


@pytest.fixture
async def session_factory(db_url: str) -> AsyncIterator[SessionFactory]:
    """Migrated database, its session factory."""
    engine = create_engine(db_url)
    await upgrade(engine)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


def make_settings(db_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": SecretStr("123456:TEST"),
        "database_url": db_url,
        "default_timezone": "Asia/Shanghai",
        "default_language": "en",
        "outbound_global_per_second": 1000.0,
        "outbound_group_per_minute": 1000.0,
        "outbound_private_per_second": 1000.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
