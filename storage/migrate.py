"""Apply Alembic migrations from code (at start-up and for `python -m bot migrate`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@cache
def _head_revisions() -> frozenset[str]:
    """The heads of the migration scripts (read once: they do not change while we run)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def _at_head(connection: Connection) -> bool:
    current = MigrationContext.configure(connection).get_current_heads()
    return frozenset(current) == _head_revisions()


# Replicas starting together on one PostgreSQL database migrate one at a time: the others wait
# for this transaction-level lock, then find the schema at head (any fixed 64-bit number).
MIGRATION_LOCK_ID = 0x5C_4ED_0002


def _run(connection: Connection, action: str, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    if action == "upgrade" and revision == "head" and _at_head(connection):
        return  # what Alembic would find: nothing to do (it would load every script to say so)
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    getattr(command, action)(cfg, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_run, "upgrade", revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(_run, "downgrade", revision)
