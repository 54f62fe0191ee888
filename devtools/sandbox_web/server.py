"""The sandbox's browser view: a Telegram-like chat page over the emulator, in the spirit of
tgfake's web chat. Group and private chats, switching member (and making one an admin),
buttons, photos and documents, and the bot's menu button: a Mini App (the dashboard) opens in a
phone frame with initData signed by the emulator, so it logs in through the real path.

The page polls /sim/messages; everything it does goes through the emulator's own actions, so
the bot sees exactly the updates Telegram would send.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from aiohttp import web

from devtools.emulator import BotAPIEmulator
from devtools.emulator import webapp as mini_apps
from devtools.emulator.methods.files import placeholder_png

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
STATUSES = ("creator", "administrator", "member", "left")


class SandboxWeb:
    def __init__(self, emu: BotAPIEmulator, group_id: int) -> None:
        self.emu = emu
        self.group_id = group_id
        self._runner: web.AppRunner | None = None
        self.port = 0

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_get("/", self._page)
        app.router.add_static("/static/", STATIC)
        app.router.add_get("/sim/state", self._state)
        app.router.add_get("/sim/messages", self._messages)
        app.router.add_post("/sim/send", self._send)
        app.router.add_post("/sim/photo", self._photo)
        app.router.add_post("/sim/press", self._press)
        app.router.add_post("/sim/status", self._status)
        app.router.add_post("/sim/webapp", self._webapp)
        app.router.add_get("/sim/file/{file_id}", self._file)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(self.build_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://{host}:{self.port}/"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- the page ----------------------------------------------------------------------
    async def _page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "chat.html")

    def _chat_id(self, data: Any, user_id: int) -> int:
        return user_id if str(data.get("chat")) == "private" else self.group_id

    async def _state(self, request: web.Request) -> web.Response:
        emu = self.emu
        users = [
            {
                "id": user_id,
                "name": user["first_name"],
                "username": user.get("username"),
                "status": emu.status.get((self.group_id, user_id), "left"),
            }
            for user_id, user in emu.users.items()
            if not user.get("is_bot")
        ]
        group = emu.chats.get(self.group_id, {})
        return web.json_response(
            {"group": {"id": self.group_id, "title": group.get("title", "")}, "users": users}
        )

    async def _messages(self, request: web.Request) -> web.Response:
        user_id = int(request.query.get("user", "0"))
        chat_id = self._chat_id(request.query, user_id)
        shown = []
        for (chat, _), msg in sorted(self.emu.messages.items(), key=lambda kv: kv[0][1]):
            if chat != chat_id:
                continue
            shown.append(_message(msg, self.emu.bot_id))
        menu = self.emu.menu_buttons.get(user_id) or self.emu.menu_buttons.get(None)
        return web.json_response(
            {"chat": chat_id, "messages": shown, "menu": menu if chat_id > 0 else None}
        )

    async def _send(self, request: web.Request) -> web.Response:
        data = await request.json()
        user_id = int(data["user"])
        text = str(data.get("text") or "").strip()
        if not text:
            return web.json_response({"ok": False}, status=400)
        if str(data.get("chat")) == "private":
            self.emu.send_private(user_id, text)
        else:
            self.emu.send_message(self.group_id, user_id, text)
        return web.json_response({"ok": True})

    async def _photo(self, request: web.Request) -> web.Response:
        form = await request.post()
        user_id = int(str(form["user"]))
        upload = form.get("file")
        caption = str(form.get("caption") or "") or None
        chat_id = self._chat_id(form, user_id)
        if chat_id < 0:
            update = self.emu.send_photo(chat_id, user_id, caption=caption)
        else:
            self.emu.start_private(user_id)
            update = self._private_photo(user_id, caption)
        if isinstance(upload, web.FileField):
            data = upload.file.read()
            for size in update["message"]["photo"]:
                self.emu.file_bytes[size["file_id"]] = data
        return web.json_response({"ok": True})

    def _private_photo(self, user_id: int, caption: str | None) -> dict[str, Any]:
        emu = self.emu
        n = len(emu.files) // 2 + 1
        sizes = [
            {"file_id": f"photo{n}-small", "file_unique_id": f"p{n}s", "width": 90, "height": 90},
            {"file_id": f"photo{n}", "file_unique_id": f"p{n}", "width": 1280, "height": 960},
        ]
        for size in sizes:
            emu.files[size["file_id"]] = sizes
        extra: dict[str, Any] = {"photo": sizes}
        if caption:
            extra["caption"] = caption
        msg = emu._user_message(emu.private_chat(user_id), user_id, None, None, **extra)
        return emu.push_update({"message": msg})

    async def _press(self, request: web.Request) -> web.Response:
        data = await request.json()
        user_id = int(data["user"])
        chat_id = self._chat_id(data, user_id)
        try:
            self.emu.press_button(chat_id, user_id, int(data["message_id"]), str(data["data"]))
        except KeyError:
            return web.json_response({"ok": False}, status=404)
        return web.json_response({"ok": True})

    async def _status(self, request: web.Request) -> web.Response:
        data = await request.json()
        status = str(data.get("status"))
        if status not in STATUSES:
            return web.json_response({"ok": False}, status=400)
        user_id = int(data["user"])
        if status == "left":
            self.emu.leave(self.group_id, user_id)
        elif self.emu.status.get((self.group_id, user_id), "left") in ("left", "kicked"):
            self.emu.join(self.group_id, user_id)
            self.emu.set_member_status(self.group_id, user_id, status)
        else:
            self.emu.set_member_status(self.group_id, user_id, status)
        return web.json_response({"ok": True})

    async def _webapp(self, request: web.Request) -> web.Response:
        """What a Telegram client does when a web_app button or the menu button is pressed: the
        Mini App's URL with initData the emulator signs for this user."""
        data = await request.json()
        user_id = int(data["user"])
        url = str(data["url"])
        signed = mini_apps.init_data(self.emu, user_id)
        return web.json_response({"url": mini_apps.open_url(url, signed)})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["file_id"]
        data = self.emu.file_bytes.get(file_id)  # what the bot uploaded, or a user's photo
        if data is None and file_id in self.emu.files:
            data = placeholder_png(file_id)
        if data is None:
            raise web.HTTPNotFound()
        kind = "image/png" if data.startswith(b"\x89PNG") else "application/octet-stream"
        return web.Response(body=data, content_type=kind)


def _message(msg: dict[str, Any], bot_id: int | None) -> dict[str, Any]:
    sender = msg.get("from") or {}
    out: dict[str, Any] = {
        "id": msg["message_id"],
        "from": sender.get("first_name", ""),
        "from_id": sender.get("id"),
        "bot": bool(sender.get("is_bot")),
        "date": msg.get("date"),
        "text": msg.get("text") or msg.get("caption") or "",
        "edited": "edit_date" in msg,
    }
    if msg.get("photo"):
        out["photo"] = msg["photo"][-1]["file_id"]
    if msg.get("document"):
        out["document"] = {
            "name": msg["document"].get("file_name") or "file",
            "file_id": msg["document"]["file_id"],
        }
    if msg.get("new_chat_members"):
        out["service"] = "joined: " + ", ".join(
            u.get("first_name", "") for u in msg["new_chat_members"]
        )
    if msg.get("left_chat_member"):
        out["service"] = "left: " + msg["left_chat_member"].get("first_name", "")
    rows = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
    if rows:
        out["buttons"] = [
            [
                {
                    "text": b.get("text", ""),
                    "data": b.get("callback_data"),
                    "web_app": (b.get("web_app") or {}).get("url"),
                    "url": b.get("url"),
                }
                for b in row
            ]
            for row in rows
        ]
    return out
