"""Scheduled posts and their occurrences (queries never commit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, insert_for
from storage.tables import PostOccurrence, PostVote, ScheduledPost, ScheduleDraft

_P = ScheduledPost.__table__
_O = PostOccurrence.__table__
_V = PostVote.__table__
_D = ScheduleDraft.__table__

ACTIVE = "active"
PAUSED = "paused"
DONE = "done"


@dataclass(frozen=True, slots=True)
class Post:
    id: int
    group_id: int
    thread_id: int | None
    created_by: int
    rule: str
    text: str
    source_chat_id: int | None
    source_message_id: int | None
    status: str
    anchor_at: datetime
    next_run_at: datetime | None
    runs: int
    updated_at: datetime
    label: str | None = None


def _post(row: sa.Row) -> Post:
    return Post(
        row.id,
        row.group_id,
        row.thread_id,
        row.created_by,
        row.rule,
        row.text,
        row.source_chat_id,
        row.source_message_id,
        row.status,
        row.anchor_at,
        row.next_run_at,
        row.runs,
        row.updated_at,
        row.label,
    )


_COLUMNS = [
    _P.c.id,
    _P.c.group_id,
    _P.c.thread_id,
    _P.c.created_by,
    _P.c.rule,
    _P.c.text,
    _P.c.source_chat_id,
    _P.c.source_message_id,
    _P.c.status,
    _P.c.anchor_at,
    _P.c.next_run_at,
    _P.c.runs,
    _P.c.updated_at,
    _P.c.label,
]


async def insert(
    session: AsyncSession,
    *,
    group_id: int,
    thread_id: int | None,
    created_by: int,
    rule: str,
    text: str,
    source_chat_id: int | None,
    source_message_id: int | None,
    next_run_at: datetime,
    at: datetime,
    label: str | None = None,
) -> int:
    stmt = (
        sa.insert(_P)
        .values(
            group_id=group_id,
            thread_id=thread_id,
            created_by=created_by,
            rule=rule,
            text=text,
            source_chat_id=source_chat_id,
            source_message_id=source_message_id,
            status=ACTIVE,
            label=label,
            anchor_at=at,
            next_run_at=next_run_at,
            runs=0,
            created_at=at,
            updated_at=at,
        )
        .returning(_P.c.id)
    )
    return int((await session.exec(stmt)).scalar_one())


async def get(session: AsyncSession, post_id: int, *, for_update: bool = False) -> Post | None:
    stmt = sa.select(*_COLUMNS).where(_P.c.id == post_id)
    if for_update and dialect_of(session) == "postgresql":
        stmt = stmt.with_for_update()
    row = (await session.exec(stmt)).first()
    return _post(row) if row is not None else None


async def of_group(session: AsyncSession, group_id: int, *, limit: int = 50) -> list[Post]:
    """The group's posts that may still run (active and paused), soonest first."""
    stmt = (
        sa.select(*_COLUMNS)
        .where(_P.c.group_id == group_id, _P.c.status.in_((ACTIVE, PAUSED)))
        .order_by(_P.c.next_run_at.is_(None), _P.c.next_run_at, _P.c.id)
        .limit(limit)
    )
    return [_post(r) for r in (await session.exec(stmt)).all()]


async def labelled(session: AsyncSession, group_id: int, label: str) -> list[Post]:
    stmt = sa.select(*_COLUMNS).where(
        _P.c.group_id == group_id, _P.c.label == label, _P.c.status.in_((ACTIVE, PAUSED))
    )
    return [_post(r) for r in (await session.exec(stmt)).all()]


async def copies_from(session: AsyncSession, group_id: int, chat_id: int) -> list[Post]:
    """The group's posts (active or paused) that copy a message of `chat_id`."""
    stmt = sa.select(*_COLUMNS).where(
        _P.c.group_id == group_id,
        _P.c.source_chat_id == chat_id,
        _P.c.status.in_((ACTIVE, PAUSED)),
    )
    return [_post(r) for r in (await session.exec(stmt)).all()]


async def recurring_of_group(session: AsyncSession, group_id: int) -> list[Post]:
    stmt = sa.select(*_COLUMNS).where(
        _P.c.group_id == group_id,
        _P.c.status.in_((ACTIVE, PAUSED)),
        ~_P.c.rule.startswith("once "),
    )
    return [_post(r) for r in (await session.exec(stmt)).all()]


async def planned(session: AsyncSession) -> list[tuple[int, int, datetime]]:
    """(post id, group id, next run) of every active post with a next run."""
    stmt = sa.select(_P.c.id, _P.c.group_id, _P.c.next_run_at).where(
        _P.c.status == ACTIVE, _P.c.next_run_at.is_not(None)
    )
    return [(r.id, r.group_id, r.next_run_at) for r in (await session.exec(stmt)).all()]


async def fingerprint(session: AsyncSession) -> tuple[int, datetime | None]:
    """Changes to any post show here (count and latest update): cheap to poll."""
    stmt = sa.select(sa.func.count(), sa.func.max(_P.c.updated_at)).select_from(_P)
    row = (await session.exec(stmt)).one()
    return int(row[0]), row[1]


async def update(session: AsyncSession, post_id: int, at: datetime, **values: object) -> bool:
    stmt = sa.update(_P).where(_P.c.id == post_id).values(updated_at=at, **values)
    return bool((await session.exec(stmt)).rowcount)


async def delete(session: AsyncSession, post_id: int) -> bool:
    await session.exec(sa.delete(_O).where(_O.c.post_id == post_id))
    await session.exec(sa.delete(_V).where(_V.c.post_id == post_id))
    return bool((await session.exec(sa.delete(_P).where(_P.c.id == post_id))).rowcount)


async def add_occurrence(
    session: AsyncSession,
    *,
    post_id: int,
    group_id: int,
    due_at: datetime,
    outcome: str,
    run_at: datetime,
    missed: int = 1,
    variant: int = 0,
) -> int | None:
    """The occurrence's row; None if this post's occurrence at due_at is recorded already."""
    stmt = (
        insert_for(dialect_of(session), _O)
        .values(
            post_id=post_id,
            group_id=group_id,
            due_at=due_at,
            outcome=outcome,
            missed=missed,
            variant=variant,
            run_at=run_at,
        )
        .on_conflict_do_nothing()
        .returning(_O.c.id)
    )
    found = (await session.exec(stmt)).first()
    return int(found[0]) if found is not None else None


async def finish_occurrence(
    session: AsyncSession,
    occurrence_id: int,
    outcome: str,
    message_id: int | None,
    at: datetime,
) -> None:
    await session.exec(
        sa.update(_O)
        .where(_O.c.id == occurrence_id)
        .values(outcome=outcome, message_id=message_id, sent_at=at)
    )


@dataclass(frozen=True, slots=True)
class Occurrence:
    id: int
    post_id: int
    due_at: datetime
    outcome: str
    missed: int
    message_id: int | None
    sent_at: datetime | None


async def occurrences(session: AsyncSession, post_id: int | None = None) -> list[Occurrence]:
    stmt = sa.select(_O).order_by(_O.c.due_at, _O.c.id)
    if post_id is not None:
        stmt = stmt.where(_O.c.post_id == post_id)
    return [
        Occurrence(r.id, r.post_id, r.due_at, r.outcome, r.missed, r.message_id, r.sent_at)
        for r in (await session.exec(stmt)).all()
    ]


async def add_vote(
    session: AsyncSession, post_id: int, variant: int, user_id: int, group_id: int, at: datetime
) -> bool:
    """False if this member counted this variant before."""
    stmt = (
        insert_for(dialect_of(session), _V)
        .values(post_id=post_id, variant=variant, user_id=user_id, group_id=group_id, voted_at=at)
        .on_conflict_do_nothing()
        .returning(_V.c.post_id)
    )
    return (await session.exec(stmt)).first() is not None


async def variant_stats(session: AsyncSession, post_id: int) -> dict[int, tuple[int, int]]:
    """variant -> (times sent, votes)."""
    sent = sa.select(_O.c.variant, sa.func.count()).where(
        _O.c.post_id == post_id, _O.c.outcome.in_(("sent", "sending"))
    )
    votes = sa.select(_V.c.variant, sa.func.count()).where(_V.c.post_id == post_id)
    found: dict[int, list[int]] = {}
    for variant, n in (await session.exec(sent.group_by(_O.c.variant))).all():
        found.setdefault(variant, [0, 0])[0] = n
    for variant, n in (await session.exec(votes.group_by(_V.c.variant))).all():
        found.setdefault(variant, [0, 0])[1] = n
    return {k: (v[0], v[1]) for k, v in found.items()}


async def put_draft(
    session: AsyncSession, group_id: int, message_id: int, rule: str, actor_id: int, at: datetime
) -> None:
    values = {"rule": rule, "created_by": actor_id, "created_at": at}
    await session.exec(
        insert_for(dialect_of(session), _D)
        .values(group_id=group_id, message_id=message_id, **values)
        .on_conflict_do_update(index_elements=["group_id", "message_id"], set_=values)
    )


async def take_draft(
    session: AsyncSession, group_id: int, message_id: int
) -> tuple[str, int, datetime, str | None] | None:
    """(rule, created_by, created_at, texts) of the draft, deleted; None if there is none."""
    stmt = (
        sa.delete(_D)
        .where(_D.c.group_id == group_id, _D.c.message_id == message_id)
        .returning(_D.c.rule, _D.c.created_by, _D.c.created_at, _D.c.texts)
    )
    row = (await session.exec(stmt)).first()
    return (row.rule, row.created_by, row.created_at, row.texts) if row is not None else None


async def get_draft(
    session: AsyncSession, group_id: int, message_id: int
) -> tuple[str, int, datetime, str | None] | None:
    """(rule, created_by, created_at, texts) of the draft (locked on PostgreSQL)."""
    stmt = sa.select(_D.c.rule, _D.c.created_by, _D.c.created_at, _D.c.texts).where(
        _D.c.group_id == group_id, _D.c.message_id == message_id
    )
    if dialect_of(session) == "postgresql":
        stmt = stmt.with_for_update()
    row = (await session.exec(stmt)).first()
    return (row.rule, row.created_by, row.created_at, row.texts) if row is not None else None


async def set_draft_texts(
    session: AsyncSession, group_id: int, message_id: int, texts: str
) -> None:
    await session.exec(
        sa.update(_D)
        .where(_D.c.group_id == group_id, _D.c.message_id == message_id)
        .values(texts=texts)
    )


async def prune_drafts(session: AsyncSession, before: datetime) -> None:
    await session.exec(sa.delete(_D).where(_D.c.created_at < before))
