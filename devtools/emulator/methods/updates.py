"""Getting updates: long polling with getUpdates, or a webhook (setWebhook, deleteWebhook,
getWebhookInfo)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiogram import types as tg

from devtools.emulator import webhooks
from devtools.emulator.errors import ApiError
from devtools.emulator.methods import method
from devtools.emulator.world import DEFAULT_UPDATE_TYPES, World


@method("getUpdates")
async def get_updates(world: World, params: dict[str, Any]) -> list[dict[str, Any]]:
    if world.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        )
    offset = int(params.get("offset") or 0)
    limit = max(1, min(100, int(params.get("limit") or 100)))
    timeout = float(params.get("timeout") or 0)
    allowed = set(params.get("allowed_updates") or []) or DEFAULT_UPDATE_TYPES
    if offset:
        world.confirmed_offset = max(world.confirmed_offset, offset)
        world._updates = [u for u in world._updates if u["update_id"] >= offset]
        world._changed.set()
    deadline = time.monotonic() + timeout
    while True:
        world.drop_unwanted(allowed)
        ready = list(world._updates)
        if ready or time.monotonic() >= deadline:
            return ready[:limit]
        world._new_update.clear()
        try:
            await asyncio.wait_for(world._new_update.wait(), deadline - time.monotonic())
        except TimeoutError:
            pass


@method("deleteWebhook")
def delete_webhook(world: World, params: dict[str, Any]) -> bool:
    world.webhook = None
    webhooks.cancel_delivery(world)
    if str(params.get("drop_pending_updates")).lower() == "true":
        world._updates.clear()
    return True


@method("setWebhook")
def set_webhook(world: World, params: dict[str, Any]) -> bool:
    url = params.get("url") or ""
    if not url:
        return delete_webhook(world, params)
    if not url.startswith(("https://", "http://")):
        raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    world.webhook = {
        "url": url,
        "secret_token": params.get("secret_token"),
        "max_connections": int(params.get("max_connections") or 40),
        "allowed_updates": params.get("allowed_updates") or [],
    }
    webhooks.start_delivery(world)
    world._new_update.set()
    return True


@method("getWebhookInfo")
def get_webhook_info(world: World, params: dict[str, Any]) -> dict[str, Any]:
    hook = world.webhook or {}
    info = tg.WebhookInfo(
        url=hook.get("url", ""),
        has_custom_certificate=False,
        pending_update_count=len(world._updates),
        max_connections=hook.get("max_connections"),
        allowed_updates=hook.get("allowed_updates") or None,
    )
    return info.model_dump(mode="json", exclude_none=True)
