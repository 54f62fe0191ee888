"""scheduled posts and their occurrences; welcome templates; A/B votes; birthdays;
guided-flow drafts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduled_post",
        sa.Column("id", storage.types.BigIdentity, autoincrement=True, nullable=False),
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("source_message_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("anchor_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("next_run_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_post")),
        sqlite_autoincrement=True,  # ids never reused: occurrence keys name the post id
    )
    op.create_index("ix_scheduled_post_due", "scheduled_post", ["status", "next_run_at"])
    op.create_index("ix_scheduled_post_group", "scheduled_post", ["group_id", "status"])
    op.create_table(
        "post_occurrence",
        sa.Column("id", storage.types.BigIdentity, autoincrement=True, nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("due_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("missed", sa.Integer(), nullable=False),
        sa.Column("variant", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("run_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_occurrence")),
        sa.UniqueConstraint("post_id", "due_at", name="uq_post_occurrence_due"),
    )
    op.create_table(
        "post_vote",
        sa.Column("post_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("variant", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("voted_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("post_id", "variant", "user_id", name=op.f("pk_post_vote")),
    )
    op.create_table(
        "member_birthday",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_member_birthday")),
    )
    op.create_table(
        "schedule_draft",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "message_id", name=op.f("pk_schedule_draft")),
    )
    op.create_table(
        "greeting_template",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("template", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "kind", name=op.f("pk_greeting_template")),
    )


def downgrade() -> None:
    op.drop_table("greeting_template")
    op.drop_table("schedule_draft")
    op.drop_table("member_birthday")
    op.drop_table("post_vote")
    op.drop_table("post_occurrence")
    op.drop_index("ix_scheduled_post_group", table_name="scheduled_post")
    op.drop_index("ix_scheduled_post_due", table_name="scheduled_post")
    op.drop_table("scheduled_post")
