"""The daily run's reads and writes, a chunk of members at a time (core/segments/refresh.py).

Every write is a single statement for the whole chunk (rows bound as one parameter, see
rowset.py). A stage or tier is moved only if the row still holds what the run read: a second
runner of the same day (or a crash and a rerun) finds nothing left to move, so a movement is
counted once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, insert_for, upsert
from storage.queries.rowset import RowSet
from storage.tables import (
    ChatGroup,
    LedgerEntry,
    Member,
    MemberSegment,
    SegmentDayCount,
    SegmentMovement,
    SegmentState,
)

_L = LedgerEntry.__table__
_M = Member.__table__
_S = MemberSegment.__table__
_MOVE = SegmentMovement.__table__
_COUNT = SegmentDayCount.__table__
_STATE = SegmentState.__table__


async def earned_between(
    session: AsyncSession,
    group_id: int,
    start: datetime,
    end: datetime,
    not_earned: Sequence[str],
) -> list[tuple[int, int]]:
    """(user, points earned) in [start, end): positive ledger amounts, but for `not_earned`
    reasons (refunds). Read by the (group_id, created_at) index."""
    total = sa.func.sum(_L.c.amount)
    stmt = (
        select(_L.c.user_id, total)
        .where(
            _L.c.group_id == group_id,
            _L.c.created_at >= start,
            _L.c.created_at < end,
            _L.c.amount > 0,
            _L.c.reason.not_in(list(not_earned)),
        )
        .group_by(_L.c.user_id)
    )
    return [(u, int(n)) for u, n in (await session.exec(stmt)).all()]


@cache
def _ids(dialect: str) -> RowSet:
    return RowSet("ids", dialect, [("u", sa.BigInteger())])


async def left_among(session: AsyncSession, group_id: int, user_ids: Iterable[int]) -> set[int]:
    """Which of these members left the group (they are not ranked)."""
    rows = [(u,) for u in user_ids]
    if not rows:
        return set()
    src = _ids(dialect_of(session))
    stmt = (
        select(_M.c.user_id)
        .select_from(_M.join(src.table, _M.c.user_id == src.c.u))
        .where(_M.c.group_id == group_id, _M.c.left_at.is_not(None))
    )
    return set((await session.exec(stmt, params=src.params(rows))).scalars().all())


async def present_count(session: AsyncSession, group_id: int) -> int:
    stmt = (
        select(sa.func.count())
        .select_from(_M)
        .where(_M.c.group_id == group_id, _M.c.left_at.is_(None))
    )
    return int((await session.exec(stmt)).scalar_one())


async def chunk(
    session: AsyncSession, group_id: int, after: int | None, limit: int
) -> Sequence[Any]:
    """The next `limit` members (user-id order) with what their stage depends on and their
    current segment row (stage None: not classified yet)."""
    stmt = (
        select(
            _M.c.user_id,
            _M.c.first_seen_at,
            _M.c.joined_at,
            _M.c.left_at,
            _M.c.last_active_at,
            _S.c.stage,
            _S.c.stage_since,
            _S.c.previous_stage,
            _S.c.tier,
            _S.c.earned_30d,
        )
        .select_from(
            _M.outerjoin(_S, sa.and_(_S.c.group_id == _M.c.group_id, _S.c.user_id == _M.c.user_id))
        )
        .where(_M.c.group_id == group_id)
        .order_by(_M.c.user_id)
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(_M.c.user_id > after)
    return list((await session.exec(stmt)).all())


_ROW_COLUMNS = [
    ("g", sa.BigInteger()),
    ("u", sa.BigInteger()),
    ("stage", sa.String()),
    ("since", sa.Date()),
    ("prev", sa.String()),
    ("tier", sa.String()),
    ("earned", sa.BigInteger()),
    ("old_stage", sa.String()),
    ("old_tier", sa.String()),
]


@cache
def _insert(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet("seg", dialect, _ROW_COLUMNS)
    stmt = (
        insert_for(dialect, _S)
        .from_select(
            [
                "group_id",
                "user_id",
                "stage",
                "stage_since",
                "previous_stage",
                "tier",
                "earned_30d",
            ],
            select(
                src.c.g, src.c.u, src.c.stage, src.c.since, src.c.prev, src.c.tier, src.c.earned
            ).where(sa.true()),
        )
        .on_conflict_do_nothing(index_elements=["group_id", "user_id"])
        .returning(_S.c.user_id)
    )
    return stmt, src


@cache
def _update(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet("seg", dialect, _ROW_COLUMNS)
    stmt = (
        update(_S)
        .where(
            _S.c.group_id == src.c.g,
            _S.c.user_id == src.c.u,
            _S.c.stage == src.c.old_stage,
            _S.c.tier == src.c.old_tier,
        )
        .values(
            stage=src.c.stage,
            stage_since=src.c.since,
            previous_stage=src.c.prev,
            tier=src.c.tier,
            earned_30d=src.c.earned,
        )
        .returning(_S.c.user_id)
    )
    return stmt, src


async def write(
    session: AsyncSession, new: Sequence[dict[str, Any]], changed: Sequence[dict[str, Any]]
) -> set[int]:
    """Insert rows of members classified for the first time and update the changed ones
    (keys: g, u, stage, since, prev, tier, earned, old_stage, old_tier); returns the members
    whose row this call wrote (a row someone else moved meanwhile is left alone)."""
    written: set[int] = set()
    if new:
        stmt, src = _insert(dialect_of(session))
        written |= set((await session.exec(stmt, params=src.params(new))).scalars().all())
    if changed:
        stmt, src = _update(dialect_of(session))
        written |= set((await session.exec(stmt, params=src.params(changed))).scalars().all())
    return written


async def add_movements(
    session: AsyncSession, group_id: int, day: date, moves: dict[tuple[str, str, str], int]
) -> None:
    """moves: (kind, from, to) -> members, added to the day's counts."""
    if not moves:
        return
    stmt = upsert(session, _MOVE)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "day", "kind", "from_name", "to_name"],
        set_={"members": _MOVE.c.members + stmt.excluded.members},
    )
    await session.exec(
        stmt,
        params=[
            {
                "group_id": group_id,
                "day": day,
                "kind": kind,
                "from_name": old,
                "to_name": new,
                "members": n,
            }
            for (kind, old, new), n in moves.items()
        ],
    )


async def save_day(
    session: AsyncSession,
    group_id: int,
    day: date,
    counts: dict[tuple[str, str], int],
    *,
    at: datetime,
    members: int,
    core_min: int,
    regular_min: int,
) -> None:
    """The day's counts ((kind, name) -> members) and the group's state after the run."""
    if counts:
        stmt = upsert(session, _COUNT)
        stmt = stmt.on_conflict_do_update(
            index_elements=["group_id", "day", "kind", "name"],
            set_={"members": stmt.excluded.members},
        )
        await session.exec(
            stmt,
            params=[
                {"group_id": group_id, "day": day, "kind": kind, "name": name, "members": n}
                for (kind, name), n in counts.items()
            ],
        )
    state = upsert(session, _STATE).values(
        group_id=group_id,
        computed_day=day,
        computed_at=at,
        members=members,
        core_min=core_min,
        regular_min=regular_min,
    )
    state = state.on_conflict_do_update(
        index_elements=["group_id"],
        set_={
            "computed_day": state.excluded.computed_day,
            "computed_at": state.excluded.computed_at,
            "members": state.excluded.members,
            "core_min": state.excluded.core_min,
            "regular_min": state.excluded.regular_min,
        },
    )
    await session.exec(state)


async def active_group_ids(session: AsyncSession) -> list[int]:
    stmt = select(ChatGroup.__table__.c.id).where(ChatGroup.__table__.c.is_active)
    return list((await session.exec(stmt.order_by(ChatGroup.__table__.c.id))).scalars().all())


async def states(session: AsyncSession, group_ids: Sequence[int] | None = None) -> dict[int, Any]:
    """segment_state rows by group (of `group_ids`, or of every group)."""
    stmt = select(_STATE)
    if group_ids is not None:
        stmt = stmt.where(_STATE.c.group_id.in_(list(group_ids)))
    return {row.group_id: row for row in (await session.exec(stmt)).all()}


async def movements(
    session: AsyncSession, group_id: int, first: date, last: date
) -> list[tuple[str, str, str, int]]:
    """(kind, from, to, members) summed over the days first..last, most first."""
    total = sa.func.sum(_MOVE.c.members)
    stmt = (
        select(_MOVE.c.kind, _MOVE.c.from_name, _MOVE.c.to_name, total)
        .where(_MOVE.c.group_id == group_id, _MOVE.c.day >= first, _MOVE.c.day <= last)
        .group_by(_MOVE.c.kind, _MOVE.c.from_name, _MOVE.c.to_name)
        .order_by(total.desc(), _MOVE.c.kind, _MOVE.c.from_name, _MOVE.c.to_name)
    )
    return [(k, a, b, int(n)) for k, a, b, n in (await session.exec(stmt)).all()]


async def day_counts(
    session: AsyncSession, group_id: int, day: date
) -> dict[tuple[str, str], int]:
    """The counts saved by the run of `day` ({} if it did not run)."""
    stmt = select(_COUNT.c.kind, _COUNT.c.name, _COUNT.c.members).where(
        _COUNT.c.group_id == group_id, _COUNT.c.day == day
    )
    return {(k, n): m for k, n, m in (await session.exec(stmt)).all()}


async def last_counted_day(session: AsyncSession, group_id: int, at_most: date) -> date | None:
    stmt = select(sa.func.max(_COUNT.c.day)).where(
        _COUNT.c.group_id == group_id, _COUNT.c.day <= at_most
    )
    return (await session.exec(stmt)).scalar_one_or_none()


async def segment_row(session: AsyncSession, group_id: int, user_id: int) -> Any:
    return await session.get(MemberSegment, (group_id, user_id))
