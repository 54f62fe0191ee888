"""The manager dashboard (a Telegram Mini App): the /dashboard command, the private chats' menu
button, and the pages' routes, which call the same use cases as the chat handlers."""

from __future__ import annotations

from bot.dashboard.routes import WebPage


def pages() -> list[WebPage]:
    """Every page, in the navigation's order."""
    from handlers.dashboard import (
        campaigns,
        feedback,
        members,
        overview,
        rewards,
        schedule,
        settings,
    )

    return [
        overview.page(),
        members.page(),
        rewards.page(),
        schedule.page(),
        campaigns.page(),
        feedback.page(),
        *settings.pages(),
    ]
