"""Every table, by area. Importing this package registers them all on SQLModel.metadata."""

from storage.tables.community import AuditLog, ChatGroup, GroupMigration, Member, TgUser
from storage.tables.engagement import Checkin, DailyCheckinCount, LedgerEntry
from storage.tables.idempotency import ProcessedKey, ProcessedUpdate, SetAsideUpdate

__all__ = [
    "AuditLog",
    "ChatGroup",
    "Checkin",
    "DailyCheckinCount",
    "GroupMigration",
    "LedgerEntry",
    "Member",
    "ProcessedKey",
    "ProcessedUpdate",
    "SetAsideUpdate",
    "TgUser",
]
