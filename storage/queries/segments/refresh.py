"""The daily run's reads and writes, a chunk of members at a time (core/segments/refresh.py).

Every write is a single statement for the whole chunk (rows bound as one parameter, see
rowset.py). A stage or tier is moved only if the row still holds what the run read: a second
runner of the same day (or a crash and a rerun) finds nothing left to move, so a movement is
counted once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from storage.types import UTCDateTime

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


async def left_ids(session: AsyncSession, group_id: int) -> set[int]:
    """The members who left the group (they are not ranked)."""
    stmt = select(_M.c.user_id).where(_M.c.group_id == group_id, _M.c.left_at.is_not(None))
    return set((await session.exec(stmt)).scalars().all())


async def present_count(session: AsyncSession, group_id: int) -> int:
    stmt = (
        select(sa.func.count())
        .select_from(_M)
        .where(_M.c.group_id == group_id, _M.c.left_at.is_(None))
    )
    return int((await session.exec(stmt)).scalar_one())


@dataclass(frozen=True, slots=True)
class Bounds:
    """A run's thresholds as instants of the group's calendar (core/segments/stages.py):
    "inactive for n days or more as of day D" is "last sign of life before the start of
    day D - n + 1"."""

    day: date  # D, the day computed
    new_from: datetime  # joined at or after: new
    active_from: datetime  # last sign before: at risk (the baseline)
    dormant_before: datetime  # last sign before: dormant
    churned_before: datetime  # last sign before: churned
    returned_after: date  # returned since a day after this: still returned
    core_min: int  # the tier cuts (0: the tier is empty)
    regular_min: int


@dataclass(frozen=True, slots=True)
class StageSql:
    """What a stage condition may use: the member and segment rows (m, s), the member's last
    sign of life and the run's bounds."""

    member: sa.Table
    segment: sa.Table
    last_sign: sa.ColumnElement[Any]
    bounds: Bounds


def quiet_since_active(q: StageSql) -> sa.ColumnElement[bool]:
    """The baseline at-risk condition: no sign of life in the last `active` days."""
    return q.last_sign < q.bounds.active_from


def _last_sign(dialect: str) -> sa.ColumnElement[Any]:
    """The latest of the last activity, the join and the first sighting (never NULL)."""
    first = _M.c.first_seen_at
    values = (
        sa.func.coalesce(_M.c.last_active_at, first),
        sa.func.coalesce(_M.c.joined_at, first),
        first,
    )
    # SQLite's max() of several arguments is scalar; PostgreSQL calls it greatest().
    found = sa.func.greatest(*values) if dialect == "postgresql" else sa.func.max(*values)
    return sa.type_coerce(found, UTCDateTime())


async def chunk_end(
    session: AsyncSession, group_id: int, after: int | None, size: int
) -> int | None:
    """The last member id of the next chunk of `size` (None: fewer remain, the rest is one)."""
    stmt = (
        select(_M.c.user_id)
        .where(_M.c.group_id == group_id)
        .order_by(_M.c.user_id)
        .offset(size - 1)
        .limit(1)
    )
    if after is not None:
        stmt = stmt.where(_M.c.user_id > after)
    return (await session.exec(stmt)).scalar_one_or_none()


@cache
def _earned(dialect: str) -> RowSet:
    return RowSet("earned", dialect, [("u", sa.BigInteger()), ("points", sa.BigInteger())])


async def changed(
    session: AsyncSession,
    group_id: int,
    after: int | None,
    upto: int | None,
    bounds: Bounds,
    earned: Sequence[tuple[int, int]],
    at_risk: Callable[[StageSql], sa.ColumnElement[bool]],
) -> Sequence[Any]:
    """The members with ids in (after, upto] whose stage, tier or earnings differ from their
    segment row (or who have none), with what the row must become: new_stage, new_tier,
    new_earned; and last_sign, joined_at, left_at, the old row's columns.

    `earned`: (user, points earned in the window) of the chunk's earners."""
    dialect = dialect_of(session)
    src = _earned(dialect)
    last_sign = _last_sign(dialect)
    q = StageSql(_M, _S, last_sign, bounds)
    left = _M.c.left_at.is_not(None)
    new_stage = sa.case(
        (left, "churned"),
        (
            sa.and_(
                _M.c.joined_at >= bounds.new_from,
                sa.or_(_S.c.stage.is_(None), _S.c.stage == "new"),
            ),
            "new",
        ),
        (last_sign < bounds.churned_before, "churned"),
        (last_sign < bounds.dormant_before, "dormant"),
        (at_risk(q), "at_risk"),
        (_S.c.stage.in_(("dormant", "churned")), "returned"),
        (
            sa.and_(_S.c.stage == "returned", _S.c.stage_since > bounds.returned_after),
            "returned",
        ),
        else_="active",
    )
    # Cast: SQLite indexes the materialized rows for the join only if the key has the
    # member column's (integer) affinity; without it, each member scans all the earners.
    # (A materialized CTE: flattened into the join, the cast would be lost for the index.)
    earned_rows = (
        select(sa.cast(src.c.u, sa.BigInteger).label("u"), src.c.points.label("points"))
        .cte("chunk_earned")
        .prefix_with("MATERIALIZED", dialect="sqlite")
    )
    points = sa.case((left, 0), else_=sa.func.coalesce(earned_rows.c.points, 0))
    tiers: list[tuple[sa.ColumnElement[bool], str]] = [(left, "casual")]
    if bounds.core_min > 0:
        tiers.append((sa.and_(points > 0, points >= bounds.core_min), "core"))
    if bounds.regular_min > 0:
        tiers.append((sa.and_(points > 0, points >= bounds.regular_min), "regular"))
    new_tier = sa.case(*tiers, else_="casual")
    # The chunk's range on both tables: the planner need not read the group's other rows.
    in_range = [_S.c.group_id == _M.c.group_id, _S.c.user_id == _M.c.user_id]
    member_range = [_M.c.group_id == group_id]
    if after is not None:
        in_range.append(_S.c.user_id > after)
        member_range.append(_M.c.user_id > after)
    if upto is not None:
        in_range.append(_S.c.user_id <= upto)
        member_range.append(_M.c.user_id <= upto)
    computed = (
        select(
            _M.c.user_id,
            last_sign.label("last_sign"),
            _M.c.joined_at,
            _M.c.left_at,
            _S.c.stage,
            _S.c.stage_since,
            _S.c.previous_stage,
            _S.c.tier,
            _S.c.earned_30d,
            new_stage.label("new_stage"),
            new_tier.label("new_tier"),
            points.label("new_earned"),
        )
        .select_from(
            _M.outerjoin(_S, sa.and_(*in_range)).outerjoin(
                earned_rows, earned_rows.c.u == _M.c.user_id
            )
        )
        .where(*member_range)
    )
    inner = computed.subquery("computed")
    stmt = (
        select(inner)
        .where(
            sa.or_(
                inner.c.stage.is_(None),
                inner.c.stage != inner.c.new_stage,
                inner.c.tier != inner.c.new_tier,
                inner.c.earned_30d != inner.c.new_earned,
            )
        )
        .order_by(inner.c.user_id)
    )
    return list((await session.exec(stmt, params=src.params(list(earned)))).all())


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
