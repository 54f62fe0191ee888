"""Community tables: groups, users, memberships and the audit log."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import surrogate_id, tg_id, ts


class ChatGroup(SQLModel, table=True):
    """A Telegram group the bot was added to (its settings are rows of group_setting)."""

    __tablename__ = "chat_group"

    id: int = tg_id(primary_key=True)
    title: str = Field(default="", max_length=255)
    is_active: bool = Field(default=True)
    added_at: datetime | None = ts()
    removed_at: datetime | None = ts()


class GroupSetting(SQLModel, table=True):
    """One setting of one group, as its canonical text; no row means the setting's default.

    Keys are declared by the features (core/settings.py); a key no feature declares any more is
    ignored when loading.
    """

    __tablename__ = "group_setting"
    # A group that moves to a new chat id keeps its own choices (storage/queries/community/
    # migration.py), not the defaults the new id may have been given meanwhile.
    __table_args__ = ({"info": {"group_merge": {"keep": "old"}}},)

    group_id: int = tg_id(primary_key=True)
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=2000)
    updated_at: datetime = ts(nullable=False)


class TgUser(SQLModel, table=True):
    """A Telegram user seen by the bot in any chat."""

    __tablename__ = "tg_user"

    id: int = tg_id(primary_key=True)
    username: str | None = Field(default=None, max_length=64, index=True)
    display_name: str = Field(default="", max_length=255)
    language_code: str | None = Field(default=None, max_length=16)
    started_at: datetime | None = ts()
    blocked_at: datetime | None = ts()


def _board_index(name: str, *columns: str) -> sa.Index:
    """A leaderboard in index order: the group's present members by `columns`, ties by user id.
    Partial (members who left are never ranked), so counting the members ahead of someone
    reads the index alone."""
    present = sa.text("left_at IS NULL")
    return sa.Index(
        name, "group_id", *columns, "user_id", postgresql_where=present, sqlite_where=present
    )


class Member(SQLModel, table=True):
    """A user's membership and running totals in one group (points = sum of its ledger rows).

    week_points / month_points: points earned (the ledger's earning reasons) in the latest local
    week / month of the group's calendar in which the member earned any, that week's Monday /
    that month's 1st being week_start / month_start. lifetime_earned: every point ever earned
    (the ledger's LIFETIME_REASONS; spending, deductions and refunds never lower it), which
    levels come from. The ledger append keeps them, in the same statement batch as the rows it
    writes.
    """

    __tablename__ = "member"
    __table_args__ = (
        sa.CheckConstraint("points >= 0", name="points_non_negative"),
        _board_index("ix_member_board_points", "points"),
        _board_index("ix_member_board_checkins", "checkins"),
        _board_index("ix_member_board_streak", "last_checkin_day", "streak"),
        _board_index("ix_member_board_week", "week_start", "week_points"),
        _board_index("ix_member_board_month", "month_start", "month_points"),
        # A user's groups (/me and /whois in private) without reading every group's members.
        sa.Index("ix_member_user", "user_id"),
        # The dashboard's overview: joins and leaves of a period, per day (migration 0016).
        sa.Index("ix_member_group_joined", "group_id", "joined_at"),
        sa.Index(
            "ix_member_group_left",
            "group_id",
            "left_at",
            sqlite_where=sa.text("left_at IS NOT NULL"),
            postgresql_where=sa.text("left_at IS NOT NULL"),
        ),
        # A member known under both ids when a group moves (storage/queries/community/
        # migration.py): totals add up, the latest day and best values win.
        {
            "info": {
                "group_merge": {
                    "sum": [
                        "points",
                        "checkins",
                        "week_points",
                        "month_points",
                        "lifetime_earned",
                    ],
                    "max": [
                        "streak",
                        "best_streak",
                        "last_checkin_day",
                        "last_active_at",
                        "activity_day",
                        "activity_today",
                        "activity_last_at",
                        "joined_at",
                        "join_day",
                        "week_start",
                        "month_start",
                        "active_day",
                        "active_bits",
                    ],
                    "min": [
                        "first_seen_at",
                        "first_checkin_day",
                        "streak3_day",
                        "streak7_day",
                        "first_redeem_day",
                    ],
                }
            }
        },
    )

    group_id: int = tg_id(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    first_seen_at: datetime = ts(nullable=False)
    joined_at: datetime | None = ts()
    left_at: datetime | None = ts()
    last_active_at: datetime | None = ts()
    points: int = Field(default=0)
    streak: int = Field(default=0)
    best_streak: int = Field(default=0)
    checkins: int = Field(default=0)
    last_checkin_day: date | None = Field(default=None)
    activity_day: date | None = Field(default=None)
    activity_today: int = Field(default=0)
    activity_last_at: datetime | None = ts()
    week_start: date | None = Field(default=None)
    week_points: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    month_start: date | None = Field(default=None)
    month_points: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    lifetime_earned: int = Field(
        default=0, sa_type=sa.BigInteger, sa_column_kwargs={"server_default": "0"}
    )
    # Analytics facts (core/analytics): the local day of their latest join as it was then
    # (their cohort: a later change of the group's calendar does not move it), the
    # member's latest local day with activity, and the
    # days active before it (bit i: active on active_day - i, 62 days), so "active days in the
    # last 30" is arithmetic on the row; the first days they checked in, reached a 3- and a
    # 7-day streak, and redeemed a reward (the funnel).
    join_day: date | None = Field(default=None)  # local day of the join (the cohort)
    active_day: date | None = Field(default=None)
    active_bits: int = Field(
        default=0, sa_type=sa.BigInteger, sa_column_kwargs={"server_default": "0"}
    )
    first_checkin_day: date | None = Field(default=None)
    streak3_day: date | None = Field(default=None)
    streak7_day: date | None = Field(default=None)
    first_redeem_day: date | None = Field(default=None)


class AuditLog(SQLModel, table=True):
    """Who did what as an administrator."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_group_created", "group_id", "created_at"),)

    id: int | None = surrogate_id()
    group_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    actor_id: int = tg_id()
    action: str = Field(max_length=64)
    target_user_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    details: str = Field(default="", max_length=2000)
    created_at: datetime = ts(nullable=False)


class GroupMigration(SQLModel, table=True):
    """A group Telegram moved to a new chat id (upgraded to a supergroup): its data now lives
    under `new_id`; updates still addressed to `old_id` are taken there."""

    __tablename__ = "group_migration"

    old_id: int = tg_id(primary_key=True)
    new_id: int = tg_id()
    migrated_at: datetime = ts(nullable=False)
