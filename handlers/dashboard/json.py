"""Plain JSON values for the dashboard's pages (instants as ISO 8601 UTC, HTML made text)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.replies import plain


def when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def day(value: date) -> str:
    return value.isoformat()


def text(html_text: str) -> str:
    """A message rendered for Telegram (HTML) as the text a person reads."""
    return plain(html_text)
