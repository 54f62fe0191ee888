"""feedback inbox, threads, drafts and surveys

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

New tables only: feedback items numbered per group (feedback_counter) with their threads
(feedback_message), drafts of the guided flows (feedback_draft), staff chats and their forum
topics per item (feedback_staff_chat, feedback_topic), surveys and their answers, native
polls and their votes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_counter",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "kind", name=op.f("pk_feedback_counter")),
    )
    op.create_table(
        "feedback_draft",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("group_id", sa.BigInteger(), nullable=True),
        sa.Column("item_id", sa.BigInteger(), nullable=True),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "chat_id", name=op.f("pk_feedback_draft")),
    )
    op.create_table(
        "feedback_item",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachments", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("survey_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_item")),
        sa.UniqueConstraint("group_id", "number", name="uq_feedback_item_group_number"),
    )
    with op.batch_alter_table("feedback_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_feedback_item_group_status", ["group_id", "status", "number"], unique=False
        )
        batch_op.create_index(
            "ix_feedback_item_user_created", ["user_id", "group_id", "created_at"], unique=False
        )

    op.create_table(
        "feedback_message",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_message")),
    )
    with op.batch_alter_table("feedback_message", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_message_item", ["item_id", "id"], unique=False)

    op.create_table(
        "feedback_staff_chat",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("staff_chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("linked_by", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("linked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_feedback_staff_chat")),
    )
    op.create_table(
        "feedback_topic",
        sa.Column("item_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_feedback_topic")),
        sa.UniqueConstraint("chat_id", "thread_id", name="uq_feedback_topic_chat_thread"),
    )
    op.create_table(
        "poll",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("tg_poll_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll")),
        sa.UniqueConstraint("group_id", "number", name="uq_poll_group_number"),
        sa.UniqueConstraint("tg_poll_id", name="uq_poll_tg_poll_id"),
    )
    op.create_table(
        "poll_vote",
        sa.Column("poll_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("option_ids", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("answered_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("poll_id", "user_id", name=op.f("pk_poll_vote")),
    )
    op.create_table(
        "survey",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
        sa.UniqueConstraint("group_id", "number", name="uq_survey_group_number"),
    )
    op.create_table(
        "survey_answer",
        sa.Column("survey_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("answered_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("survey_id", "user_id", name=op.f("pk_survey_answer")),
    )


def downgrade() -> None:
    op.drop_table("survey_answer")
    op.drop_table("survey")
    op.drop_table("poll_vote")
    op.drop_table("poll")
    op.drop_table("feedback_topic")
    op.drop_table("feedback_staff_chat")
    with op.batch_alter_table("feedback_message", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_message_item")

    op.drop_table("feedback_message")
    with op.batch_alter_table("feedback_item", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_item_user_created")
        batch_op.drop_index("ix_feedback_item_group_status")

    op.drop_table("feedback_item")
    op.drop_table("feedback_draft")
    op.drop_table("feedback_counter")
