"""Services reach the handler that matched (InjectDependencies), not every router level."""

from __future__ import annotations

from pathlib import Path

from aiogram import Router
from aiogram.types import Message

from bot.features import Feature
from tests import factories as f
from tests.app_harness import running_bot


def probe(seen: list[object]) -> Feature:
    async def handler(message: Message, outbox: object, late_service: str) -> None:
        seen.append((outbox, late_service))

    def routers() -> list[Router]:
        r = Router(name="probe")
        r.message.register(handler)
        return [r]

    return Feature("probe", routers)


async def test_services_reach_handlers_but_stay_out_of_the_routers_data(tmp_path: Path) -> None:
    seen: list[object] = []
    async with running_bot(
        f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", features=[probe(seen)]
    ) as bot:
        # aiogram copies workflow_data at every level an update passes: only filters' needs.
        assert set(bot.app.dispatcher.workflow_data) == {"admins"}
        bot.app.deps["late_service"] = "added after composition"  # as a feature's setup does
        await bot.feed(f.message(f.user(7), "hello"))
    assert seen == [(bot.app.outbox, "added after composition")]
