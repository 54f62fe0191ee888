"""Leaderboards ranked in SQL (RANK() over the group's present members)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import LedgerEntry, Member, TgUser

_M = Member.__table__
_L = LedgerEntry.__table__
_U = TgUser.__table__

EARNING_REASONS = ("checkin", "streak_bonus", "activity", "admin_grant")


def _member_values(group_id: int, board: str, yesterday: date) -> Any:
    if board == "points":
        value = _M.c.points
    elif board == "checkins":
        value = _M.c.checkins
    else:  # streak: only a streak still alive counts
        value = case((_M.c.last_checkin_day >= yesterday, _M.c.streak), else_=0)
    return (
        select(_M.c.user_id.label("user_id"), value.label("value"))
        .where(_M.c.group_id == group_id, _M.c.left_at.is_(None))
        .subquery()
    )


def _earned_values(group_id: int, since: datetime) -> Any:
    earned = (
        select(_L.c.user_id.label("user_id"), func.sum(_L.c.amount).label("value"))
        .where(
            _L.c.group_id == group_id, _L.c.created_at >= since, _L.c.reason.in_(EARNING_REASONS)
        )
        .group_by(_L.c.user_id)
        .subquery()
    )
    present = and_(
        _M.c.group_id == group_id, _M.c.user_id == earned.c.user_id, _M.c.left_at.is_(None)
    )
    return select(earned.c.user_id, earned.c.value).join(_M, present).subquery()


async def ranked(
    session: AsyncSession,
    group_id: int,
    board: str,
    *,
    yesterday: date,
    since: datetime | None,
    viewer_id: int,
    limit: int,
) -> tuple[list[Any], Any | None]:
    """Top `limit` rows (rank, user_id, value, display_name, username) and the viewer's row."""
    values = (
        _earned_values(group_id, since)
        if since is not None
        else _member_values(group_id, board, yesterday)
    )
    ranking = (
        select(
            values.c.user_id,
            values.c.value,
            func.rank().over(order_by=values.c.value.desc()).label("rank"),
        )
        .where(values.c.value > 0)
        .subquery()
    )
    columns = (
        ranking.c.rank,
        ranking.c.user_id,
        ranking.c.value,
        _U.c.display_name,
        _U.c.username,
    )
    base = select(*columns).select_from(ranking.outerjoin(_U, _U.c.id == ranking.c.user_id))
    top = (await session.exec(base.order_by(ranking.c.rank, ranking.c.user_id).limit(limit))).all()
    mine = (await session.exec(base.where(ranking.c.user_id == viewer_id))).first()
    return list(top), mine
