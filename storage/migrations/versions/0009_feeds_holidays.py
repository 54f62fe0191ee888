"""content feeds and the items they posted; holiday greeting choices; draft variants

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

New tables only: content_feed (a feed a group follows, planned like a scheduled post),
feed_seen_item (hashes of the ids and links of items posted or passed over, so none is posted
twice), holiday_greeting (a group's holiday turned off, or given its own text); and
schedule_draft.texts, the text variants of a guided /schedule before it is confirmed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_feed",
        sa.Column("id", storage.types.BigIdentity, autoincrement=True, nullable=False),
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("etag", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("last_modified", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("anchor_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("next_run_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("fetched_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("error_streak", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_feed")),
        sqlite_autoincrement=True,  # ids never reused: occurrence keys name the feed id
    )
    op.create_index("ix_content_feed_due", "content_feed", ["next_run_at"])
    op.create_index("ix_content_feed_group", "content_feed", ["group_id"])
    op.create_table(
        "feed_seen_item",
        sa.Column("feed_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("item_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seen_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("feed_id", "item_key", name=op.f("pk_feed_seen_item")),
    )
    op.create_table(
        "holiday_greeting",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("holiday", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "holiday", name=op.f("pk_holiday_greeting")),
    )

    with op.batch_alter_table("schedule_draft") as batch:
        batch.add_column(sa.Column("texts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedule_draft") as batch:
        batch.drop_column("texts")
    op.drop_table("holiday_greeting")
    op.drop_table("feed_seen_item")
    op.drop_index("ix_content_feed_group", table_name="content_feed")
    op.drop_index("ix_content_feed_due", table_name="content_feed")
    op.drop_table("content_feed")
