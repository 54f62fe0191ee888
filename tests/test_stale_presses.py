"""A press on a message Telegram no longer lets the bot edit (older than 48 hours, inaccessible,
or the edit refused as such): the press is answered and the content comes as a fresh message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import Update

from devtools.emulator.actions import WorldActions
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import load
from handlers.community.settings import SettingsButton
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.databases import SqliteTemplate

ADMIN = f.user(100, "Ada")
SHOW = SettingsButton(action="show").pack()


def press(data: str, message_id: int, *, sent_at: datetime | None) -> Update:
    """A press on the settings panel, sent at `sent_at` (None: a message Telegram says is
    inaccessible, date 0)."""
    update = f.callback(ADMIN, data, message_id)
    payload: dict[str, Any] = update.model_dump(mode="json", by_alias=True, exclude_none=True)
    message = payload["callback_query"]["message"]
    if sent_at is None:
        payload["callback_query"]["message"] = {
            "chat": message["chat"],
            "message_id": message_id,
            "date": 0,
        }
    else:
        message["date"] = int(sent_at.timestamp())
    return Update.model_validate(payload)


def shown(bot: Harness) -> tuple[list[EditMessageText], list[SendMessage], int]:
    return bot.sent(EditMessageText), bot.sent(SendMessage), len(bot.sent(AnswerCallbackQuery))


@pytest.fixture
def sqlite_url(sqlite_template: SqliteTemplate, tmp_path: Path) -> str:
    return sqlite_template.copy(tmp_path / "test.db")


async def test_a_press_on_a_message_that_cannot_be_edited_gets_a_fresh_one(
    sqlite_url: str,
) -> None:
    now = datetime.now(UTC)
    async with running_bot(sqlite_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(press(SHOW, 7, sent_at=now - timedelta(hours=1)))
        edits, sends, answered = shown(bot)
        assert len(edits) == 1 and not sends and answered == 1  # the usual: edited in place

        for stale in (now - timedelta(hours=49), None):  # too old; inaccessible
            bot.clear()
            await bot.feed(press(SHOW, 7, sent_at=stale))
            edits, sends, answered = shown(bot)
            assert not edits and answered == 1
            assert len(sends) == 1 and "Settings" in sends[0].text and sends[0].reply_markup

        bot.clear()  # recent by its date, but Telegram refuses the edit
        bot.session.uneditable.add((f.GROUP_ID, 8))
        await bot.feed(press(SHOW, 8, sent_at=now - timedelta(minutes=5)))
        await bot.app.outbox.drain(5)
        edits, sends, answered = shown(bot)
        assert len(edits) == 1 and len(sends) == 1 and answered == 1
        assert sends[0].text == edits[0].text


def test_the_emulator_refuses_edits_after_48_hours() -> None:
    w = WorldActions(bot_username="test_bot", files_dir=None)
    w.add_group(-100777, "G")
    methods = load()
    sent = methods["sendMessage"](w, {"chat_id": -100777, "text": "panel"})
    edit = {"chat_id": -100777, "message_id": sent["message_id"], "text": "later"}
    w.advance(timedelta(hours=47))
    methods["editMessageText"](w, edit)
    w.advance(timedelta(hours=2))
    for name, extra in (("editMessageText", {"text": "again"}), ("editMessageReplyMarkup", {})):
        with pytest.raises(ApiError, match="can't be edited"):
            methods[name](w, {**edit, **extra})
