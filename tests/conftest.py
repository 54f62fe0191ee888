"""Shared fixtures: every database test runs on SQLite and on PostgreSQL (a fresh database each).

A test's database is a copy of a template migrated once per run (tests/databases.py);
empty_db_url gives an empty one, for the tests of the migrations themselves.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import Settings
from storage.db import SessionFactory, create_engine, create_session_factory
from tests.databases import PostgresRun, SqliteTemplate

PG_ADMIN_DSN = os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def pg_run() -> Iterator[PostgresRun]:
    run = PostgresRun(PG_ADMIN_DSN)
    try:
        yield run
    finally:
        run.close()


@pytest.fixture
async def pg_database(pg_run: PostgresRun) -> AsyncIterator[tuple[str, str]]:
    """A migrated PostgreSQL database of the test's own: (name, URL)."""
    name, url = await pg_run.create()
    try:
        yield name, url
    finally:
        pg_run.drop_later(name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated database of the test's own, on each backend."""
    if request.param == "sqlite":
        template: SqliteTemplate = request.getfixturevalue("sqlite_template")
        yield template.copy(tmp_path / "test.db")
        return
    pg_run: PostgresRun = request.getfixturevalue("pg_run")
    name, url = await pg_run.create()
    try:
        yield url
    finally:
        pg_run.drop_later(name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database (no migration applied) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    pg_run: PostgresRun = request.getfixturevalue("pg_run")
    name, url = await pg_run.create(migrated=False)
    try:
        yield url
    finally:
        pg_run.drop_later(name)


@pytest.fixture
async def session_factory(db_url: str) -> AsyncIterator[SessionFactory]:
    """Migrated database, its session factory."""
    engine = create_engine(db_url)
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


# Tests that take tens of seconds (real processes, browsers, long histories). They go first, so
# that the workers (`make test` runs `-n 4 --maxschedchunk 2`: a worker holds at most two
# tests) take them on while the short ones fill the gaps; run last, one of them would finish
# alone minutes after everything else.
HEAVY = (
    "tests/e2e/",
    "tests/browser/",
    "tests/test_board_totals.py",
    "tests/test_events.py::test_killed_between",
    "tests/test_worker.py",
    "tests/test_lazy_models.py",
    "tests/test_sandbox.py",
    "tests/test_migrations.py",
    "tests/test_schedule_commands.py::test_many_posts_due_at_once",
    "tests/test_aiogram_speedups.py",
    "tests/test_reports_never_stall.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(HEAVY))  # stable: order kept within
