"""Fast access to an update's event, chat and sender (aiogram's Update.event is slow on hot paths)."""

from __future__ import annotations

from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberUpdated,
    Message,
    TelegramObject,
    Update,
    User,
)

from core.engagement.member_events import UserInfo

# "GroupAnonymousBot" (an anonymous admin), Telegram's service account, "Channel_Bot".
SERVICE_USER_IDS = frozenset({1087968824, 777000, 136817688})


def event_of(update: Update) -> TelegramObject | None:
    for event in (
        update.message,
        update.callback_query,
        update.chat_member,
        update.my_chat_member,
    ):
        if event is not None:
            return event
    try:
        return update.event
    except LookupError:
        return None


def chat_and_user(event: TelegramObject | None) -> tuple[Chat | None, User | None]:
    if isinstance(event, (Message, ChatMemberUpdated)):
        return event.chat, event.from_user
    if isinstance(event, CallbackQuery):
        return (event.message.chat if event.message is not None else None), event.from_user
    return None, getattr(event, "from_user", None) if event is not None else None


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
