"""Group settings lookups: a burst from a group not cached yet reads (and registers) it once,
not once per update; a cached entry expires, so changes made by another process show."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlmodel import select as sql_select

from core.community.groups import GroupService
from core.engagement.settings import checkin_points
from core.uow import UnitOfWork
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.tables import AuditLog, ChatGroup
from tests.group_service import group_service

GROUP = -1001234500001


class CountingFactory:
    def __init__(self, inner: SessionFactory) -> None:
        self.inner = inner
        self.opened = 0

    @asynccontextmanager
    async def __call__(self):  # type: ignore[no-untyped-def]
        self.opened += 1
        async with self.inner() as session:
            yield session


async def test_concurrent_lookups_share_one_load(session_factory: SessionFactory) -> None:
    counting = CountingFactory(session_factory)
    groups = group_service(counting)  # type: ignore[arg-type]

    found = await asyncio.gather(*(groups.settings_for(GROUP, "Burst") for _ in range(50)))

    assert {s.group_id for s in found} == {GROUP}
    assert counting.opened == 1
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ChatGroup)) == 1
    assert await groups.settings_for(GROUP) is found[0]  # cached: no further read
    assert counting.opened == 1


async def test_a_failed_load_fails_its_waiters_and_the_next_call_retries(
    session_factory: SessionFactory,
) -> None:
    calls = 0

    class FailingOnce(CountingFactory):
        @asynccontextmanager
        async def __call__(self):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            await asyncio.sleep(0)
            if calls == 1:
                raise ConnectionError("database down")
            async with self.inner() as session:
                yield session

    groups = group_service(FailingOnce(session_factory))  # type: ignore[arg-type]
    outcomes = await asyncio.gather(
        *(groups.settings_for(GROUP, "Burst") for _ in range(5)), return_exceptions=True
    )
    assert all(isinstance(o, ConnectionError) for o in outcomes)
    assert (await groups.settings_for(GROUP, "Burst")).group_id == GROUP
    assert calls == 2


async def test_a_cancelled_loader_does_not_cancel_the_waiters(
    session_factory: SessionFactory,
) -> None:
    gate = asyncio.Event()

    class Slow(CountingFactory):
        @asynccontextmanager
        async def __call__(self):  # type: ignore[no-untyped-def]
            self.opened += 1
            if self.opened == 1:
                await gate.wait()
            async with self.inner() as session:
                yield session

    slow = Slow(session_factory)
    groups = group_service(slow)  # type: ignore[arg-type]
    loader = asyncio.create_task(groups.settings_for(GROUP, "Burst"))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(groups.settings_for(GROUP, "Burst"))
    await asyncio.sleep(0)
    loader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loader
    assert (await waiter).group_id == GROUP
    assert slow.opened == 2


# ---- settings changed by another process: the cache expires ------------------------------

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def change(groups: GroupService, session_factory: SessionFactory, key: str, value: str):  # type: ignore[no-untyped-def]
    uow = UnitOfWork(None, None, factory=session_factory)
    try:
        return await groups.change(uow, GROUP, 100, key, value, AT)
    finally:
        await uow.close()


@pytest.fixture
async def second_process(db_url: str) -> AsyncIterator[SessionFactory]:
    """Another process's connection pool on the same database."""
    engine = create_engine(db_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def test_a_change_made_by_another_process_is_seen_once_the_entry_expires(
    session_factory: SessionFactory, second_process: SessionFactory
) -> None:
    clock = Clock()
    reading = CountingFactory(session_factory)
    here = group_service(reading, cache_seconds=5, clock=clock)
    there = group_service(second_process)
    assert (await here.settings_for(GROUP, "G")).day_start_hour == 0
    assert reading.opened == 1

    key, changed = await change(there, second_process, "daystart", "4")
    assert (key, changed.day_start_hour) == ("day_start", 4)  # the changing process sees it

    clock.now += 4.9  # still trusted: served from memory, no read
    assert (await here.settings_for(GROUP)).day_start_hour == 0
    assert reading.opened == 1
    clock.now += 0.1  # 5 s after it was read: not served any more
    assert (await here.settings_for(GROUP)).day_start_hour == 4
    assert reading.opened == 2
    assert (await here.settings_for(GROUP)).day_start_hour == 4  # and cached again
    assert reading.opened == 2

    # Both ways, and for the derived rules too.
    await change(here, session_factory, "checkin_points", "25")
    there_clock = Clock()
    there = group_service(second_process, clock=there_clock)
    assert checkin_points(await there.settings_for(GROUP)) == 25
    await change(here, session_factory, "points", "30")
    assert checkin_points(await there.settings_for(GROUP)) == 25
    there_clock.now += 5
    assert checkin_points(await there.settings_for(GROUP)) == 30


async def test_an_expired_entry_is_reloaded_once_for_a_burst(
    session_factory: SessionFactory, second_process: SessionFactory
) -> None:
    clock = Clock()
    gate = asyncio.Event()

    class Gated(CountingFactory):
        @asynccontextmanager
        async def __call__(self):  # type: ignore[no-untyped-def]
            self.opened += 1
            await gate.wait()
            async with self.inner() as session:
                yield session

    reading = Gated(session_factory)
    here = group_service(reading, clock=clock)
    gate.set()
    first = await here.settings_for(GROUP, "G")
    await change(group_service(second_process), second_process, "language", "zh")
    clock.now += 60

    gate.clear()  # the reload takes a while: the burst piles up behind it
    burst = [asyncio.create_task(here.settings_for(GROUP)) for _ in range(50)]
    await asyncio.sleep(0)
    gate.set()
    found = await asyncio.gather(*burst)
    assert reading.opened == 2
    assert {s.language for s in found} == {"zh"} and first.language == "en"
    assert all(s is found[0] for s in found)


async def test_without_caching_every_lookup_reads(session_factory: SessionFactory) -> None:
    reading = CountingFactory(session_factory)
    groups = group_service(reading, cache_seconds=0)
    for _ in range(3):
        await groups.settings_for(GROUP, "G")
    assert reading.opened == 3


async def test_the_cache_keeps_the_most_recently_used_groups(
    session_factory: SessionFactory,
) -> None:
    reading = CountingFactory(session_factory)
    groups = group_service(reading, max_cached_groups=2)
    a, b, c = GROUP, GROUP - 1, GROUP - 2
    await groups.settings_for(a)
    await groups.settings_for(b)
    await groups.settings_for(a)  # a is now the most recent
    assert reading.opened == 2
    await groups.settings_for(c)  # evicts b
    assert reading.opened == 3
    assert groups.cached(a) is not None and groups.cached(c) is not None
    assert groups.cached(b) is None


async def test_a_change_here_is_seen_here_at_once_and_audited_with_the_stored_old_value(
    session_factory: SessionFactory, second_process: SessionFactory
) -> None:
    here = group_service(session_factory, clock=Clock())
    await here.settings_for(GROUP, "G")
    # Another process changes the timezone; this one still has the old one in memory...
    await change(group_service(second_process), second_process, "tz", "Europe/Berlin")
    assert (await here.settings_for(GROUP)).timezone == "Asia/Shanghai"
    # ...and changes it again: the audit has the value it replaced, and the cache is fresh.
    _, changed = await change(here, session_factory, "timezone", "UTC")
    assert changed.timezone == "UTC"
    assert (await here.settings_for(GROUP)) == changed
    async with session_factory() as session:
        rows = (await session.exec(sql_select(AuditLog).order_by(AuditLog.id))).all()
    assert [json.loads(r.details) for r in rows] == [
        {"key": "timezone", "old": "Asia/Shanghai", "new": "Europe/Berlin"},
        {"key": "timezone", "old": "Europe/Berlin", "new": "UTC"},
    ]


async def test_settings_in_reads_what_is_not_cached_with_the_callers_session(
    session_factory: SessionFactory, second_process: SessionFactory
) -> None:
    """/me in private: several groups, read on the session the use case already holds."""
    other = group_service(second_process)
    for group_id in (GROUP, GROUP - 1, GROUP - 2):
        await other.settings_for(group_id, f"G{group_id}")
    await change(other, second_process, "tz", "Europe/Berlin")  # GROUP
    reading = CountingFactory(session_factory)
    here = group_service(reading)
    cached = await here.settings_for(GROUP - 2)
    async with session_factory() as session:
        found = await here.settings_in(session, [GROUP, GROUP - 1, GROUP - 2, -42])
    assert reading.opened == 1  # the cached lookup; the rest came through `session`
    assert set(found) == {GROUP, GROUP - 1, GROUP - 2}  # -42 is no group
    assert found[GROUP - 2] is cached and found[GROUP].timezone == "Europe/Berlin"
    assert found[GROUP - 1].title == f"G{GROUP - 1}"
    assert here.cached(GROUP) is found[GROUP]  # and now cached
