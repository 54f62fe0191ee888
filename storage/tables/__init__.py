"""Every table, by area. Importing this package registers them all on SQLModel.metadata."""

from storage.tables.community import AuditLog, ChatGroup, GroupSetting, Member, TgUser
from storage.tables.engagement import Checkin, DailyCheckinCount, LedgerEntry
from storage.tables.idempotency import ProcessedUpdate

__all__ = [
    "AuditLog",
    "ChatGroup",
    "Checkin",
    "DailyCheckinCount",
    "GroupSetting",
    "LedgerEntry",
    "Member",
    "ProcessedUpdate",
    "TgUser",
]
