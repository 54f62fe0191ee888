"""The command menus Telegram shows, in both languages (setMyCommands)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)

from bot.i18n import LANGUAGES, Locales

logger = logging.getLogger(__name__)

MEMBER_GROUP_COMMANDS = ["checkin", "me", "top", "help"]
PRIVATE_COMMANDS = ["start", "me", "help"]
ADMIN_COMMANDS = MEMBER_GROUP_COMMANDS + ["settings", "grant", "deduct", "export"]


def commands_for(locales: Locales, language: str, names: list[str]) -> list[BotCommand]:
    t = locales.get(language)
    return [BotCommand(command=name, description=t(f"cmd-{name}")) for name in names]


async def publish_commands(bot: Bot, locales: Locales) -> None:
    scopes = [
        (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
        (BotCommandScopeAllGroupChats(), MEMBER_GROUP_COMMANDS),
        (BotCommandScopeAllChatAdministrators(), ADMIN_COMMANDS),
    ]
    try:
        for scope, names in scopes:
            for language in LANGUAGES:
                await bot.set_my_commands(
                    commands_for(locales, language, names),
                    scope=scope,
                    language_code=None if language == "en" else language,
                )
    except TelegramAPIError as exc:
        logger.warning("could not publish the command menu: %s", exc)
