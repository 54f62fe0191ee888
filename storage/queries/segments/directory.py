"""The dashboard's members table, segments' part: the stage, tier and facts of one page's
members, and the selector as a condition on the member table (queries never commit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.community.directory import Joined
from storage.queries.segments.selector import (
    _FROM,
    _M,
    _S,
    Condition,
    Scope,
    stage_expression,
    tier_expression,
)


async def page_facts(session: AsyncSession, scope: Scope, user_ids: Sequence[int]) -> list[Any]:
    """user_id, stage, tier and what the baseline risk and active days read, for these members
    (one page: an index lookup each)."""
    if not user_ids:
        return []
    stmt = (
        sa.select(
            _M.c.user_id,
            stage_expression(scope).label("stage"),
            tier_expression().label("tier"),
            _M.c.joined_at,
            _M.c.first_seen_at,
            _M.c.last_active_at,
            _M.c.left_at,
            _M.c.last_checkin_day,
            _M.c.streak,
            _M.c.checkins,
            _M.c.active_day,
            _M.c.active_bits,
        )
        .select_from(_FROM)
        .where(_M.c.group_id == scope.group_id, _M.c.user_id.in_(list(user_ids)))
    )
    return list((await session.exec(stmt)).all())


def members_where(condition: Condition) -> Joined:
    """The selector's condition (over member LEFT JOIN member_segment) for the members table:
    member_segment outer-joined by its key, tested in the table's one pass."""
    return Joined(
        condition, _S, sa.and_(_S.c.group_id == _M.c.group_id, _S.c.user_id == _M.c.user_id)
    )
