"""What the members export learns from segments: stage, tier and tags per member (the same
stage the selector and /segments count, core/segments/stages.py effective_stage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.segments.settings import thresholds
from core.segments.stages import CASUAL, effective_stage
from storage.queries.segments import tags as tag_rows


@dataclass(frozen=True)
class MemberSegments:
    new_since: datetime  # unclassified members who joined since are new
    tags: dict[int, list[str]]

    def stage(self, row: Any) -> str:
        joined = row.joined_at is not None and row.joined_at >= self.new_since
        return effective_stage(row.segment_stage, row.left_at is not None, joined)

    def tier(self, row: Any) -> str:
        if row.left_at is not None or row.segment_tier is None:
            return CASUAL
        return str(row.segment_tier)

    def tag_list(self, user_id: int) -> str:
        return " ".join(self.tags.get(user_id, []))


async def member_segments(
    session: AsyncSession, group: GroupSettings, now: datetime
) -> MemberSegments:
    today = local_day(now, group.timezone, group.day_start_hour)
    first_new_day = today - timedelta(days=thresholds(group).new - 1)
    return MemberSegments(
        day_start_instant(first_new_day, group.timezone, group.day_start_hour),
        await tag_rows.by_member(session, group.group_id),
    )
