"""Reading the analytics tables: a group's days in a range (and the running sums before it),
one pass of a period's member days, members' facts. Every statement is a range of a primary
key or an index: nothing scans a whole table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import FeedbackItem, GroupDay, Member, MemberDay, TgUser

_GD = GroupDay.__table__
_MD = MemberDay.__table__
_M = Member.__table__
_U = TgUser.__table__
_F = FeedbackItem.__table__

RUNNING = ("members_delta", "wau_delta", "mau_delta")  # summed from the group's first day


async def running_before(session: AsyncSession, group_id: int, day: date) -> dict[str, int]:
    """The running sums (members, WAU, MAU deltas) of every day before `day`."""
    stmt = select(*(func.coalesce(func.sum(_GD.c[c]), 0) for c in RUNNING)).where(
        _GD.c.group_id == group_id, _GD.c.day < day
    )
    row = (await session.exec(stmt)).one()
    return {c: int(v) for c, v in zip(RUNNING, row, strict=True)}


async def group_days(
    session: AsyncSession, group_id: int, start: date, end: date, columns: Sequence[str]
) -> list[Any]:
    """The group's rows from start to end (days without a row are absent), by day."""
    stmt = (
        select(_GD.c.day, *(_GD.c[c] for c in columns))
        .where(_GD.c.group_id == group_id, _GD.c.day >= start, _GD.c.day <= end)
        .order_by(_GD.c.day)
    )
    return list((await session.exec(stmt)).all())


async def first_day(session: AsyncSession, group_id: int) -> date | None:
    stmt = select(func.min(_GD.c.day)).where(_GD.c.group_id == group_id)
    return (await session.exec(stmt)).scalar_one_or_none()


_PERIOD = sa.text(
    # One pass of the period's range of member_day, summed per member (materialized once),
    # gives both the distinct members (active, posting) and the top contributors (named
    # after the LIMIT: ten lookups of tg_user, not one per member).
    "WITH per AS MATERIALIZED ("
    " SELECT user_id, sum(points_earned) AS points, sum(messages) AS messages,"
    " sum(active) AS days FROM member_day"
    " WHERE group_id = :g AND day >= :start AND day <= :end GROUP BY user_id),"
    " top AS (SELECT * FROM per"
    " ORDER BY points DESC, messages DESC, days DESC, user_id LIMIT :top)"
    " SELECT top.user_id, u.username, u.display_name, top.points, top.messages, top.days,"
    " (SELECT count(*) FROM per WHERE days > 0) AS actives,"
    " (SELECT count(*) FROM per WHERE messages > 0) AS posters"
    " FROM top LEFT JOIN tg_user u ON u.id = top.user_id"
    " ORDER BY top.points DESC, top.messages DESC, top.days DESC, top.user_id"
).columns(
    sa.column("user_id", sa.BigInteger()),
    sa.column("username", sa.String()),
    sa.column("display_name", sa.String()),
    sa.column("points", sa.BigInteger()),
    sa.column("messages", sa.BigInteger()),
    sa.column("days", sa.BigInteger()),
    sa.column("actives", sa.BigInteger()),
    sa.column("posters", sa.BigInteger()),
)


_COUNTS = sa.text(
    "SELECT count(*) AS actives, coalesce(sum(CASE WHEN m > 0 THEN 1 ELSE 0 END), 0) AS posters"
    " FROM (SELECT user_id, max(active) AS a, sum(messages) AS m FROM member_day"
    " WHERE group_id = :g AND day >= :start AND day <= :end GROUP BY user_id) AS per"
    " WHERE a > 0 OR m > 0"
)


async def period_members(
    session: AsyncSession, group_id: int, start: date, end: date, top: int = 0
) -> tuple[int, int, list[Any]]:
    """(members active, members who posted, the `top` members by points earned then messages
    then active days: user_id, username, display_name, points, messages, days) in the period.
    Distinct members need the period's rows: one pass of their range of the primary key."""
    params = {"g": group_id, "start": start, "end": end, "top": max(top, 1)}
    if not top:
        found = (await session.exec(_COUNTS, params=params)).one()
        return int(found.actives), int(found.posters), []
    rows = list((await session.exec(_PERIOD, params=params)).all())
    if not rows:
        return 0, 0, []
    return int(rows[0].actives), int(rows[0].posters), rows[:top]


_POSTERS = sa.text(
    # Distinct ids of the rows that have messages: cheaper than grouping every row by member.
    "SELECT count(DISTINCT user_id) FROM member_day"
    " WHERE group_id = :g AND day >= :start AND day <= :end AND messages > 0"
)


async def period_posters(session: AsyncSession, group_id: int, start: date, end: date) -> int:
    """Members who sent a message in the period (one pass of its range of the primary key)."""
    params = {"g": group_id, "start": start, "end": end}
    return int((await session.exec(_POSTERS, params=params)).scalar_one())


async def open_feedback(session: AsyncSession, group_id: int) -> int:
    """Items still new or in progress (ix_feedback_item_group_status)."""
    stmt = select(func.count()).where(
        _F.c.group_id == group_id, _F.c.status.in_(("new", "in_progress"))
    )
    return int((await session.exec(stmt)).scalar_one())


_FACTS = (
    _M.c.user_id,
    _M.c.joined_at,
    _M.c.join_day,
    _M.c.first_seen_at,
    _M.c.left_at,
    _M.c.active_day,
    _M.c.active_bits,
    _M.c.first_checkin_day,
    _M.c.streak3_day,
    _M.c.streak7_day,
    _M.c.first_redeem_day,
)


async def member_facts(session: AsyncSession, group_id: int, user_id: int) -> Any | None:
    stmt = select(*_FACTS).where(_M.c.group_id == group_id, _M.c.user_id == user_id)
    return (await session.exec(stmt)).first()


async def members_facts(
    session: AsyncSession, group_id: int, user_ids: Sequence[int] | None = None
) -> list[Any]:
    """Facts of the group's members (all of them, or these), by the primary key's range."""
    where = [_M.c.group_id == group_id]
    if user_ids is not None:
        where.append(_M.c.user_id.in_(list(user_ids)))
    return list((await session.exec(select(*_FACTS).where(and_(*where)))).all())


async def member_days(
    session: AsyncSession, group_id: int, user_id: int, start: date, end: date
) -> list[Any]:
    """One member's days in a range (ix_member_day_member)."""
    stmt = (
        select(_MD)
        .where(
            _MD.c.group_id == group_id,
            _MD.c.user_id == user_id,
            _MD.c.day >= start,
            _MD.c.day <= end,
        )
        .order_by(_MD.c.day)
    )
    return list((await session.exec(stmt)).all())
