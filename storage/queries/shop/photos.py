"""The guided add flow's photo step: the bot's prompt asking for a reward's photo."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import RewardPhotoPrompt

_P = RewardPhotoPrompt.__table__


async def put_prompt(
    session: AsyncSession, group_id: int, message_id: int, number: int, by: int, at: datetime
) -> None:
    stmt = upsert(session, _P).values(
        group_id=group_id, message_id=message_id, number=number, created_by=by, created_at=at
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "message_id"],
        set_={"number": number, "created_by": by, "created_at": at},
    )
    await session.exec(stmt)


async def take_prompt(
    session: AsyncSession, group_id: int, message_id: int, since: datetime
) -> int | None:
    """The reward number the prompt asked a photo for (once: the prompt is gone after), if it
    was asked since `since`."""
    stmt = (
        delete(_P)
        .where(_P.c.group_id == group_id, _P.c.message_id == message_id)
        .returning(_P.c.number, _P.c.created_at)
    )
    found = (await session.exec(stmt)).first()
    if found is None or found.created_at < since:
        return None
    return int(found.number)


async def drop_prompt(session: AsyncSession, group_id: int, message_id: int) -> None:
    await session.exec(delete(_P).where(_P.c.group_id == group_id, _P.c.message_id == message_id))


async def prune(session: AsyncSession, before: datetime) -> None:
    await session.exec(delete(_P).where(_P.c.created_at < before))
