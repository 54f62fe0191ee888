"""Every table, by area. Importing this package registers them all on SQLModel.metadata."""

from storage.tables.community import AuditLog, ChatGroup, Member, TgUser
from storage.tables.engagement import (
    ALL_TIME,
    BoardValueCount,
    Checkin,
    DailyCheckinCount,
    LedgerEntry,
)
from storage.tables.idempotency import ProcessedUpdate

__all__ = [
    "ALL_TIME",
    "AuditLog",
    "BoardValueCount",
    "ChatGroup",
    "Checkin",
    "DailyCheckinCount",
    "LedgerEntry",
    "Member",
    "ProcessedUpdate",
    "TgUser",
]
