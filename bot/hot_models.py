"""The aiogram models every burst of traffic needs, built at start-up instead of on first use.

aiogram's types are built lazily (bot/lazy_models.py) to keep memory down. The ones that any
update and any reply go through (Update, Message, the methods the bot calls most and their
reply models) would otherwise be built by the first update: about half a second of schema
building in the middle of the first burst, which every update of it waits for.
"""

from __future__ import annotations

from typing import Any

from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageText,
    GetUpdates,
    SendMessage,
    SetMessageReaction,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReactionTypeEmoji,
    ReplyParameters,
    Update,
)
from pydantic import BaseModel

HOT_TYPES: tuple[type[BaseModel], ...] = (
    Update,
    Message,
    CallbackQuery,
    ReplyParameters,  # of every reply in a group
    ReactionTypeEmoji,  # of every check-in's reaction
    InlineKeyboardMarkup,
    InlineKeyboardButton,
)
HOT_METHODS: tuple[type[TelegramMethod[Any]], ...] = (
    GetUpdates,
    SendMessage,
    EditMessageText,
    SetMessageReaction,
    AnswerCallbackQuery,
    DeleteMessage,
)


def build_hot_models(session: BaseSession) -> None:
    for model in (*HOT_TYPES, *HOT_METHODS):
        if not model.__pydantic_complete__:
            model.model_rebuild()
    keep = getattr(session, "keep_response_models", None)
    if keep is not None:  # the real HTTP session validates replies with Response[T]
        keep(method.__returning__ for method in HOT_METHODS)
