"""Native polls and their votes (queries never commit)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import Poll, PollVote

_P = Poll.__table__
_V = PollVote.__table__


async def insert(session: AsyncSession, **values: Any) -> int:
    return int(
        (await session.exec(sa.insert(_P).values(**values).returning(_P.c.id))).scalar_one()
    )


async def set_sent(session: AsyncSession, poll_id: int, tg_poll_id: str, message_id: int) -> None:
    await session.exec(
        sa.update(_P)
        .where(_P.c.id == poll_id)
        .values(tg_poll_id=tg_poll_id, message_id=message_id)
    )


async def by_tg_id(session: AsyncSession, tg_poll_id: str) -> Any | None:
    return (await session.exec(sa.select(_P).where(_P.c.tg_poll_id == tg_poll_id))).first()


async def by_number(session: AsyncSession, group_id: int, number: int) -> Any | None:
    stmt = sa.select(_P).where(_P.c.group_id == group_id, _P.c.number == number)
    return (await session.exec(stmt)).first()


async def close(session: AsyncSession, poll_id: int, at: datetime) -> None:
    await session.exec(
        sa.update(_P).where(_P.c.id == poll_id, _P.c.closed_at.is_(None)).values(closed_at=at)
    )


async def put_vote(
    session: AsyncSession, poll_id: int, user_id: int, option_ids: str, at: datetime
) -> None:
    stmt = upsert(session, _V).values(
        poll_id=poll_id, user_id=user_id, option_ids=option_ids, answered_at=at
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["poll_id", "user_id"],
        set_={"option_ids": stmt.excluded.option_ids, "answered_at": stmt.excluded.answered_at},
    )
    await session.exec(stmt)


async def drop_vote(session: AsyncSession, poll_id: int, user_id: int) -> None:
    await session.exec(sa.delete(_V).where(_V.c.poll_id == poll_id, _V.c.user_id == user_id))


async def votes(session: AsyncSession, poll_id: int) -> list[Any]:
    stmt = sa.select(_V.c.user_id, _V.c.option_ids).where(_V.c.poll_id == poll_id)
    return list((await session.exec(stmt)).all())
