"""Small helpers shared by handlers (parsing Telegram objects into plain data)."""

from __future__ import annotations

from bot.update_parts import actor_id, is_real_member, user_info

__all__ = ["actor_id", "command_args", "is_real_member", "user_info"]


def command_args(text: str | None) -> list[str]:
    """Words after the command (`/grant@bot 10 nice` -> ["10", "nice"])."""
    if not text:
        return []
    return text.split()[1:]
