"""Content feeds and the items they saw (queries never commit)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, upsert
from storage.tables import ContentFeed, FeedSeenItem

_F = ContentFeed.__table__
_S = FeedSeenItem.__table__

KEEP_SEEN = 1000  # item keys kept per feed (a feed shows its latest few dozen items)


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    group_id: int
    thread_id: int | None
    url: str
    rule: str
    title: str
    etag: str | None
    last_modified: str | None
    anchor_at: datetime
    next_run_at: datetime | None
    fetched_at: datetime | None
    error_streak: int
    last_error: str | None
    runs: int


_COLUMNS = [
    _F.c.id,
    _F.c.group_id,
    _F.c.thread_id,
    _F.c.url,
    _F.c.rule,
    _F.c.title,
    _F.c.etag,
    _F.c.last_modified,
    _F.c.anchor_at,
    _F.c.next_run_at,
    _F.c.fetched_at,
    _F.c.error_streak,
    _F.c.last_error,
    _F.c.runs,
]


def _feed(row: sa.Row) -> Feed:
    return Feed(*(row[i] for i in range(len(_COLUMNS))))


async def insert(
    session: AsyncSession,
    *,
    group_id: int,
    thread_id: int | None,
    url: str,
    rule: str,
    created_by: int,
    next_run_at: datetime,
    at: datetime,
) -> int:
    stmt = (
        sa.insert(_F)
        .values(
            group_id=group_id,
            thread_id=thread_id,
            url=url,
            rule=rule,
            title="",
            anchor_at=at,
            next_run_at=next_run_at,
            error_streak=0,
            runs=0,
            created_by=created_by,
            created_at=at,
            updated_at=at,
        )
        .returning(_F.c.id)
    )
    return int((await session.exec(stmt)).scalar_one())


async def get(session: AsyncSession, feed_id: int, *, for_update: bool = False) -> Feed | None:
    stmt = sa.select(*_COLUMNS).where(_F.c.id == feed_id)
    if for_update and dialect_of(session) == "postgresql":
        stmt = stmt.with_for_update()
    row = (await session.exec(stmt)).first()
    return _feed(row) if row is not None else None


async def of_group(session: AsyncSession, group_id: int, *, limit: int = 50) -> list[Feed]:
    stmt = sa.select(*_COLUMNS).where(_F.c.group_id == group_id).order_by(_F.c.id).limit(limit)
    return [_feed(r) for r in (await session.exec(stmt)).all()]


async def count_of_group(session: AsyncSession, group_id: int) -> int:
    stmt = sa.select(sa.func.count()).select_from(_F).where(_F.c.group_id == group_id)
    return int((await session.exec(stmt)).scalar_one())


async def with_url(session: AsyncSession, group_id: int, url: str) -> int | None:
    stmt = sa.select(_F.c.id).where(_F.c.group_id == group_id, _F.c.url == url)
    return (await session.exec(stmt)).scalar_one_or_none()


async def planned(session: AsyncSession) -> list[tuple[int, datetime]]:
    """(feed id, next run) of every feed with a next run."""
    stmt = sa.select(_F.c.id, _F.c.next_run_at).where(_F.c.next_run_at.is_not(None))
    return [(r.id, r.next_run_at) for r in (await session.exec(stmt)).all()]


async def fingerprint(session: AsyncSession) -> tuple[int, datetime | None]:
    stmt = sa.select(sa.func.count(), sa.func.max(_F.c.updated_at)).select_from(_F)
    row = (await session.exec(stmt)).one()
    return int(row[0]), row[1]


async def update(session: AsyncSession, feed_id: int, at: datetime, **values: object) -> bool:
    stmt = sa.update(_F).where(_F.c.id == feed_id).values(updated_at=at, **values)
    return bool((await session.exec(stmt)).rowcount)


async def resume_unplanned(session: AsyncSession, group_id: int, at: datetime) -> int:
    """The group's feeds left without a next run (their group had gone): due at `at`."""
    stmt = (
        sa.update(_F)
        .where(_F.c.group_id == group_id, _F.c.next_run_at.is_(None))
        .values(next_run_at=at, updated_at=at)
    )
    return int((await session.exec(stmt)).rowcount or 0)


async def delete(session: AsyncSession, feed_id: int) -> bool:
    await session.exec(sa.delete(_S).where(_S.c.feed_id == feed_id))
    return bool((await session.exec(sa.delete(_F).where(_F.c.id == feed_id))).rowcount)


async def seen(session: AsyncSession, feed_id: int, keys: Iterable[str]) -> set[str]:
    """Those of `keys` seen before for this feed."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        stmt = sa.select(_S.c.item_key).where(_S.c.feed_id == feed_id, _S.c.item_key.in_(chunk))
        found |= set((await session.exec(stmt)).scalars().all())
    return found


async def add_seen(session: AsyncSession, feed_id: int, keys: Iterable[str], at: datetime) -> None:
    rows = [{"feed_id": feed_id, "item_key": k, "seen_at": at} for k in dict.fromkeys(keys)]
    for start in range(0, len(rows), 500):
        stmt = upsert(session, _S).values(rows[start : start + 500]).on_conflict_do_nothing()
        await session.exec(stmt)


async def prune_seen(session: AsyncSession, feed_id: int, keep: int = KEEP_SEEN) -> None:
    """Only the latest `keep` keys of the feed stay (items long gone from the feed)."""
    cutoff = (
        sa.select(_S.c.seen_at)
        .where(_S.c.feed_id == feed_id)
        .order_by(_S.c.seen_at.desc())
        .offset(keep)
        .limit(1)
        .scalar_subquery()
    )
    await session.exec(sa.delete(_S).where(_S.c.feed_id == feed_id, _S.c.seen_at <= cutoff))
