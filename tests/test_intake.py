"""UpdateProcessor: when an update counts as done, in which order, and what is checked for
redelivery (a minimal Dispatcher whose handlers the tests control; SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import Message, Update
from sqlalchemy.exc import OperationalError

from bot.intake import RetryBatch, UpdateProcessor
from core.uow import CommittedUpdates
from devtools.inprocess import InProcessSession
from storage.db import SessionFactory
from storage.queries import updates as processed
from tests import factories as f

ADA = f.user(1, "Ada")
BOB = f.user(2, "Bob")

Handler = Callable[[Message, int], Awaitable[None]]


def processor_with(
    session_factory: SessionFactory, handler: Handler
) -> tuple[UpdateProcessor, CommittedUpdates]:
    committed = CommittedUpdates()
    dispatcher = Dispatcher(disable_fsm=True)

    async def on_message(message: Message, event_update: Update) -> None:
        await handler(message, event_update.update_id)

    dispatcher.message.register(on_message)
    bot = Bot("123456:TEST", session=InProcessSession())
    return UpdateProcessor(dispatcher, bot, session_factory, committed), committed


async def recorded(session_factory: SessionFactory, ids: list[int]) -> set[int]:
    async with session_factory() as session:
        return await processed.known(session, ids)


async def test_an_update_is_done_once_committed_and_its_member_waits_for_the_rest(
    session_factory: SessionFactory,
) -> None:
    committed_ids: list[int] = []
    log: list[str] = []
    release = asyncio.Event()

    async def handler(message: Message, update_id: int) -> None:
        log.append(f"start {message.text}")
        async with session_factory() as session:  # the use case records its update
            await processed.claim(session, [update_id], message.date)
            await session.commit()
        committed.add([update_id])
        committed_ids.append(update_id)
        if message.text == "slow":
            await release.wait()  # e.g. rendering and queuing the reply
        log.append(f"end {message.text}")

    processor, committed = processor_with(session_factory, handler)
    slow = f.message(ADA, "slow")
    await asyncio.wait_for(processor.process([slow]), 5)  # returns while the handler runs on
    assert log == ["start slow"] and await recorded(session_factory, [slow.update_id])

    # The same member's next update waits for the unfinished handler; another member's doesn't.
    next_of_ada = asyncio.create_task(processor.process([f.message(ADA, "after")]))
    await asyncio.wait_for(processor.process([f.message(BOB, "other")]), 5)
    assert log == ["start slow", "start other", "end other"]
    assert not next_of_ada.done()
    release.set()
    await asyncio.wait_for(next_of_ada, 5)
    await processor.drain(5)
    assert log == [
        "start slow",
        "start other",
        "end other",
        "end slow",
        "start after",
        "end after",
    ]


async def test_a_transient_failure_before_the_commit_makes_the_batch_come_again(
    session_factory: SessionFactory,
) -> None:
    calls: list[str] = []

    async def handler(message: Message, update_id: int) -> None:
        calls.append(message.text or "")
        if message.text == "db down" and calls.count("db down") == 1:
            raise OperationalError("INSERT", {}, ConnectionError("database went away"))

    processor, _ = processor_with(session_factory, handler)
    first, failing, after = (
        f.message(ADA, "first"),
        f.message(ADA, "db down"),
        f.message(ADA, "after"),
    )
    with pytest.raises(RetryBatch):
        await processor.process([first, failing, after])
    assert calls == ["first", "db down"]  # "after" waits for the redelivery, in order
    assert await recorded(session_factory, [first.update_id, failing.update_id]) == set()

    await processor.process([first, failing, after])  # Telegram delivers the batch again
    # "first" finished before: not handled twice, even though it wrote nothing.
    assert calls == ["first", "db down", "db down", "after"]
    ids = [first.update_id, failing.update_id, after.update_id]
    assert await recorded(session_factory, ids) == set(ids)


async def test_a_batch_that_comes_again_leaves_nothing_behind_in_memory(
    session_factory: SessionFactory,
) -> None:
    async def handler(message: Message, update_id: int) -> None:
        if message.text == "db down":
            raise OperationalError("INSERT", {}, ConnectionError("database went away"))
        committed.add([update_id])  # Bob's update commits

    processor, committed = processor_with(session_factory, handler)
    batch = [f.message(ADA, "db down"), f.message(BOB, "fine")]
    with pytest.raises(RetryBatch):
        await processor.process(batch)
    # Neither the committed id nor the failed update's waiter stays until the redelivery.
    assert committed.take([u.update_id for u in batch]) == set()
    assert committed._waiters == {}  # noqa: SLF001


async def test_a_failure_after_the_commit_does_not_undo_the_update(
    session_factory: SessionFactory,
) -> None:
    async def handler(message: Message, update_id: int) -> None:
        committed.add([update_id])  # its effects are in
        raise OperationalError("SELECT", {}, ConnectionError("lost while rendering the reply"))

    processor, committed = processor_with(session_factory, handler)
    update = f.message(ADA, "checkin")
    await processor.process([update])  # done: no RetryBatch, no redelivery
    await processor.drain(5)


async def test_polling_checks_for_redelivery_only_below_the_high_water_mark(
    session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    handled: list[int] = []

    async def handler(message: Message, update_id: int) -> None:
        handled.append(update_id)

    async with session_factory() as session:
        await processed.claim(session, [1000], f.message(ADA, "x").message.date)  # type: ignore[union-attr]
        await session.commit()
    processor, _ = processor_with(session_factory, handler)
    await processor.assume_single_consumer()

    checked: list[list[int]] = []
    known = processed.known

    async def spy(session, ids):  # type: ignore[no-untyped-def]
        checked.append(list(ids))
        return await known(session, ids)

    monkeypatch.setattr(processed, "known", spy)
    redelivered = f.message(ADA, "old", update_id=1000)
    fresh = [f.message(BOB, "new", update_id=1001), f.message(BOB, "new", update_id=1002)]
    await processor.process([redelivered, *fresh])
    assert checked == [[1000]] and handled == [1001, 1002]  # 1000 was done before the restart

    await processor.process([f.message(BOB, "again", update_id=1002)])  # below the mark now
    assert checked == [[1000], [1002]] and handled == [1001, 1002]


async def test_copies_of_a_read_only_update_arriving_together_are_answered_once(
    session_factory: SessionFactory,
) -> None:
    answers: list[int] = []

    async def handler(message: Message, update_id: int) -> None:
        await asyncio.sleep(0.01)  # e.g. a leaderboard query
        answers.append(update_id)

    processor, _ = processor_with(session_factory, handler)
    update = f.message(ADA, "/top")
    await asyncio.gather(processor.process_one(update), processor.process_one(update))
    assert answers == [update.update_id]
    assert await recorded(session_factory, [update.update_id]) == {update.update_id}
