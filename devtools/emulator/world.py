"""The emulated Telegram's state: users, chats, members, messages, what the bot sent, the update
queue and the clock; and waiting until the bot has changed it."""

from __future__ import annotations

import asyncio
import itertools
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import types as tg

from devtools.emulator.errors import ApiError

DEFAULT_UPDATE_TYPES = {
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "channel_post",
    "inline_query",
    "chosen_inline_result",
    "poll",
    "poll_answer",
    "chat_join_request",
}


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    method: str
    text: str
    plain_text: str
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    document: bytes | None = None
    file_name: str | None = None
    edits: list[str] = field(default_factory=list)
    thread_id: int | None = None  # the forum topic it was sent to
    photo: str | None = None  # the file id of its photo (text is then the caption)

    def buttons(self) -> list[str]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b.get("text", "") for row in rows for b in row]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int
    at: float


def update_type(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


class World:
    def __init__(self, *, bot_username: str, files_dir: str | Path | None) -> None:
        self.bot_username = bot_username
        self.files_dir = Path(files_dir) if files_dir else None
        self.bot_id: int | None = None
        # BotFather's privacy mode: in groups where the bot is no administrator it then gets
        # commands, replies to its own messages and service messages only (getMe says so).
        self.privacy_mode = False
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.status: dict[tuple[int, int], str] = {}
        self.started: set[int] = set()
        self.topics: dict[tuple[int, int], str] = {}  # (forum chat, message_thread_id) -> name
        self.polls: dict[str, dict[str, Any]] = {}  # poll id -> question, options, votes...
        # Photos by file id (each size's id), as sent by users or uploaded by the bot: the bot
        # may send one again by its id; an unknown id is refused as Telegram does.
        self.files: dict[str, list[dict[str, Any]]] = {}
        self.blocked: set[int] = set()
        # Invite links by their URL: chat_id, creator_id, name, creates_join_request,
        # is_revoked, expire_date, member_limit (devtools/emulator/methods/invites.py).
        self.invite_links: dict[str, dict[str, Any]] = {}
        # Pending join requests by (chat, user): date (epoch seconds) and the link used.
        self.join_requests: dict[tuple[int, int], dict[str, Any]] = {}
        # Administrators' rights that differ from the defaults (chat_member), by (chat, user).
        self.rights: dict[tuple[int, int], dict[str, bool]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.sent: list[SentMessage] = []
        self.reactions: list[tuple[int, int, list[str]]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        # setChatMenuButton: per private chat (chat id) and the default (key None).
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        # The bot's token, as its requests give it: Mini Apps' initData is signed with it.
        self.bot_token: str | None = None
        # Telegram's test environment lets Mini Apps use http:// (local development); the
        # production one only https://.
        self.test_environment = False
        # Bytes of files by file id (uploads, and photos users send): getFile serves them.
        self.file_bytes: dict[str, bytes] = {}
        self.confirmed_offset = 0
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._new_update = asyncio.Event()
        self._changed = asyncio.Event()
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status or 0)
        # TLS trust for https webhooks (None: the system's CAs; a test's own CA for a proxy
        # with a self-signed certificate, as Telegram trusts one uploaded with setWebhook).
        self.webhook_ssl: ssl.SSLContext | None = None
        self._delivery: asyncio.Task[None] | None = None

    # ---- setting the scene -------------------------------------------------------------
    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now

    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        is_bot: bool = False,
    ) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        self.users[user_id] = user
        return user

    def add_group(
        self, chat_id: int, title: str, *, type: str = "supergroup", is_forum: bool = False
    ) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": type, "title": title}
        if is_forum:
            chat["is_forum"] = True
        self.chats[chat_id] = chat
        return chat

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        self.status[(chat_id, user_id)] = status

    def start_private(self, user_id: int) -> None:
        self.started.add(user_id)
        self.blocked.discard(user_id)

    def block_user(self, user_id: int) -> None:
        self.blocked.add(user_id)

    def set_rights(self, chat_id: int, user_id: int, **rights: bool) -> None:
        """An administrator's rights, e.g. set_rights(chat, bot_id, can_invite_users=False)."""
        self.rights.setdefault((chat_id, user_id), {}).update(rights)

    def has_right(self, chat_id: int, user_id: int, right: str) -> bool:
        status = self.status.get((chat_id, user_id), "left")
        if status == "creator":
            return True
        return status == "administrator" and self.rights.get((chat_id, user_id), {}).get(
            right, True
        )

    # ---- lookups -----------------------------------------------------------------------
    def date(self, date: datetime | int | None) -> int:
        if date is None:
            return int(self.now.timestamp())
        return int(date.timestamp()) if isinstance(date, datetime) else int(date)

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def bot_is_admin(self, chat_id: int) -> bool:
        return self.status.get((chat_id, self.bot_id or 1)) in ("administrator", "creator")

    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id or 1,
            "is_bot": True,
            "first_name": "Community Bot",
            "username": self.bot_username,
        }

    def private_chat(self, user_id: int) -> dict[str, Any]:
        user = self.users[user_id]
        chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def chat(self, params: dict[str, Any]) -> dict[str, Any]:
        """The chat a method's chat_id names, if the bot may write there."""
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat_id in self.chats:
            return self.chats[chat_id]
        if chat_id in self.users:
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self.started and not self.may_write_to_requester(chat_id):
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return self.private_chat(chat_id)
        raise ApiError(400, "Bad Request: chat not found")

    # Telegram lets the bot write to someone who asked to join (user_chat_id) this long,
    # while the request is pending, even if they never started it.
    REQUEST_WINDOW = timedelta(minutes=5)

    def may_write_to_requester(self, user_id: int) -> bool:
        now = self.date(None)
        window = int(self.REQUEST_WINDOW.total_seconds())
        return any(
            user == user_id and now < request["date"] + window
            for (_chat, user), request in self.join_requests.items()
        )

    # ---- the update queue --------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        tg.Update.model_validate(update)  # fail here, not in the bot, on a malformed update
        self._updates.append(update)
        self._new_update.set()
        return update

    def push_unparseable(self, body: dict[str, Any]) -> dict[str, Any]:
        """An update the Bot API might send that does not validate (a field the bot's aiogram
        does not know how to read): for testing that one bad update never stops the bot."""
        update = {"update_id": next(self._update_ids), **body}
        self._updates.append(update)
        self._new_update.set()
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Send an update again with its original id (as Telegram does after a crash)."""
        self._updates.append(update)
        self._updates.sort(key=lambda u: u["update_id"])
        self._new_update.set()

    def drop_unwanted(self, allowed: set[str]) -> None:
        """Telegram drops updates of types the bot did not ask for."""
        self._updates = [u for u in self._updates if update_type(u) in allowed]

    def pending_updates(self) -> int:
        return len(self._updates)

    def hold(self, update: dict[str, Any]) -> dict[str, Any]:
        """Take a just-pushed update out of the queue: the test delivers it itself (to two
        replicas at once, say)."""
        self._updates = [u for u in self._updates if u["update_id"] != update["update_id"]]
        return update

    # ---- observation -------------------------------------------------------------------
    def record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    def mark(self) -> int:
        return len(self.sent)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until predicate() returns something truthy (re-checked on every bot call)."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("emulator: condition not met in time")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                pass

    async def wait_for_message(
        self,
        *,
        chat_id: int | None = None,
        contains: str | None = None,
        after: int = 0,
        timeout: float = 10.0,
    ) -> SentMessage:
        def find() -> SentMessage | None:
            for sent in self.sent[after:]:
                if chat_id is not None and sent.chat_id != chat_id:
                    continue
                if contains is not None and contains not in sent.plain_text:
                    continue
                return sent
            return None

        return await self.wait_for(find, timeout)

    async def wait_for_call(self, method: str, *, after: int = 0, timeout: float = 10.0) -> Call:
        return await self.wait_for(
            lambda: next((c for c in self.calls[after:] if c.method == method), None), timeout
        )

    async def wait_confirmed(self, update_id: int, timeout: float = 10.0) -> None:
        await self.wait_for(lambda: self.confirmed_offset > update_id, timeout)
