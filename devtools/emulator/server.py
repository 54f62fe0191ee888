"""The emulator: the HTTP Bot API the bot talks to, and a control API to play the world.

Replies are built from aiogram's own models, so they carry every field the pinned aiogram needs.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import types as tg
from aiohttp import web

from devtools.emulator.html_text import HtmlError, plain_text

logger = logging.getLogger(__name__)

JSON_PARAMS = {
    "reply_markup",
    "reaction",
    "commands",
    "allowed_updates",
    "scope",
    "reply_parameters",
    "link_preview_options",
    "entities",
    "caption_entities",
}
MESSAGE_METHODS = {"sendMessage", "sendDocument", "sendPhoto"}
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


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass(frozen=True)
class RateLimits:
    global_per_second: int = 30
    group_per_minute: int = 20
    private_per_second: int = 1
    private_burst: int = 3


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

    def buttons(self) -> list[str]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b.get("text", "") for row in rows for b in row]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int
    at: float


@dataclass
class _Fault:
    method: str
    code: int
    description: str
    retry_after: int
    count: int
    chat_id: int | None


class _Windows:
    def __init__(self) -> None:
        self.times: dict[object, deque[float]] = {}

    def check(self, key: object, limit: int, span: float, now: float) -> int:
        """Seconds to wait (0 when allowed; then the send is recorded)."""
        q = self.times.setdefault(key, deque())
        while q and q[0] <= now - span:
            q.popleft()
        if len(q) >= limit:
            return max(1, int(q[0] + span - now + 0.999))
        q.append(now)
        return 0


class BotAPIEmulator:
    def __init__(
        self,
        *,
        bot_username: str = "community_test_bot",
        limits: RateLimits | None = RateLimits(),
        files_dir: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.bot_username = bot_username
        self.limits = limits
        self.files_dir = Path(files_dir) if files_dir else None
        self.host, self.port = host, port
        self.bot_id: int | None = None
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.status: dict[tuple[int, int], str] = {}
        self.started: set[int] = set()
        self.blocked: set[int] = set()
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.calls: list[Call] = []
        self.sent: list[SentMessage] = []
        self.reactions: list[tuple[int, int, list[str]]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.confirmed_offset = 0
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._faults: list[_Fault] = []
        self._windows = _Windows()
        self._new_update = asyncio.Event()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.webhook: dict[str, Any] | None = None
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status or 0)
        self._delivery: asyncio.Task[None] | None = None

    # ---- lifecycle ---------------------------------------------------------------------
    async def start(self) -> BotAPIEmulator:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        await self._stop_delivery()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPIEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # ---- the world ---------------------------------------------------------------------
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

    def add_group(self, chat_id: int, title: str, *, type: str = "supergroup") -> dict[str, Any]:
        chat = {"id": chat_id, "type": type, "title": title}
        self.chats[chat_id] = chat
        return chat

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        self.status[(chat_id, user_id)] = status

    def start_private(self, user_id: int) -> None:
        self.started.add(user_id)
        self.blocked.discard(user_id)

    def block_user(self, user_id: int) -> None:
        self.blocked.add(user_id)

    def fail_next(
        self,
        method: str,
        *,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int = 1,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after}",
                403: "Forbidden: bot was blocked by the user",
                400: "Bad Request: injected",
            }.get(error_code, "Internal Server Error")
        self._faults.append(_Fault(method, error_code, description, retry_after, count, chat_id))

    def _date(self, date: datetime | int | None) -> int:
        if date is None:
            return int(self.now.timestamp())
        return int(date.timestamp()) if isinstance(date, datetime) else int(date)

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id or 1,
            "is_bot": True,
            "first_name": "Community Bot",
            "username": self.bot_username,
        }

    def _private_chat(self, user_id: int) -> dict[str, Any]:
        user = self.users[user_id]
        chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

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

    def _user_message(
        self,
        chat: dict[str, Any],
        user_id: int,
        text: str | None,
        date: datetime | int | None,
        **extra: Any,
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": self._date(date),
            "chat": chat,
            "from": self.users[user_id],
            **extra,
        }
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                msg["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
                ]
        self.messages[(chat["id"], msg["message_id"])] = msg
        return msg

    def send_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        date: datetime | int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if reply_to_message_id is not None:
            extra["reply_to_message"] = self.messages[(chat_id, reply_to_message_id)]
        if self.status.get((chat_id, user_id), "left") in ("left", "kicked"):
            self.status[(chat_id, user_id)] = "member"
        msg = self._user_message(self.chats[chat_id], user_id, text, date, **extra)
        return self.push_update({"message": msg})

    def send_private(
        self, user_id: int, text: str, *, date: datetime | int | None = None
    ) -> dict[str, Any]:
        self.start_private(user_id)
        msg = self._user_message(self._private_chat(user_id), user_id, text, date)
        return self.push_update({"message": msg})

    def _member(self, user: dict[str, Any], status: str) -> dict[str, Any]:
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

    def _member_update(
        self,
        key: str,
        chat_id: int,
        actor_id: int,
        user: dict[str, Any],
        old: str,
        new: str,
        date: int,
    ) -> dict[str, Any]:
        return self.push_update(
            {
                key: {
                    "chat": self.chats[chat_id],
                    "from": self.users.get(actor_id, user),
                    "date": date,
                    "old_chat_member": self._member(user, old),
                    "new_chat_member": self._member(user, new),
                }
            }
        )

    def add_bot_to_group(
        self,
        chat_id: int,
        by_user_id: int,
        *,
        as_admin: bool = True,
        date: datetime | int | None = None,
    ) -> dict[str, Any]:
        status = "administrator" if as_admin else "member"
        bot = self._bot_user()
        self.status[(chat_id, bot["id"])] = status
        when = self._date(date)
        update = self._member_update(
            "my_chat_member", chat_id, by_user_id, bot, "left", status, when
        )
        msg = self._user_message(
            self.chats[chat_id], by_user_id, None, when, new_chat_members=[bot]
        )
        self.push_update({"message": msg})
        return update

    def remove_bot_from_group(self, chat_id: int, by_user_id: int) -> dict[str, Any]:
        bot = self._bot_user()
        old = self.status.get((chat_id, bot["id"]), "member")
        self.status[(chat_id, bot["id"])] = "left"
        return self._member_update(
            "my_chat_member", chat_id, by_user_id, bot, old, "left", self._date(None)
        )

    def join(
        self, chat_id: int, user_id: int, *, date: datetime | int | None = None
    ) -> dict[str, Any]:
        old = self.status.get((chat_id, user_id), "left")
        self.status[(chat_id, user_id)] = "member"
        when = self._date(date)
        user = self.users[user_id]
        msg = self._user_message(self.chats[chat_id], user_id, None, when, new_chat_members=[user])
        self.push_update({"message": msg})
        return self._member_update("chat_member", chat_id, user_id, user, old, "member", when)

    def leave(
        self, chat_id: int, user_id: int, *, date: datetime | int | None = None
    ) -> dict[str, Any]:
        old = self.status.get((chat_id, user_id), "member")
        self.status[(chat_id, user_id)] = "left"
        when = self._date(date)
        user = self.users[user_id]
        msg = self._user_message(self.chats[chat_id], user_id, None, when, left_chat_member=user)
        self.push_update({"message": msg})
        return self._member_update("chat_member", chat_id, user_id, user, old, "left", when)

    def press_button(
        self, chat_id: int, user_id: int, message_id: int, data: str
    ) -> dict[str, Any]:
        message = self.messages[(chat_id, message_id)]
        return self.push_update(
            {
                "callback_query": {
                    "id": str(next(self._update_ids) * 7919),
                    "from": self.users[user_id],
                    "chat_instance": str(chat_id),
                    "message": message,
                    "data": data,
                }
            }
        )

    def press_button_by_label(self, chat_id: int, user_id: int, label: str) -> dict[str, Any]:
        for sent in reversed(self.sent):
            if sent.chat_id != chat_id:
                continue
            for row in (sent.reply_markup or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == label and "callback_data" in button:
                        return self.press_button(
                            chat_id, user_id, sent.message_id, button["callback_data"]
                        )
        raise LookupError(f"no button {label!r} in chat {chat_id}")

    # ---- observation -------------------------------------------------------------------
    def mark(self) -> int:
        return len(self.sent)

    def pending_updates(self) -> int:
        return len(self._updates)

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

    # ---- HTTP --------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            if request.content_type == "application/json":
                body = await request.read()
                if body:
                    params.update(json.loads(body))
            elif request.content_type in (
                "multipart/form-data",
                "application/x-www-form-urlencoded",
            ):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        params[key] = {"file_name": value.filename, "data": value.file.read()}
                    else:
                        params[key] = value
        for key in JSON_PARAMS & params.keys():
            if isinstance(params[key], str):
                params[key] = json.loads(params[key])
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = params.get(value.removeprefix("attach://"), value)
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            return self._error(
                Call(method, {}, 401, time.monotonic()), ApiError(401, "Unauthorized")
            )
        self.bot_id = int(bot_id)
        try:
            params = await self._params(request)
        except (ValueError, json.JSONDecodeError):
            return self._error(
                Call(method, {}, 400, time.monotonic()),
                ApiError(400, "Bad Request: invalid parameters"),
            )
        call = Call(method, params, 200, time.monotonic())
        try:
            self._inject_fault(method, params)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            self._rate_limit(method, params)
            result = await handler(params) if method == "getUpdates" else handler(params)
        except ApiError as exc:
            return self._error(call, exc)
        self._record(call)
        return web.json_response({"ok": True, "result": result})

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    def _error(self, call: Call, exc: ApiError) -> web.Response:
        call.status = exc.code
        self._record(call)
        body: dict[str, Any] = {
            "ok": False,
            "error_code": exc.code,
            "description": exc.description,
        }
        if exc.retry_after is not None:
            body["parameters"] = {"retry_after": exc.retry_after}
        return web.json_response(body, status=exc.code)

    def _inject_fault(self, method: str, params: dict[str, Any]) -> None:
        for fault in self._faults:
            if fault.method != method or fault.count <= 0:
                continue
            if fault.chat_id is not None and str(fault.chat_id) != str(params.get("chat_id")):
                continue
            fault.count -= 1
            raise ApiError(
                fault.code, fault.description, fault.retry_after if fault.code == 429 else None
            )

    def _rate_limit(self, method: str, params: dict[str, Any]) -> None:
        if self.limits is None or method not in MESSAGE_METHODS | {
            "editMessageText",
            "setMessageReaction",
        }:
            return
        now = time.monotonic()
        wait = self._windows.check("global", self.limits.global_per_second, 1.0, now)
        if not wait and method in MESSAGE_METHODS:
            chat_id = int(params.get("chat_id", 0))
            if chat_id < 0:
                wait = self._windows.check(chat_id, self.limits.group_per_minute, 60.0, now)
            else:
                wait = self._windows.check(
                    chat_id,
                    self.limits.private_burst,
                    self.limits.private_burst / self.limits.private_per_second,
                    now,
                )
        if wait:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)

    def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat_id in self.chats:
            return self.chats[chat_id]
        if chat_id in self.users:
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return self._private_chat(chat_id)
        raise ApiError(400, "Bad Request: chat not found")

    @staticmethod
    def _check_markup(markup: dict[str, Any] | None) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    @staticmethod
    def _text(text: str | None, parse_mode: str | None, limit: int, what: str) -> str:
        if not text:
            raise ApiError(400, f"Bad Request: {what} is empty")
        try:
            plain = plain_text(text, parse_mode)
        except HtmlError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        if len(plain) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")
        return plain

    def _bot_message(
        self, chat: dict[str, Any], params: dict[str, Any], **content: Any
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": self._date(None),
            "chat": chat,
            "from": self._bot_user(),
            **content,
        }
        reply_to = (params.get("reply_parameters") or {}).get("message_id") or params.get(
            "reply_to_message_id"
        )
        if reply_to is not None and (chat["id"], int(reply_to)) in self.messages:
            msg["reply_to_message"] = self.messages[(chat["id"], int(reply_to))]
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        self.messages[(chat["id"], msg["message_id"])] = msg
        return tg.Message.model_validate(msg).model_dump(
            mode="json", exclude_none=True, by_alias=True
        )

    # ---- methods -----------------------------------------------------------------------
    def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
        }

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        allowed = set(params.get("allowed_updates") or []) or DEFAULT_UPDATE_TYPES
        if offset:
            self.confirmed_offset = max(self.confirmed_offset, offset)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._changed.set()
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self._updates if next(k for k in u if k != "update_id") in allowed]
            # Telegram drops updates of types the bot did not ask for.
            self._updates = [
                u for u in self._updates if next(k for k in u if k != "update_id") in allowed
            ]
            if ready or time.monotonic() >= deadline:
                return ready[:limit]
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                pass

    def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if self._delivery is not None:
            self._delivery.cancel()
            self._delivery = None
        if str(params.get("drop_pending_updates")).lower() == "true":
            self._updates.clear()
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if not url:
            return self._m_deleteWebhook(params)
        if not url.startswith(("https://", "http://")):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "max_connections": int(params.get("max_connections") or 40),
            "allowed_updates": params.get("allowed_updates") or [],
        }
        if self._delivery is None or self._delivery.done():
            self._delivery = asyncio.create_task(self._deliver_loop())
        self._new_update.set()
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        hook = self.webhook or {}
        info = tg.WebhookInfo(
            url=hook.get("url", ""),
            has_custom_certificate=False,
            pending_update_count=len(self._updates),
            max_connections=hook.get("max_connections"),
            allowed_updates=hook.get("allowed_updates") or None,
        )
        return info.model_dump(mode="json", exclude_none=True)

    async def _stop_delivery(self) -> None:
        if self._delivery is not None:
            self._delivery.cancel()
            await asyncio.gather(self._delivery, return_exceptions=True)
            self._delivery = None

    async def _deliver_loop(self) -> None:
        """POST pending updates to the webhook, several at once; redeliver after a failure."""
        import aiohttp

        in_flight: dict[int, asyncio.Task[None]] = {}
        retry_at: dict[int, float] = {}
        acked = [self.confirmed_offset]  # one past the highest update answered with 2xx
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:

            async def post(update: dict[str, Any]) -> None:
                hook = self.webhook
                assert hook is not None
                headers = {}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
                status = 0
                try:
                    async with http.post(hook["url"], json=update, headers=headers) as response:
                        status = response.status
                        await response.read()
                except (TimeoutError, aiohttp.ClientError, OSError):
                    status = 0
                self.webhook_deliveries.append((update["update_id"], status))
                if 200 <= status < 300:
                    self._updates = [
                        u for u in self._updates if u["update_id"] != update["update_id"]
                    ]
                    acked[0] = max(acked[0], update["update_id"] + 1)
                    remaining = [u["update_id"] for u in self._updates]
                    # Everything below the oldest unanswered update is confirmed.
                    self.confirmed_offset = max(
                        self.confirmed_offset, min(remaining) if remaining else acked[0]
                    )
                else:
                    retry_at[update["update_id"]] = time.monotonic() + 0.5
                self._changed.set()

            while self.webhook is not None:
                hook = self.webhook
                allowed = set(hook["allowed_updates"]) or DEFAULT_UPDATE_TYPES
                self._updates = [
                    u for u in self._updates if next(k for k in u if k != "update_id") in allowed
                ]
                now = time.monotonic()
                for update in sorted(self._updates, key=lambda u: u["update_id"]):
                    uid = update["update_id"]
                    if len(in_flight) >= hook["max_connections"]:
                        break
                    if uid in in_flight or retry_at.get(uid, 0) > now:
                        continue
                    task = asyncio.create_task(post(update))
                    in_flight[uid] = task
                    task.add_done_callback(
                        lambda _t, uid=uid: (in_flight.pop(uid, None), self._new_update.set())
                    )
                self._new_update.clear()
                wait = min((t - now for t in retry_at.values() if t > now), default=1.0)
                try:
                    await asyncio.wait_for(self._new_update.wait(), max(0.05, wait))
                except TimeoutError:
                    pass
            for task in in_flight.values():
                task.cancel()

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = (params.get("scope") or {}).get("type", "default")
        self.commands[f"{scope}:{params.get('language_code') or ''}"] = (
            params.get("commands") or []
        )
        return True

    def _m_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        scope = (params.get("scope") or {}).get("type", "default")
        return self.commands.get(f"{scope}:{params.get('language_code') or ''}", [])

    def _m_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._chat(params)
        return True

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        plain = self._text(params.get("text"), params.get("parse_mode"), 4096, "message text")
        self._check_markup(params.get("reply_markup"))
        result = self._bot_message(chat, params, text=plain)
        self.sent.append(
            SentMessage(
                chat["id"],
                result["message_id"],
                "sendMessage",
                params["text"],
                plain,
                params.get("reply_markup"),
                (result.get("reply_to_message") or {}).get("message_id"),
            )
        )
        return result

    def _send_file(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        chat = self._chat(params)
        upload = params.get(kind)
        if not isinstance(upload, dict):
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        caption = params.get("caption")
        plain_caption = (
            self._text(caption, params.get("parse_mode"), 1024, "caption") if caption else None
        )
        file_id = f"file{len(self.sent) + 1}"
        content: dict[str, Any] = {}
        if kind == "document":
            content["document"] = {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": upload["file_name"],
                "file_size": len(upload["data"]),
            }
        else:
            content["photo"] = [
                {"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1}
            ]
        if plain_caption:
            content["caption"] = plain_caption
        result = self._bot_message(chat, params, **content)
        if self.files_dir is not None:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            (self.files_dir / Path(upload["file_name"] or file_id).name).write_bytes(
                upload["data"]
            )
        self.sent.append(
            SentMessage(
                chat["id"],
                result["message_id"],
                f"send{kind.title()}",
                caption or "",
                plain_caption or "",
                params.get("reply_markup"),
                None,
                upload["data"],
                upload["file_name"],
            )
        )
        return result

    def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._send_file(params, "document")

    def _m_sendPhoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._send_file(params, "photo")

    def _find_sent(self, params: dict[str, Any]) -> tuple[dict[str, Any], SentMessage]:
        chat = self._chat(params)
        message_id = int(params.get("message_id") or 0)
        for sent in self.sent:
            if sent.chat_id == chat["id"] and sent.message_id == message_id:
                return chat, sent
        raise ApiError(400, "Bad Request: message to edit not found")

    def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, sent = self._find_sent(params)
        plain = self._text(params.get("text"), params.get("parse_mode"), 4096, "message text")
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if params["text"] == sent.text and markup == sent.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
            )
        sent.edits.append(sent.text)
        sent.text, sent.plain_text, sent.reply_markup = params["text"], plain, markup
        msg = dict(
            self.messages[(chat["id"], sent.message_id)], text=plain, edit_date=self._date(None)
        )
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        self.messages[(chat["id"], sent.message_id)] = msg
        return tg.Message.model_validate(msg).model_dump(
            mode="json", exclude_none=True, by_alias=True
        )

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, sent = self._find_sent(params)
        self._check_markup(params.get("reply_markup"))
        sent.reply_markup = params.get("reply_markup")
        msg = dict(self.messages[(chat["id"], sent.message_id)])
        msg.pop("reply_markup", None)
        if sent.reply_markup:
            msg["reply_markup"] = sent.reply_markup
        return tg.Message.model_validate(msg).model_dump(
            mode="json", exclude_none=True, by_alias=True
        )

    def _m_deleteMessage(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        if self.messages.pop((chat["id"], int(params.get("message_id") or 0)), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if len(params.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _m_setMessageReaction(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        message_id = int(params.get("message_id") or 0)
        if (chat["id"], message_id) not in self.messages:
            raise ApiError(400, "Bad Request: message to react not found")
        emoji = [r.get("emoji", "") for r in params.get("reaction") or []]
        self.reactions.append((chat["id"], message_id, emoji))
        return True

    def _m_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        user_id = int(params.get("user_id") or 0)
        user = self.users.get(user_id) or (self._bot_user() if user_id == self.bot_id else None)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        return self._member(user, self.status.get((chat["id"], user_id), "left"))

    def _m_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(params)
        admins = []
        for (chat_id, user_id), status in self.status.items():
            if chat_id == chat["id"] and status in ("creator", "administrator"):
                user = self.users.get(user_id) or self._bot_user()
                admins.append(self._member(user, status))
        return admins

    def _m_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _m_close(self, params: dict[str, Any]) -> bool:
        return True

    def _m_logOut(self, params: dict[str, Any]) -> bool:
        return True
