"""Commands from messages with no person behind them: no `from`, an anonymous admin, a channel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiogram.types import Update

from tests import factories as f
from tests.app_harness import running_bot
from tests.databases import SqliteTemplate

ANON_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
CHANNEL = {"id": -1009876543210, "type": "channel", "title": "News"}


def odd(text: str, shape: str, *, chat_id: int = f.GROUP_ID) -> Update:
    update = f.message(f.user(1), text, chat_id=chat_id)
    msg: dict[str, Any] = f.message_payload(update)
    if shape == "no-from":
        msg.pop("from")
    elif shape == "anonymous-admin":
        msg["from"] = ANON_BOT
        msg["sender_chat"] = {k: v for k, v in msg["chat"].items()}
    elif shape == "channel":
        msg["from"] = CHANNEL_BOT
        msg["sender_chat"] = CHANNEL
    return Update.model_validate({"update_id": f.next_update_id(), "message": msg})


@pytest.fixture
def sqlite_url(sqlite_template: SqliteTemplate, tmp_path: Path) -> str:
    return sqlite_template.copy(tmp_path / "test.db")


async def test_no_command_fails_without_a_person(sqlite_url: str) -> None:
    async with running_bot(sqlite_url) as bot:
        await bot.feed(f.message(f.user(7), "/checkin"))
        names = sorted({n for spec in bot.app.catalog.commands for n in spec.names[:1]})
        for shape in ("no-from", "anonymous-admin", "channel"):
            for name in names:
                bot.clear()
                await bot.feed(odd(f"/{name}", shape), odd(f"/{name} x", shape))
                texts = bot.texts()
                assert not any("went wrong" in t for t in texts), (shape, name, texts)
        # /top still shows the board (without a "You" line), /me says why it has nothing to show.
        for shape in ("anonymous-admin", "channel"):
            bot.clear()
            await bot.feed(odd("/top", shape))
            assert "User7" in bot.last_text() and "You:" not in bot.last_text()
            bot.clear()
            await bot.feed(odd("/me", shape))
            assert "yourself" in bot.last_text()
