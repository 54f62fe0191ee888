"""The bot itself: getMe, its command lists, close and logOut."""

from __future__ import annotations

from typing import Any

from devtools.emulator.methods import method
from devtools.emulator.world import World


@method("getMe")
def get_me(world: World, params: dict[str, Any]) -> dict[str, Any]:
    return {
        **world.bot_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": not world.privacy_mode,
        "supports_inline_queries": False,
    }


def _commands_key(params: dict[str, Any]) -> str:
    scope = (params.get("scope") or {}).get("type", "default")
    return f"{scope}:{params.get('language_code') or ''}"


@method("setMyCommands")
def set_my_commands(world: World, params: dict[str, Any]) -> bool:
    world.commands[_commands_key(params)] = params.get("commands") or []
    return True


@method("getMyCommands")
def get_my_commands(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    return world.commands.get(_commands_key(params), [])


@method("deleteMyCommands")
def delete_my_commands(world: World, params: dict[str, Any]) -> bool:
    return True


@method("close")
def close(world: World, params: dict[str, Any]) -> bool:
    return True


@method("logOut")
def log_out(world: World, params: dict[str, Any]) -> bool:
    return True
