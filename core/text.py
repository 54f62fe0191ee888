"""Plain-text helpers for what people type and are called (names, words, arguments)."""

from __future__ import annotations

ELLIPSIS = "…"
NAME_LIMIT = 64  # a name shown in a list or a sentence


def shorten(text: str, limit: int = NAME_LIMIT) -> str:
    """`text` cut to `limit` characters, with "…" where it was cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS
