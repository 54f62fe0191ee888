"""Feedback items, their threads and drafts (queries never commit)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import (
    ChatGroup,
    FeedbackCounter,
    FeedbackDraft,
    FeedbackItem,
    FeedbackMessage,
    LedgerEntry,
    Member,
    Survey,
    TgUser,
)

_C = FeedbackCounter.__table__
_I = FeedbackItem.__table__
_T = FeedbackMessage.__table__
_D = FeedbackDraft.__table__
_U = TgUser.__table__
_G = ChatGroup.__table__
_L = LedgerEntry.__table__
_M = Member.__table__
_S = Survey.__table__
CHUNK = 1000


async def next_number(session: AsyncSession, group_id: int, kind: str) -> int:
    """The group's next number of `kind`; on PostgreSQL the counter row stays locked until the
    transaction ends, so one group's creations (and their limit checks) take turns."""
    stmt = upsert(session, _C).values(group_id=group_id, kind=kind, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "kind"], set_={"last": _C.c.last + 1}
    ).returning(_C.c.last)
    return int((await session.exec(stmt)).scalar_one())


async def count_since(session: AsyncSession, group_id: int, user_id: int, since: datetime) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(_I)
        .where(_I.c.user_id == user_id, _I.c.group_id == group_id, _I.c.created_at >= since)
    )
    return int((await session.exec(stmt)).scalar_one())


async def reporters_since(
    session: AsyncSession, group_id: int, category: str, since: datetime, other_than: int
) -> int:
    """Distinct members besides `other_than` who reported `category` in the group since `since`."""
    stmt = sa.select(sa.func.count(sa.distinct(_I.c.user_id))).where(
        _I.c.group_id == group_id,
        _I.c.category == category,
        _I.c.created_at >= since,
        _I.c.user_id != other_than,
    )
    return int((await session.exec(stmt)).scalar_one())


async def insert_item(session: AsyncSession, **values: Any) -> int:
    stmt = sa.insert(_I).values(**values).returning(_I.c.id)
    return int((await session.exec(stmt)).scalar_one())


async def add_message(
    session: AsyncSession,
    item_id: int,
    author_id: int,
    role: str,
    text: str,
    at: datetime,
    file_id: str | None = None,
) -> None:
    await session.exec(
        sa.insert(_T).values(
            item_id=item_id,
            author_id=author_id,
            role=role,
            text=text,
            file_id=file_id,
            created_at=at,
        )
    )


async def get_item(session: AsyncSession, item_id: int) -> Any | None:
    stmt = (
        sa.select(
            _I, _U.c.display_name, _U.c.username, _G.c.title, _S.c.number.label("survey_number")
        )
        .select_from(_I)
        .outerjoin(_U, _U.c.id == _I.c.user_id)
        .outerjoin(_G, _G.c.id == _I.c.group_id)
        .outerjoin(_S, _S.c.id == _I.c.survey_id)
        .where(_I.c.id == item_id)
    )
    return (await session.exec(stmt)).first()


async def get_by_number(session: AsyncSession, group_id: int, number: int) -> Any | None:
    stmt = sa.select(_I.c.id).where(_I.c.group_id == group_id, _I.c.number == number)
    found = (await session.exec(stmt)).scalar_one_or_none()
    return None if found is None else await get_item(session, int(found))


async def update_item(session: AsyncSession, item_id: int, **values: Any) -> None:
    await session.exec(sa.update(_I).where(_I.c.id == item_id).values(**values))


async def thread(session: AsyncSession, item_id: int, limit: int = 20) -> list[Any]:
    """The latest `limit` messages of the thread, oldest first."""
    stmt = (
        sa.select(_T, _U.c.display_name)
        .select_from(_T)
        .outerjoin(_U, _U.c.id == _T.c.author_id)
        .where(_T.c.item_id == item_id)
        .order_by(_T.c.id.desc())
        .limit(limit)
    )
    return list(reversed((await session.exec(stmt)).all()))


async def list_items(
    session: AsyncSession,
    group_ids: Sequence[int],
    statuses: Sequence[str],
    category: str | None,
    limit: int,
) -> list[Any]:
    stmt = (
        sa.select(
            _I, _U.c.display_name, _U.c.username, _G.c.title, _S.c.number.label("survey_number")
        )
        .select_from(_I)
        .outerjoin(_U, _U.c.id == _I.c.user_id)
        .outerjoin(_G, _G.c.id == _I.c.group_id)
        .outerjoin(_S, _S.c.id == _I.c.survey_id)
        .where(_I.c.group_id.in_(list(group_ids)), _I.c.status.in_(list(statuses)))
        .order_by(_I.c.priority.desc(), _I.c.created_at.desc(), _I.c.id.desc())
        .limit(limit)
    )
    if category is not None:
        stmt = stmt.where(_I.c.category == category)
    return list((await session.exec(stmt)).all())


async def groups_with_items(session: AsyncSession, limit: int = 50) -> list[Any]:
    """Active groups that have any feedback (whose admins may open an inbox)."""
    stmt = (
        sa.select(_G.c.id, _G.c.title)
        .where(_G.c.is_active, sa.exists(sa.select(1).where(_I.c.group_id == _G.c.id)))
        .order_by(_G.c.title, _G.c.id)
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def latest_open_for(session: AsyncSession, user_id: int) -> Any | None:
    """The member's open item that a manager answered last (where a private answer goes)."""
    answered = (
        sa.select(sa.func.max(_T.c.id))
        .where(_T.c.item_id == _I.c.id, _T.c.role == "manager")
        .scalar_subquery()
    )
    stmt = (
        sa.select(_I.c.id)
        .where(
            _I.c.user_id == user_id,
            _I.c.status.in_(("new", "in_progress")),
            answered.is_not(None),
        )
        .order_by(answered.desc())
        .limit(1)
    )
    found = (await session.exec(stmt)).scalar_one_or_none()
    return None if found is None else await get_item(session, int(found))


async def export_rows(session: AsyncSession, group_id: int) -> AsyncIterator[Any]:
    last = 0
    while True:
        stmt = (
            sa.select(_I)
            .where(_I.c.group_id == group_id, _I.c.number > last)
            .order_by(_I.c.number)
            .limit(CHUNK)
        )
        rows = (await session.exec(stmt)).all()
        for row in rows:
            yield row
        if len(rows) < CHUNK:
            return
        last = rows[-1].number


# ---- drafts -------------------------------------------------------------------------------
async def put_draft(session: AsyncSession, user_id: int, chat_id: int, **values: Any) -> None:
    row = {"user_id": user_id, "chat_id": chat_id, "survey_id": None, **values}
    stmt = upsert(session, _D).values(**row)
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "chat_id"],
        set_={k: stmt.excluded[k] for k in row if k not in ("user_id", "chat_id")},
    )
    await session.exec(stmt)


async def get_draft(session: AsyncSession, user_id: int, chat_id: int) -> Any | None:
    stmt = sa.select(_D).where(_D.c.user_id == user_id, _D.c.chat_id == chat_id)
    return (await session.exec(stmt)).first()


async def drop_draft(session: AsyncSession, user_id: int, chat_id: int) -> None:
    await session.exec(sa.delete(_D).where(_D.c.user_id == user_id, _D.c.chat_id == chat_id))


# ---- points -------------------------------------------------------------------------------
async def add_member(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> None:
    """The member row points are credited to, if there is none yet (a member who left stays
    away: unlike members.ensure_member, which marks them present)."""
    stmt = upsert(session, _M).values(group_id=group_id, user_id=user_id, first_seen_at=at)
    await session.exec(stmt.on_conflict_do_nothing(index_elements=["group_id", "user_id"]))


async def points_since(
    session: AsyncSession, group_id: int, user_id: int, reason: str, since: datetime
) -> int:
    stmt = sa.select(sa.func.coalesce(sa.func.sum(_L.c.amount), 0)).where(
        _L.c.group_id == group_id,
        _L.c.user_id == user_id,
        _L.c.reason == reason,
        _L.c.created_at >= since,
    )
    return int((await session.exec(stmt)).scalar_one())


async def points_of_item(
    session: AsyncSession, group_id: int, user_id: int, reason: str, note: str, at: datetime
) -> int:
    """Credits noted for an item, or (written before credits had notes) made at its instant."""
    stmt = sa.select(sa.func.coalesce(sa.func.sum(_L.c.amount), 0)).where(
        _L.c.group_id == group_id,
        _L.c.user_id == user_id,
        _L.c.reason == reason,
        sa.or_(_L.c.note == note, sa.and_(_L.c.note.is_(None), _L.c.created_at == at)),
    )
    return int((await session.exec(stmt)).scalar_one())


async def ledger_has(session: AsyncSession, key: str) -> bool:
    stmt = sa.select(_L.c.id).where(_L.c.idempotency_key == key)
    return (await session.exec(stmt)).first() is not None
