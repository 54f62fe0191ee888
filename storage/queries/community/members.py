"""Users and group members."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import bindparam, func, select, update
from sqlmodel import select as sqlmodel_select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, insert_for, upsert
from storage.queries.rowset import RowSet
from storage.tables import Member, TgUser
from storage.types import UTCDateTime

_U = TgUser.__table__
_M = Member.__table__


@cache
def _upsert_users(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "users",
        dialect,
        [
            ("id", sa.BigInteger()),
            ("username", sa.String()),
            ("display_name", sa.String()),
            ("language_code", sa.String()),
        ],
    )
    stmt = insert_for(dialect, _U).from_select(
        ["id", "username", "display_name", "language_code"], select(*src.c).where(sa.true())
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "username": stmt.excluded.username,
            "display_name": stmt.excluded.display_name,
            "language_code": stmt.excluded.language_code,
        },
    )
    return stmt, src


async def upsert_users(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """rows: id, username, display_name, language_code (one row per id)."""
    if not rows:
        return
    stmt, src = _upsert_users(dialect_of(session))
    await session.exec(stmt, params=src.params(rows))


# What the check-in and activity rules need to know about a member (keys included).
_PROGRESS_COLUMNS = [
    _M.c[name]
    for name in (
        "group_id",
        "user_id",
        "points",
        "streak",
        "best_streak",
        "checkins",
        "last_checkin_day",
        "activity_day",
        "activity_today",
        "activity_last_at",
    )
]


# What the numbers need (core.analytics.recording.Facts) and whether the row is new or was away.
_ANALYTICS_COLUMNS = [
    _M.c[name]
    for name in (
        "left_at",
        "first_seen_at",
        "joined_at",
        "join_day",
        "active_day",
        "active_bits",
        "first_checkin_day",
        "streak3_day",
        "streak7_day",
        "first_redeem_day",
    )
]


@cache
def _touch(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "seen",
        dialect,
        [("group_id", sa.BigInteger()), ("user_id", sa.BigInteger()), ("at", UTCDateTime())],
    )
    seen = select(
        src.c.group_id,
        src.c.user_id,
        src.c.at.label("first_seen_at"),
        src.c.at.label("last_active_at"),
    ).where(sa.true())
    stmt = insert_for(dialect, _M).from_select(
        ["group_id", "user_id", "first_seen_at", "last_active_at"], seen
    )
    # left_at is not assigned here: SQLite rewrites every index whose WHERE mentions a column
    # assigned (the board indexes are partial on left_at), whatever its value.
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"],
        set_={"last_active_at": stmt.excluded.last_active_at},
    ).returning(*_PROGRESS_COLUMNS, *_ANALYTICS_COLUMNS)
    return stmt, src


_BACK = (
    update(_M)
    .where(
        _M.c.group_id == bindparam("g"),
        _M.c.user_id == bindparam("u"),
        _M.c.left_at < bindparam("at", type_=UTCDateTime()),
    )
    .values(left_at=None)
)


async def touch_members(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Insert or refresh members seen speaking (rows: group_id, user_id, at; one per member);
    returns their running totals (_PROGRESS_COLUMNS, and _ANALYTICS_COLUMNS as they were).

    A member who speaks is in the group, so a stale left_at is cleared, but only by a message
    sent after the leave: a ban and the banned member's last message can be written in either
    order.
    """
    if not rows:
        return []
    stmt, src = _touch(dialect_of(session))
    found = list((await session.exec(stmt, params=src.params(rows))).all())
    spoke = {(r["group_id"], r["user_id"]): r["at"] for r in rows}
    back = [
        {"g": r.group_id, "u": r.user_id, "at": spoke[(r.group_id, r.user_id)]}
        for r in found
        if r.left_at is not None and r.left_at < spoke[(r.group_id, r.user_id)]
    ]
    if back:  # rare: members who left and speak again (the row is locked since the upsert)
        await session.exec(_BACK, params=back)
    return found


# A member's check-in/activity progress, one row per member (see apply_progress).
PROGRESS_COLUMNS = [
    ("g", sa.BigInteger()),
    ("u", sa.BigInteger()),
    ("delta", sa.Integer()),
    ("streak", sa.Integer()),
    ("best", sa.Integer()),
    ("dc", sa.Integer()),
    ("lcd", sa.Date()),
    ("ad", sa.Date()),
    ("at", sa.Integer()),
    ("alast", UTCDateTime()),
    # The analytics facts (core.analytics.recording.Facts): active_day, active_bits, the first
    # check-in and the first 3- and 7-day streaks.
    ("yd", sa.Date()),
    ("yb", sa.BigInteger()),
    ("fc", sa.Date()),
    ("s3", sa.Date()),
    ("s7", sa.Date()),
]


def progress_values(src: RowSet) -> dict[str, Any]:
    """The SET clause writing progress rows of `src` (a RowSet with PROGRESS_COLUMNS) to the
    member rows WHERE group_id = src.g AND user_id = src.u."""
    return {
        "points": _M.c.points + src.c.delta,
        "streak": src.c.streak,
        "best_streak": src.c.best,
        "checkins": _M.c.checkins + src.c.dc,
        "last_checkin_day": src.c.lcd,
        "activity_day": src.c.ad,
        "activity_today": src.c.at,
        "activity_last_at": src.c.alast,
        "active_day": src.c.yd,
        "active_bits": src.c.yb,
        "first_checkin_day": src.c.fc,
        "streak3_day": src.c.s3,
        "streak7_day": src.c.s7,
    }


@cache
def _apply(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet("progress", dialect, PROGRESS_COLUMNS)
    stmt = (
        update(_M)
        .where(_M.c.group_id == src.c.g, _M.c.user_id == src.c.u)
        .values(progress_values(src))
    )
    return stmt, src


async def apply_progress(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Write check-in/activity progress (keys: g,u,delta,streak,best,dc,lcd,ad,at,alast and
    the analytics facts yd,yb,fc,s3,s7; one row per member). With ledger rows, ledger.append(rows, progress=...) writes both in
    one UPDATE."""
    if rows:
        stmt, src = _apply(dialect_of(session))
        await session.exec(stmt, params=src.params(rows))


async def presence(session: AsyncSession, group_id: int, user_id: int) -> tuple[bool, bool]:
    """(present, present with a join recorded) of the member's row now; locked until the
    commit on PostgreSQL, so the change that follows is judged against what it changes."""
    stmt = (
        select(_M.c.left_at, _M.c.joined_at)
        .where(_M.c.group_id == group_id, _M.c.user_id == user_id)
        .with_for_update()
    )
    row = (await session.exec(stmt)).first()
    if row is None or row.left_at is not None:
        return False, False
    return True, row.joined_at is not None


async def mark_joined(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> None:
    stmt = upsert(session, _M).values(
        group_id=group_id, user_id=user_id, first_seen_at=at, joined_at=at
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"], set_={"joined_at": at, "left_at": None}
    )
    await session.exec(stmt)


async def mark_left(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> None:
    stmt = upsert(session, _M).values(
        group_id=group_id, user_id=user_id, first_seen_at=at, left_at=at
    )
    stmt = stmt.on_conflict_do_update(index_elements=["group_id", "user_id"], set_={"left_at": at})
    await session.exec(stmt)


async def get_member(session: AsyncSession, group_id: int, user_id: int) -> Member | None:
    return await session.get(Member, (group_id, user_id))


async def get_user(session: AsyncSession, user_id: int) -> TgUser | None:
    return await session.get(TgUser, user_id)


async def find_user_by_username(session: AsyncSession, username: str) -> TgUser | None:
    stmt = sqlmodel_select(TgUser).where(func.lower(TgUser.username) == username.lower()).limit(1)
    return (await session.exec(stmt)).first()


async def credit(session: AsyncSession, group_id: int, user_id: int, amount: int) -> int:
    stmt = (
        update(_M)
        .where(_M.c.group_id == group_id, _M.c.user_id == user_id)
        .values(points=_M.c.points + amount)
        .returning(_M.c.points)
    )
    return (await session.exec(stmt)).scalar_one()


async def debit(session: AsyncSession, group_id: int, user_id: int, amount: int) -> int | None:
    """Take points only if the balance covers them (atomic); None when it does not."""
    stmt = (
        update(_M)
        .where(_M.c.group_id == group_id, _M.c.user_id == user_id, _M.c.points >= amount)
        .values(points=_M.c.points - amount)
        .returning(_M.c.points)
    )
    return (await session.exec(stmt)).scalar_one_or_none()


async def set_user_started(session: AsyncSession, user_id: int, at: datetime) -> None:
    stmt = upsert(session, _U).values(id=user_id, display_name="", started_at=at)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"], set_={"started_at": at, "blocked_at": None}
    )
    await session.exec(stmt)


async def set_user_blocked(session: AsyncSession, user_id: int, at: datetime) -> None:
    """Only someone who started the bot can block it: Telegram answers 403 as well to a private
    message for someone who never did ("can't initiate conversation"), which changes nothing."""
    stmt = update(_U).where(_U.c.id == user_id, _U.c.started_at.is_not(None)).values(blocked_at=at)
    await session.exec(stmt)


async def ensure_member(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> bool:
    """The member exists and is present (they were just seen in the chat); True if they were
    not present before."""
    was_present, _ = await presence(session, group_id, user_id)
    stmt = upsert(session, _M).values(group_id=group_id, user_id=user_id, first_seen_at=at)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"], set_={"left_at": None}
    )
    await session.exec(stmt)
    return not was_present
