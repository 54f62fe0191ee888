"""Onboarding questions, join requests with their answers, members' fields (queries never
commit)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import (
    JoinRequest,
    MemberField,
    OnboardingAnswer,
    OnboardingPrompt,
    OnboardingQuestion,
    TgUser,
)

_Q = OnboardingQuestion.__table__
_R = JoinRequest.__table__
_A = OnboardingAnswer.__table__
_F = MemberField.__table__
_P = OnboardingPrompt.__table__
_U = TgUser.__table__

# ---- questions -----------------------------------------------------------------------------


async def questions(session: AsyncSession, group_id: int) -> list[Any]:
    stmt = sa.select(_Q).where(_Q.c.group_id == group_id).order_by(_Q.c.position, _Q.c.id)
    return list((await session.exec(stmt)).all())


async def add_question(session: AsyncSession, **values: Any) -> None:
    await session.exec(sa.insert(_Q).values(**values))


async def delete_question(session: AsyncSession, question_id: int) -> None:
    await session.exec(sa.delete(_Q).where(_Q.c.id == question_id))


async def set_positions(session: AsyncSession, ids_in_order: Sequence[int]) -> None:
    for position, question_id in enumerate(ids_in_order):
        await session.exec(sa.update(_Q).where(_Q.c.id == question_id).values(position=position))


# ---- join requests ---------------------------------------------------------------------------


async def add_request(session: AsyncSession, **values: Any) -> int:
    stmt = sa.insert(_R).values(**values).returning(_R.c.id)
    return int((await session.exec(stmt)).scalar_one())


async def request(session: AsyncSession, request_id: int) -> Any | None:
    return (await session.exec(sa.select(_R).where(_R.c.id == request_id))).first()


async def open_requests(
    session: AsyncSession, group_id: int, user_id: int, open_states: Sequence[str]
) -> list[Any]:
    stmt = sa.select(_R).where(
        _R.c.user_id == user_id, _R.c.status.in_(open_states), _R.c.group_id == group_id
    )
    return list((await session.exec(stmt)).all())


async def asking(session: AsyncSession, user_id: int) -> list[Any]:
    """The user's questionnaires under way (any group), latest first."""
    stmt = (
        sa.select(_R)
        .where(_R.c.user_id == user_id, _R.c.status == "asking")
        .order_by(_R.c.requested_at.desc())
    )
    return list((await session.exec(stmt)).all())


async def advance(
    session: AsyncSession, request_id: int, step: int, *, finished: bool, at: datetime
) -> bool:
    """From `step` to the next (or to answered): only if the request is still at `step` (a
    double press or a redelivered answer moves nothing)."""
    values: dict[str, Any] = {"step": step + 1, "updated_at": at}
    if finished:
        values["status"] = "answered"
    stmt = (
        sa.update(_R)
        .where(_R.c.id == request_id, _R.c.status == "asking", _R.c.step == step)
        .values(**values)
        .returning(_R.c.id)
    )
    return (await session.exec(stmt)).first() is not None


async def set_status(
    session: AsyncSession,
    request_id: int,
    status: str,
    *,
    from_states: Sequence[str],
    at: datetime,
    **values: Any,
) -> Any | None:
    """Move the request to `status` if it is in one of `from_states`; its row, or None."""
    stmt = (
        sa.update(_R)
        .where(_R.c.id == request_id, _R.c.status.in_(from_states))
        .values(status=status, updated_at=at, **values)
        .returning(*_R.c)
    )
    return (await session.exec(stmt)).first()


async def claim_approval(session: AsyncSession, request_id: int, actor_id: int) -> Any | None:
    """An approval recorded from Telegram's report of the join, without who approved: name
    the administrator (once)."""
    stmt = (
        sa.update(_R)
        .where(_R.c.id == request_id, _R.c.status == "approved", _R.c.decided_by.is_(None))
        .values(decided_by=actor_id)
        .returning(*_R.c)
    )
    return (await session.exec(stmt)).first()


async def due(session: AsyncSession, states: Sequence[str], before: datetime) -> list[int]:
    stmt = (
        sa.select(_R.c.id)
        .where(_R.c.status.in_(states), _R.c.deadline_at <= before)
        .order_by(_R.c.deadline_at)
        .limit(100)
    )
    return [int(i) for i in (await session.exec(stmt)).scalars().all()]


async def stuck(session: AsyncSession, before: datetime) -> list[int]:
    """Requests whose last answer is in but whose approval was never recorded (the process
    stopped between the two)."""
    stmt = (
        sa.select(_R.c.id)
        .where(_R.c.status == "answered", _R.c.updated_at <= before)
        .order_by(_R.c.updated_at)
        .limit(100)
    )
    return [int(i) for i in (await session.exec(stmt)).scalars().all()]


async def in_review(session: AsyncSession, group_id: int, limit: int) -> list[Any]:
    stmt = (
        sa.select(_R)
        .where(_R.c.group_id == group_id, _R.c.status == "review")
        .order_by(_R.c.requested_at)
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def count_in_review(session: AsyncSession, group_id: int) -> int:
    stmt = sa.select(sa.func.count()).where(_R.c.group_id == group_id, _R.c.status == "review")
    return int((await session.exec(stmt)).scalar_one())


async def add_answer(
    session: AsyncSession, request_id: int, step: int, field: str, value: str, at: datetime
) -> None:
    stmt = upsert(session, _A).values(
        request_id=request_id, step=step, field=field, value=value, answered_at=at
    )
    await session.exec(stmt.on_conflict_do_nothing(index_elements=["request_id", "step"]))


async def answers(session: AsyncSession, request_id: int) -> list[tuple[str, str]]:
    stmt = (
        sa.select(_A.c.field, _A.c.value).where(_A.c.request_id == request_id).order_by(_A.c.step)
    )
    return [(str(f), str(v)) for f, v in (await session.exec(stmt)).all()]


# ---- members' fields -----------------------------------------------------------------------


async def put_fields(
    session: AsyncSession,
    group_id: int,
    user_id: int,
    fields: Sequence[tuple[str, str]],
    at: datetime,
) -> None:
    for field, value in fields:
        stmt = upsert(session, _F).values(
            group_id=group_id, user_id=user_id, field=field, value=value, updated_at=at
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["group_id", "user_id", "field"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
        await session.exec(stmt)


async def fields_of(session: AsyncSession, group_id: int, user_id: int) -> list[tuple[str, str]]:
    stmt = (
        sa.select(_F.c.field, _F.c.value)
        .where(_F.c.group_id == group_id, _F.c.user_id == user_id)
        .order_by(_F.c.field)
    )
    return [(str(f), str(v)) for f, v in (await session.exec(stmt)).all()]


def members_with(group_id: int, field: str, value: str) -> Any:
    """The user ids of the group's members whose `field` is `value` (a subquery for selectors;
    index ix_member_field_value)."""
    return sa.select(_F.c.user_id).where(
        _F.c.group_id == group_id, _F.c.field == field, _F.c.value == value
    )


async def field_names(session: AsyncSession, group_id: int) -> list[str]:
    stmt = sa.select(_F.c.field).where(_F.c.group_id == group_id).distinct().order_by(_F.c.field)
    return [str(f) for f in (await session.exec(stmt)).scalars().all()]


async def field_rows(session: AsyncSession, group_id: int) -> AsyncIterator[Any]:
    """Every member field of the group, by member, with the member's names (the export)."""
    stmt = (
        sa.select(
            _F.c.user_id,
            _F.c.field,
            _F.c.value,
            _F.c.updated_at,
            _U.c.username,
            _U.c.display_name,
        )
        .select_from(_F.outerjoin(_U, _U.c.id == _F.c.user_id))
        .where(_F.c.group_id == group_id)
        .order_by(_F.c.user_id, _F.c.field)
        .execution_options(yield_per=2000)
    )
    result = await session.stream(stmt)
    async for row in result:
        yield row


# ---- the guided add's prompts ----------------------------------------------------------------


async def add_prompt(
    session: AsyncSession, group_id: int, message_id: int, kind: str, by: int, at: datetime
) -> None:
    stmt = upsert(session, _P).values(
        group_id=group_id, message_id=message_id, kind=kind, created_by=by, created_at=at
    )
    await session.exec(stmt.on_conflict_do_nothing())


async def prompt(session: AsyncSession, group_id: int, message_id: int) -> Any | None:
    stmt = sa.select(_P).where(_P.c.group_id == group_id, _P.c.message_id == message_id)
    return (await session.exec(stmt)).first()


async def drop_prompt(session: AsyncSession, group_id: int, message_id: int) -> None:
    await session.exec(
        sa.delete(_P).where(_P.c.group_id == group_id, _P.c.message_id == message_id)
    )
