"""Invite links and join requests: createChatInviteLink, editChatInviteLink,
revokeChatInviteLink, approveChatJoinRequest, declineChatJoinRequest.

Telegram's rules: the bot must be an administrator with can_invite_users; a link's name has at
most 32 characters; member_limit (1-99999) cannot go with creates_join_request; the bot edits
and revokes only links it created; a join request can be approved or declined once, while it
is pending.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from aiogram import types as tg

from devtools.emulator.errors import ApiError
from devtools.emulator.methods import method
from devtools.emulator.world import World

MAX_NAME = 32
_hashes = itertools.count(1)


def _group(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params)
    if chat["type"] not in ("group", "supergroup", "channel"):
        raise ApiError(400, "Bad Request: chat not found")
    return chat


def _require_invite_right(world: World, chat_id: int, what: str) -> None:
    bot_id = world.bot_id or 1
    if not world.has_right(chat_id, bot_id, "can_invite_users"):
        raise ApiError(400, f"Bad Request: not enough rights to {what}")


def _check_options(params: dict[str, Any]) -> None:
    name = params.get("name")
    if name is not None and len(str(name)) > MAX_NAME:
        raise ApiError(400, "Bad Request: invite link name is too long")
    limit = params.get("member_limit")
    join_request = str(params.get("creates_join_request")).lower() == "true"
    if limit is not None:
        if join_request:
            raise ApiError(
                400,
                "Bad Request: member limit can't be specified for links requiring "
                "administrator approval",
            )
        if not 1 <= int(limit) <= 99_999:
            raise ApiError(400, "Bad Request: USAGE_LIMIT_INVALID")


def link_object(world: World, link: str, *, for_updates: bool = False) -> dict[str, Any]:
    """The ChatInviteLink. In updates, a link another administrator created shows only its
    first part, as Telegram shows it to bots."""
    data = world.invite_links[link]
    creator = world.users.get(data["creator_id"]) or world.bot_user()
    shown = link
    if for_updates and data["creator_id"] != (world.bot_id or 1):
        shown = link[: len("https://t.me/+") + 4] + "..."
    expire = data.get("expire_date")
    return tg.ChatInviteLink(
        invite_link=shown,
        creator=tg.User(**creator),
        creates_join_request=data["creates_join_request"],
        is_primary=data.get("is_primary", False),
        is_revoked=data["is_revoked"],
        name=data.get("name") or None,
        expire_date=datetime.fromtimestamp(expire) if expire else None,
        member_limit=data.get("member_limit"),
    ).model_dump(mode="json", exclude_none=True)


def new_link(world: World, chat_id: int, creator_id: int, **options: Any) -> str:
    link = f"https://t.me/+E{next(_hashes):07d}{abs(chat_id) % 10_000:04d}Xq"
    world.invite_links[link] = {
        "chat_id": chat_id,
        "creator_id": creator_id,
        "name": options.get("name") or "",
        "creates_join_request": bool(options.get("creates_join_request")),
        "is_revoked": False,
        "expire_date": options.get("expire_date"),
        "member_limit": options.get("member_limit"),
    }
    return link


@method("createChatInviteLink")
def create_chat_invite_link(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = _group(world, params)
    _require_invite_right(world, chat["id"], "manage chat invite link")
    _check_options(params)
    link = new_link(
        world,
        chat["id"],
        world.bot_id or 1,
        name=params.get("name"),
        creates_join_request=str(params.get("creates_join_request")).lower() == "true",
        expire_date=int(params["expire_date"]) if params.get("expire_date") else None,
        member_limit=int(params["member_limit"]) if params.get("member_limit") else None,
    )
    return link_object(world, link)


def _own_link(world: World, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
    link = str(params.get("invite_link") or "")
    data = world.invite_links.get(link)
    if data is None or data["chat_id"] != chat_id:
        raise ApiError(400, "Bad Request: INVITE_HASH_INVALID")
    if data["creator_id"] != (world.bot_id or 1):
        raise ApiError(400, "Bad Request: CHAT_ADMIN_REQUIRED")  # only links it created
    return data


@method("editChatInviteLink")
def edit_chat_invite_link(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = _group(world, params)
    _require_invite_right(world, chat["id"], "manage chat invite link")
    data = _own_link(world, chat["id"], params)
    if data["is_revoked"]:
        raise ApiError(400, "Bad Request: INVITE_HASH_EXPIRED")
    _check_options(params)
    if "name" in params:
        data["name"] = params.get("name") or ""
    if "creates_join_request" in params:
        data["creates_join_request"] = str(params["creates_join_request"]).lower() == "true"
        if data["creates_join_request"]:
            data["member_limit"] = None
    return link_object(world, str(params["invite_link"]))


@method("revokeChatInviteLink")
def revoke_chat_invite_link(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = _group(world, params)
    _require_invite_right(world, chat["id"], "manage chat invite link")
    data = _own_link(world, chat["id"], params)
    data["is_revoked"] = True
    return link_object(world, str(params["invite_link"]))


def _pending(world: World, params: dict[str, Any]) -> tuple[dict[str, Any], int]:
    chat = _group(world, params)
    _require_invite_right(world, chat["id"], "invite users")
    user_id = int(params.get("user_id") or 0)
    if world.status.get((chat["id"], user_id)) in ("member", "administrator", "creator"):
        raise ApiError(400, "Bad Request: USER_ALREADY_PARTICIPANT")
    if (chat["id"], user_id) not in world.join_requests:
        raise ApiError(400, "Bad Request: HIDE_REQUESTER_MISSING")
    return chat, user_id


@method("approveChatJoinRequest")
def approve_chat_join_request(world: World, params: dict[str, Any]) -> bool:
    chat, user_id = _pending(world, params)
    request = world.join_requests.pop((chat["id"], user_id))
    admit = world.admit  # type: ignore[attr-defined]  (the emulator's WorldActions)
    admit(chat["id"], user_id, link=request.get("link"), via_join_request=True)
    return True


@method("declineChatJoinRequest")
def decline_chat_join_request(world: World, params: dict[str, Any]) -> bool:
    chat, user_id = _pending(world, params)
    del world.join_requests[(chat["id"], user_id)]
    return True
