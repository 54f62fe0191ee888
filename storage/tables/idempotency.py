"""Records that make redelivered updates (and repeated jobs) harmless."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import tg_id, ts


class ProcessedUpdate(SQLModel, table=True):
    """Telegram updates whose effects are committed; written in the same transaction as them."""

    __tablename__ = "processed_update"

    update_id: int = tg_id(primary_key=True)
    processed_at: datetime = ts(nullable=False)


class ProcessedKey(SQLModel, table=True):
    """Effects keyed by something other than an update: a job occurrence, one send of a bulk send
    (`post:42:2026-12-01T08:00`). Written in the same transaction as the effect."""

    __tablename__ = "processed_key"

    key: str = Field(primary_key=True, max_length=200)
    processed_at: datetime = ts(nullable=False)


class SetAsideUpdate(SQLModel, table=True):
    """An update that could not be handled (it cannot be parsed, or it fails every time): kept
    with its payload and error for a person to look at, and confirmed so the bot goes on."""

    __tablename__ = "set_aside_update"

    update_id: int = tg_id(primary_key=True)
    attempts: int = Field(default=1)
    error: str = Field(default="", max_length=2000)
    payload: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    set_aside_at: datetime = ts(nullable=False)
