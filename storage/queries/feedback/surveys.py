"""Surveys and their answers (queries never commit)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import Survey, SurveyAnswer

_S = Survey.__table__
_A = SurveyAnswer.__table__


async def insert(session: AsyncSession, **values: Any) -> int:
    stmt = sa.insert(_S).values(**values).returning(_S.c.id)
    return int((await session.exec(stmt)).scalar_one())


async def get(session: AsyncSession, survey_id: int) -> Any | None:
    return (await session.exec(sa.select(_S).where(_S.c.id == survey_id))).first()


async def by_number(session: AsyncSession, group_id: int, number: int) -> Any | None:
    stmt = sa.select(_S).where(_S.c.group_id == group_id, _S.c.number == number)
    return (await session.exec(stmt)).first()


async def close(session: AsyncSession, survey_id: int, at: datetime) -> None:
    await session.exec(
        sa.update(_S).where(_S.c.id == survey_id, _S.c.closed_at.is_(None)).values(closed_at=at)
    )


async def put_answer(
    session: AsyncSession, survey_id: int, user_id: int, score: int, at: datetime
) -> None:
    """The member's answer; a second press replaces the score."""
    stmt = upsert(session, _A).values(
        survey_id=survey_id, user_id=user_id, score=score, answered_at=at
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["survey_id", "user_id"],
        set_={"score": stmt.excluded.score, "answered_at": stmt.excluded.answered_at},
    )
    await session.exec(stmt)


async def distribution(session: AsyncSession, survey_id: int) -> dict[int, int]:
    stmt = (
        sa.select(_A.c.score, sa.func.count())
        .where(_A.c.survey_id == survey_id)
        .group_by(_A.c.score)
    )
    return {int(score): int(n) for score, n in (await session.exec(stmt)).all()}


async def count(session: AsyncSession, survey_id: int) -> int:
    stmt = sa.select(sa.func.count()).select_from(_A).where(_A.c.survey_id == survey_id)
    return int((await session.exec(stmt)).scalar_one())


async def answer_rows(session: AsyncSession, survey_id: int) -> AsyncIterator[Any]:
    stmt = sa.select(_A).where(_A.c.survey_id == survey_id).order_by(_A.c.user_id)
    for row in (await session.exec(stmt)).all():  # one survey's answers: a group's members
        yield row


async def mark_followup(session: AsyncSession, survey_id: int, user_id: int, at: datetime) -> bool:
    """Record that the member is asked "why?" now; False if they were asked before."""
    stmt = (
        sa.update(_A)
        .where(_A.c.survey_id == survey_id, _A.c.user_id == user_id, _A.c.followup_at.is_(None))
        .values(followup_at=at)
    )
    return bool((await session.exec(stmt)).rowcount)


async def set_message(session: AsyncSession, survey_id: int, message_id: int) -> None:
    await session.exec(sa.update(_S).where(_S.c.id == survey_id).values(message_id=message_id))


async def due(
    session: AsyncSession, now: datetime, limit: int = 100
) -> list[tuple[int, datetime]]:
    """Open surveys whose closing time has come (the partial index ix_survey_closes_at)."""
    stmt = (
        sa.select(_S.c.id, _S.c.closes_at)
        .where(_S.c.closed_at.is_(None), _S.c.closes_at.is_not(None), _S.c.closes_at <= now)
        .order_by(_S.c.closes_at)
        .limit(limit)
    )
    return [(int(i), at) for i, at in (await session.exec(stmt)).all()]


async def recent(session: AsyncSession, group_id: int, limit: int) -> list[Any]:
    stmt = sa.select(_S).where(_S.c.group_id == group_id).order_by(_S.c.id.desc()).limit(limit)
    return list((await session.exec(stmt)).all())
