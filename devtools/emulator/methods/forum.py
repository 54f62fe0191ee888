"""Forum topics: createForumTopic (supergroups with topics enabled, by an admin bot)."""

from __future__ import annotations

from typing import Any

from devtools.emulator.errors import ApiError
from devtools.emulator.methods import method
from devtools.emulator.world import World

TOPIC_COLOR = 7322096  # Telegram's default icon colour (blue)


@method("createForumTopic")
def create_forum_topic(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params)
    if chat.get("type") != "supergroup" or not chat.get("is_forum"):
        raise ApiError(400, "Bad Request: the chat is not a forum")
    if world.status.get((chat["id"], world.bot_id or 1)) not in ("administrator", "creator"):
        raise ApiError(400, "Bad Request: not enough rights to create a topic")
    name = str(params.get("name") or "")
    if not 1 <= len(name) <= 128:
        raise ApiError(400, "Bad Request: TOPIC_NAME_INVALID")
    thread_id = world.next_message_id(chat["id"])  # the id of the topic's service message
    world.topics[(chat["id"], thread_id)] = name
    return {"message_thread_id": thread_id, "name": name, "icon_color": TOPIC_COLOR}
