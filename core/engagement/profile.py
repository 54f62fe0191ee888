"""A member's own numbers (/me)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from storage.queries.community import groups as group_rows
from storage.queries.community import members as member_rows
from storage.queries.engagement import ranking


@dataclass(frozen=True)
class Profile:
    group_id: int
    group_title: str
    points: int
    streak: int
    best_streak: int
    checkins: int
    rank: int
    checked_in_today: bool


def current_streak(last_checkin_day: date | None, streak: int, today: date) -> int:
    """A streak is alive if the last check-in was today or yesterday."""
    if last_checkin_day is None or last_checkin_day < today - timedelta(days=1):
        return 0
    return streak


async def profile_in_group(
    session: AsyncSession, group: GroupSettings, user_id: int, now: datetime
) -> Profile:
    member = await member_rows.get_member(session, group.group_id, user_id)
    today = local_day(now, group.timezone, group.day_start_hour)
    if member is None:
        return Profile(
            group.group_id,
            group.title,
            0,
            0,
            0,
            0,
            await ranking.points_rank(session, group.group_id, 0),
            False,
        )
    return Profile(
        group_id=group.group_id,
        group_title=group.title,
        points=member.points,
        streak=current_streak(member.last_checkin_day, member.streak, today),
        best_streak=member.best_streak,
        checkins=member.checkins,
        rank=await ranking.points_rank(session, group.group_id, member.points),
        checked_in_today=member.last_checkin_day == today,
    )


async def profiles_everywhere(
    session: AsyncSession, groups: GroupService, user_id: int, now: datetime
) -> list[Profile]:
    """The member's profile in every active group they are in (for /me in private)."""
    rows = await group_rows.list_for_user(session, user_id)
    settings = await groups.settings_in(session, [row.id for row in rows])
    return [
        await profile_in_group(session, settings[row.id], user_id, now)
        for row in rows
        if row.id in settings
    ]
