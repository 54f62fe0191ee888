"""SQLModel tables. Telegram ids are 64-bit (BigInteger); every datetime is timezone-aware UTC."""

from __future__ import annotations

from datetime import date, datetime

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


def _tg_id(primary_key: bool = False) -> object:
    """A Telegram user or chat id (64-bit)."""
    return Field(
        sa_column=sa.Column(
            sa.BigInteger, primary_key=primary_key, autoincrement=False, nullable=False
        )
    )


def _surrogate_id() -> object:
    return Field(
        default=None, sa_column=sa.Column(BigIdentity, primary_key=True, autoincrement=True)
    )


def _ts(nullable: bool = True) -> object:
    return Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=nullable))


class ChatGroup(SQLModel, table=True):
    """A Telegram group the bot was added to, with its settings."""

    __tablename__ = "chat_group"

    id: int = _tg_id(primary_key=True)
    title: str = Field(default="", max_length=255)
    is_active: bool = Field(default=True)
    added_at: datetime | None = _ts()
    removed_at: datetime | None = _ts()
    timezone: str = Field(max_length=64)
    day_start_hour: int = Field(default=0)
    language: str = Field(default="en", max_length=8)
    checkin_points: int = Field(default=10)
    milestones: str = Field(default="7:20,30:100", max_length=255)
    activity_points: int = Field(default=1)
    activity_min_length: int = Field(default=5)
    activity_cooldown_seconds: int = Field(default=60)
    activity_daily_cap: int = Field(default=20)


class TgUser(SQLModel, table=True):
    """A Telegram user seen by the bot in any chat."""

    __tablename__ = "tg_user"

    id: int = _tg_id(primary_key=True)
    username: str | None = Field(default=None, max_length=64, index=True)
    display_name: str = Field(default="", max_length=255)
    language_code: str | None = Field(default=None, max_length=16)
    started_at: datetime | None = _ts()
    blocked_at: datetime | None = _ts()


class Member(SQLModel, table=True):
    """A user's membership and running totals in one group (points = sum of its ledger rows)."""

    __tablename__ = "member"
    __table_args__ = (
        sa.CheckConstraint("points >= 0", name="points_non_negative"),
        sa.Index("ix_member_group_points", "group_id", "points"),
    )

    group_id: int = _tg_id(primary_key=True)
    user_id: int = _tg_id(primary_key=True)
    first_seen_at: datetime = _ts(nullable=False)
    joined_at: datetime | None = _ts()
    left_at: datetime | None = _ts()
    last_active_at: datetime | None = _ts()
    points: int = Field(default=0)
    streak: int = Field(default=0)
    best_streak: int = Field(default=0)
    checkins: int = Field(default=0)
    last_checkin_day: date | None = Field(default=None)
    activity_day: date | None = Field(default=None)
    activity_today: int = Field(default=0)
    activity_last_at: datetime | None = _ts()


class Checkin(SQLModel, table=True):
    """One check-in per member per local day of the group."""

    __tablename__ = "checkin"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "user_id", "day", name="uq_checkin_member_day"),
    )

    id: int | None = _surrogate_id()
    group_id: int = _tg_id()
    user_id: int = _tg_id()
    day: date
    streak: int
    points: int
    created_at: datetime = _ts(nullable=False)


class DailyCheckinCount(SQLModel, table=True):
    """How many members of a group checked in on a local day (gives "you are the 12th today")."""

    __tablename__ = "daily_checkin_count"

    group_id: int = _tg_id(primary_key=True)
    day: date = Field(primary_key=True)
    count: int = Field(default=0)


class LedgerEntry(SQLModel, table=True):
    """Append-only points ledger: every balance change is one row; never updated or deleted."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        sa.Index("ix_ledger_group_created", "group_id", "created_at"),
        sa.Index("ix_ledger_group_user", "group_id", "user_id"),
    )

    id: int | None = _surrogate_id()
    group_id: int = _tg_id()
    user_id: int = _tg_id()
    amount: int
    reason: str = Field(max_length=32)
    note: str | None = Field(default=None, max_length=255)
    source: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    idempotency_key: str = Field(max_length=128, sa_column_kwargs={"unique": True})
    created_at: datetime = _ts(nullable=False)


class AuditLog(SQLModel, table=True):
    """Who did what as an administrator."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_group_created", "group_id", "created_at"),)

    id: int | None = _surrogate_id()
    group_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    actor_id: int = _tg_id()
    action: str = Field(max_length=64)
    target_user_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    details: str = Field(default="", max_length=2000)
    created_at: datetime = _ts(nullable=False)


class ProcessedUpdate(SQLModel, table=True):
    """Telegram updates whose effects are committed; written in the same transaction as them."""

    __tablename__ = "processed_update"

    update_id: int = _tg_id(primary_key=True)
    processed_at: datetime = _ts(nullable=False)
