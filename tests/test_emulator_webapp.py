"""The emulator refuses what Telegram refuses about Mini Apps: web_app buttons outside private
chats, URLs that are not https (outside the test environment), a group's menu button; and it
serves the bot's files through getFile."""

from __future__ import annotations

import pytest

from devtools.emulator import BotAPIEmulator
from devtools.emulator.errors import ApiError

GROUP, USER = -1001, 7
BUTTON = {"inline_keyboard": [[{"text": "Open", "web_app": {"url": "https://dash.example/"}}]]}


async def test_mini_app_rules() -> None:
    emu = BotAPIEmulator()
    emu.add_group(GROUP, "G")
    emu.add_user(USER, "U")
    emu.start_private(USER)
    call = emu._call
    with pytest.raises(ApiError, match="BUTTON_TYPE_INVALID"):
        await call("sendMessage", {"chat_id": GROUP, "text": "x", "reply_markup": BUTTON})
    await call("sendMessage", {"chat_id": USER, "text": "x", "reply_markup": BUTTON})
    plain_http = {"inline_keyboard": [[{"text": "O", "web_app": {"url": "http://dash/"}}]]}
    with pytest.raises(ApiError, match="Only HTTPS links"):
        await call("sendMessage", {"chat_id": USER, "text": "x", "reply_markup": plain_http})
    emu.test_environment = True
    await call("sendMessage", {"chat_id": USER, "text": "x", "reply_markup": plain_http})

    menu = {"type": "web_app", "text": "Dashboard", "web_app": {"url": "https://dash/"}}
    with pytest.raises(ApiError):
        await call("setChatMenuButton", {"chat_id": GROUP, "menu_button": menu})
    assert await call("setChatMenuButton", {"menu_button": menu}) is True
    assert (await call("getChatMenuButton", {"chat_id": USER}))["web_app"][
        "url"
    ] == "https://dash/"
    with pytest.raises(ApiError, match="BUTTON_TEXT_INVALID"):
        await call("setChatMenuButton", {"menu_button": {**menu, "text": ""}})

    emu.send_photo(GROUP, USER)
    photo = emu.messages[(GROUP, 1)]["photo"][-1]["file_id"]
    found = await call("getFile", {"file_id": photo})
    assert emu.file_bytes[photo].startswith(b"\x89PNG") and found["file_path"].endswith(photo)
    with pytest.raises(ApiError, match="invalid file_id"):
        await call("getFile", {"file_id": "nope"})
