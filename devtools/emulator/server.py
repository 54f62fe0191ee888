"""The emulator: the HTTP Bot API the bot talks to, and a control API to play the world.

BotAPIEmulator puts the parts together: the world and what people do in it (world.py,
actions.py), the HTTP transport, the Bot API methods (methods/, one module per group),
injected faults and rate limits, and webhook delivery. Replies are built from aiogram's own
models, so they carry every field the pinned aiogram needs.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from devtools.emulator import methods, webhooks
from devtools.emulator.actions import WorldActions
from devtools.emulator.errors import ApiError
from devtools.emulator.faults import DEFAULT_LIMITS, Faults, RateLimits
from devtools.emulator.transport import Transport


class BotAPIEmulator(WorldActions):
    def __init__(
        self,
        *,
        bot_username: str = "community_test_bot",
        limits: RateLimits | None = DEFAULT_LIMITS,
        files_dir: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(bot_username=bot_username, files_dir=files_dir)
        self.limits = limits
        self.host, self.port = host, port
        self._faults = Faults()
        self._methods = methods.load()
        self._transport = Transport(self, self._call)

    async def start(self) -> BotAPIEmulator:
        self.port = await self._transport.start(self.host, self.port)
        return self

    async def stop(self) -> None:
        await webhooks.stop_delivery(self)
        await self._transport.stop()

    async def __aenter__(self) -> BotAPIEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

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
        self._faults.fail_next(
            method,
            error_code=error_code,
            description=description,
            retry_after=retry_after,
            count=count,
            chat_id=chat_id,
        )

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        self._faults.inject(method, params)
        handler = self._methods.get(method)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        self._faults.rate_limit(self.limits, method, params)
        result = handler(self, params)
        return await result if inspect.isawaitable(result) else result
