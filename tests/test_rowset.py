"""Rows bound as one parameter set store exactly what the ORM would (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import insert, text
from sqlmodel import select

from storage.db import SessionFactory
from storage.queries.engagement import ledger
from storage.tables import LedgerEntry

BERLIN_SUMMER = timezone(timedelta(hours=2))


def entry(key: str, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "group_id": -1001234567890123,
        "user_id": 2**62 + 7,  # Telegram ids are 64-bit
        "amount": -5,
        "reason": "grant",
        "note": "quotes \" ' back\\slash, 中文 and emoji 🎉",
        "source": "admin",
        "actor_id": None,
        "idempotency_key": key,
        "created_at": datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=BERLIN_SUMMER),
    }
    row.update(overrides)
    return row


async def test_rowset_insert_matches_the_orm_insert(session_factory: SessionFactory) -> None:
    async with session_factory() as s:
        await ledger.append(s, [entry("via-rowset"), entry("second", note=None, actor_id=1)])
        await s.exec(insert(LedgerEntry.__table__), params=[entry("via-orm")])  # type: ignore[call-overload]
        await s.commit()
        rows = {
            r.idempotency_key: r
            for r in (await s.exec(select(LedgerEntry).order_by(LedgerEntry.id))).all()
        }
        raw = dict(
            (await s.exec(text("SELECT idempotency_key, created_at FROM ledger_entry"))).all()  # type: ignore[call-overload]
        )
    ours, orm = rows["via-rowset"], rows["via-orm"]
    for field in ("group_id", "user_id", "amount", "reason", "note", "source", "actor_id"):
        assert getattr(ours, field) == getattr(orm, field), field
    assert ours.created_at == orm.created_at == datetime(2026, 3, 2, 21, 59, 59, 999999, UTC)
    assert raw["via-rowset"] == raw["via-orm"]  # byte for byte what SQLAlchemy stores
    assert rows["second"].note is None and rows["second"].actor_id == 1


async def test_rowset_of_one_row_and_of_many(session_factory: SessionFactory) -> None:
    async with session_factory() as s:
        await ledger.append(s, [entry("one")])
        await ledger.append(s, [entry(f"k{i}", amount=i) for i in range(500)])
        await s.commit()
        amounts = (await s.exec(select(LedgerEntry.amount).order_by(LedgerEntry.id))).all()
    assert list(amounts) == [-5, *range(500)]
