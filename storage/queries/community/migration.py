"""Moving a group's rows to the new chat id Telegram gave it (a group upgraded to a supergroup).

Every table with a `group_id` column is moved, the tables of features added later included.
A row whose key already exists under the new id (the new chat was used before the move was
seen) is merged by the rules the table declares in `info["group_merge"]` (columns to add up,
to take the larger or smaller of), else the new id's row is kept.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import ChatGroup, GroupMigration

_G = ChatGroup.__table__
_MIG = GroupMigration.__table__


async def record(session: AsyncSession, old_id: int, new_id: int, at: datetime) -> bool:
    """Record the move; False if it was recorded before (by the other service message)."""
    stmt = (
        upsert(session, _MIG)
        .values(old_id=old_id, new_id=new_id, migrated_at=at)
        .on_conflict_do_nothing()
        .returning(_MIG.c.old_id)
    )
    return (await session.exec(stmt)).first() is not None


async def new_id_of(session: AsyncSession, group_id: int) -> int | None:
    stmt = sa.select(_MIG.c.new_id).where(_MIG.c.old_id == group_id)
    return (await session.exec(stmt)).scalar_one_or_none()


def _group_tables() -> list[sa.Table]:
    return [t for t in SQLModel.metadata.sorted_tables if "group_id" in t.c]


def _key_columns(table: sa.Table) -> list[sa.Column]:
    """The columns besides group_id that make a row unique within its group (if any)."""
    keys: list[list[sa.Column]] = [list(table.primary_key.columns)]
    keys += [list(c.columns) for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    keys += [list(ix.columns) for ix in table.indexes if ix.unique]
    for columns in keys:
        if any(c.name == "group_id" for c in columns):
            return [c for c in columns if c.name != "group_id"]
    return []


def _pick(dialect: str, how: str, a: sa.ColumnElement, b: sa.ColumnElement) -> sa.ColumnElement:
    """The larger (or smaller) of two values, NULL losing: max() of two arguments in SQLite,
    greatest() in PostgreSQL."""
    if dialect == "postgresql":
        both = sa.func.greatest(a, b) if how == "max" else sa.func.least(a, b)
    else:
        both = sa.func.max(a, b) if how == "max" else sa.func.min(a, b)
    return sa.case((a.is_(None), b), (b.is_(None), a), else_=both)


async def _merge_overlap(
    session: AsyncSession, table: sa.Table, keys: list[sa.Column], old_id: int, new_id: int
) -> None:
    """Rows present under both ids: fold the old row into the new one, as the table says."""
    rules = table.info.get("group_merge", {})
    old = table.alias("old_row")
    same = sa.and_(old.c.group_id == old_id, *[old.c[k.name] == table.c[k.name] for k in keys])
    overlap = sa.and_(
        table.c.group_id == new_id, sa.exists(sa.select(1).select_from(old).where(same))
    )
    if rules.get("keep") == "old":  # e.g. settings: the community's own choice wins
        await session.exec(sa.delete(table).where(overlap))
        return
    dialect = session.bind.dialect.name  # type: ignore[union-attr]
    values: dict[str, object] = {}
    for name in rules.get("sum", []):
        values[name] = table.c[name] + sa.select(old.c[name]).where(same).scalar_subquery()
    for how in ("max", "min"):
        for name in rules.get(how, []):
            other = sa.select(old.c[name]).where(same).scalar_subquery()
            values[name] = _pick(dialect, how, table.c[name], other)
    if values:
        await session.exec(sa.update(table).where(overlap).values(values))


async def move_group(session: AsyncSession, old_id: int, new_id: int) -> None:
    """Everything stored under `old_id` now belongs to `new_id`."""
    old_group = (await session.exec(sa.select(_G).where(_G.c.id == old_id))).first()
    if old_group is not None:
        # The community's group row (its settings) wins over one the new chat got on its own.
        new_title = (await session.exec(sa.select(_G.c.title).where(_G.c.id == new_id))).first()
        await session.exec(sa.delete(_G).where(_G.c.id == new_id))
        values: dict[str, object] = {"id": new_id}
        if new_title is not None and new_title[0]:
            values["title"] = new_title[0]
        await session.exec(sa.update(_G).where(_G.c.id == old_id).values(values))
    for table in _group_tables():
        if table.info.get("group_merge", {}).get("derived"):
            continue  # kept by the moves of the rows it is derived from
        keys = _key_columns(table)
        if keys:
            await _merge_overlap(session, table, keys, old_id, new_id)
            other = table.alias("new_row")
            clash = sa.exists(
                sa.select(1)
                .select_from(other)
                .where(
                    other.c.group_id == new_id,
                    *[other.c[k.name] == table.c[k.name] for k in keys],
                )
            )
            await session.exec(
                sa.update(table).where(table.c.group_id == old_id, ~clash).values(group_id=new_id)
            )
            await session.exec(sa.delete(table).where(table.c.group_id == old_id))
        else:
            await session.exec(
                sa.update(table).where(table.c.group_id == old_id).values(group_id=new_id)
            )
