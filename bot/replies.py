"""Building outbound messages; handlers enqueue them on the Outbox and move on."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    EditMessageText,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SetMessageReaction,
)
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    Message,
    ReactionTypeEmoji,
    ReplyParameters,
)

from bot.html_clip import clip_html
from bot.outbound import Kind, Outbox, Priority

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_ALBUM = 10  # Telegram's most items in one sendMediaGroup


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


# Older than this, a message is not edited but sent again (Telegram's 48-hour limit on a bot's
# changes to a message; the emulator enforces it). A refused edit ("message can't be edited",
# "message to edit not found") is sent again too.
EDITABLE_FOR = timedelta(hours=48)
_NOT_EDITABLE = re.compile(r"can't be edited|message to edit not found", re.IGNORECASE)


def edit_pressed(
    outbox: Outbox,
    query: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None,
    now: datetime,
) -> None:
    """Show `text` (and its buttons) in place of the message whose button was pressed; when
    Telegram no longer lets the bot edit it (older than 48 hours, inaccessible, or the edit is
    refused as such) the same content comes as a fresh message instead. The press itself is
    answered by the caller either way."""
    message = query.message
    chat_id = message.chat.id if message is not None else query.from_user.id

    def fresh() -> None:
        outbox.send(
            chat_id,
            SendMessage(chat_id=chat_id, text=clip(text), reply_markup=markup),
            priority=Priority.HIGH,
        )

    if not isinstance(message, Message) or now - message.date > EDITABLE_FOR:
        fresh()
        return
    edit = EditMessageText(
        chat_id=chat_id, message_id=message.message_id, text=clip(text), reply_markup=markup
    )
    sent = outbox.send(chat_id, edit, priority=Priority.HIGH, counts_as_message=False)

    def refused(future: asyncio.Future[Any]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if isinstance(exc, TelegramBadRequest) and _NOT_EDITABLE.search(exc.message):
            fresh()

    sent.add_done_callback(refused)


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


def send_photos(
    outbox: Outbox,
    chat_id: int,
    photos: list[bytes],
    *,
    caption: str = "",
    reply_to: int | None = None,
    priority: Priority = Priority.NORMAL,
    name: str = "chart",
) -> list[asyncio.Future[Any]]:
    """PNG images as one album (sendMediaGroup, uploaded), the caption under the first; more
    than ten go as several albums, a single one as a photo. Each album counts as as many
    messages as it has photos in the Outbox's windows, as Telegram counts them."""
    futures: list[asyncio.Future[Any]] = []
    reply = (
        ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
        if reply_to is not None
        else None
    )
    text = clip(caption, MAX_CAPTION) if caption else None
    chunks = [photos[i : i + MAX_ALBUM] for i in range(0, len(photos), MAX_ALBUM)]
    if len(chunks) > 1 and len(chunks[-1]) == 1:  # 11 photos: 9 + 2, not 10 + 1
        chunks[-1].insert(0, chunks[-2].pop())
    number = 0
    for index, chunk in enumerate(chunks):
        first_caption = text if index == 0 else None
        files = []
        for data in chunk:
            number += 1
            files.append(BufferedInputFile(data, filename=f"{name}-{number}.png"))
        if len(files) == 1:
            method: Any = SendPhoto(
                chat_id=chat_id, photo=files[0], caption=first_caption, reply_parameters=reply
            )
        else:
            method = SendMediaGroup(
                chat_id=chat_id,
                media=[
                    InputMediaPhoto(media=file, caption=first_caption if i == 0 else None)
                    for i, file in enumerate(files)
                ],
                reply_parameters=reply,
            )
        futures.append(outbox.send(chat_id, method, priority=priority, messages=len(files)))
    return futures
