"""segments: members' lifecycle stage and value tier, tags, daily movements

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

New tables only: member_segment (a member's stage and tier as of the group's last daily run),
member_tag (administrators' tags), segment_movement and segment_day_count (what moved and how
many were where, per group and local day), segment_state (the last day computed per group).
Nothing is backfilled: the leader's first daily run classifies every member. An index on
member.user_id finds a user's groups (/whois and /me in private) without a scan.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _name(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _id(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), autoincrement=False, nullable=False)


def upgrade() -> None:
    op.create_index("ix_member_user", "member", ["user_id"])
    op.create_table(
        "member_segment",
        _id("group_id"),
        _id("user_id"),
        sa.Column("stage", _name(16), nullable=False),
        sa.Column("stage_since", sa.Date(), nullable=False),
        sa.Column("previous_stage", _name(16), nullable=True),
        sa.Column("tier", _name(16), nullable=False),
        sa.Column("earned_30d", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_member_segment")),
    )
    op.create_index("ix_member_segment_earned", "member_segment", ["group_id", "earned_30d"])
    op.create_table(
        "member_tag",
        _id("group_id"),
        _id("user_id"),
        sa.Column("tag", _name(32), nullable=False),
        sa.Column("tagged_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", "tag", name=op.f("pk_member_tag")),
    )
    op.create_index("ix_member_tag_group_tag", "member_tag", ["group_id", "tag", "user_id"])
    op.create_table(
        "segment_movement",
        _id("group_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", _name(8), nullable=False),
        sa.Column("from_name", _name(16), nullable=False),
        sa.Column("to_name", _name(16), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "group_id", "day", "kind", "from_name", "to_name", name=op.f("pk_segment_movement")
        ),
    )
    op.create_table(
        "segment_day_count",
        _id("group_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", _name(8), nullable=False),
        sa.Column("name", _name(16), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "group_id", "day", "kind", "name", name=op.f("pk_segment_day_count")
        ),
    )
    op.create_table(
        "segment_state",
        _id("group_id"),
        sa.Column("computed_day", sa.Date(), nullable=False),
        sa.Column("computed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("core_min", sa.BigInteger(), nullable=False),
        sa.Column("regular_min", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_segment_state")),
    )


def downgrade() -> None:
    op.drop_table("segment_state")
    op.drop_table("segment_day_count")
    op.drop_table("segment_movement")
    op.drop_index("ix_member_tag_group_tag", table_name="member_tag")
    op.drop_table("member_tag")
    op.drop_index("ix_member_segment_earned", table_name="member_segment")
    op.drop_table("member_segment")
    op.drop_index("ix_member_user", table_name="member")
