"""One update that cannot be handled never stops the bot; a database outage loses nothing."""

from __future__ import annotations

import sqlalchemy as sa
from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message
from sqlalchemy.exc import OperationalError

from bot.features import CommandSpec, Feature
from bot.intake import RetryBatch, UpdateProcessor
from bot.set_aside import MAX_ATTEMPTS, SetAside
from core.uow import CommittedUpdates
from devtools.inprocess import InProcessSession
from handlers import features
from storage.db import SessionFactory
from storage.queries import updates as processed
from storage.tables import SetAsideUpdate
from tests import factories as f
from tests.app_harness import running_bot

ADA = f.user(1, "Ada")


def _processor(
    session_factory: SessionFactory, *, database_up: list[bool], kinds: list[str]
) -> UpdateProcessor:
    dispatcher = Dispatcher(disable_fsm=True)

    async def on_message(message: Message) -> None:
        if message.text == "poison":
            raise OperationalError("SELECT broken", {}, Exception("no such column: x"))

    dispatcher.message.register(on_message)

    async def database_answers() -> bool:
        return database_up[0]

    return UpdateProcessor(
        dispatcher,
        Bot("123456:TEST", session=InProcessSession()),
        session_factory,
        CommittedUpdates(),
        set_aside=SetAside(session_factory, kinds.append),
        database_answers=database_answers,
    )


async def _kept(session_factory: SessionFactory) -> list[tuple[int, int, str]]:
    async with session_factory() as s:
        rows = await s.exec(
            sa.select(SetAsideUpdate.update_id, SetAsideUpdate.attempts, SetAsideUpdate.error)
        )
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def test_an_update_failing_while_the_database_answers_is_set_aside(
    session_factory: SessionFactory,
) -> None:
    kinds: list[str] = []
    processor = _processor(session_factory, database_up=[True], kinds=kinds)
    poison, fine = f.message(ADA, "poison"), f.message(ADA, "fine")
    batch = [poison, fine]  # the same member: `fine` waits for `poison` each time
    for _ in range(MAX_ATTEMPTS - 1):
        try:
            await processor.process(batch)
            raise AssertionError("the batch should be retried")
        except RetryBatch:
            pass
    assert await _kept(session_factory) == []
    try:
        await processor.process(batch)  # third failure: set aside, the batch goes on
    except RetryBatch:
        pass
    await processor.process(batch)  # the retried batch: poison skipped, fine handled
    kept = await _kept(session_factory)
    assert [(uid, n) for uid, n, _ in kept] == [(poison.update_id, MAX_ATTEMPTS)]
    assert "no such column" in kept[0][2]
    assert kinds == ["message"]
    async with session_factory() as s:
        assert await processed.known(s, [poison.update_id, fine.update_id]) == {
            poison.update_id,
            fine.update_id,
        }


async def test_while_the_database_is_down_nothing_is_set_aside(
    session_factory: SessionFactory,
) -> None:
    up = [False]
    processor = _processor(session_factory, database_up=up, kinds=[])
    update = f.message(ADA, "poison")
    for _ in range(MAX_ATTEMPTS + 2):
        try:
            await processor.process([update])
            raise AssertionError("must be retried")
        except RetryBatch:
            pass
    assert await _kept(session_factory) == []  # it may well be the outage: keep retrying


async def _broken(message: Message) -> None:
    raise RuntimeError("a bug")


def _broken_routers() -> list[Router]:
    r = Router(name="broken")
    r.message.register(_broken, BOOM.filter())
    return [r]


BOOM = CommandSpec("boom")


async def test_a_handler_bug_keeps_the_update_and_apologises(
    db_url: str, session_factory: SessionFactory
) -> None:
    broken = Feature("broken", _broken_routers, commands=(BOOM,))
    async with running_bot(db_url, features=[*features(), broken]) as bot:
        bad = f.message(ADA, "/top bogus")  # refused politely: a domain error, not kept
        await bot.feed(bad)
        assert "Unknown option" in bot.last_text()
        bug = f.message(ADA, "/boom")
        await bot.feed(bug)
        assert "something went wrong" in bot.last_text()
    kept = await _kept(session_factory)
    assert [uid for uid, _, _ in kept] == [bug.update_id]
    assert "a bug" in kept[0][2]
