"""Small helpers shared by handlers (parsing Telegram objects into plain data)."""

from __future__ import annotations

import re

from bot.update_parts import actor_id, is_real_member, user_info

__all__ = ["actor_id", "command_args", "is_real_member", "rest_after", "user_info"]


def command_args(text: str | None) -> list[str]:
    """Words after the command (`/grant@bot 10 nice` -> ["10", "nice"])."""
    if not text:
        return []
    return text.split()[1:]


def rest_after(text: str, words: int) -> str:
    """The text after its first `words` words, spacing and line breaks kept."""
    end = 0
    for i, match in enumerate(re.finditer(r"\S+", text)):
        if i == words:
            break
        end = match.end()
    else:
        return ""
    return text[end:].strip()
