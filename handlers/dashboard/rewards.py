"""The Rewards page: the catalogue (stock, codes, photos), adding and editing a reward, and the
pending redemptions to approve or reject (the member is told, as from /redemptions)."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from aiohttp import web

from bot.dashboard.routes import WebContext, WebError, WebPage, WebRoute, bad_input, text_field
from core.shop import catalogue, redeem
from core.shop.errors import InvalidReward
from handlers.dashboard.json import when
from handlers.shop.admin import notify_member
from storage.tables import Reward

logger = logging.getLogger(__name__)

# What the form may set, in the words /reward_edit understands (the same parsers check them).
EDITABLE = ("name", "desc", "cost", "stock", "limit", "level", "mode")
PHOTO_CACHE = 64  # photos kept in memory (Telegram's files are fetched once)
MAX_PHOTO = 5 * 1024 * 1024


def _reward(r: Reward, free_codes: int | None) -> dict[str, Any]:
    return {
        "number": r.number,
        "name": r.name,
        "description": r.description or "",
        "cost": r.cost,
        "stock": r.stock,
        "limit": r.per_member_limit,
        "level": r.min_level,
        "mode": r.mode,
        "enabled": r.enabled,
        "photo": bool(r.photo_file_id),
        "free_codes": free_codes,
    }


async def listing(ctx: WebContext) -> dict[str, Any]:
    uow = ctx.read_uow()
    items = await catalogue.catalogue(uow, ctx.group.group_id, enabled_only=False)
    rewards = []
    for r in items:
        assert r.id is not None
        free = await catalogue.free_codes(uow, r.id) if r.mode == "code" else None
        rewards.append(_reward(r, free))
    pending = await redeem.with_names(uow, await redeem.pending_for(uow, [ctx.group.group_id]))
    return {
        "rewards": rewards,
        "modes": list(catalogue.MODES),
        "pending": [
            {
                "id": r.id,
                "user_id": r.user_id,
                "name": name,
                "reward": r.reward_name,
                "number": r.reward_number,
                "cost": r.cost,
                "at": when(r.created_at),
            }
            for r, name in pending
        ],
    }


def _fields(body: dict[str, Any]) -> dict[str, str]:
    found = {}
    for field in EDITABLE:
        if field in body and body[field] is not None:
            value = body[field]
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                raise bad_input(field)
            found[field] = str(value)
            if len(found[field]) > 600:
                raise bad_input(field)
    return found


async def add(ctx: WebContext) -> dict[str, Any]:
    fields = _fields(await ctx.body())
    if "name" not in fields or "cost" not in fields:
        raise InvalidReward(field="usage", low=0, high=0)
    new = catalogue.NewReward(
        cost=catalogue.parse_cost(fields["cost"]),
        stock=catalogue.parse_stock(fields.get("stock") or "unlimited"),
        name=catalogue.parse_name(fields["name"]),
        limit=catalogue.parse_limit(fields.get("limit") or "0"),
        level=catalogue.parse_level(fields.get("level") or "1"),
        mode=catalogue.parse_mode(fields.get("mode") or "auto"),
        description=catalogue.parse_description(fields.get("desc") or ""),
    )
    reward = await catalogue.add(ctx.uow(), ctx.group.group_id, ctx.user_id, new, ctx.at)
    return {"reward": _reward(reward, 0 if reward.mode == "code" else None)}


async def edit(ctx: WebContext) -> dict[str, Any]:
    number = ctx.int_path("number")
    body = await ctx.body()
    values: dict[str, Any] = {}
    for field, value in _fields(body).items():
        values.update(catalogue.parse_edit(field, value))
    if "enabled" in body:
        if not isinstance(body["enabled"], bool):
            raise bad_input("enabled")
        values["enabled"] = body["enabled"]
    if not values:
        raise bad_input("fields")
    reward = await catalogue.edit(
        ctx.uow(), ctx.group.group_id, ctx.user_id, number, values, ctx.at
    )
    return {"reward": _reward(reward, None)}


async def _decide(ctx: WebContext, approve: bool) -> dict[str, Any]:
    redemption_id = ctx.int_path("redemption_id")
    body = await ctx.body() if not approve else {}
    reason = text_field(body, "reason", limit=200, required=False).strip() or None
    uow = ctx.uow()
    current = await redeem.get(uow, redemption_id)
    if current.group_id != ctx.group.group_id:  # another group's: as if it did not exist
        raise WebError(404, "dash-error-not-found")
    decided = await redeem.decide(uow, redemption_id, ctx.user_id, approve, reason, ctx.at)
    [(decided, name)] = await redeem.with_names(uow, [decided])
    notify_member(
        ctx.service("outbox"),
        ctx.service("locales"),
        ctx.service("groups"),
        decided,
        name,
        ctx.session.language,
        approve,
    )
    return {"id": decided.id, "status": decided.status}


async def approve(ctx: WebContext) -> dict[str, Any]:
    return await _decide(ctx, True)


async def reject(ctx: WebContext) -> dict[str, Any]:
    return await _decide(ctx, False)


class PhotoCache:
    """Reward photos fetched from Telegram (getFile, then the file), a few kept in memory."""

    def __init__(self, bot: Any, size: int = PHOTO_CACHE) -> None:
        self._bot = bot
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = size

    async def get(self, file_id: str) -> bytes:
        bot = self._bot
        found = self._items.get(file_id)
        if found is not None:
            self._items.move_to_end(file_id)
            return found
        file = await bot.get_file(file_id)
        if file.file_path is None or (file.file_size or 0) > MAX_PHOTO:
            raise WebError(404, "dash-error-not-found")
        data = await bot.download_file(file.file_path)
        content = data.read() if data is not None else b""
        self._items[file_id] = content
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return content


async def photo(ctx: WebContext) -> web.StreamResponse:
    reward = await catalogue.get(ctx.read_uow(), ctx.group.group_id, ctx.int_path("number"))
    if not reward.photo_file_id:
        raise WebError(404, "dash-error-not-found")
    try:
        content = await ctx.service("dashboard_photos").get(reward.photo_file_id)
    except WebError:
        raise
    except Exception as exc:  # noqa: BLE001  (Telegram could not give it: no photo shown)
        logger.info("reward photo %s not fetched: %r", reward.number, exc)
        raise WebError(404, "dash-error-not-found") from None
    kind = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return web.Response(
        body=content, headers={"Content-Type": kind, "Cache-Control": "private, max-age=300"}
    )


def page() -> WebPage:
    return WebPage(
        "rewards",
        (
            WebRoute("GET", "rewards", listing),
            WebRoute("POST", "rewards", add),
            WebRoute("POST", "rewards/{number:\\d+}", edit),
            WebRoute("GET", "rewards/{number:\\d+}/photo", photo),
            WebRoute("POST", "redemptions/{redemption_id:\\d+}/approve", approve),
            WebRoute("POST", "redemptions/{redemption_id:\\d+}/reject", reject),
        ),
        order=30,
    )
