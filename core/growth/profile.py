"""What growth knows of a member, for their card (`/whois`): who invited them, how many they
brought, and their onboarding answers.

The seam for the member card: its registry of sections gets one section that calls
`growth_profile(session, group_id, user_id)` and renders it (handlers/growth/render.py
`profile_lines` does, in both languages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.growth import rules
from core.growth.invites import rewarded
from core.text import shorten
from storage.queries.growth import invites as q
from storage.queries.growth import onboarding as rows


@dataclass(frozen=True, slots=True)
class Inviter:
    user_id: int
    name: str
    joined_at: datetime
    outcome: str  # the export's `rewarded`: yes, capped, off, pending, left


@dataclass(frozen=True, slots=True)
class GrowthProfile:
    inviter: Inviter | None  # who brought them (their join through a personal link)
    invites: int  # newcomers they brought who counted
    waiting: int  # newcomers they brought who have not counted yet
    fields: tuple[tuple[str, str], ...]  # onboarding answers (field, value)


async def growth_profile(session: AsyncSession, group_id: int, user_id: int) -> GrowthProfile:
    inviter = None
    referral = await q.of_invitee(session, group_id, user_id)
    if referral is not None:
        known = await q.names(session, [referral.inviter_id])
        display, username = known.get(referral.inviter_id, ("", None))
        name = display or (f"@{username}" if username else str(referral.inviter_id))
        inviter = Inviter(
            int(referral.inviter_id),
            shorten(name, 40),
            referral.joined_at,
            rewarded(referral.status, referral.reward),
        )
    return GrowthProfile(
        inviter,
        await q.tally(session, group_id, user_id),
        await q.open_count(session, group_id, user_id, rules.OPEN),
        tuple(await rows.fields_of(session, group_id, user_id)),
    )
