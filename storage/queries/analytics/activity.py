"""Writing the analytics tables: member days and group days added to (set-based), facts set.

Rows are bound as one parameter (storage/queries/rowset.py) and sorted by key, so every writer
takes the rows' locks in one order on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, case, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, insert_for
from storage.queries.rowset import RowSet
from storage.tables import GroupDay, Member, MemberDay
from storage.tables.analytics import GROUP_DAY_COUNTS, MEMBER_DAY_COUNTS
from storage.types import UTCDateTime

_MD = MemberDay.__table__
_GD = GroupDay.__table__
_M = Member.__table__

# What the numbers read of a member before planning (core.analytics.recording.Facts), with
# what says whether the row is new or was away.
FACT_COLUMNS = (
    "active_day",
    "active_bits",
    "joined_at",
    "join_day",
    "first_checkin_day",
    "streak3_day",
    "streak7_day",
    "first_redeem_day",
)
_STATE = (
    _M.c.group_id,
    _M.c.user_id,
    *(_M.c[name] for name in FACT_COLUMNS),
    _M.c.first_seen_at,
    _M.c.left_at,
)


def _larger(a: Any, b: Any) -> Any:
    return case((b > a, b), else_=a)


@cache
def _add_member_days(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "md",
        dialect,
        [
            ("group_id", sa.BigInteger()),
            ("day", sa.Date()),
            ("user_id", sa.BigInteger()),
            ("active", sa.Integer()),
            *((name, sa.Integer()) for name in MEMBER_DAY_COUNTS),
        ],
    )
    names = [name for name, _ in src.columns]
    stmt = insert_for(dialect, _MD).from_select(names, select(*src.c).where(sa.true()))
    ex = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "day", "user_id"],
        set_={
            "active": _larger(_MD.c.active, ex.active),
            "checkins": _larger(_MD.c.checkins, ex.checkins),
            **{name: _MD.c[name] + ex[name] for name in MEMBER_DAY_COUNTS if name != "checkins"},
        },
    ).returning(_MD.c.group_id, _MD.c.day, _MD.c.user_id, _MD.c.messages)
    return stmt, src


async def add_member_days(
    session: AsyncSession, rows: Mapping[tuple[int, date, int], Sequence[int]]
) -> list[Any]:
    """Add to members' days (key (group_id, day, user_id) -> [active, *MEMBER_DAY_COUNTS]);
    returns (group_id, day, user_id, messages) of each row as it now is."""
    if not rows:
        return []
    stmt, src = _add_member_days(dialect_of(session))
    params = src.params([(*key, *values) for key, values in sorted(rows.items())])
    return list((await session.exec(stmt, params=params)).all())


@cache
def _add_group_days(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "gd",
        dialect,
        [
            ("group_id", sa.BigInteger()),
            ("day", sa.Date()),
            *((name, sa.Integer()) for name in GROUP_DAY_COUNTS),
        ],
    )
    names = [name for name, _ in src.columns]
    stmt = insert_for(dialect, _GD).from_select(names, select(*src.c).where(sa.true()))
    ex = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "day"],
        set_={name: _GD.c[name] + ex[name] for name in GROUP_DAY_COUNTS},
    ).returning(_GD.c.group_id, _GD.c.day, _GD.c.checkins)
    return stmt, src


async def add_group_days(
    session: AsyncSession, rows: Mapping[tuple[int, date], Mapping[str, int]]
) -> dict[tuple[int, date], int]:
    """Add to groups' days (key (group_id, day) -> column -> amount) now; returns each row's
    check-ins as they now are (a check-in's position that day). Call it last in a transaction
    (after any member UPDATE): see defer_group_days."""
    if not rows:
        return {}
    stmt, src = _add_group_days(dialect_of(session))
    result = await session.exec(stmt, params=src.params(_group_day_params(rows)))
    return {(r.group_id, r.day): r.checkins for r in result.all()}


def _group_day_params(rows: Mapping[tuple[int, date], Mapping[str, int]]) -> list[tuple]:
    return [
        (group_id, day, *(amounts.get(name, 0) for name in GROUP_DAY_COUNTS))
        for (group_id, day), amounts in sorted(rows.items())
    ]


_PENDING = "pending_group_days"


def defer_group_days(
    session: AsyncSession, rows: Mapping[tuple[int, date], Mapping[str, int]]
) -> None:
    """Add to groups' days when the transaction commits (flush_deferred_group_days, called by
    the session just before COMMIT).

    A group's day row is the hottest row there is: every writer of the group that day adds to
    it. Written last, it is held only for the commit, and every transaction takes its locks in
    one order: members, their board counts (the member UPDATE's trigger), then group days. A
    use case that wrote it midway (a grant: group day, then the member UPDATE) deadlocked with
    a check-in batch that took the same locks the other way round."""
    if not rows:
        return
    pending: dict[tuple[int, date], dict[str, int]] = session.sync_session.info.setdefault(
        _PENDING, {}
    )
    for key, amounts in rows.items():
        into = pending.setdefault(key, {})
        for name, amount in amounts.items():
            into[name] = into.get(name, 0) + amount


def take_deferred_group_days(sync_session: Any) -> dict[tuple[int, date], dict[str, int]]:
    return sync_session.info.pop(_PENDING, None) or {}


def flush_deferred_group_days(sync_session: Any) -> None:
    """The session's before_commit hook (storage/db.py): runs inside the commit's greenlet, so
    it executes synchronously."""
    rows = take_deferred_group_days(sync_session)
    if rows:
        connection = sync_session.connection()
        stmt, src = _add_group_days(connection.dialect.name)
        connection.execute(stmt, src.params(_group_day_params(rows)))


def forget_deferred_group_days(sync_session: Any) -> None:
    take_deferred_group_days(sync_session)


@cache
def _touch(dialect: str) -> Any:
    stmt = insert_for(dialect, _M).values(
        group_id=sa.bindparam("g"),
        user_id=sa.bindparam("u"),
        first_seen_at=sa.bindparam("at", type_=UTCDateTime()),
        last_active_at=sa.bindparam("at", type_=UTCDateTime()),
    )
    latest = stmt.excluded.last_active_at
    return stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"],
        set_={
            "last_active_at": case(
                (
                    sa.or_(_M.c.last_active_at.is_(None), _M.c.last_active_at < latest),
                    latest,
                ),
                else_=_M.c.last_active_at,
            )
        },
    ).returning(*_STATE)


_BACK = (
    update(_M)
    .where(
        _M.c.group_id == sa.bindparam("g"),
        _M.c.user_id == sa.bindparam("u"),
        _M.c.left_at < sa.bindparam("at", type_=UTCDateTime()),
    )
    .values(left_at=None)
)


async def touch_member(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> Any:
    """The member did something at `at`: their row exists (inserted if new), is present
    again if they had left before `at`, and is locked until the commit (PostgreSQL). Returns
    it as it was (FACT_COLUMNS, first_seen_at, left_at)."""
    row = (
        await session.exec(
            _touch(dialect_of(session)), params={"g": group_id, "u": user_id, "at": at}
        )
    ).one()
    if row.left_at is not None and row.left_at < at:
        await session.exec(_BACK, params={"g": group_id, "u": user_id, "at": at})
    return row


async def member_state(session: AsyncSession, group_id: int, user_id: int) -> Any | None:
    """The member's row as the numbers see it, locked until the commit on PostgreSQL."""
    stmt = (
        select(*_STATE).where(_M.c.group_id == group_id, _M.c.user_id == user_id).with_for_update()
    )
    return (await session.exec(stmt)).first()


FACT_PARAMS = [
    ("g", sa.BigInteger()),
    ("u", sa.BigInteger()),
    ("yd", sa.Date()),
    ("yb", sa.BigInteger()),
    ("fc", sa.Date()),
    ("s3", sa.Date()),
    ("s7", sa.Date()),
    ("fr", sa.Date()),
]


@cache
def _set_facts(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet("facts", dialect, FACT_PARAMS)
    stmt = (
        update(_M)
        .where(_M.c.group_id == src.c.g, _M.c.user_id == src.c.u)
        .values(
            active_day=src.c.yd,
            active_bits=src.c.yb,
            first_checkin_day=src.c.fc,
            streak3_day=src.c.s3,
            streak7_day=src.c.s7,
            first_redeem_day=src.c.fr,
        )
    )
    return stmt, src


async def set_facts(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """rows: g, u and the member's facts (yd active_day, yb active_bits, fc first check-in,
    s3 / s7 the days a 3- / 7-day streak was first reached, fr first redemption)."""
    if rows:
        stmt, src = _set_facts(dialect_of(session))
        await session.exec(stmt, params=src.params(sorted(rows, key=lambda r: (r["g"], r["u"]))))


@cache
def _active_days(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "wanted",
        dialect,
        [("g", sa.BigInteger()), ("u", sa.BigInteger()), ("lo", sa.Date()), ("hi", sa.Date())],
    )
    stmt = select(_MD.c.group_id, _MD.c.user_id, _MD.c.day).select_from(
        src.table.join(
            _MD,
            and_(
                _MD.c.group_id == src.c.g,
                _MD.c.user_id == src.c.u,
                _MD.c.day >= src.c.lo,
                _MD.c.day <= src.c.hi,
                _MD.c.active > 0,
            ),
        )
    )
    return stmt, src


async def active_days(
    session: AsyncSession, wanted: Mapping[tuple[int, int], tuple[date, date]]
) -> dict[tuple[int, int], set[date]]:
    """Each member's active days within the range asked for (one statement)."""
    if not wanted:
        return {}
    stmt, src = _active_days(dialect_of(session))
    params = src.params([(g, u, lo, hi) for (g, u), (lo, hi) in wanted.items()])
    found: dict[tuple[int, int], set[date]] = {key: set() for key in wanted}
    for g, u, day in (await session.exec(stmt, params=params)).all():
        found[(g, u)].add(day)
    return found


def member_keys(rows: Iterable[Any]) -> list[tuple[int, int]]:
    return [(r.group_id, r.user_id) for r in rows]


async def set_join_day(session: AsyncSession, group_id: int, user_id: int, day: date) -> None:
    """The member's cohort: the local day of the join just recorded."""
    await session.exec(
        update(_M).where(_M.c.group_id == group_id, _M.c.user_id == user_id).values(join_day=day)
    )
