"""Photos: sendPhoto (an upload, or a file id Telegram knows: a photo a user sent or the bot
uploaded) and editMessageCaption (a photo's caption and buttons)."""

from __future__ import annotations

from typing import Any

from aiogram import types as tg

from devtools.emulator.content import bot_message, check_markup, checked_text
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import method
from devtools.emulator.methods.files import send_file
from devtools.emulator.methods.messages import _find_sent
from devtools.emulator.world import SentMessage, World

MAX_CAPTION = 1024


@method("sendPhoto")
def send_photo(world: World, params: dict[str, Any]) -> dict[str, Any]:
    photo = params.get("photo")
    if isinstance(photo, dict):  # an upload
        return send_file(world, params, "photo")
    if not isinstance(photo, str) or not photo:
        raise ApiError(400, "Bad Request: there is no photo in the request")
    sizes = world.files.get(photo)
    if sizes is None:
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
    chat = world.chat(params)
    caption = params.get("caption")
    plain = (
        checked_text(caption, params.get("parse_mode"), MAX_CAPTION, "caption")
        if caption
        else None
    )
    check_markup(params.get("reply_markup"))
    content: dict[str, Any] = {"photo": sizes}
    if plain:
        content["caption"] = plain
    result = bot_message(world, chat, params, **content)
    world.sent.append(
        SentMessage(
            chat["id"],
            result["message_id"],
            "sendPhoto",
            caption or "",
            plain or "",
            params.get("reply_markup"),
            (result.get("reply_to_message") or {}).get("message_id"),
            photo=photo,
        )
    )
    return result


@method("editMessageCaption")
def edit_message_caption(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat, sent = _find_sent(world, params)
    stored = world.messages.get((chat["id"], sent.message_id)) or {}
    if not any(kind in stored for kind in ("photo", "document", "video", "animation", "audio")):
        raise ApiError(400, "Bad Request: there is no caption in the message to edit")
    caption = params.get("caption") or ""
    plain = (
        checked_text(caption, params.get("parse_mode"), MAX_CAPTION, "caption") if caption else ""
    )
    markup = params.get("reply_markup")
    check_markup(markup)
    if caption == sent.text and markup == sent.reply_markup:
        raise ApiError(
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        )
    sent.edits.append(sent.text)
    sent.text, sent.plain_text, sent.reply_markup = caption, plain, markup
    msg = dict(stored, edit_date=world.date(None))
    msg.pop("caption", None)
    if plain:
        msg["caption"] = plain
    msg.pop("reply_markup", None)
    if markup:
        msg["reply_markup"] = markup
    world.messages[(chat["id"], sent.message_id)] = msg
    return tg.Message.model_validate(msg).model_dump(mode="json", exclude_none=True, by_alias=True)
