"""Records that make redelivered updates (and repeated jobs) harmless."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import SQLModel

from storage.tables.base import tg_id, ts


class ProcessedUpdate(SQLModel, table=True):
    """Telegram updates whose effects are committed; written in the same transaction as them."""

    __tablename__ = "processed_update"

    update_id: int = tg_id(primary_key=True)
    processed_at: datetime = ts(nullable=False)
