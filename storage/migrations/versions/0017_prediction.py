"""prediction: weekly member snapshots, member risk scores, each group's model and its quality

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

New tables only: member_week_snapshot (features of the members active in the 30 days ending a
local week, and whether they were active the week after), member_risk (the latest probability
of being active in the next 7 days and its reasons), prediction_model (the fitted model and
its held-out AUC and Brier score beside the baseline's). The leader's first run fills them from
member_day (docs/prediction.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FEATURES = (
    "active_7",
    "active_14",
    "active_28",
    "since_active",
    "streak",
    "broken_streak",
    "since_checkin",
    "checkins_7",
    "checkins_28",
    "tenure",
    "habit",
)


def _id(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), autoincrement=False, nullable=False)


def upgrade() -> None:
    op.create_table(
        "member_week_snapshot",
        _id("group_id"),
        sa.Column("week_end", sa.Date(), nullable=False),
        _id("user_id"),
        *(sa.Column(name, sa.SmallInteger(), nullable=False) for name in FEATURES),
        sa.Column("label", sa.SmallInteger(), nullable=True),
        sa.PrimaryKeyConstraint(
            "group_id", "week_end", "user_id", name=op.f("pk_member_week_snapshot")
        ),
    )
    op.create_table(
        "member_risk",
        _id("group_id"),
        _id("user_id"),
        sa.Column("p_active", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("scored_day", sa.Date(), nullable=False),
        sa.Column("scored_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_member_risk")),
    )
    op.create_index("ix_member_risk_group_p", "member_risk", ["group_id", "p_active"])
    op.create_table(
        "prediction_model",
        _id("group_id"),
        sa.Column("snapshot_week", sa.Date(), nullable=True),
        sa.Column("trained_week", sa.Date(), nullable=True),
        sa.Column("trained_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("scored_day", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("use_model", sa.Boolean(), nullable=False),
        sa.Column("pooled", sa.Boolean(), nullable=False),
        sa.Column("train_rows", sa.Integer(), nullable=False),
        sa.Column("test_rows", sa.Integer(), nullable=False),
        sa.Column("test_weeks", sa.Integer(), nullable=False),
        sa.Column("test_active", sa.Float(), nullable=True),
        sa.Column("auc_model", sa.Float(), nullable=True),
        sa.Column("auc_baseline", sa.Float(), nullable=True),
        sa.Column("brier_model", sa.Float(), nullable=True),
        sa.Column("brier_baseline", sa.Float(), nullable=True),
        sa.Column("train_seconds", sa.Float(), nullable=True),
        sa.Column("coefficients", sa.Text(), nullable=True),
        sa.Column("baseline", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_prediction_model")),
    )


def downgrade() -> None:
    op.drop_table("prediction_model")
    op.drop_index("ix_member_risk_group_p", table_name="member_risk")
    op.drop_table("member_risk")
    op.drop_table("member_week_snapshot")
