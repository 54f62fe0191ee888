"""Job occurrences and bulk sends are idempotent by their own key, like updates by their id."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from core.jobs import occurrence_key, run_once
from core.uow import UnitOfWork
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.queries.engagement import ledger
from storage.tables import LedgerEntry, ProcessedKey

GROUP = -100777
DUE = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _credit(key: str, calls: list[str]):  # type: ignore[no-untyped-def]
    async def work(uow: UnitOfWork) -> str:
        calls.append(key)
        await ledger.append(
            uow.session,
            [
                {
                    "group_id": GROUP,
                    "user_id": 1,
                    "amount": 5,
                    "reason": "test_job",
                    "note": None,
                    "source": "job",
                    "actor_id": None,
                    "idempotency_key": f"credit:{key}",
                    "created_at": DUE,
                }
            ],
        )
        return "sent"

    return work


async def _counts(session_factory: SessionFactory) -> tuple[int, int]:
    async with session_factory() as s:
        rows = (await s.exec(sa.select(sa.func.count()).select_from(LedgerEntry))).one()[0]
        keys = (await s.exec(sa.select(sa.func.count()).select_from(ProcessedKey))).one()[0]
    return rows, keys


def test_occurrence_key_names_the_job_and_its_due_time() -> None:
    assert occurrence_key("post", 42, DUE) == "post:42:2026-12-01T08:00:00+00:00"


async def test_an_occurrence_fired_twice_has_its_effect_once(
    session_factory: SessionFactory,
) -> None:
    key = occurrence_key("post", 42, DUE)
    calls: list[str] = []
    assert await run_once(session_factory, key, _credit(key, calls)) == (True, "sent")
    assert await run_once(session_factory, key, _credit(key, calls)) == (False, None)
    assert await _counts(session_factory) == (1, 1)
    other = occurrence_key("post", 42, DUE.replace(hour=9))  # the next occurrence runs
    assert (await run_once(session_factory, other, _credit(other, calls)))[0] is True
    assert await _counts(session_factory) == (2, 2)


async def test_two_processes_firing_the_same_occurrence_at_once(
    db_url: str, session_factory: SessionFactory
) -> None:
    """Two engines on one database stand for two processes (a restart racing a take-over)."""
    other_engine = create_engine(db_url)
    try:
        other = create_session_factory(other_engine)
        key = occurrence_key("report", 7, DUE)
        calls: list[str] = []
        outcomes = await asyncio.gather(
            *(
                run_once(factory, key, _credit(key, calls))
                for factory in (session_factory, other, session_factory, other)
            )
        )
    finally:
        await other_engine.dispose()
    assert sorted(done for done, _ in outcomes) == [False, False, False, True]
    assert await _counts(session_factory) == (1, 1)


async def test_a_failed_occurrence_leaves_no_key_and_may_run_again(
    session_factory: SessionFactory,
) -> None:
    key = occurrence_key("feed", 3, DUE)

    async def broken(uow: UnitOfWork) -> None:
        await _credit(key, [])(uow)
        raise RuntimeError("the feed was unreachable")

    with pytest.raises(RuntimeError):
        await run_once(session_factory, key, broken)
    assert await _counts(session_factory) == (0, 0)
    assert (await run_once(session_factory, key, _credit(key, [])))[0] is True
    assert await _counts(session_factory) == (1, 1)
