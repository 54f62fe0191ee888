"""A 403 in private: "blocked" only for someone who had started the bot."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import SendMessage
from sqlalchemy import select

from storage.tables import TgUser
from tests import factories as f
from tests.app_harness import Harness, running_bot

STRANGER, FAN = 501, 502


async def _blocked_at(bot: Harness, user_id: int) -> object:
    async with bot.app.session_factory() as db:
        return (await db.exec(select(TgUser.blocked_at).where(TgUser.id == user_id))).scalar()


async def test_a_403_marks_blocked_only_who_started_the_bot(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(f.user(STRANGER), "/checkin"), f.message(f.user(FAN), "/checkin"))
        await bot.feed(f.message(f.user(FAN), "/start", chat_id=FAN))
        bot.session.unreachable |= {STRANGER, FAN}
        for user_id in (STRANGER, FAN):
            sent = bot.app.outbox.send(user_id, SendMessage(chat_id=user_id, text="hi"))
            with contextlib.suppress(TelegramForbiddenError):
                await sent
        assert await _blocked_at(bot, STRANGER) is None  # never started: not a block
        assert await _blocked_at(bot, FAN) is not None
