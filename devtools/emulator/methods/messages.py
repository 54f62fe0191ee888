"""Messages: sending, editing and deleting text, reactions, chat actions, callback answers."""

from __future__ import annotations

from typing import Any

from aiogram import types as tg

from devtools.emulator.content import bot_message, check_markup, checked_text
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import method
from devtools.emulator.world import SentMessage, World


@method("sendChatAction")
def send_chat_action(world: World, params: dict[str, Any]) -> bool:
    world.chat(params)
    return True


@method("sendMessage")
def send_message(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params)
    plain = checked_text(params.get("text"), params.get("parse_mode"), 4096, "message text")
    check_markup(params.get("reply_markup"), world, chat)
    thread = params.get("message_thread_id")
    extra: dict[str, Any] = {}
    if thread is not None:
        if (chat["id"], int(thread)) not in world.topics:
            raise ApiError(400, "Bad Request: message thread not found")
        extra = {"message_thread_id": int(thread), "is_topic_message": True}
    result = bot_message(world, chat, params, text=plain, **extra)
    world.sent.append(
        SentMessage(
            chat["id"],
            result["message_id"],
            "sendMessage",
            params["text"],
            plain,
            params.get("reply_markup"),
            (result.get("reply_to_message") or {}).get("message_id"),
            thread_id=int(thread) if thread is not None else None,
        )
    )
    return result


# What copyMessage carries over; a message with none of these (a service message) is refused.
COPYABLE = (
    "text",
    "entities",
    "photo",
    "document",
    "video",
    "audio",
    "voice",
    "animation",
    "sticker",
    "caption",
    "caption_entities",
    "poll",
    "location",
    "contact",
    "venue",
    "dice",
)


@method("copyMessage")
def copy_message(world: World, params: dict[str, Any]) -> dict[str, Any]:
    """A copy of a message (no link to the original), as Telegram makes it: a MessageId."""
    chat = world.chat(params)
    source_chat = world.chat({"chat_id": params.get("from_chat_id")})
    source = world.messages.get((source_chat["id"], int(params.get("message_id") or 0)))
    if source is None:
        raise ApiError(400, "Bad Request: message to copy not found")
    content = {key: source[key] for key in COPYABLE if key in source}
    if not content or "invoice" in source:
        raise ApiError(400, "Bad Request: message can't be copied")
    if params.get("caption") is not None:
        content["caption"] = params["caption"]
    check_markup(params.get("reply_markup"))
    result = bot_message(world, chat, params, **content)
    text = content.get("text") or content.get("caption") or ""
    world.sent.append(
        SentMessage(
            chat["id"],
            result["message_id"],
            "copyMessage",
            text,
            text,
            params.get("reply_markup"),
            (result.get("reply_to_message") or {}).get("message_id"),
        )
    )
    return {"message_id": result["message_id"]}


# Telegram lets the bot edit a message it sent for 48 hours.
EDITABLE_FOR = 48 * 3600


def _find_sent(world: World, params: dict[str, Any]) -> tuple[dict[str, Any], SentMessage]:
    """The bot's message an edit is about, refused as Telegram refuses it: not found, or too
    old to edit."""
    chat = world.chat(params)
    message_id = int(params.get("message_id") or 0)
    for sent in world.sent:
        if sent.chat_id == chat["id"] and sent.message_id == message_id:
            date = (world.messages.get((chat["id"], message_id)) or {}).get("date")
            if date is not None and world.date(None) - int(date) > EDITABLE_FOR:
                raise ApiError(400, "Bad Request: message can't be edited")
            return chat, sent
    raise ApiError(400, "Bad Request: message to edit not found")


@method("editMessageText")
def edit_message_text(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat, sent = _find_sent(world, params)
    plain = checked_text(params.get("text"), params.get("parse_mode"), 4096, "message text")
    markup = params.get("reply_markup")
    check_markup(markup, world, chat)
    if params["text"] == sent.text and markup == sent.reply_markup:
        raise ApiError(
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        )
    sent.edits.append(sent.text)
    sent.text, sent.plain_text, sent.reply_markup = params["text"], plain, markup
    msg = dict(
        world.messages[(chat["id"], sent.message_id)], text=plain, edit_date=world.date(None)
    )
    msg.pop("reply_markup", None)
    if markup:
        msg["reply_markup"] = markup
    world.messages[(chat["id"], sent.message_id)] = msg
    return tg.Message.model_validate(msg).model_dump(mode="json", exclude_none=True, by_alias=True)


@method("editMessageReplyMarkup")
def edit_message_reply_markup(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat, sent = _find_sent(world, params)
    check_markup(params.get("reply_markup"))
    sent.reply_markup = params.get("reply_markup")
    msg = dict(world.messages[(chat["id"], sent.message_id)])
    msg.pop("reply_markup", None)
    if sent.reply_markup:
        msg["reply_markup"] = sent.reply_markup
    return tg.Message.model_validate(msg).model_dump(mode="json", exclude_none=True, by_alias=True)


@method("deleteMessage")
def delete_message(world: World, params: dict[str, Any]) -> bool:
    chat = world.chat(params)
    if world.messages.pop((chat["id"], int(params.get("message_id") or 0)), None) is None:
        raise ApiError(400, "Bad Request: message to delete not found")
    return True


@method("answerCallbackQuery")
def answer_callback_query(world: World, params: dict[str, Any]) -> bool:
    if len(params.get("text") or "") > 200:
        raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
    return True


@method("setMessageReaction")
def set_message_reaction(world: World, params: dict[str, Any]) -> bool:
    chat = world.chat(params)
    message_id = int(params.get("message_id") or 0)
    if (chat["id"], message_id) not in world.messages:
        raise ApiError(400, "Bad Request: message to react not found")
    emoji = [r.get("emoji", "") for r in params.get("reaction") or []]
    world.reactions.append((chat["id"], message_id, emoji))
    return True
