"""Prediction's reads and writes (never commit): members' days in user ranges, the weekly
snapshots and their labels, the models, the scores."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import (
    Member,
    MemberDay,
    MemberRisk,
    MemberSegment,
    MemberWeekSnapshot,
    PredictionModel,
    TgUser,
)

_M = Member.__table__
_D = MemberDay.__table__
_S = MemberWeekSnapshot.__table__
_R = MemberRisk.__table__
_P = PredictionModel.__table__
_SEG = MemberSegment.__table__
_U = TgUser.__table__


async def members(session: AsyncSession, group_id: int) -> list[Any]:
    """The group's members with what tenure and presence need, in user-id order."""
    stmt = (
        sa.select(_M.c.user_id, _M.c.join_day, _M.c.first_seen_at, _M.c.joined_at, _M.c.left_at)
        .where(_M.c.group_id == group_id)
        .order_by(_M.c.user_id)
    )
    return list((await session.exec(stmt)).all())  # type: ignore[call-overload]


async def first_day(session: AsyncSession, group_id: int) -> date | None:
    stmt = sa.select(sa.func.min(_D.c.day)).where(_D.c.group_id == group_id)
    return (await session.exec(stmt)).scalar_one_or_none()  # type: ignore[call-overload,no-any-return]


async def member_days(
    session: AsyncSession, group_id: int, first_user: int, last_user: int, start: date, end: date
) -> list[Any]:
    """Days with activity or a check-in of the members first_user … last_user in [start, end]
    (the index on group, user, day)."""
    stmt = sa.select(_D.c.user_id, _D.c.day, _D.c.active, _D.c.checkins).where(
        _D.c.group_id == group_id,
        _D.c.user_id.between(first_user, last_user),
        _D.c.day.between(start, end),
        sa.or_(_D.c.active > 0, _D.c.checkins > 0),
    )
    return list((await session.exec(stmt)).all())  # type: ignore[call-overload]


async def add_snapshots(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        stmt = upsert(session, _S).on_conflict_do_nothing()
        await session.execute(stmt, list(rows))


async def label_week(session: AsyncSession, group_id: int, week_end: date) -> None:
    """Label the week's snapshots still unlabelled: active in the 7 days after it."""
    active = sa.exists(
        sa.select(1).where(
            _D.c.group_id == _S.c.group_id,
            _D.c.user_id == _S.c.user_id,
            _D.c.day > week_end,
            _D.c.day <= week_end + timedelta(days=7),
            sa.or_(_D.c.active > 0, _D.c.checkins > 0),
        )
    )
    await session.execute(
        sa.update(_S)
        .where(_S.c.group_id == group_id, _S.c.week_end == week_end, _S.c.label.is_(None))
        .values(label=sa.case((active, 1), else_=0))
    )


async def unlabelled_weeks(session: AsyncSession, group_id: int, until: date) -> list[date]:
    stmt = (
        sa.select(_S.c.week_end)
        .where(_S.c.group_id == group_id, _S.c.week_end <= until, _S.c.label.is_(None))
        .distinct()
    )
    return list((await session.exec(stmt)).scalars().all())  # type: ignore[call-overload]


async def labelled_count(session: AsyncSession, since: date) -> int:
    stmt = sa.select(sa.func.count()).where(_S.c.label.is_not(None), _S.c.week_end >= since)
    return int((await session.exec(stmt)).scalar_one())  # type: ignore[call-overload]


async def training_rows(
    session: AsyncSession, since: date, every: int, feature_names: Sequence[str]
) -> AsyncIterator[Any]:
    """Labelled snapshots since a week, every `every`-th member (by user id) when there are too
    many: bounded memory, the same members every week."""
    stmt = sa.select(
        _S.c.group_id, _S.c.week_end, _S.c.label, *(_S.c[n] for n in feature_names)
    ).where(_S.c.label.is_not(None), _S.c.week_end >= since)
    if every > 1:
        stmt = stmt.where(sa.func.abs(_S.c.user_id) % every == 0)
    result = await session.stream(stmt.execution_options(yield_per=10_000))
    async for row in result:
        yield row


async def models(session: AsyncSession, group_ids: Sequence[int] | None = None) -> dict[int, Any]:
    stmt = sa.select(_P)
    if group_ids is not None:
        stmt = stmt.where(_P.c.group_id.in_(list(group_ids)))
    return {row.group_id: row for row in (await session.exec(stmt)).all()}  # type: ignore[call-overload]


async def save_model(session: AsyncSession, group_id: int, values: dict[str, Any]) -> None:
    defaults = {
        "status": "short",
        "use_model": False,
        "pooled": False,
        "train_rows": 0,
        "test_rows": 0,
        "test_weeks": 0,
    }
    stmt = upsert(session, _P).values(group_id=group_id, **{**defaults, **values})
    await session.execute(stmt.on_conflict_do_update(index_elements=["group_id"], set_=values))


async def save_scores(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    stmt = upsert(session, _R)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"],
        set_={
            c: stmt.excluded[c]
            for c in ("p_active", "reasons", "source", "scored_day", "scored_at")
        },
    )
    await session.execute(stmt, list(rows))


async def drop_stale_scores(session: AsyncSession, group_id: int, scored_at: datetime) -> None:
    """Scores of an earlier run (members no longer active in the last 30 days, or gone)."""
    await session.execute(
        sa.delete(_R).where(_R.c.group_id == group_id, _R.c.scored_at < scored_at)
    )


async def score_of(session: AsyncSession, group_id: int, user_id: int) -> Any | None:
    stmt = sa.select(_R).where(_R.c.group_id == group_id, _R.c.user_id == user_id)
    return (await session.exec(stmt)).first()  # type: ignore[call-overload]


async def lowest(
    session: AsyncSession, group_id: int, tiers: Sequence[str], limit: int
) -> list[Any]:
    """Present members of these tiers with the lowest probabilities, with their names."""
    stmt = (
        sa.select(
            _R.c.user_id,
            _R.c.p_active,
            _R.c.reasons,
            _R.c.source,
            _R.c.scored_day,
            _SEG.c.tier,
            _U.c.display_name,
            _U.c.username,
        )
        .join(_SEG, sa.and_(_SEG.c.group_id == _R.c.group_id, _SEG.c.user_id == _R.c.user_id))
        .join(_M, sa.and_(_M.c.group_id == _R.c.group_id, _M.c.user_id == _R.c.user_id))
        .outerjoin(_U, _U.c.id == _R.c.user_id)
        .where(_R.c.group_id == group_id, _SEG.c.tier.in_(list(tiers)), _M.c.left_at.is_(None))
        .order_by(_R.c.p_active, _R.c.user_id)
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())  # type: ignore[call-overload]


async def scored_count(session: AsyncSession, group_id: int) -> int:
    stmt = sa.select(sa.func.count()).where(_R.c.group_id == group_id)
    return int((await session.exec(stmt)).scalar_one())  # type: ignore[call-overload]


def model_says_at_risk(member: sa.Table, below: float) -> sa.ColumnElement[bool]:
    """The member (a row of `member`) has a model score under `below` (segments' daily run)."""
    return sa.exists(
        sa.select(1).where(
            _R.c.group_id == member.c.group_id,
            _R.c.user_id == member.c.user_id,
            _R.c.source == "model",
            _R.c.p_active < below,
        )
    )
