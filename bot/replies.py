"""Building outbound messages; handlers enqueue them on the Outbox and move on."""

from __future__ import annotations

import asyncio
import html
import re
from typing import Any

from aiogram.enums import ChatType
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup, Message, ReplyParameters

from bot.html_clip import clip_html
from bot.outbound import Outbox, Priority

MAX_TEXT = 4096


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """HTML text within Telegram's limit, by the length Telegram counts."""
    return clip_html(text, limit)


_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """HTML message text as plain text (for callback answers, which have no parse mode)."""
    return html.unescape(_TAG.sub("", text))


def reply(
    outbox: Outbox,
    message: Message,
    text: str,
    *,
    priority: Priority | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> asyncio.Future[Any]:
    """Answer a message: in groups as a reply to it; private chats and admins go first."""
    private = message.chat.type == ChatType.PRIVATE
    if priority is None:
        priority = Priority.HIGH if private else Priority.NORMAL
    method = SendMessage(
        chat_id=message.chat.id,
        text=clip(text),
        reply_markup=markup,
        reply_parameters=None
        if private
        else ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True),
    )
    return outbox.send(message.chat.id, method, priority=priority)


def send(
    outbox: Outbox,
    chat_id: int,
    text: str,
    *,
    priority: Priority = Priority.NORMAL,
    markup: InlineKeyboardMarkup | None = None,
) -> asyncio.Future[Any]:
    return outbox.send(
        chat_id,
        SendMessage(chat_id=chat_id, text=clip(text), reply_markup=markup),
        priority=priority,
    )
