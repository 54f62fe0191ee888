"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("group_id", sa.BigInteger(), nullable=True),
        sa.Column("actor_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("target_user_id", sa.BigInteger(), nullable=True),
        sa.Column("details", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_group_created", ["group_id", "created_at"], unique=False)

    op.create_table(
        "chat_group",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("added_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("day_start_hour", sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("checkin_points", sa.Integer(), nullable=False),
        sa.Column("milestones", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("activity_points", sa.Integer(), nullable=False),
        sa.Column("activity_min_length", sa.Integer(), nullable=False),
        sa.Column("activity_cooldown_seconds", sa.Integer(), nullable=False),
        sa.Column("activity_daily_cap", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_group")),
    )
    op.create_table(
        "checkin",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin")),
        sa.UniqueConstraint("group_id", "user_id", "day", name="uq_checkin_member_day"),
    )
    op.create_table(
        "daily_checkin_count",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "day", name=op.f("pk_daily_checkin_count")),
    )
    op.create_table(
        "ledger_entry",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entry")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_ledger_entry_idempotency_key")),
    )
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_group_created", ["group_id", "created_at"], unique=False)
        batch_op.create_index("ix_ledger_group_user", ["group_id", "user_id"], unique=False)

    op.create_table(
        "member",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_seen_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("joined_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("left_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_active_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("best_streak", sa.Integer(), nullable=False),
        sa.Column("checkins", sa.Integer(), nullable=False),
        sa.Column("last_checkin_day", sa.Date(), nullable=True),
        sa.Column("activity_day", sa.Date(), nullable=True),
        sa.Column("activity_today", sa.Integer(), nullable=False),
        sa.Column("activity_last_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("points >= 0", name=op.f("ck_member_points_non_negative")),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_member")),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index("ix_member_group_points", ["group_id", "points"], unique=False)

    op.create_table(
        "processed_update",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("processed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_processed_update")),
    )
    op.create_table(
        "tg_user",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("language_code", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("started_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("blocked_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tg_user")),
    )
    with op.batch_alter_table("tg_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tg_user_username"), ["username"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tg_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tg_user_username"))

    op.drop_table("tg_user")
    op.drop_table("processed_update")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index("ix_member_group_points")

    op.drop_table("member")
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_group_user")
        batch_op.drop_index("ix_ledger_group_created")

    op.drop_table("ledger_entry")
    op.drop_table("daily_checkin_count")
    op.drop_table("checkin")
    op.drop_table("chat_group")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_group_created")

    op.drop_table("audit_log")
