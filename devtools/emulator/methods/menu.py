"""The bot's menu button in private chats: setChatMenuButton, getChatMenuButton."""

from __future__ import annotations

from typing import Any

from devtools.emulator.content import check_web_app_url
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import method
from devtools.emulator.world import World

DEFAULT = {"type": "default"}


@method("setChatMenuButton")
def set_chat_menu_button(world: World, params: dict[str, Any]) -> bool:
    """Telegram: a private chat's button, or (no chat_id) the default for every private chat;
    a group's chat id is refused. Types: commands, web_app (text and an https URL), default."""
    chat_id = params.get("chat_id")
    key = None
    if chat_id not in (None, ""):
        chat = world.chat(params)
        if chat["type"] != "private":
            raise ApiError(400, "Bad Request: chat not found")
        key = int(chat["id"])
    button = params.get("menu_button") or DEFAULT
    if isinstance(button, str):
        import json

        button = json.loads(button)
    kind = button.get("type")
    if kind == "web_app":
        text = button.get("text") or ""
        if not 1 <= len(text) <= 64:
            raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
        check_web_app_url(world, (button.get("web_app") or {}).get("url"))
    elif kind not in ("commands", "default"):
        raise ApiError(400, "Bad Request: unsupported menu button type")
    world.menu_buttons[key] = dict(button)
    return True


@method("getChatMenuButton")
def get_chat_menu_button(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = params.get("chat_id")
    key = int(chat_id) if chat_id not in (None, "") else None
    return world.menu_buttons.get(key) or world.menu_buttons.get(None) or {"type": "commands"}
