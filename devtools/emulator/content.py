"""What the bot sends, checked as Telegram checks it (text length and HTML, button data) and
stored as a message of the bot's."""

from __future__ import annotations

from typing import Any

from aiogram import types as tg

from devtools.emulator.errors import ApiError
from devtools.emulator.html_text import HtmlError, plain_text
from devtools.emulator.world import World


def check_web_app_url(world: World, url: object) -> None:
    """A Mini App's URL: https only (http too in Telegram's test environment)."""
    schemes = ("https://", "http://") if world.test_environment else ("https://",)
    if not isinstance(url, str) or not url.startswith(schemes) or len(url) > 512:
        raise ApiError(
            400,
            f"Bad Request: inline keyboard button Web App URL '{url}' is invalid: "
            "Only HTTPS links are allowed",
        )


def check_markup(
    markup: dict[str, Any] | None,
    world: World | None = None,
    chat: dict[str, Any] | None = None,
) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if "web_app" in button:
                # Telegram: web_app buttons in private chats only.
                if chat is not None and chat.get("type") != "private":
                    raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
                if world is not None:
                    check_web_app_url(world, (button["web_app"] or {}).get("url"))


def checked_text(text: str | None, parse_mode: str | None, limit: int, what: str) -> str:
    """The text as the user sees it."""
    if not text:
        raise ApiError(400, f"Bad Request: {what} is empty")
    try:
        plain = plain_text(text, parse_mode)
    except HtmlError as exc:
        raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
    if len(plain) > limit:
        raise ApiError(400, f"Bad Request: {what} is too long")
    return plain


def bot_message(
    world: World, chat: dict[str, Any], params: dict[str, Any], **content: Any
) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "message_id": world.next_message_id(chat["id"]),
        "date": world.date(None),
        "chat": chat,
        "from": world.bot_user(),
        **content,
    }
    reply_to = (params.get("reply_parameters") or {}).get("message_id") or params.get(
        "reply_to_message_id"
    )
    if reply_to is not None and (chat["id"], int(reply_to)) in world.messages:
        msg["reply_to_message"] = world.messages[(chat["id"], int(reply_to))]
    if params.get("reply_markup"):
        msg["reply_markup"] = params["reply_markup"]
    if params.get("message_thread_id"):  # a forum topic
        msg["message_thread_id"] = int(params["message_thread_id"])
        msg["is_topic_message"] = True
    world.messages[(chat["id"], msg["message_id"])] = msg
    return tg.Message.model_validate(msg).model_dump(mode="json", exclude_none=True, by_alias=True)
