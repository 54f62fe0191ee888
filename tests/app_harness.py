"""The whole bot in-process (real Dispatcher, handlers and database; Telegram answered in-process)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from aiogram.methods import SendDocument, SendMessage
from aiogram.types import Update

from bot.features import Feature
from composition.app import App, create_app
from devtools.inprocess import InProcessSession
from tests.conftest import make_settings


class Harness:
    def __init__(self, app: App, session: InProcessSession) -> None:
        self.app = app
        self.session = session

    async def feed(self, *updates: Update) -> None:
        await self.app.processor.process(list(updates))
        await self.app.processor.drain(10)  # replies are queued after the commit
        await self.app.outbox.drain(10)

    def texts(self, chat_id: int | None = None) -> list[str]:
        return self.session.sent_texts(chat_id)

    def last_text(self, chat_id: int | None = None) -> str:
        texts = self.texts(chat_id)
        assert texts, "the bot sent nothing"
        return texts[-1]

    def sent(self, kind: type = SendMessage) -> list[Any]:
        return [c for c in self.session.calls if isinstance(c, kind)]

    def documents(self) -> list[SendDocument]:
        return self.sent(SendDocument)

    def clear(self) -> None:
        self.session.calls.clear()


@asynccontextmanager
async def running_bot(
    db_url: str,
    *,
    admins: set[tuple[int, int]] | None = None,
    features: Sequence[Feature] | None = None,
    clock: Callable[[], datetime] | None = None,
    **settings: Any,
) -> AsyncIterator[Harness]:
    session = InProcessSession(admins=admins)
    app = await create_app(
        make_settings(db_url, **settings),
        bot_session=session,
        features=features,
        **({"clock": clock} if clock is not None else {}),
    )
    app.deps["bot_username"] = "community_test_bot"
    app.outbox.start()
    try:
        yield Harness(app, session)
    finally:
        await app.close()
