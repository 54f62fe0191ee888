"""Redemptions and badges."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, insert_for
from storage.queries.rowset import RowSet
from storage.tables import LedgerEntry, Member, MemberBadge, Redemption, TgUser
from storage.types import UTCDateTime

_D = Redemption.__table__
_B = MemberBadge.__table__
_M = Member.__table__
_L = LedgerEntry.__table__


async def lock_member(session: AsyncSession, group_id: int, user_id: int) -> Member | None:
    """The member row, locked until the transaction ends on PostgreSQL (one redemption of a
    member at a time; SQLite has one writer anyway)."""
    stmt = (
        select(Member)
        .where(Member.group_id == group_id, Member.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(stmt)).scalars().first()


async def by_request(session: AsyncSession, request_key: str) -> Redemption | None:
    stmt = select(Redemption).where(Redemption.request_key == request_key)
    return (await session.exec(stmt)).scalars().first()


async def by_token(session: AsyncSession, token: str) -> Redemption | None:
    stmt = select(Redemption).where(Redemption.claim_token == token)
    return (await session.exec(stmt)).scalars().first()


async def get(session: AsyncSession, redemption_id: int) -> Redemption | None:
    return await session.get(Redemption, redemption_id)


async def count_for_member(
    session: AsyncSession, group_id: int, user_id: int, reward_id: int
) -> int:
    stmt = select(func.count()).where(
        _D.c.group_id == group_id,
        _D.c.user_id == user_id,
        _D.c.reward_id == reward_id,
        _D.c.status != "rejected",
    )
    return int((await session.exec(stmt)).scalar_one())


async def counts_for_member(session: AsyncSession, group_id: int, user_id: int) -> dict[int, int]:
    stmt = (
        select(_D.c.reward_id, func.count())
        .where(_D.c.group_id == group_id, _D.c.user_id == user_id, _D.c.status != "rejected")
        .group_by(_D.c.reward_id)
    )
    return {int(r): int(n) for r, n in (await session.exec(stmt)).all()}


async def add(session: AsyncSession, values: dict[str, Any]) -> Redemption:
    redemption = Redemption(**values)
    session.add(redemption)
    await session.flush()
    return redemption


async def decide(
    session: AsyncSession,
    redemption_id: int,
    status: str,
    by: int,
    reason: str | None,
    at: datetime,
) -> bool:
    """pending -> status, atomically: False if it was decided already."""
    stmt = (
        update(_D)
        .where(_D.c.id == redemption_id, _D.c.status == "pending")
        .values(status=status, decided_by=by, reason=reason, decided_at=at)
        .returning(_D.c.id)
    )
    return (await session.exec(stmt)).first() is not None


async def pending(
    session: AsyncSession, group_ids: Sequence[int], limit: int = 20
) -> list[Redemption]:
    if not group_ids:
        return []
    stmt = (
        select(Redemption)
        .where(Redemption.group_id.in_(list(group_ids)), Redemption.status == "pending")  # type: ignore[attr-defined]
        .order_by(Redemption.id)
        .limit(limit)
    )
    return list((await session.exec(stmt)).scalars().all())


async def for_member(
    session: AsyncSession, user_id: int, group_id: int | None = None, limit: int = 20
) -> list[Redemption]:
    stmt = select(Redemption).where(Redemption.user_id == user_id)
    if group_id is not None:
        stmt = stmt.where(Redemption.group_id == group_id)
    stmt = stmt.order_by(Redemption.id.desc()).limit(limit)  # type: ignore[union-attr]
    return list((await session.exec(stmt)).scalars().all())


async def all_for_group(session: AsyncSession, group_id: int) -> list[Redemption]:
    stmt = select(Redemption).where(Redemption.group_id == group_id).order_by(Redemption.id)
    return list((await session.exec(stmt)).scalars().all())


async def groups_with_pending(session: AsyncSession, group_ids: Sequence[int]) -> list[int]:
    if not group_ids:
        return []
    stmt = (
        select(_D.c.group_id)
        .where(_D.c.group_id.in_(list(group_ids)), _D.c.status == "pending")
        .distinct()
    )
    return [int(g) for g in (await session.exec(stmt)).scalars().all()]


async def member_groups(session: AsyncSession, user_id: int) -> list[int]:
    stmt = select(_M.c.group_id).where(_M.c.user_id == user_id, _M.c.left_at.is_(None))
    return [int(g) for g in (await session.exec(stmt)).scalars().all()]


@cache
def _award_badges(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "badges",
        dialect,
        [
            ("group_id", sa.BigInteger()),
            ("user_id", sa.BigInteger()),
            ("badge", sa.String()),
            ("awarded_at", UTCDateTime()),
        ],
    )
    stmt = (
        insert_for(dialect, _B)
        .from_select([c.name for c in src.c], select(*src.c).where(sa.true()))
        .on_conflict_do_nothing(index_elements=["group_id", "user_id", "badge"])
        .returning(_B.c.group_id, _B.c.user_id, _B.c.badge)
    )
    return stmt, src


async def award_badges(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> list[tuple[int, int, str]]:
    """rows: group_id, user_id, badge, awarded_at; those not held yet are awarded (returned).

    The rows are bound as one parameter (a RowSet): a check-in batch awards its badges in one
    statement compiled once, whatever the number of rows."""
    if not rows:
        return []
    stmt, src = _award_badges(dialect_of(session))
    found = (await session.exec(stmt, params=src.params(rows))).all()
    return [(int(g), int(u), str(b)) for g, u, b in found]


async def badges_of(session: AsyncSession, group_id: int, user_id: int) -> list[str]:
    stmt = (
        select(_B.c.badge)
        .where(_B.c.group_id == group_id, _B.c.user_id == user_id)
        .order_by(_B.c.awarded_at, _B.c.badge)
    )
    return [str(b) for b in (await session.exec(stmt)).scalars().all()]


async def lifetime_earned_by_member(session: AsyncSession, group_id: int) -> dict[int, int]:
    """Every member's lifetime earned points (the running total on the member row)."""
    stmt = select(_M.c.user_id, _M.c.lifetime_earned).where(_M.c.group_id == group_id)
    return {int(u): int(n or 0) for u, n in (await session.exec(stmt)).all()}


async def badges_by_member(session: AsyncSession, group_id: int) -> dict[int, list[str]]:
    stmt = (
        select(_B.c.user_id, _B.c.badge)
        .where(_B.c.group_id == group_id)
        .order_by(_B.c.user_id, _B.c.awarded_at, _B.c.badge)
    )
    found: dict[int, list[str]] = {}
    for u, b in (await session.exec(stmt)).all():
        found.setdefault(int(u), []).append(str(b))
    return found


async def redemption_rows(session: AsyncSession, group_id: int, chunk: int = 1000):  # type: ignore[no-untyped-def]
    last = 0
    while True:
        stmt = (
            select(_D)
            .where(_D.c.group_id == group_id, _D.c.id > last)
            .order_by(_D.c.id)
            .limit(chunk)
        )
        rows = (await session.exec(stmt)).all()
        for row in rows:
            yield row
        if len(rows) < chunk:
            return
        last = rows[-1].id


async def started_users(session: AsyncSession, user_ids: Sequence[int]) -> list[int]:
    """Those of the users who started the bot in private and have not blocked it."""
    if not user_ids:
        return []
    u = TgUser.__table__
    stmt = select(u.c.id).where(
        u.c.id.in_(list(user_ids)), u.c.started_at.is_not(None), u.c.blocked_at.is_(None)
    )
    return [int(i) for i in (await session.exec(stmt)).scalars().all()]


async def active_group_ids(session: AsyncSession) -> list[int]:
    from storage.tables import ChatGroup

    g = ChatGroup.__table__
    stmt = select(g.c.id).where(g.c.is_active.is_(True)).order_by(g.c.id)
    return [int(i) for i in (await session.exec(stmt)).scalars().all()]


async def top_earners(
    session: AsyncSession,
    group_id: int,
    start: datetime,
    end: datetime,
    reasons: Sequence[str],
    limit: int = 3,
) -> list[tuple[int, int]]:
    """(user_id, points earned in [start, end)) of the group's present members, best first."""
    total = func.sum(_L.c.amount).label("total")
    stmt = (
        select(_L.c.user_id, total)
        .select_from(
            _L.join(_M, (_M.c.group_id == _L.c.group_id) & (_M.c.user_id == _L.c.user_id))
        )
        .where(
            _L.c.group_id == group_id,
            _L.c.created_at >= start,
            _L.c.created_at < end,
            _L.c.reason.in_(list(reasons)),
            _M.c.left_at.is_(None),
        )
        .group_by(_L.c.user_id)
        .having(func.sum(_L.c.amount) > 0)
        .order_by(total.desc(), _L.c.user_id)
        .limit(limit)
    )
    return [(int(u), int(n)) for u, n in (await session.exec(stmt)).all()]
