"""The append-only points ledger, and the running week/month totals it feeds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.community import members
from storage.queries.dialect import dialect_of
from storage.queries.rowset import RowSet
from storage.tables import LedgerEntry, Member
from storage.types import UTCDateTime

_L = LedgerEntry.__table__
_M = Member.__table__
_COLUMNS = [
    ("group_id", sa.BigInteger()),
    ("user_id", sa.BigInteger()),
    ("amount", sa.Integer()),
    ("reason", sa.String()),
    ("note", sa.String()),
    ("source", sa.String()),
    ("actor_id", sa.BigInteger()),
    ("idempotency_key", sa.String()),
    ("created_at", UTCDateTime()),
]

# What counts on the week and month boards (deductions do not lower them).
EARNING_REASONS = ("checkin", "streak_bonus", "activity", "admin_grant")
_EARNING = frozenset(EARNING_REASONS)
# What counts as earned for life (levels): the boards' reasons and birthday bonuses. Spending
# (shop_redeem), deductions (admin_deduct) and refunds (shop_refund) never move it.
LIFETIME_REASONS = (*EARNING_REASONS, "birthday_bonus")
_LIFETIME = frozenset(LIFETIME_REASONS)

# (group_id, user_id, lifetime earned before, after) of each member an append moved.
EarnedChange = tuple[int, int, int, int]


@cache
def _append(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet("entries", dialect, _COLUMNS)
    stmt = insert(_L).from_select([c for c, _ in _COLUMNS], select(*src.c))
    return stmt, src


_PERIOD_COLUMNS = [
    ("w", sa.Date()),
    ("wp", sa.Integer()),
    ("m", sa.Date()),
    ("mp", sa.Integer()),
    ("le", sa.BigInteger()),
]
_NO_PERIODS = {"w": None, "wp": 0, "m": None, "mp": 0, "le": 0}
# What the UPDATEs adding to the running totals return: the lifetime total after.
_RETURNING = (_M.c.group_id, _M.c.user_id, _M.c.lifetime_earned)


def _period_values(src: RowSet) -> dict[str, Any]:
    """The SET clause adding earnings of `src` (w/wp: week and points, m/mp: month and points;
    w or m NULL: none; le: lifetime earned) to the members' running totals."""

    def running(start: Any, points: Any, key: Any, earned: Any) -> dict[str, Any]:
        # A later period starts the total again; an earlier one (a late row) is over already.
        later = and_(key.is_not(None), or_(start.is_(None), start < key))
        return {
            start.name: case((later, key), else_=start),
            points.name: case((later, earned), (start == key, points + earned), else_=points),
        }

    return {
        **running(_M.c.week_start, _M.c.week_points, src.c.w, src.c.wp),
        **running(_M.c.month_start, _M.c.month_points, src.c.m, src.c.mp),
        _M.c.lifetime_earned.name: _M.c.lifetime_earned + src.c.le,
    }


@cache
def _add_to_periods(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "periods", dialect, [("g", sa.BigInteger()), ("u", sa.BigInteger()), *_PERIOD_COLUMNS]
    )
    stmt = (
        update(_M)
        .where(_M.c.group_id == src.c.g, _M.c.user_id == src.c.u)
        .values(_period_values(src))
        .returning(*_RETURNING)
    )
    return stmt, src


@cache
def _add_with_progress(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet("progress", dialect, [*members.PROGRESS_COLUMNS, *_PERIOD_COLUMNS])
    stmt = (
        update(_M)
        .where(_M.c.group_id == src.c.g, _M.c.user_id == src.c.u)
        .values({**members.progress_values(src), **_period_values(src)})
        .returning(*_RETURNING)
    )
    return stmt, src


def period_deltas(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per member, what their earning rows add to their latest week and month among the rows
    and to their lifetime earned points (keys g, u, w, wp, m, mp, le)."""
    latest: dict[tuple[int, int], list[Any]] = {}
    for row in rows:
        reason = row["reason"]
        if reason not in _LIFETIME:
            continue
        amount = row["amount"]
        member = (row["group_id"], row["user_id"])
        found = latest.get(member)
        if reason not in _EARNING:  # for life only (a birthday bonus): no board moves
            if found is None:
                latest[member] = [None, 0, None, 0, max(amount, 0)]
            else:
                found[4] += max(amount, 0)
            continue
        week, month = row["week_start"], row["month_start"]
        if found is None:
            latest[member] = [week, amount, month, amount, max(amount, 0)]
            continue
        found[4] += max(amount, 0)
        for index, key in ((0, week), (2, month)):
            if found[index] is None or key > found[index]:
                found[index], found[index + 1] = key, amount
            elif key == found[index]:
                found[index + 1] += amount
    return [
        {"g": g, "u": u, "w": w, "wp": wp, "m": m, "mp": mp, "le": le}
        for (g, u), (w, wp, m, mp, le) in latest.items()
    ]


def _changes(found: Any, deltas: dict[tuple[int, int], int]) -> list[EarnedChange]:
    changes = []
    for g, u, after in found:
        added = deltas.get((g, u), 0)
        if added:
            changes.append((int(g), int(u), int(after) - added, int(after)))
    return changes


async def append(
    session: AsyncSession,
    rows: Sequence[dict[str, Any]],
    progress: Sequence[dict[str, Any]] = (),
) -> list[EarnedChange]:
    """rows: group_id, user_id, amount, reason, note, source, actor_id, idempotency_key,
    created_at; an earning row (EARNING_REASONS) also week_start and month_start, the local
    week and month of its created_at in the group's calendar (core.calendar.period_starts).

    The members' running week and month totals and their lifetime earned points move in the
    same transaction, so the boards and levels read them instead of summing the ledger.
    progress: the batch writer's rows for members.apply_progress, written in the same UPDATE of
    member (one per member; every member with an earning row must have one).

    Returns (group_id, user_id, lifetime earned before, after) of each member whose lifetime
    earned points moved, from that UPDATE's RETURNING (no query of its own): a level crossed
    is seen there.
    """
    dialect = dialect_of(session)
    if rows:
        stmt, src = _append(dialect)
        await session.exec(stmt, params=src.params(rows))
    deltas = period_deltas(rows)
    if progress:
        periods = {(d["g"], d["u"]): d for d in deltas}
        both = [{**p, **periods.pop((p["g"], p["u"]), _NO_PERIODS)} for p in progress]
        if periods:
            raise ValueError(f"earning rows of members without progress: {sorted(periods)}")
        stmt, src = _add_with_progress(dialect)
        found = (await session.exec(stmt, params=src.params(both))).all()
        return _changes(found, {(d["g"], d["u"]): d["le"] for d in both if d["le"]})
    if deltas:
        stmt, src = _add_to_periods(dialect)
        found = (await session.exec(stmt, params=src.params(deltas))).all()
        return _changes(found, {(d["g"], d["u"]): d["le"] for d in deltas if d["le"]})
    return []


async def latest_earnings(
    session: AsyncSession, group_id: int, spans: Sequence[tuple[datetime, datetime]]
) -> list[tuple[int, datetime]]:
    """(user_id, time of their latest earning row) for the group's members who earned anything
    within one of `spans` ([start, end) instants): one walk of the rows since the first span."""
    within = or_(*(and_(_L.c.created_at >= a, _L.c.created_at < b) for a, b in spans))
    stmt = (
        select(_L.c.user_id, func.max(_L.c.created_at))
        .where(
            _L.c.group_id == group_id,
            _L.c.created_at >= min(a for a, _ in spans),
            _L.c.reason.in_(EARNING_REASONS),
        )
        .group_by(_L.c.user_id)
        .having(func.max(case((within, 1), else_=0)) == 1)
    )
    return [(int(u), at) for u, at in (await session.exec(stmt)).all()]


@cache
def _recount(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "recount",
        dialect,
        [
            ("g", sa.BigInteger()),
            ("u", sa.BigInteger()),
            ("w", sa.Date()),
            ("ws", UTCDateTime()),
            ("m", sa.Date()),
            ("ms", UTCDateTime()),
        ],
    )

    def earned_since(start: Any) -> Any:
        return func.sum(case((_L.c.created_at >= start, _L.c.amount), else_=0))

    # By member only (ix_ledger_group_user): with a time bound too, SQLite without statistics
    # walks the group's recent rows for every member instead.
    earned = and_(
        _L.c.group_id == src.c.g, _L.c.user_id == src.c.u, _L.c.reason.in_(EARNING_REASONS)
    )
    sums = (
        select(
            src.c.g,
            src.c.u,
            src.c.w,
            src.c.m,
            earned_since(src.c.ws).label("wp"),
            earned_since(src.c.ms).label("mp"),
        )
        .select_from(src.table.join(_L, earned))
        .group_by(src.c.g, src.c.u, src.c.w, src.c.m)
        .subquery("sums")
    )
    stmt = (
        update(_M)
        .where(_M.c.group_id == sums.c.g, _M.c.user_id == sums.c.u)
        .values(
            week_start=sums.c.w,
            week_points=sums.c.wp,
            month_start=sums.c.m,
            month_points=sums.c.mp,
        )
    )
    return stmt, src


async def recount_periods(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Set members' running totals from the ledger. rows: g, u (the member), w and m (the
    week and month to total), ws and ms (the instants they began); the member's latest
    earning row must lie in both periods."""
    if rows:
        stmt, src = _recount(dialect_of(session))
        await session.exec(stmt, params=src.params(rows))
