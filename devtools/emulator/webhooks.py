"""Webhook delivery: POST pending updates to the bot's webhook, several at once, and retry the
ones it did not answer with 2xx."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp

from devtools.emulator.world import DEFAULT_UPDATE_TYPES, World

RETRY_AFTER_FAILURE = 0.5


def start_delivery(world: World) -> None:
    if world._delivery is None or world._delivery.done():
        world._delivery = asyncio.create_task(_deliver_loop(world))


def cancel_delivery(world: World) -> None:
    if world._delivery is not None:
        world._delivery.cancel()
        world._delivery = None


async def stop_delivery(world: World) -> None:
    if world._delivery is not None:
        world._delivery.cancel()
        await asyncio.gather(world._delivery, return_exceptions=True)
        world._delivery = None


async def _deliver_loop(world: World) -> None:
    in_flight: dict[int, asyncio.Task[None]] = {}
    retry_at: dict[int, float] = {}
    acked = [world.confirmed_offset]  # one past the highest update answered with 2xx
    connector = aiohttp.TCPConnector(
        ssl=world.webhook_ssl if world.webhook_ssl is not None else True, limit=0
    )
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=60), connector=connector
    ) as http:

        async def post(update: dict[str, Any]) -> None:
            hook = world.webhook
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
            world.webhook_deliveries.append((update["update_id"], status))
            if 200 <= status < 300:
                world._updates = [
                    u for u in world._updates if u["update_id"] != update["update_id"]
                ]
                acked[0] = max(acked[0], update["update_id"] + 1)
                remaining = [u["update_id"] for u in world._updates]
                # Everything below the oldest unanswered update is confirmed.
                world.confirmed_offset = max(
                    world.confirmed_offset, min(remaining) if remaining else acked[0]
                )
            else:
                retry_at[update["update_id"]] = time.monotonic() + RETRY_AFTER_FAILURE
            world._changed.set()

        while world.webhook is not None:
            hook = world.webhook
            world.drop_unwanted(set(hook["allowed_updates"]) or DEFAULT_UPDATE_TYPES)
            now = time.monotonic()
            for update in sorted(world._updates, key=lambda u: u["update_id"]):
                uid = update["update_id"]
                if len(in_flight) >= hook["max_connections"]:
                    break
                if uid in in_flight or retry_at.get(uid, 0) > now:
                    continue
                task = asyncio.create_task(post(update))
                in_flight[uid] = task
                task.add_done_callback(
                    lambda _t, uid=uid: (in_flight.pop(uid, None), world._new_update.set())
                )
            world._new_update.clear()
            wait = min((t - now for t in retry_at.values() if t > now), default=1.0)
            try:
                await asyncio.wait_for(world._new_update.wait(), max(0.05, wait))
            except TimeoutError:
                pass
        for task in in_flight.values():
            task.cancel()
