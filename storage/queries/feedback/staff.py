"""Staff chats of groups and the forum topic of each item (queries never commit)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import FeedbackStaffChat, FeedbackTopic

_S = FeedbackStaffChat.__table__
_T = FeedbackTopic.__table__


async def link(
    session: AsyncSession, group_id: int, staff_chat_id: int, actor_id: int, at: datetime
) -> None:
    stmt = upsert(session, _S).values(
        group_id=group_id, staff_chat_id=staff_chat_id, linked_by=actor_id, linked_at=at
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id"],
        set_={
            "staff_chat_id": stmt.excluded.staff_chat_id,
            "linked_by": stmt.excluded.linked_by,
            "linked_at": stmt.excluded.linked_at,
        },
    )
    await session.exec(stmt)


async def staff_chat_of(session: AsyncSession, group_id: int) -> int | None:
    stmt = sa.select(_S.c.staff_chat_id).where(_S.c.group_id == group_id)
    return (await session.exec(stmt)).scalar_one_or_none()


async def is_staff_chat(session: AsyncSession, chat_id: int) -> bool:
    stmt = sa.select(sa.literal(1)).where(_S.c.staff_chat_id == chat_id).limit(1)
    return (await session.exec(stmt)).first() is not None


async def save_topic(session: AsyncSession, item_id: int, chat_id: int, thread_id: int) -> None:
    stmt = upsert(session, _T).values(item_id=item_id, chat_id=chat_id, thread_id=thread_id)
    await session.exec(stmt.on_conflict_do_nothing())


async def topic_of(session: AsyncSession, item_id: int) -> tuple[int, int] | None:
    stmt = sa.select(_T.c.chat_id, _T.c.thread_id).where(_T.c.item_id == item_id)
    row = (await session.exec(stmt)).first()
    return None if row is None else (int(row.chat_id), int(row.thread_id))


async def item_of_topic(session: AsyncSession, chat_id: int, thread_id: int) -> int | None:
    stmt = sa.select(_T.c.item_id).where(_T.c.chat_id == chat_id, _T.c.thread_id == thread_id)
    return (await session.exec(stmt)).scalar_one_or_none()
