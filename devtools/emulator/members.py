"""ChatMember objects by status, with every field the pinned aiogram requires."""

from __future__ import annotations

from typing import Any

from aiogram import types as tg


def chat_member(
    user: dict[str, Any], status: str, overrides: dict[str, bool] | None = None
) -> dict[str, Any]:
    """`overrides`: an administrator's rights that differ from the defaults below."""
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "administrator":
        rights = {
            "can_be_edited": False,
            "is_anonymous": False,
            "can_manage_chat": True,
            "can_delete_messages": True,
            "can_manage_video_chats": True,
            "can_restrict_members": True,
            "can_promote_members": False,
            "can_change_info": True,
            "can_invite_users": True,
            "can_post_stories": False,
            "can_edit_stories": False,
            "can_delete_stories": False,
        }
        # Newer Bot API versions add required rights; fill whichever the pinned aiogram knows.
        for name, info in tg.ChatMemberAdministrator.model_fields.items():
            if name.startswith("can_") and info.is_required() and name not in rights:
                rights[name] = False
        rights.update(overrides or {})
        return tg.ChatMemberAdministrator(user=tg.User(**user), **rights).model_dump(
            mode="json", exclude_none=True
        )
    if status == "restricted":
        return tg.ChatMemberRestricted(
            user=tg.User(**user),
            is_member=True,
            can_send_messages=True,
            can_send_audios=True,
            can_send_documents=True,
            can_send_photos=True,
            can_send_videos=True,
            can_send_video_notes=True,
            can_send_voice_notes=True,
            can_send_polls=True,
            can_send_other_messages=True,
            can_add_web_page_previews=True,
            can_change_info=False,
            can_invite_users=False,
            can_pin_messages=False,
            can_manage_topics=False,
            until_date=0,
        ).model_dump(mode="json", exclude_none=True)
    if status == "kicked":
        return {"status": "kicked", "user": user, "until_date": 0}
    return {"status": status, "user": user}
