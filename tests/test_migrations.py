"""The schema comes from Alembic: migrations must match the models, up and down, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from storage.db import create_engine
from storage.migrate import alembic_config, downgrade, upgrade


def _diff(connection) -> list:  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


async def _tables(engine) -> list[str]:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: inspect(c).get_table_names())


async def test_models_match_migrations(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        assert await _tables(engine) == []  # from nothing, not from the test template
        await upgrade(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
        assert diff == [], f"models and migrations disagree: {diff}"
    finally:
        await engine.dispose()


async def test_stairway_up_down_up(empty_db_url: str) -> None:
    revisions = list(ScriptDirectory.from_config(alembic_config()).walk_revisions("base", "heads"))
    revisions.reverse()
    engine = create_engine(empty_db_url)
    try:
        assert await _tables(engine) == []
        for revision in revisions:
            await upgrade(engine, revision.revision)
            await downgrade(engine, revision.down_revision or "base")
            await upgrade(engine, revision.revision)
    finally:
        await engine.dispose()
