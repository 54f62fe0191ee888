"""The private chats' menu button opens the dashboard (setChatMenuButton with a web app)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import MenuButtonWebApp, WebAppInfo

logger = logging.getLogger(__name__)


async def publish_menu_button(bot: Bot, url: str, text: str) -> None:
    """The default menu button of every private chat with the bot (a chat's own button, set by
    nobody here, would win). A refusal is logged, not fatal: the /dashboard command still works."""
    try:
        await bot.set_chat_menu_button(
            menu_button=MenuButtonWebApp(text=text[:64], web_app=WebAppInfo(url=url))
        )
    except TelegramAPIError as exc:
        logger.warning("the dashboard's menu button was refused: %s", exc)
