"""Group rows and their settings rows (group_setting: one canonical text per group and key)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import ChatGroup, GroupSetting, Member

_T = ChatGroup.__table__
_S = GroupSetting.__table__


@dataclass(frozen=True, slots=True)
class StoredGroup:
    id: int
    title: str
    is_active: bool
    settings: dict[str, str]  # key -> canonical text; keys without a row are absent


async def load(session: AsyncSession, group_ids: Iterable[int]) -> dict[int, StoredGroup]:
    """The groups (of these ids) that exist, each with its stored settings; one statement."""
    ids = list(dict.fromkeys(group_ids))
    if not ids:
        return {}
    stmt = (
        select(_T.c.id, _T.c.title, _T.c.is_active, _S.c.key, _S.c.value)
        .select_from(_T.outerjoin(_S, _S.c.group_id == _T.c.id))
        .where(_T.c.id.in_(ids) if len(ids) > 1 else _T.c.id == ids[0])
    )
    found: dict[int, StoredGroup] = {}
    for group_id, title, is_active, key, value in (await session.exec(stmt)).all():
        group = found.get(group_id)
        if group is None:
            group = found[group_id] = StoredGroup(group_id, title, bool(is_active), {})
        if key is not None:
            group.settings[key] = value
    return found


async def register(
    session: AsyncSession,
    group_id: int,
    title: str,
    at: datetime,
    pinned: Mapping[str, str],
) -> None:
    """Create the group, or mark it active again (its settings are kept); `pinned` settings are
    stored for a group that has no value for them yet."""
    stmt = upsert(session, _T).values(id=group_id, title=title[:255], is_active=True, added_at=at)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "title": stmt.excluded.title,
            "is_active": True,
            "added_at": stmt.excluded.added_at,
            "removed_at": None,
        },
    )
    await session.exec(stmt)
    await _add_settings(session, group_id, pinned, at)


async def ensure(
    session: AsyncSession, group_id: int, title: str, at: datetime, pinned: Mapping[str, str]
) -> None:
    """Create the group if it does not exist (a group the bot never saw being added)."""
    stmt = upsert(session, _T).values(id=group_id, title=title[:255], is_active=True)
    await session.exec(stmt.on_conflict_do_nothing())
    await _add_settings(session, group_id, pinned, at)


async def _add_settings(
    session: AsyncSession, group_id: int, values: Mapping[str, str], at: datetime
) -> None:
    if not values:
        return
    stmt = upsert(session, _S).values(
        [{"group_id": group_id, "key": k, "value": v, "updated_at": at} for k, v in values.items()]
    )
    await session.exec(stmt.on_conflict_do_nothing())


async def deactivate(session: AsyncSession, group_id: int, at: datetime) -> None:
    await session.exec(
        update(_T).where(_T.c.id == group_id).values(is_active=False, removed_at=at)
    )


async def setting_text(session: AsyncSession, group_id: int, key: str) -> str | None:
    """The stored text of one setting (None: the group has the default)."""
    stmt = select(_S.c.value).where(_S.c.group_id == group_id, _S.c.key == key)
    return (await session.exec(stmt)).first()


async def put_setting(
    session: AsyncSession, group_id: int, key: str, text: str, at: datetime
) -> None:
    stmt = upsert(session, _S).values(group_id=group_id, key=key, value=text, updated_at=at)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "key"],
        set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
    )
    await session.exec(stmt)


async def list_for_user(session: AsyncSession, user_id: int) -> list[ChatGroup]:
    from storage.tables import Member

    stmt = (
        select(ChatGroup)
        .join(Member, Member.group_id == ChatGroup.id)
        .where(Member.user_id == user_id, Member.left_at.is_(None), ChatGroup.is_active)
        .order_by(ChatGroup.title)
    )
    return list((await session.exec(stmt)).all())


async def set_title(session: AsyncSession, group_id: int, title: str) -> None:
    await session.exec(update(_T).where(_T.c.id == group_id).values(title=title[:255]))


async def active_groups(
    session: AsyncSession, member_id: int | None, *, limit: int
) -> list[tuple[int, str]]:
    """(id, title) of the active groups (where `member_id` is a present member, if given)."""
    stmt = select(_T.c.id, _T.c.title).where(_T.c.is_active.is_(True))
    if member_id is not None:
        m = Member.__table__
        stmt = stmt.join(m, m.c.group_id == _T.c.id).where(
            m.c.user_id == member_id, m.c.left_at.is_(None)
        )
    stmt = stmt.order_by(_T.c.added_at.desc(), _T.c.id).limit(limit)
    return [(int(i), t or str(i)) for i, t in (await session.exec(stmt)).all()]
