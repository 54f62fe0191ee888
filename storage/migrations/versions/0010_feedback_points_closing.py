"""feedback keywords per group, survey closing times, detractor follow-ups

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

A new table feedback_keywords (a group's own keyword list per category); survey.closes_at
(with a partial index of the open surveys that have one) and survey_answer.followup_at
(when a detractor was asked "why?"), feedback_draft.survey_id (the survey a detractor's
awaited answer belongs to). Nullable columns only: existing rows stay as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN_TIMED = sa.text("closed_at IS NULL AND closes_at IS NOT NULL")


def upgrade() -> None:
    op.create_table(
        "feedback_keywords",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "category", name=op.f("pk_feedback_keywords")),
    )
    with op.batch_alter_table("feedback_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("survey_id", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closes_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_survey_closes_at",
            ["closes_at"],
            unique=False,
            postgresql_where=_OPEN_TIMED,
            sqlite_where=_OPEN_TIMED,
        )
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("followup_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.drop_column("followup_at")
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_closes_at")
        batch_op.drop_column("closes_at")
    with op.batch_alter_table("feedback_draft", schema=None) as batch_op:
        batch_op.drop_column("survey_id")
    op.drop_table("feedback_keywords")
