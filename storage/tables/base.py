"""Column helpers shared by every area's tables, and the constraint naming convention."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.types import BigIdentity, UTCDateTime

# Stable constraint names keep Alembic diffs clean on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def tg_id(primary_key: bool = False) -> object:
    """A Telegram user or chat id (64-bit)."""
    return Field(
        sa_column=sa.Column(
            sa.BigInteger, primary_key=primary_key, autoincrement=False, nullable=False
        )
    )


def surrogate_id() -> object:
    return Field(
        default=None, sa_column=sa.Column(BigIdentity, primary_key=True, autoincrement=True)
    )


def ts(nullable: bool = True) -> object:
    return Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=nullable))
