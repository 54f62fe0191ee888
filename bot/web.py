"""The bot's HTTP server: Telegram's webhook, /healthz, /readyz and /metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.intake import RetryBatch, UpdateProcessor
from bot.metrics import Metrics

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def database_ready(engine: AsyncEngine, timeout: float = 2.0) -> bool:
    try:
        async with asyncio.timeout(timeout):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # noqa: BLE001
        logger.warning("readiness: database unreachable: %r", exc)
        return False


class WebhookEndpoint:
    """Answers 200 only after the update's effects are committed, so a crash means redelivery."""

    def __init__(self, bot: Bot, processor: UpdateProcessor, secret: str) -> None:
        self._bot = bot
        self._processor = processor
        self._secret = secret.encode()

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.json_response({"ok": False, "error": "unauthorized"}, status=401)
        try:
            body = await request.json()
        except (ValueError, json.JSONDecodeError):
            return web.json_response({"ok": False, "error": "malformed update"}, status=400)
        try:
            update = Update.model_validate(body, context={"bot": self._bot})
        except (ValueError, ValidationError) as exc:
            update_id = body.get("update_id") if isinstance(body, dict) else None
            if not isinstance(update_id, int):
                return web.json_response({"ok": False, "error": "malformed update"}, status=400)
            # Telegram would send it again and again: keep it, and take it as delivered.
            kind = next((k for k in body if k != "update_id"), "unknown")
            try:
                await self._processor.set_aside(update_id, kind, json.dumps(body), str(exc))
            except Exception as error:  # noqa: BLE001
                logger.warning("could not set update %s aside: %r", update_id, error)
                return web.json_response({"ok": False, "error": "try again"}, status=503)
            return web.json_response({"ok": True})
        try:
            await self._processor.process_one(update)
        except RetryBatch as exc:
            logger.warning("webhook update %s not processed: %s", update.update_id, exc)
            return web.json_response({"ok": False, "error": "try again"}, status=503)
        return web.json_response({"ok": True})


def build_web_app(
    *,
    metrics: Metrics,
    ready: Callable[[], Awaitable[bool]],
    webhook: WebhookEndpoint | None = None,
    webhook_path: str = "/webhook",
) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(_request: web.Request) -> web.Response:
        if await ready():
            return web.Response(text="ready\n")
        return web.Response(text="not ready\n", status=503)

    async def metrics_view(_request: web.Request) -> web.Response:
        return web.Response(
            body=metrics.render(),
            headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"},
        )

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_view)
    if webhook is not None:
        app.router.add_post(webhook_path, webhook.handle)
    return app


async def start_server(
    app: web.Application, listen: str, shutdown_timeout: float
) -> web.AppRunner:
    host, _, port = listen.rpartition(":")
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=shutdown_timeout)
    await runner.setup()
    await web.TCPSite(runner, host or "0.0.0.0", int(port)).start()
    return runner
