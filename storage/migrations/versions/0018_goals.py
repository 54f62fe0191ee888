"""goals: a target per group and metric, one the North Star

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

One new table, group_goal (the /goal command's rows). The weekly report needs no table: each
group's week is claimed once through processed_key (`weekly:<group>:<ISO week>`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_goal",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("due_day", sa.Date(), nullable=True),
        sa.Column("north_star", sa.Boolean(), nullable=False),
        sa.Column("start_value", sa.Float(), nullable=True),
        sa.Column("start_day", sa.Date(), nullable=False),
        sa.Column("set_by", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "metric", name=op.f("pk_group_goal")),
    )


def downgrade() -> None:
    op.drop_table("group_goal")
