"""The member selector in SQL: each term a condition on a member row, combined as the parsed
selector says (core/segments/resolve.py walks the tree), counted or paged by user id.

One statement over the group's members (member LEFT JOIN member_segment; tags through an
EXISTS on member_tag's primary key): a count reads the group's member rows once, a page stops
after `limit` matches in user-id order (keyset: `after` the last id shown).

Between two daily runs, the stage a member counts under is:
    left the group                  -> churned (at once)
    no member_segment row yet       -> new if joined since `new_since`, else active
                                       (first seen since the last run)
    otherwise                       -> the stored stage
and the tier is the stored one (casual without a row, or after leaving).
core/segments/stages.py effective_stage says the same in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import Member, MemberSegment, MemberTag, TgUser

_M = Member.__table__
_S = MemberSegment.__table__
_T = MemberTag.__table__
_U = TgUser.__table__

Condition = sa.ColumnElement[bool]


@dataclass(frozen=True, slots=True)
class Scope:
    group_id: int
    new_since: datetime  # members who joined at or after this are new until classified


def stage_expression(scope: Scope) -> sa.ColumnElement[str]:
    return sa.case(
        (_M.c.left_at.is_not(None), "churned"),
        (
            _S.c.stage.is_(None),
            sa.case((_M.c.joined_at >= scope.new_since, "new"), else_="active"),
        ),
        else_=_S.c.stage,
    )


def tier_expression() -> sa.ColumnElement[str]:
    return sa.case(
        (_M.c.left_at.is_not(None), "casual"), else_=sa.func.coalesce(_S.c.tier, "casual")
    )


# ---- term conditions (TermKind.predicate) ---------------------------------------------------


def stage_is(value: str, scope: Scope) -> Condition:
    return stage_expression(scope) == value


def tier_is(value: str, scope: Scope) -> Condition:
    return tier_expression() == value


def has_tag(value: str, scope: Scope) -> Condition:
    return sa.exists(
        sa.select(1).where(
            _T.c.group_id == _M.c.group_id, _T.c.user_id == _M.c.user_id, _T.c.tag == value
        )
    )


def everyone(value: str, scope: Scope) -> Condition:
    return sa.true()


# ---- combining ------------------------------------------------------------------------------


def either(left: Condition, right: Condition) -> Condition:
    return sa.or_(left, right)


def both(left: Condition, right: Condition) -> Condition:
    return sa.and_(left, right)


def without(left: Condition, right: Condition) -> Condition:
    return sa.and_(left, sa.not_(right))


def present(condition: Condition) -> Condition:
    """Only members still in the group."""
    return sa.and_(_M.c.left_at.is_(None), condition)


# ---- reading --------------------------------------------------------------------------------

_FROM = _M.outerjoin(_S, sa.and_(_S.c.group_id == _M.c.group_id, _S.c.user_id == _M.c.user_id))


async def count(session: AsyncSession, scope: Scope, condition: Condition) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(_FROM)
        .where(_M.c.group_id == scope.group_id, condition)
    )
    return int((await session.exec(stmt)).scalar_one())


async def ids(
    session: AsyncSession, scope: Scope, condition: Condition, after: int | None, limit: int
) -> list[int]:
    stmt = (
        sa.select(_M.c.user_id)
        .select_from(_FROM)
        .where(_M.c.group_id == scope.group_id, condition)
        .order_by(_M.c.user_id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(_M.c.user_id > after)
    return list((await session.exec(stmt)).scalars().all())


async def page(
    session: AsyncSession, scope: Scope, condition: Condition, after: int | None, limit: int
) -> Sequence[Any]:
    """Rows of the matching members in user-id order: user_id, username, display_name,
    points, last_active_at, left_at, stage, tier, earned_30d."""
    stmt = (
        sa.select(
            _M.c.user_id,
            _U.c.username,
            _U.c.display_name,
            _M.c.points,
            _M.c.last_active_at,
            _M.c.left_at,
            stage_expression(scope).label("stage"),
            tier_expression().label("tier"),
            sa.func.coalesce(_S.c.earned_30d, 0).label("earned_30d"),
        )
        .select_from(_FROM.outerjoin(_U, _U.c.id == _M.c.user_id))
        .where(_M.c.group_id == scope.group_id, condition)
        .order_by(_M.c.user_id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(_M.c.user_id > after)
    return list((await session.exec(stmt)).all())


async def counts_by(
    session: AsyncSession, scope: Scope
) -> tuple[dict[str, int], dict[str, int], int]:
    """(members per stage, per present tier, members who left) in one pass: every present
    member once per stage and tier; members who left are churned (not in the tiers)."""
    stage = stage_expression(scope).label("stage")
    tier = tier_expression().label("tier")
    gone = sa.case((_M.c.left_at.is_not(None), 1), else_=0).label("gone")
    stmt = (
        sa.select(stage, tier, gone, sa.func.count())
        .select_from(_FROM)
        .where(_M.c.group_id == scope.group_id)
        .group_by(stage, tier, gone)
    )
    stages: dict[str, int] = {}
    tiers: dict[str, int] = {}
    left = 0
    for stage_name, tier_name, is_gone, n in (await session.exec(stmt)).all():
        stages[stage_name] = stages.get(stage_name, 0) + n
        if is_gone:
            left += n
        else:
            tiers[tier_name] = tiers.get(tier_name, 0) + n
    return stages, tiers, left
