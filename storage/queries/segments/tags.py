"""Members' tags."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import Member, MemberTag

_T = MemberTag.__table__
_M = Member.__table__


async def of_member(session: AsyncSession, group_id: int, user_id: int) -> list[str]:
    stmt = (
        sa.select(_T.c.tag)
        .where(_T.c.group_id == group_id, _T.c.user_id == user_id)
        .order_by(_T.c.tag)
    )
    return list((await session.exec(stmt)).scalars().all())


async def add(
    session: AsyncSession,
    group_id: int,
    user_id: int,
    tags: Sequence[str],
    actor_id: int,
    at: datetime,
) -> list[str]:
    """Tags given now (those the member had already are left as they were)."""
    if not tags:
        return []
    stmt = (
        upsert(session, _T)
        .values(
            [
                {
                    "group_id": group_id,
                    "user_id": user_id,
                    "tag": tag,
                    "tagged_by": actor_id,
                    "created_at": at,
                }
                for tag in tags
            ]
        )
        .on_conflict_do_nothing()
        .returning(_T.c.tag)
    )
    return list((await session.exec(stmt)).scalars().all())


async def remove(
    session: AsyncSession, group_id: int, user_id: int, tags: Sequence[str]
) -> list[str]:
    """Tags taken away now (those the member did not have are not)."""
    if not tags:
        return []
    stmt = (
        sa.delete(_T)
        .where(_T.c.group_id == group_id, _T.c.user_id == user_id, _T.c.tag.in_(list(tags)))
        .returning(_T.c.tag)
    )
    return list((await session.exec(stmt)).scalars().all())


async def counts(session: AsyncSession, group_id: int, limit: int) -> list[tuple[str, int]]:
    """The group's tags with how many present members have each, most used first."""
    members = sa.func.count()
    stmt = (
        sa.select(_T.c.tag, members)
        .select_from(
            _T.join(_M, sa.and_(_M.c.group_id == _T.c.group_id, _M.c.user_id == _T.c.user_id))
        )
        .where(_T.c.group_id == group_id, _M.c.left_at.is_(None))
        .group_by(_T.c.tag)
        .order_by(members.desc(), _T.c.tag)
        .limit(limit)
    )
    return [(tag, n) for tag, n in (await session.exec(stmt)).all()]


async def distinct_count(session: AsyncSession, group_id: int) -> int:
    stmt = sa.select(sa.func.count(sa.distinct(_T.c.tag))).where(_T.c.group_id == group_id)
    return int((await session.exec(stmt)).scalar_one())


async def existing(session: AsyncSession, group_id: int, tags: Sequence[str]) -> set[str]:
    """Which of `tags` some member of the group has (present or not)."""
    if not tags:
        return set()
    stmt = (
        sa.select(_T.c.tag)
        .where(_T.c.group_id == group_id, _T.c.tag.in_(list(tags)))
        .group_by(_T.c.tag)
    )
    return set((await session.exec(stmt)).scalars().all())


async def by_member(
    session: AsyncSession, group_id: int, user_ids: Sequence[int] | None = None
) -> dict[int, list[str]]:
    """Tags per member (of `user_ids`, or of the whole group), each list sorted."""
    stmt = sa.select(_T.c.user_id, _T.c.tag).where(_T.c.group_id == group_id)
    if user_ids is not None:
        if not user_ids:
            return {}
        stmt = stmt.where(_T.c.user_id.in_(list(user_ids)))
    found: dict[int, list[str]] = {}
    for user_id, tag in (await session.exec(stmt.order_by(_T.c.user_id, _T.c.tag))).all():
        found.setdefault(user_id, []).append(tag)
    return found
