"""Leaderboards read in index order (member's partial ix_member_board_* indexes).

A board is a value over the group's present members (left_at IS NULL), restricted to one or
more index ranges ("segments") in each of which the index orders members by that value, then
by user id. The top of a board is a short walk down each segment; someone's rank is one plus
the members above them, summed from board_value_count (members per value, kept by triggers).
Nothing ranks or counts the whole group.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, literal, select, union_all
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.engagement.ledger import EARNING_REASONS
from storage.tables import ALL_TIME, BoardValueCount, Member, TgUser

_M = Member.__table__
_U = TgUser.__table__
_V = BoardValueCount.__table__

__all__ = [
    "EARNING_REASONS",
    "Source",
    "count_above",
    "count_members_above",
    "names",
    "source",
    "standing",
    "top",
    "value_of",
]

# A user's display name and username (None: not known).
Name = tuple[str, str | None] | None


@dataclass(frozen=True)
class Source:
    """Where a board's values live: `value` within each of `segments` (conditions, each one
    range of the board's index), `own`, a member's value on the board (0: not ranked), and the
    board's rows of board_value_count (`board`, `periods`: a condition on their period)."""

    value: Any
    segments: tuple[Any, ...]
    own: Any
    board: str
    periods: Any


def source(board: str, *, today: date, week: date, month: date) -> Source:
    """`board`: points, checkins, streak (alive: last check-in yesterday or later), week or month
    (the running totals of the week beginning `week`, the month beginning `month`)."""
    all_time = _V.c.period == ALL_TIME
    if board == "points":
        return Source(_M.c.points, (None,), _M.c.points, board, all_time)
    if board == "checkins":
        return Source(_M.c.checkins, (None,), _M.c.checkins, board, all_time)
    if board == "streak":
        day, yesterday = _M.c.last_checkin_day, today - timedelta(days=1)
        alive = case((day >= yesterday, _M.c.streak), else_=0)
        # Equal days keep the index order by streak; days after today are a rare late few.
        segments = (day == yesterday, day == today, day > today)
        return Source(_M.c.streak, segments, alive, board, _V.c.period >= yesterday)
    if board in ("week", "month"):
        start, points, key = (
            (_M.c.week_start, _M.c.week_points, week)
            if board == "week"
            else (_M.c.month_start, _M.c.month_points, month)
        )
        own = case((start == key, points), else_=0)
        return Source(points, (start == key,), own, board, _V.c.period == key)
    raise ValueError(board)


def _present(group_id: int, segment: Any, *columns: Any) -> Any:
    stmt = select(*columns).where(_M.c.group_id == group_id, _M.c.left_at.is_(None))
    return stmt if segment is None else stmt.where(segment)


async def _union(session: AsyncSession, parts: list[Any]) -> list[Any]:
    stmt = parts[0] if len(parts) == 1 else union_all(*(select(p.subquery()) for p in parts))
    return list((await session.exec(stmt)).all())


def _named(stmt: Any) -> Any:
    """The rows with their user's name (one round trip instead of a second query)."""
    return stmt.add_columns(_U.c.display_name, _U.c.username).outerjoin(
        _U, _U.c.id == _M.c.user_id
    )


def _name_of(row: Any) -> Name:
    return None if row.display_name is None else (row.display_name, row.username)


# (value, members above, name) of a member on a board: value 0 when not ranked.
Standing = tuple[int, int, Name]


def _standing_columns(group_id: int, src: Source, user_id: int) -> list[Any]:
    """A member's value on the board, the members above it and their name, as constant
    columns (uncorrelated subqueries: evaluated once per statement, not per row)."""
    own = (
        select(src.own)
        .where(_M.c.group_id == group_id, _M.c.user_id == user_id, _M.c.left_at.is_(None))
        .correlate(None)
        .scalar_subquery()
    )
    above = (
        select(func.coalesce(func.sum(_V.c.members), 0))
        .where(_V.c.group_id == group_id, _V.c.board == src.board, src.periods, _V.c.value > own)
        .correlate(None)
        .scalar_subquery()
    )
    user = _U.alias("viewer")
    name = select(user.c.display_name).where(user.c.id == user_id).correlate(None)
    username = select(user.c.username).where(user.c.id == user_id).correlate(None)
    return [
        own.label("v_value"),
        above.label("v_above"),
        name.scalar_subquery().label("v_display_name"),
        username.scalar_subquery().label("v_username"),
    ]


def _standing_of(row: Any) -> Standing:
    name = None if row.v_display_name is None else (row.v_display_name, row.v_username)
    return int(row.v_value or 0), int(row.v_above or 0), name


async def top(
    session: AsyncSession, group_id: int, src: Source, limit: int, viewer_id: int = 0
) -> tuple[list[tuple[int, int, Name]], Standing | None]:
    """The board's first `limit` (user_id, value, name): by value, highest first, then by user
    id; and the standing of `viewer_id` (None without a viewer or on an empty board). One
    statement (the index walked from the top, names joined, the viewer's standing as constant
    columns), a second one when members tied at the cut were left out of it."""
    columns = [_M.c.user_id, src.value.label("value")]
    if viewer_id:
        columns += _standing_columns(group_id, src, viewer_id)
    # One more than shown from each segment tells whether members tied at the cut were left.
    firsts = [
        _named(
            _present(group_id, segment, *columns, literal(index).label("segment"))
            .where(src.value > 0)
            .order_by(src.value.desc())
            .limit(limit + 1)
        )
        for index, segment in enumerate(src.segments)
    ]
    rows = await _union(session, firsts)
    viewer = _standing_of(rows[0]) if viewer_id and rows else None
    found = sorted(
        ((int(r.user_id), int(r.value), _name_of(r)) for r in rows), key=lambda r: (-r[1], r[0])
    )
    if len(found) <= limit:
        return found, viewer  # every segment came back short: the whole board
    cut = found[limit - 1][1]
    per_segment = [[r for r in rows if r.segment == index] for index in range(len(src.segments))]
    if all(len(got) <= limit or min(r.value for r in got) < cut for got in per_segment):
        return found[:limit], viewer  # every member with the cut value is among the rows
    # A segment may hold more members tied at the cut than it returned: take the lowest user
    # ids among them (within equal values the index is ordered by user id).
    above = [r for r in found if r[1] > cut]
    need = limit - len(above)
    ties = [
        _named(
            _present(group_id, segment, _M.c.user_id)
            .where(src.value == cut)
            .order_by(_M.c.user_id)
            .limit(need)
        )
        for segment in src.segments
    ]
    tied = sorted((int(r.user_id), _name_of(r)) for r in await _union(session, ties))
    return above + [(user_id, cut, name) for user_id, name in tied[:need]], viewer


async def count_above(session: AsyncSession, group_id: int, src: Source, value: int) -> int:
    """How many present members have more than `value` on the board."""
    return await count_members_above(session, group_id, src.board, src.periods, value)


async def count_members_above(
    session: AsyncSession, group_id: int, board: str, periods: Any, value: int
) -> int:
    stmt = select(func.coalesce(func.sum(_V.c.members), 0)).where(
        _V.c.group_id == group_id, _V.c.board == board, periods, _V.c.value > value
    )
    return int((await session.exec(stmt)).scalar_one())


async def standing(session: AsyncSession, group_id: int, src: Source, user_id: int) -> Standing:
    """(value, members above, name) of a member on the board, in one round trip: value 0
    when they are not ranked (absent, left, or none)."""
    row = (await session.exec(select(*_standing_columns(group_id, src, user_id)))).one()
    return _standing_of(row)


async def value_of(session: AsyncSession, group_id: int, src: Source, user_id: int) -> int:
    """The member's value on the board; 0 when they are not ranked (absent, left, or none)."""
    stmt = select(src.own).where(
        _M.c.group_id == group_id, _M.c.user_id == user_id, _M.c.left_at.is_(None)
    )
    return int((await session.exec(stmt)).scalar_one_or_none() or 0)


async def names(session: AsyncSession, user_ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """user_id -> (display_name, username) of the users known."""
    if not user_ids:
        return {}
    stmt = select(_U.c.id, _U.c.display_name, _U.c.username).where(_U.c.id.in_(user_ids))
    return {int(r.id): (r.display_name, r.username) for r in (await session.exec(stmt)).all()}
