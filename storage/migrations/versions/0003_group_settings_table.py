"""group settings move from chat_group columns to group_setting rows

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-24

Each feature declares its settings (core/settings.py); they are stored one row per group and
key, as canonical text. Upgrade copies every group's current values into rows (all nine, so
groups keep exactly what they had) and drops the columns; downgrade puts the values back into
the columns (a group without a row gets the value the columns used to default to).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# setting key -> (chat_group column, its type, what downgrade fills in without a row).
# The copy is frozen here on purpose: later changes to the declarations must not change it.
COLUMNS: dict[str, tuple[str, sa.types.TypeEngine, object]] = {
    "timezone": ("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), "Asia/Shanghai"),
    "day_start": ("day_start_hour", sa.Integer(), 0),
    "language": ("language", sqlmodel.sql.sqltypes.AutoString(length=8), "en"),
    "checkin_points": ("checkin_points", sa.Integer(), 10),
    "milestones": ("milestones", sqlmodel.sql.sqltypes.AutoString(length=255), "7:20,30:100"),
    "activity_points": ("activity_points", sa.Integer(), 1),
    "activity_min_length": ("activity_min_length", sa.Integer(), 5),
    "activity_cooldown": ("activity_cooldown_seconds", sa.Integer(), 60),
    "activity_daily_cap": ("activity_daily_cap", sa.Integer(), 20),
}


def _group_setting() -> sa.TableClause:
    return sa.table(
        "group_setting",
        sa.column("group_id", sa.BigInteger()),
        sa.column("key", sa.String()),
        sa.column("value", sa.String()),
        sa.column("updated_at", storage.types.UTCDateTime()),
    )


def _chat_group() -> sa.TableClause:
    return sa.table(
        "chat_group",
        sa.column("id", sa.BigInteger()),
        *(sa.column(column, type_) for column, type_, _ in COLUMNS.values()),
    )


def upgrade() -> None:
    op.create_table(
        "group_setting",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "key", name=op.f("pk_group_setting")),
    )
    settings, groups = _group_setting(), _chat_group()
    now = datetime.now(UTC)
    for key, (column, _, _) in COLUMNS.items():
        # Integers become their decimal text; texts are already canonical.
        op.execute(
            settings.insert().from_select(
                ["group_id", "key", "value", "updated_at"],
                sa.select(
                    groups.c.id,
                    sa.literal(key, sa.String()),
                    sa.cast(groups.c[column], sa.String()),
                    sa.literal(now, storage.types.UTCDateTime()),
                ),
            )
        )
    with op.batch_alter_table("chat_group", schema=None) as batch_op:
        for column, _, _ in COLUMNS.values():
            batch_op.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table("chat_group", schema=None) as batch_op:
        for column, type_, _ in COLUMNS.values():
            batch_op.add_column(sa.Column(column, type_, nullable=True))
    settings, groups = _group_setting(), _chat_group()
    for key, (column, type_, fallback) in COLUMNS.items():
        stored = (
            sa.select(settings.c.value)
            .where(settings.c.group_id == groups.c.id, settings.c.key == key)
            .scalar_subquery()
        )
        value = stored if isinstance(type_, sa.String) else sa.cast(stored, type_)
        op.execute(
            groups.update().values({column: sa.func.coalesce(value, sa.literal(fallback, type_))})
        )
    with op.batch_alter_table("chat_group", schema=None) as batch_op:
        for column, type_, _ in COLUMNS.values():
            batch_op.alter_column(column, existing_type=type_, nullable=False)
    op.drop_table("group_setting")
