"""Members' birthdays (queries never commit)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import LedgerEntry, Member, MemberBirthday, TgUser

_B = MemberBirthday.__table__
_M = Member.__table__
_U = TgUser.__table__
_L = LedgerEntry.__table__


async def get(session: AsyncSession, user_id: int) -> tuple[int, int] | None:
    row = (
        await session.exec(sa.select(_B.c.month, _B.c.day).where(_B.c.user_id == user_id))
    ).first()
    return (row.month, row.day) if row is not None else None


async def put(session: AsyncSession, user_id: int, month: int, day: int, at: datetime) -> None:
    values = {"month": month, "day": day, "updated_at": at}
    await session.exec(
        upsert(session, _B)
        .values(user_id=user_id, **values)
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
    )


async def remove(session: AsyncSession, user_id: int) -> bool:
    return bool((await session.exec(sa.delete(_B).where(_B.c.user_id == user_id))).rowcount)


async def celebrants(
    session: AsyncSession, group_id: int, days: list[tuple[int, int]], limit: int = 50
) -> list[tuple[int, str]]:
    """(user id, name) of the group's present members whose birthday is one of `days`."""
    on_day = sa.or_(*[sa.and_(_B.c.month == m, _B.c.day == d) for m, d in days])
    stmt = (
        sa.select(_B.c.user_id, _U.c.display_name)
        .select_from(_B.join(_M, _M.c.user_id == _B.c.user_id).join(_U, _U.c.id == _B.c.user_id))
        .where(_M.c.group_id == group_id, _M.c.left_at.is_(None), on_day)
        .order_by(_B.c.user_id)
        .limit(limit)
    )
    return [(r.user_id, r.display_name) for r in (await session.exec(stmt)).all()]


async def anniversaries(
    session: AsyncSession,
    group_id: int,
    windows: list[tuple[int, datetime, datetime]],
    limit: int = 50,
) -> list[tuple[int, str, int]]:
    """(user id, name, years) of present members who joined within one of `windows`
    ((years ago, start, end): that local day in an earlier year, as UTC instants)."""
    if not windows:
        return []
    years = sa.case(
        *[
            (sa.and_(_M.c.joined_at >= start, _M.c.joined_at < end), n)
            for n, start, end in windows
        ],
        else_=0,
    )
    stmt = (
        sa.select(_M.c.user_id, _U.c.display_name, years.label("years"))
        .select_from(_M.join(_U, _U.c.id == _M.c.user_id))
        .where(
            _M.c.group_id == group_id,
            _M.c.left_at.is_(None),
            sa.or_(*[sa.and_(_M.c.joined_at >= s, _M.c.joined_at < e) for _, s, e in windows]),
        )
        .order_by(_M.c.joined_at)
        .limit(limit)
    )
    return [(r.user_id, r.display_name, int(r.years)) for r in (await session.exec(stmt)).all()]


async def ledger_keys(session: AsyncSession, keys: list[str]) -> set[str]:
    """Those of `keys` the ledger has already."""
    if not keys:
        return set()
    stmt = sa.select(_L.c.idempotency_key).where(_L.c.idempotency_key.in_(keys))
    return set((await session.exec(stmt)).scalars().all())
