"""The emulator's photos: users' photos carry file ids the bot may send again; an unknown id
is refused as Telegram refuses it; a photo's caption is edited with editMessageCaption, which
a text message refuses."""

from __future__ import annotations

import pytest

from devtools.emulator.actions import WorldActions
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import load

GROUP = -100777
METHODS = load()


def world() -> WorldActions:
    w = WorldActions(bot_username="test_bot", files_dir=None)
    w.add_group(GROUP, "G")
    w.add_user(1, "Ann")
    return w


def test_a_users_photo_is_sent_again_by_its_file_id() -> None:
    w = world()
    update = w.send_photo(GROUP, 1, caption="/reward_add 5 1 Mug")
    message = update["message"]
    assert message["caption_entities"][0]["type"] == "bot_command"
    largest = message["photo"][-1]["file_id"]
    sent = METHODS["sendPhoto"](
        w, {"chat_id": GROUP, "photo": largest, "caption": "<b>Mug</b>", "parse_mode": "HTML"}
    )
    assert sent["photo"][-1]["file_id"] == largest and sent["caption"] == "Mug"
    assert w.sent[-1].photo == largest and w.sent[-1].plain_text == "Mug"
    with pytest.raises(ApiError, match="wrong file identifier"):
        METHODS["sendPhoto"](w, {"chat_id": GROUP, "photo": "nobody-sent-this"})
    with pytest.raises(ApiError, match="caption is too long"):
        METHODS["sendPhoto"](w, {"chat_id": GROUP, "photo": largest, "caption": "x" * 1025})


def test_edit_message_caption() -> None:
    w = world()
    photo = w.send_photo(GROUP, 1)["message"]["photo"][-1]["file_id"]
    sent = METHODS["sendPhoto"](w, {"chat_id": GROUP, "photo": photo, "caption": "before"})
    edited = METHODS["editMessageCaption"](
        w, {"chat_id": GROUP, "message_id": sent["message_id"], "caption": "after"}
    )
    assert edited["caption"] == "after" and w.sent[-1].plain_text == "after"
    assert w.sent[-1].edits == ["before"]
    with pytest.raises(ApiError, match="not modified"):
        METHODS["editMessageCaption"](
            w, {"chat_id": GROUP, "message_id": sent["message_id"], "caption": "after"}
        )
    text = METHODS["sendMessage"](w, {"chat_id": GROUP, "text": "plain"})
    with pytest.raises(ApiError, match="no caption"):
        METHODS["editMessageCaption"](
            w, {"chat_id": GROUP, "message_id": text["message_id"], "caption": "x"}
        )
