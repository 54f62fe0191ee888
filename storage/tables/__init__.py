"""Every table, by area. Importing this package registers them all on SQLModel.metadata."""

from storage.tables.community import (
    AuditLog,
    ChatGroup,
    GroupMigration,
    GroupSetting,
    Member,
    TgUser,
)
from storage.tables.engagement import Checkin, DailyCheckinCount, LedgerEntry
from storage.tables.idempotency import ProcessedKey, ProcessedUpdate, SetAsideUpdate

__all__ = [
    "AuditLog",
    "ChatGroup",
    "Checkin",
    "DailyCheckinCount",
    "GroupMigration",
    "GroupSetting",
    "LedgerEntry",
    "Member",
    "ProcessedKey",
    "ProcessedUpdate",
    "SetAsideUpdate",
    "TgUser",
]
