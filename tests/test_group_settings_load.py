"""A burst from a group not cached yet reads (and registers) it once, not once per update."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import func, select

from storage.db import SessionFactory
from storage.tables import ChatGroup
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
