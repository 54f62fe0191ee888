"""Engagement tables: check-ins, the append-only points ledger, and the boards' value counts."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import surrogate_id, tg_id, ts


class Checkin(SQLModel, table=True):
    """One check-in per member per local day of the group."""

    __tablename__ = "checkin"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "user_id", "day", name="uq_checkin_member_day"),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    user_id: int = tg_id()
    day: date
    streak: int
    points: int
    created_at: datetime = ts(nullable=False)


class LedgerEntry(SQLModel, table=True):
    """Append-only points ledger: every balance change is one row; never updated or deleted."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        sa.Index("ix_ledger_group_created", "group_id", "created_at"),
        sa.Index("ix_ledger_group_user", "group_id", "user_id"),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    user_id: int = tg_id()
    amount: int
    reason: str = Field(max_length=32)
    note: str | None = Field(default=None, max_length=255)
    source: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    idempotency_key: str = Field(max_length=128, sa_column_kwargs={"unique": True})
    created_at: datetime = ts(nullable=False)


# The `period` of boards that have none (points, check-ins).
ALL_TIME = date(1970, 1, 1)


class BoardValueCount(SQLModel, table=True):
    """How many present members of a group have each value on a board: a rank is one plus the
    members counted above, read from a few rows instead of counting members.

    board: points and checkins (period ALL_TIME), streak (period: the day of the last
    check-in), week and month (period: the first day of the member's week / month of
    week_points / month_points). Only positive values are counted. Triggers on member keep it
    in the same statement as any change of those columns or of left_at (migration 0004).
    """

    __tablename__ = "board_value_count"
    # Kept by triggers on member: when a group moves to a new chat id, moving its members
    # moves these counts too (storage/queries/community/migration.py leaves the table alone).
    __table_args__ = ({"info": {"group_merge": {"derived": True}}},)

    group_id: int = tg_id(primary_key=True)
    board: str = Field(primary_key=True, max_length=8)
    period: date = Field(primary_key=True)
    value: int = Field(primary_key=True)
    members: int = Field(default=0)
