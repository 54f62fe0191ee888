"""Telegram objects for tests, in one place."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from aiogram.types import Update

GROUP_ID = -1001234567890
_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def next_update_id() -> int:
    return next(_update_ids)


def ts(value: datetime | int | float | None) -> int:
    if value is None:
        return int(datetime.now(UTC).timestamp())
    if isinstance(value, datetime):
        return int(value.timestamp())
    return int(value)


def user(
    user_id: int, name: str | None = None, *, username: str | None = None, lang: str | None = "en"
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": name or f"User{user_id}"}
    if username:
        data["username"] = username
    if lang:
        data["language_code"] = lang
    return data


def chat(chat_id: int = GROUP_ID, title: str = "Test Group") -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "U"}
    return {"id": chat_id, "type": "supergroup", "title": title}


def message(
    from_user: dict[str, Any],
    text: str,
    *,
    chat_id: int = GROUP_ID,
    date: datetime | int | None = None,
    update_id: int | None = None,
    reply_to: dict[str, Any] | None = None,
) -> Update:
    msg: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": ts(date),
        "chat": chat(chat_id)
        if chat_id < 0
        else {**chat(chat_id), "first_name": from_user["first_name"]},
        "from": from_user,
        "text": text,
    }
    if text.startswith("/"):
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if reply_to is not None:
        msg["reply_to_message"] = reply_to
    return Update.model_validate({"update_id": update_id or next_update_id(), "message": msg})


def message_payload(update: Update) -> dict[str, Any]:
    """The message of an update as a dict (to reply to it in another update)."""
    assert update.message is not None
    return update.message.model_dump(mode="json", by_alias=True, exclude_none=True)


def photo_with_id(
    from_user: dict[str, Any],
    file_id: str,
    caption: str | None = None,
    *,
    date: datetime | int | None = None,
    reply_to: dict[str, Any] | None = None,
) -> Update:
    """A group message with a photo (two sizes: the larger's id is `file_id`) and a caption."""
    msg: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": ts(date),
        "chat": chat(GROUP_ID),
        "from": from_user,
        "photo": [
            {"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90, "height": 90},
            {"file_id": file_id, "file_unique_id": "l", "width": 800, "height": 800},
        ],
    }
    if caption is not None:
        msg["caption"] = caption
        if caption.startswith("/"):
            length = len(caption.split()[0])
            msg["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    if reply_to is not None:
        msg["reply_to_message"] = reply_to
    return Update.model_validate({"update_id": next_update_id(), "message": msg})


def bot_message(message_id: int, text: str = "…", *, photo: bool = False) -> dict[str, Any]:
    """One of the bot's messages in the group (to reply to it, or press its buttons)."""
    msg: dict[str, Any] = {
        "message_id": message_id,
        "date": ts(None),
        "chat": chat(GROUP_ID),
        "from": {"id": 123456, "is_bot": True, "first_name": "Bot"},
    }
    if photo:
        msg["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        msg["caption"] = text
    else:
        msg["text"] = text
    return msg


def callback(
    from_user: dict[str, Any],
    data: str,
    message_id: int,
    *,
    chat_id: int = GROUP_ID,
    photo: bool = False,
) -> Update:
    if photo:
        return Update.model_validate(
            {
                "update_id": next_update_id(),
                "callback_query": {
                    "id": str(next_update_id()),
                    "from": from_user,
                    "chat_instance": "ci",
                    "data": data,
                    "message": bot_message(message_id, photo=True),
                },
            }
        )
    return Update.model_validate(
        {
            "update_id": next_update_id(),
            "callback_query": {
                "id": str(next_update_id()),
                "from": from_user,
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": ts(None),
                    "chat": chat(chat_id),
                    "from": {"id": 123456, "is_bot": True, "first_name": "Bot"},
                    "text": "…",
                },
            },
        }
    )


def service_message(
    from_user: dict[str, Any], *, date: datetime | int | None = None, **fields: Any
) -> Update:
    """A group service message: new_chat_members=[...] or left_chat_member={...}."""
    msg = {
        "message_id": next(_message_ids),
        "date": ts(date),
        "chat": chat(),
        "from": from_user,
        **fields,
    }
    return Update.model_validate({"update_id": next_update_id(), "message": msg})


def member_update(
    member: dict[str, Any],
    old: str,
    new: str,
    *,
    by: dict[str, Any] | None = None,
    date: datetime | int | None = None,
    kind: str = "chat_member",
) -> Update:
    """chat_member (or my_chat_member, for the bot itself) status change in the group."""

    def state(status: str) -> dict[str, Any]:
        extra = {"until_date": 0} if status == "kicked" else {}
        return {"status": status, "user": member, **extra}

    return Update.model_validate(
        {
            "update_id": next_update_id(),
            kind: {
                "chat": chat(),
                "from": by or member,
                "date": ts(date),
                "old_chat_member": state(old),
                "new_chat_member": state(new),
            },
        }
    )


def restricted_update(
    member: dict[str, Any],
    *,
    is_member: bool,
    old: str = "member",
    by: dict[str, Any] | None = None,
    date: datetime | int | None = None,
) -> Update:
    """chat_member: an admin restricts a member (is_member=False means they are not in the group)."""
    from aiogram.types import ChatMemberRestricted  # its required rights vary by Bot API version

    rights = {name: False for name in ChatMemberRestricted.model_fields if name.startswith("can_")}
    restricted = {"status": "restricted", "user": member, "is_member": is_member, "until_date": 0}
    return Update.model_validate(
        {
            "update_id": next_update_id(),
            "chat_member": {
                "chat": chat(),
                "from": by or member,
                "date": ts(date),
                "old_chat_member": {"status": old, "user": member},
                "new_chat_member": {**restricted, **rights},
            },
        }
    )


def photo_message(
    from_user: dict[str, Any], caption: str | None = None, *, date: datetime | int | None = None
) -> Update:
    """A group photo, with or without a caption."""
    msg: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": ts(date),
        "chat": chat(),
        "from": from_user,
        "photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}],
    }
    if caption is not None:
        msg["caption"] = caption
    return Update.model_validate({"update_id": next_update_id(), "message": msg})


def promoted_update(
    member: dict[str, Any],
    *,
    by: dict[str, Any],
    date: datetime | int | None = None,
    kind: str = "chat_member",
) -> Update:
    """chat_member (or my_chat_member) for a member made an administrator."""
    from aiogram.types import ChatMemberAdministrator  # its required rights vary by API version

    rights = {
        name: True
        for name, field in ChatMemberAdministrator.model_fields.items()
        if name.startswith("can_") and field.is_required()
    }
    admin = {"status": "administrator", "user": member, "is_anonymous": False, **rights}
    return Update.model_validate(
        {
            "update_id": next_update_id(),
            kind: {
                "chat": chat(),
                "from": by,
                "date": ts(date),
                "old_chat_member": {"status": "member", "user": member},
                "new_chat_member": admin,
            },
        }
    )


def invite_link(
    link: str, *, creator: dict[str, Any] | None = None, join_request: bool = False
) -> dict[str, Any]:
    """A ChatInviteLink as updates carry it (the bot's own, unless `creator` says otherwise)."""
    return {
        "invite_link": link,
        "creator": creator or {"id": 123456, "is_bot": True, "first_name": "Bot"},
        "creates_join_request": join_request,
        "is_primary": False,
        "is_revoked": False,
    }


def joined_through(
    member: dict[str, Any],
    link: str | None,
    *,
    date: datetime | int | None = None,
    via_join_request: bool = False,
) -> Update:
    """chat_member: someone joins, through `link` (or approved from a join request)."""
    update: dict[str, Any] = {
        "chat": chat(),
        "from": {"id": 123456, "is_bot": True, "first_name": "Bot"}
        if via_join_request
        else member,
        "date": ts(date),
        "old_chat_member": {"status": "left", "user": member},
        "new_chat_member": {"status": "member", "user": member},
    }
    if link is not None:
        update["invite_link"] = invite_link(link, join_request=via_join_request)
    if via_join_request:
        update["via_join_request"] = True
    return Update.model_validate({"update_id": next_update_id(), "chat_member": update})


def join_request(
    member: dict[str, Any], *, date: datetime | int | None = None, link: str | None = None
) -> Update:
    """chat_join_request: someone asks to join (user_chat_id: their private chat)."""
    request: dict[str, Any] = {
        "chat": chat(),
        "from": member,
        "user_chat_id": member["id"],
        "date": ts(date),
    }
    if link is not None:
        request["invite_link"] = invite_link(link, join_request=True)
    return Update.model_validate({"update_id": next_update_id(), "chat_join_request": request})


def private_callback(from_user: dict[str, Any], data: str, message_id: int) -> Update:
    """A button pressed under one of the bot's messages in the user's private chat."""
    return Update.model_validate(
        {
            "update_id": next_update_id(),
            "callback_query": {
                "id": str(next_update_id()),
                "from": from_user,
                "chat_instance": "pci",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": ts(None),
                    "chat": {"id": from_user["id"], "type": "private", "first_name": "U"},
                    "from": {"id": 123456, "is_bot": True, "first_name": "Bot"},
                    "text": "…",
                },
            },
        }
    )
