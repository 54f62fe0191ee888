"""Chats and their members: getChat, getChatMember, getChatAdministrators."""

from __future__ import annotations

from typing import Any

from devtools.emulator.errors import ApiError
from devtools.emulator.members import chat_member
from devtools.emulator.methods import method
from devtools.emulator.world import World


@method("getChatMember")
def get_chat_member(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params)
    user_id = int(params.get("user_id") or 0)
    user = world.users.get(user_id) or (world.bot_user() if user_id == world.bot_id else None)
    if user is None:
        raise ApiError(400, "Bad Request: user not found")
    status = world.status.get((chat["id"], user_id), "left")
    return chat_member(user, status, world.rights.get((chat["id"], user_id)))


@method("getChatAdministrators")
def get_chat_administrators(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    chat = world.chat(params)
    admins = []
    for (chat_id, user_id), status in world.status.items():
        if chat_id == chat["id"] and status in ("creator", "administrator"):
            user = world.users.get(user_id) or world.bot_user()
            admins.append(chat_member(user, status, world.rights.get((chat_id, user_id))))
    return admins


@method("getChat")
def get_chat(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params)
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }
