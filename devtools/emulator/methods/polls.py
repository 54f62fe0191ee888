"""Native polls: sendPoll and stopPoll (votes arrive as poll_answer updates, see actions.vote)."""

from __future__ import annotations

from typing import Any

from devtools.emulator.content import bot_message
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import method
from devtools.emulator.world import SentMessage, World


def _option_text(option: Any) -> str:
    return str(option.get("text", "")) if isinstance(option, dict) else str(option)


def poll_view(poll: dict[str, Any]) -> dict[str, Any]:
    counts = [0] * len(poll["options"])
    for chosen in poll["votes"].values():
        for i in chosen:
            counts[i] += 1
    return {
        "id": poll["id"],
        "question": poll["question"],
        "options": [
            {"text": text, "voter_count": n, "persistent_id": f"{poll['id']}-{i}"}
            for i, (text, n) in enumerate(zip(poll["options"], counts, strict=True))
        ],
        "total_voter_count": len(poll["votes"]),
        "is_closed": poll["closed"],
        "is_anonymous": poll["anonymous"],
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": True,
        "members_only": False,
    }


@method("sendPoll")
def send_poll(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params)
    question = str(params.get("question") or "")
    options = [_option_text(o) for o in params.get("options") or []]
    if not 1 <= len(question) <= 300:
        raise ApiError(400, "Bad Request: poll question length must not exceed 300")
    if not 2 <= len(options) <= 12 or any(not 1 <= len(o) <= 100 for o in options):
        raise ApiError(400, "Bad Request: POLL_ANSWERS_INVALID")
    anonymous = str(params.get("is_anonymous", True)).lower() not in ("false", "0")
    if not anonymous and chat.get("type") == "channel":
        raise ApiError(400, "Bad Request: non-anonymous polls can't be sent to channel chats")
    poll = {
        "id": str(5_000_000_000 + len(world.polls)),
        "question": question,
        "options": options,
        "anonymous": anonymous,
        "closed": False,
        "votes": {},
    }
    result = bot_message(world, chat, params, poll=poll_view(poll))
    poll["chat_id"], poll["message_id"] = chat["id"], result["message_id"]
    world.polls[poll["id"]] = poll
    world.sent.append(
        SentMessage(chat["id"], result["message_id"], "sendPoll", question, question)
    )
    return result


@method("stopPoll")
def stop_poll(world: World, params: dict[str, Any]) -> dict[str, Any]:
    chat = world.chat(params)
    message_id = int(params.get("message_id") or 0)
    for poll in world.polls.values():
        if poll["chat_id"] == chat["id"] and poll["message_id"] == message_id:
            if poll["closed"]:
                raise ApiError(400, "Bad Request: poll has already been closed")
            poll["closed"] = True
            return poll_view(poll)
    raise ApiError(400, "Bad Request: message with poll to stop not found")
