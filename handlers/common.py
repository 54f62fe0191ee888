"""Small helpers shared by handlers (parsing Telegram objects into plain data)."""

from __future__ import annotations

from aiogram.types import User

from bot.services.member_events import UserInfo
from bot.update_parts import SERVICE_USER_IDS


def user_info(user: User) -> UserInfo:
    return UserInfo(
        user_id=user.id,
        username=user.username,
        display_name=user.full_name[:255],
        language_code=user.language_code,
    )


def is_real_member(user: User | None) -> bool:
    return user is not None and not user.is_bot and user.id not in SERVICE_USER_IDS


def command_args(text: str | None) -> list[str]:
    """Words after the command (`/grant@bot 10 nice` -> ["10", "nice"])."""
    if not text:
        return []
    return text.split()[1:]
