"""A member's level and badges in a group (for /me)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from core.community.group_settings import GroupSettings
from core.shop.levels import LevelCurve, Progress, level_curve
from storage.queries.community import members as member_rows
from storage.queries.shop import redemptions as q


@dataclass(frozen=True)
class Standing:
    curve: LevelCurve
    progress: Progress
    badges: list[str]


async def level_and_badges(session: AsyncSession, group: GroupSettings, user_id: int) -> Standing:
    member = await member_rows.get_member(session, group.group_id, user_id)
    earned = member.lifetime_earned if member else 0  # the running total (the ledger's sum)
    curve = level_curve(group)
    badges = await q.badges_of(session, group.group_id, user_id)
    return Standing(curve, curve.progress(earned), badges)
