"""INSERT ... ON CONFLICT for whichever backend the session is bound to."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession


def upsert(session: AsyncSession, table: Any) -> Any:
    name = session.bind.dialect.name  # type: ignore[union-attr]
    module = postgresql if name == "postgresql" else sqlite
    return module.insert(table)
