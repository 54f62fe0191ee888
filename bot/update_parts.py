"""Fast access to an update's event, chat and sender, for every update type.

aiogram's Update.event walks every field on each call; here the busy types are looked at
first. The intake orders updates by (chat, sender) and the middlewares pick the language and
the event time from the same answer, so a feature that handles poll answers, join requests or
reactions gets them ordered and localized without touching this file.
"""

from __future__ import annotations

from datetime import datetime

from aiogram.types import (
    CallbackQuery,
    Chat,
    Message,
    TelegramObject,
    Update,
    User,
)

from core.engagement.member_events import UserInfo

# "GroupAnonymousBot" (an anonymous admin), Telegram's service account, "Channel_Bot".
SERVICE_USER_IDS = frozenset({1087968824, 777000, 136817688})

# Every event field of Update, the common ones first.
EVENT_FIELDS = (
    "message",
    "callback_query",
    "chat_member",
    "my_chat_member",
    "edited_message",
    "message_reaction",
    "poll_answer",
    "chat_join_request",
    "message_reaction_count",
    "channel_post",
    "edited_channel_post",
    "inline_query",
    "chosen_inline_result",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "chat_boost",
    "removed_chat_boost",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
)

# Where each kind of event names its sender (after `from_user`, which most have).
_SENDER_FIELDS = ("from_user", "user")


def event_of(update: Update) -> TelegramObject | None:
    for name in EVENT_FIELDS:
        event = getattr(update, name, None)
        if event is not None:
            return event
    return None


def chat_and_user(event: TelegramObject | None) -> tuple[Chat | None, User | None]:
    if event is None:
        return None, None
    if isinstance(event, CallbackQuery):
        message = event.message
        return (message.chat if message is not None else None), event.from_user
    chat = getattr(event, "chat", None)
    user = None
    for name in _SENDER_FIELDS:
        user = getattr(event, name, None)
        if user is not None:
            break
    return (chat if isinstance(chat, Chat) else None), (user if isinstance(user, User) else None)


def event_time(event: TelegramObject | None) -> datetime | None:
    """Telegram's date of the event, where it has one (messages, member changes, reactions…)."""
    date = getattr(event, "date", None)
    return date if isinstance(date, datetime) else None


def is_anonymous_admin(event: TelegramObject | None) -> bool:
    """A message an administrator posted as the group itself (Telegram allows that only to
    administrators): `sender_chat` is the group."""
    sender_chat = getattr(event, "sender_chat", None)
    chat = getattr(event, "chat", None)
    return sender_chat is not None and chat is not None and sender_chat.id == chat.id


def actor_id(message: Message) -> int:
    """Who did it, for the audit log: the group itself for an anonymous administrator."""
    if is_anonymous_admin(message):
        return message.chat.id
    assert message.from_user is not None
    return message.from_user.id


def user_info(user: User) -> UserInfo:
    return UserInfo(
        user_id=user.id,
        username=user.username,
        display_name=user.full_name[:255],
        language_code=user.language_code,
    )


def is_real_member(user: User | None) -> bool:
    """A person: not a bot, not an anonymous admin or Telegram's service accounts."""
    return user is not None and not user.is_bot and user.id not in SERVICE_USER_IDS
