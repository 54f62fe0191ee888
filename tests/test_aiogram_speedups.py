"""bot/aiogram_speedups.py: the replacements dispatch exactly as aiogram's originals do."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import BaseMiddleware, Bot, Dispatcher, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.dispatcher.middlewares.manager import MiddlewareManager
from aiogram.filters import Command
from aiogram.types import Update

from bot import aiogram_speedups


class Mark(BaseMiddleware):
    def __init__(self, name: str, trace: list[str], *, stop: bool = False) -> None:
        self.name, self.trace, self.stop = name, trace, stop

    async def __call__(self, handler: Any, event: Any, data: dict[str, Any]) -> Any:
        self.trace.append(f"{self.name}>")
        if self.stop and "stop" in (getattr(event, "text", "") or ""):
            self.trace.append(f"{self.name} stopped")
            return None
        data[self.name] = True
        result = await handler(event, data)
        self.trace.append(f"<{self.name}")
        return result


def build(trace: list[str]) -> Dispatcher:
    dp = Dispatcher(disable_fsm=True, service="S")
    dp.update.outer_middleware(Mark("update-outer", trace))
    dp.message.middleware(Mark("root-inner", trace))
    parent, child, other = Router(name="parent"), Router(name="child"), Router(name="other")
    parent.message.outer_middleware(Mark("parent-outer", trace, stop=True))
    parent.message.middleware(Mark("parent-inner", trace))
    child.message.middleware(Mark("child-inner", trace))

    async def skipping(message: Any) -> None:
        trace.append("skipping handler")
        raise SkipHandler

    async def handle(message: Any, service: str, **data: Any) -> str:
        seen = sorted(k for k in data if k.endswith(("-outer", "-inner")))
        trace.append(f"handler service={service} saw={','.join(seen)}")
        return "done"

    async def fallback(message: Any) -> str:
        trace.append("fallback")
        return "fallback"

    child.message.register(skipping, Command("go"))
    child.message.register(handle, Command("go"))
    other.message.register(fallback)
    parent.include_router(child)
    dp.include_routers(parent, other)
    return dp


def update(text: str, bot: Bot) -> Update:
    return Update.model_validate(
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": -100, "type": "supergroup", "title": "G"},
                "from": {"id": 5, "is_bot": False, "first_name": "A"},
                "text": text,
            },
        },
        context={"bot": bot},
    )


async def run(texts: list[str]) -> list[str]:
    bot = Bot("123:ABC")
    trace: list[str] = []
    dp = build(trace)
    for text in texts:
        trace.append(f"-- {text}")
        trace.append(f"result {await dp.feed_update(bot, update(text, bot))}")
    await bot.session.close()
    return trace


def use(monkeypatch: pytest.MonkeyPatch, functions: dict[str, Any]) -> None:
    monkeypatch.setattr(
        MiddlewareManager, "wrap_middlewares", staticmethod(functions["wrap_middlewares"])
    )
    monkeypatch.setattr(
        TelegramEventObserver, "_resolve_middlewares", functions["_resolve_middlewares"]
    )
    monkeypatch.setattr(
        TelegramEventObserver, "wrap_outer_middleware", functions["wrap_outer_middleware"]
    )


REPLACEMENTS = {
    "wrap_middlewares": aiogram_speedups.wrap_middlewares,
    "_resolve_middlewares": aiogram_speedups.resolve_middlewares,
    "wrap_outer_middleware": aiogram_speedups.wrap_outer_middleware,
}
TEXTS = ["/go", "hello", "/go stop", "stop"]


async def test_the_replacements_dispatch_as_aiogram_does(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, aiogram_speedups.originals())
    expected = await run(TEXTS)
    use(monkeypatch, REPLACEMENTS)
    assert await run(TEXTS) == expected
    # What the trace shows, so the comparison cannot pass on two empty traces.
    assert (
        "handler service=S saw=child-inner,parent-inner,parent-outer,root-inner,update-outer"
        in expected
    )
    assert (
        expected.index("root-inner>")
        < expected.index("parent-inner>")
        < expected.index("child-inner>")
    )
    assert "skipping handler" in expected and "result fallback" in expected
    assert "parent-outer stopped" in expected


def test_the_installed_aiogram_is_the_one_the_replacements_were_written_for() -> None:
    # If this fails after an upgrade, compare aiogram's new functions with bot/aiogram_speedups.py.
    assert aiogram_speedups.changed_originals() == []


def test_install_is_idempotent_and_keeps_the_originals() -> None:
    assert aiogram_speedups.install() and aiogram_speedups.install()
    # A second install must not save the replacements as the "originals".
    assert all(f.__module__.startswith("aiogram.") for f in aiogram_speedups.originals().values())
    assert MiddlewareManager.wrap_middlewares is aiogram_speedups.wrap_middlewares
