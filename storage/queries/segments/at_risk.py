"""The members the baseline ranks most at risk: present, quiet for a while but not churned,
the longest-quiet high-risk stages first, then the most valuable. Queries never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import Member, MemberSegment, TgUser

_M = Member.__table__
_S = MemberSegment.__table__
_U = TgUser.__table__
HIGH_STAGES = ("at_risk", "dormant")


async def quiet_members(
    session: AsyncSession,
    group_id: int,
    *,
    quiet_before: datetime,
    active_since: datetime,
    limit: int,
) -> list[Any]:
    """Present members last active in [active_since, quiet_before): at risk or dormant stages
    first, then by points earned in 30 days, then the longest quiet (one pass of the group)."""
    stage_rank = sa.case((_S.c.stage.in_(HIGH_STAGES), 0), else_=1)
    stmt = (
        sa.select(
            _M.c.user_id,
            _U.c.display_name,
            _U.c.username,
            _M.c.last_active_at,
            _M.c.joined_at,
            _M.c.first_seen_at,
            _M.c.last_checkin_day,
            _M.c.streak,
            _M.c.checkins,
            _S.c.stage,
            sa.func.coalesce(_S.c.earned_30d, 0).label("earned_30d"),
        )
        .select_from(
            _M.outerjoin(_U, _U.c.id == _M.c.user_id).outerjoin(
                _S, (_S.c.group_id == _M.c.group_id) & (_S.c.user_id == _M.c.user_id)
            )
        )
        .where(
            _M.c.group_id == group_id,
            _M.c.left_at.is_(None),
            _M.c.last_active_at < quiet_before,
            _M.c.last_active_at >= active_since,
        )
        .order_by(
            stage_rank,
            sa.func.coalesce(_S.c.earned_30d, 0).desc(),
            _M.c.last_active_at,
            _M.c.user_id,
        )
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())
