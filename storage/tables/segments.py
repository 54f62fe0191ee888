"""Segments tables: members' lifecycle stage and value tier (kept daily), their tags, and what
moved from one day to the next."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import tg_id, ts


class MemberSegment(SQLModel, table=True):
    """A member's stage and tier as of the group's last daily run (core/segments/stages.py).

    Members first seen since that run have no row yet (the selector counts them as new or
    active, storage/queries/segments/selector.py); a member who left is churned whatever the
    row says. earned_30d: the points the member earned in the 30 local days the tier is
    computed from (0 for members who left: they are not ranked).
    """

    __tablename__ = "member_segment"
    __table_args__ = (
        # The tier cuts are the n-th largest earnings of the group: read from this index.
        sa.Index("ix_member_segment_earned", "group_id", "earned_30d"),
        {"info": {"group_merge": {"keep": "old"}}},
    )

    group_id: int = tg_id(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    stage: str = Field(max_length=16)
    stage_since: date  # the local day the member entered the stage
    previous_stage: str | None = Field(default=None, max_length=16)
    tier: str = Field(default="casual", max_length=16)
    earned_30d: int = Field(default=0, sa_type=sa.BigInteger)


class MemberTag(SQLModel, table=True):
    """A tag an administrator gave a member (lower case; core/segments/tags.py says what a tag
    may be)."""

    __tablename__ = "member_tag"
    __table_args__ = (sa.Index("ix_member_tag_group_tag", "group_id", "tag", "user_id"),)

    group_id: int = tg_id(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    tag: str = Field(primary_key=True, max_length=32)
    tagged_by: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: datetime = ts(nullable=False)


class SegmentMovement(SQLModel, table=True):
    """How many members moved from one stage (or tier) to another in a group's daily run of
    `day`; from_name "none": the member was classified for the first time."""

    __tablename__ = "segment_movement"
    __table_args__ = ({"info": {"group_merge": {"sum": ["members"]}}},)

    group_id: int = tg_id(primary_key=True)
    day: date = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=8)  # stage | tier
    from_name: str = Field(primary_key=True, max_length=16)
    to_name: str = Field(primary_key=True, max_length=16)
    members: int = Field(default=0)


class SegmentDayCount(SQLModel, table=True):
    """Members per stage and per tier after the daily run of `day` ("left" counts the members
    who left, who are churned too): what /segments compares today's counts with."""

    __tablename__ = "segment_day_count"
    __table_args__ = ({"info": {"group_merge": {"sum": ["members"]}}},)

    group_id: int = tg_id(primary_key=True)
    day: date = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=8)  # stage | tier | left
    name: str = Field(primary_key=True, max_length=16)
    members: int = Field(default=0)


class SegmentState(SQLModel, table=True):
    """The last local day a group's stages and tiers were computed for, and the cuts used."""

    __tablename__ = "segment_state"
    __table_args__ = ({"info": {"group_merge": {"max": ["computed_day", "computed_at"]}}},)

    group_id: int = tg_id(primary_key=True)
    computed_day: date
    computed_at: datetime = ts(nullable=False)
    members: int = Field(default=0)  # present members ranked for the tiers
    # The fewest points earned in 30 days that make a member core / regular (0: nobody is).
    core_min: int = Field(default=0, sa_type=sa.BigInteger)
    regular_min: int = Field(default=0, sa_type=sa.BigInteger)
