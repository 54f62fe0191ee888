"""The shop's CSV export, and what the members export learns from it (level, badges)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from core.community.group_settings import GroupSettings
from core.csv_export import iso, write_csv
from core.shop.levels import level_curve
from storage.queries.shop import redemptions as q

REDEMPTION_COLUMNS = [
    "id",
    "user_id",
    "reward_id",
    "reward_number",
    "reward_name",
    "cost",
    "status",
    "code",
    "created_at",
    "decided_at",
    "reason",
]


async def redemptions_csv(session: AsyncSession, group_id: int) -> tuple[bytes, int]:
    return await write_csv(
        REDEMPTION_COLUMNS,
        q.redemption_rows(session, group_id),
        lambda r: (
            r.id,
            r.user_id,
            r.reward_id,
            r.reward_number,
            r.reward_name,
            r.cost,
            r.status,
            r.code or "",
            iso(r.created_at),
            iso(r.decided_at),
            r.reason or "",
        ),
    )


@dataclass(frozen=True)
class MemberRanks:
    """Level and badges of every member of a group, read once for an export."""

    levels: dict[int, int]
    badges: dict[int, list[str]]

    def level(self, user_id: int) -> int:
        return self.levels.get(user_id, 1)

    def badge_list(self, user_id: int) -> str:
        return " ".join(self.badges.get(user_id, []))


async def member_ranks(session: AsyncSession, group: GroupSettings) -> MemberRanks:
    curve = level_curve(group)
    earned = await q.lifetime_earned_by_member(session, group.group_id)
    return MemberRanks(
        {u: curve.level(p) for u, p in earned.items()},
        await q.badges_by_member(session, group.group_id),
    )
