"""INSERT ... ON CONFLICT for whichever backend the session is bound to."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession


def dialect_of(session: AsyncSession) -> str:
    """The dialect name ("postgresql", "sqlite"): per-dialect statements are cached under it."""
    return session.bind.dialect.name  # type: ignore[union-attr]


def insert_for(dialect: str, table: Any) -> Any:
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def upsert(session: AsyncSession, table: Any) -> Any:
    return insert_for(dialect_of(session), table)
