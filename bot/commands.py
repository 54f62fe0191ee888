"""The command menus Telegram shows, in both languages (setMyCommands), from the declarations."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)

from bot.features import CommandCatalog, CommandSpec, Role, Where
from bot.i18n import LANGUAGES, Locales

logger = logging.getLogger(__name__)


def commands_for(locales: Locales, language: str, specs: list[CommandSpec]) -> list[BotCommand]:
    t = locales.get(language)
    return [BotCommand(command=spec.name, description=t(f"cmd-{spec.name}")) for spec in specs]


def menus(
    catalog: CommandCatalog, owner_ids: Iterable[int]
) -> list[tuple[object, list[CommandSpec]]]:
    """(scope, commands) for every menu Telegram should show."""
    member = {Role.MEMBER}
    scopes: list[tuple[object, list[CommandSpec]]] = [
        (BotCommandScopeAllPrivateChats(), catalog.visible(Where.PRIVATE, member, menu=True)),
        (BotCommandScopeAllGroupChats(), catalog.visible(Where.GROUP, member, menu=True)),
        (
            BotCommandScopeAllChatAdministrators(),
            catalog.visible(Where.GROUP, {Role.MEMBER, Role.ADMIN}, menu=True),
        ),
    ]
    owner_menu = catalog.visible(Where.PRIVATE, {Role.MEMBER, Role.OWNER}, menu=True)
    if any(spec.role == Role.OWNER for spec in owner_menu):
        scopes += [(BotCommandScopeChat(chat_id=owner), owner_menu) for owner in owner_ids]
    return scopes


async def publish_commands(
    bot: Bot, locales: Locales, catalog: CommandCatalog, owner_ids: Iterable[int] = ()
) -> None:
    try:
        for scope, specs in menus(catalog, owner_ids):
            for language in LANGUAGES:
                await bot.set_my_commands(
                    commands_for(locales, language, specs),
                    scope=scope,  # type: ignore[arg-type]
                    language_code=None if language == "en" else language,
                )
    except TelegramAPIError as exc:
        logger.warning("could not publish the command menu: %s", exc)
