"""The HTTP side of the Bot API: the aiohttp server, parameters (query, form, multipart, JSON),
the JSON answers and errors, and the record of every call."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from devtools.emulator.errors import ApiError
from devtools.emulator.world import Call, World

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
    "options",
    "media",
    "menu_button",
}

Dispatch = Callable[[str, dict[str, Any]], Awaitable[Any]]


async def read_params(request: web.Request) -> dict[str, Any]:
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


class Transport:
    """Serves /bot<token>/<method>: each call goes to dispatch and is recorded in the world."""

    def __init__(self, world: World, dispatch: Dispatch) -> None:
        self.world = world
        self.dispatch = dispatch
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> int:
        """The port it listens on."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            return self._error(
                Call(method, {}, 401, time.monotonic()), ApiError(401, "Unauthorized")
            )
        self.world.bot_id = int(bot_id)
        self.world.bot_token = token
        try:
            params = await read_params(request)
        except (ValueError, json.JSONDecodeError):
            return self._error(
                Call(method, {}, 400, time.monotonic()),
                ApiError(400, "Bad Request: invalid parameters"),
            )
        call = Call(method, params, 200, time.monotonic())
        try:
            result = await self.dispatch(method, params)
        except ApiError as exc:
            return self._error(call, exc)
        self.world.record(call)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        """Telegram's file download: /file/bot<token>/<file_path> (from getFile)."""
        if request.match_info["token"] != self.world.bot_token:
            return web.Response(status=401, text="Unauthorized")
        data = self.world.file_bytes.get(request.match_info["path"].rpartition("/")[2])
        if data is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=data, content_type="application/octet-stream")

    def _error(self, call: Call, exc: ApiError) -> web.Response:
        call.status = exc.code
        self.world.record(call)
        body: dict[str, Any] = {
            "ok": False,
            "error_code": exc.code,
            "description": exc.description,
        }
        if exc.retry_after is not None:
            body["parameters"] = {"retry_after": exc.retry_after}
        return web.json_response(body, status=exc.code)
