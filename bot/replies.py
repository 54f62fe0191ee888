"""Building outbound messages; handlers enqueue them on the Outbox and move on."""

from __future__ import annotations

import asyncio
import html
import re
from functools import lru_cache
from typing import Any

from aiogram.enums import ChatType
from aiogram.methods import SendMessage, SetMessageReaction
from aiogram.types import InlineKeyboardMarkup, Message, ReactionTypeEmoji, ReplyParameters

from bot.html_clip import clip_html
from bot.outbound import Kind, Outbox, Priority

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
    kind: Kind = Kind.ANSWER,
    priority: Priority | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> asyncio.Future[Any]:
    """Answer a message: in groups as a reply to it; private chats and admins go first.

    `kind=Kind.ACK` for the acknowledgement of a routine action (a check-in, a grant): it goes
    after every answer, so a fresh command is not queued behind it."""
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
    return outbox.send(message.chat.id, method, kind=kind, priority=priority)


@lru_cache(maxsize=16)
def _reaction(emoji: str) -> list[ReactionTypeEmoji]:
    # Built once per emoji: a reaction per check-in in a busy group would otherwise validate a
    # new model each time.
    return [ReactionTypeEmoji(emoji=emoji)]


def react(outbox: Outbox, message: Message, emoji: str) -> asyncio.Future[Any]:
    """Acknowledge a message with a reaction: not a message, dropped if it can no longer matter."""
    chat_id, message_id = message.chat.id, message.message_id
    return outbox.send(
        chat_id,
        # Built when sent: in a busy group most reactions are dropped before their turn.
        lambda: SetMessageReaction(
            chat_id=chat_id, message_id=message_id, reaction=_reaction(emoji)
        ),
        kind=Kind.ACK,
        priority=Priority.LOW,
        counts_as_message=False,
        droppable=True,
    )


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
