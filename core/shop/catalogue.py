"""Administrators manage a group's rewards: add, edit, disable, enable, list, coupon codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.shop.errors import InvalidReward, NoCodes, NotCodeReward, RewardUnknown
from core.text import shorten
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.shop import photos
from storage.queries.shop import rewards as rows
from storage.tables import Reward

MAX_COST = 1_000_000
MAX_STOCK = 1_000_000
MAX_LIMIT = 10_000
MAX_LEVEL = 20
MAX_NAME = 64
MAX_DESCRIPTION = 500
MAX_CODE = 128
MAX_CODES = 1000  # per message
MODES = ("auto", "manual", "code")
UNLIMITED = ("unlimited", "∞", "-", "inf", "无限")
FIELDS = ("cost", "stock", "limit", "level", "mode", "name", "desc")
MAX_FILE_ID = 255
PHOTO_PROMPT_LIFETIME = timedelta(minutes=30)  # the photo step waits this long for the photo


def _int(text: str, field: str, low: int, high: int) -> int:
    text = text.strip().lstrip("+")
    if not text.isdecimal() or len(text) > 9 or not low <= int(text) <= high:
        raise InvalidReward(field=field, low=low, high=high)
    return int(text)


def parse_cost(text: str) -> int:
    return _int(text, "cost", 1, MAX_COST)


def parse_stock(text: str) -> int | None:
    if text.strip().lower() in UNLIMITED:
        return None
    return _int(text, "stock", 1, MAX_STOCK)


def parse_limit(text: str) -> int | None:
    if text.strip().lower() in ("0", "none", "no", "-"):
        return None
    return _int(text, "limit", 1, MAX_LIMIT)


def parse_level(text: str) -> int:
    return _int(text, "level", 1, MAX_LEVEL)


def parse_mode(text: str) -> str:
    mode = text.strip().lower()
    if mode not in MODES:
        raise InvalidReward(field="mode", low=1, high=1)
    return mode


def parse_name(text: str) -> str:
    name = " ".join(text.split())
    if not name or len(name) > MAX_NAME:
        raise InvalidReward(field="name", low=1, high=MAX_NAME)
    return name


def parse_description(text: str) -> str | None:
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidReward(field="desc", low=0, high=MAX_DESCRIPTION)
    return text or None


def parse_number(text: str) -> int:
    text = text.strip().lstrip("#")
    if not text.isdecimal() or len(text) > 6 or int(text) < 1:
        raise RewardUnknown(number=shorten(text, 12) or "?")
    return int(text)


@dataclass(frozen=True)
class NewReward:
    cost: int
    stock: int | None
    name: str
    limit: int | None = None
    level: int = 1
    mode: str = "auto"
    description: str | None = None


def parse_add(args: list[str]) -> NewReward:
    """`<cost> <stock|unlimited> <name…> [limit=N] [level=N] [mode=auto|manual|code]`; a
    description may follow the name after " | "."""
    if len(args) < 3:
        raise InvalidReward(field="usage", low=0, high=0)
    cost, stock = parse_cost(args[0]), parse_stock(args[1])
    options: dict[str, str] = {}
    words: list[str] = []
    for word in args[2:]:
        key, eq, value = word.partition("=")
        if eq and key.lower() in ("limit", "level", "mode"):
            options[key.lower()] = value
        else:
            words.append(word)
    name, _, description = " ".join(words).partition("|")
    return NewReward(
        cost=cost,
        stock=stock,
        name=parse_name(name),
        limit=parse_limit(options["limit"]) if "limit" in options else None,
        level=parse_level(options["level"]) if "level" in options else 1,
        mode=parse_mode(options["mode"]) if "mode" in options else "auto",
        description=parse_description(description),
    )


def parse_edit(field: str, value: str) -> dict[str, Any]:
    field = field.lower()
    if field == "cost":
        return {"cost": parse_cost(value)}
    if field == "stock":
        return {"stock": parse_stock(value), "low_stock_reported": False}
    if field == "limit":
        return {"per_member_limit": parse_limit(value)}
    if field == "level":
        return {"min_level": parse_level(value)}
    if field == "mode":
        return {"mode": parse_mode(value)}
    if field == "name":
        return {"name": parse_name(value)}
    if field in ("desc", "description"):
        return {"description": parse_description(value)}
    raise InvalidReward(field="field", low=0, high=0)


def parse_codes(lines: list[str]) -> list[str]:
    """One code per line (blank lines skipped); in the order given."""
    codes = [line.strip() for line in lines if line.strip()]
    if not codes:
        raise NoCodes()
    if len(codes) > MAX_CODES or any(len(c) > MAX_CODE or " " in c for c in codes):
        raise InvalidReward(field="code", low=1, high=MAX_CODE)
    return codes


async def _get(uow: UnitOfWork, group_id: int, number: int) -> Reward:
    reward = await rows.get(uow.session, group_id, number)
    if reward is None:
        raise RewardUnknown(number=number)
    return reward


async def get(uow: UnitOfWork, group_id: int, number: int) -> Reward:
    return await _get(uow, group_id, number)


def clean_file_id(file_id: str | None) -> str | None:
    """A Telegram file id to keep (one longer than the column holds is not kept)."""
    if not file_id or len(file_id) > MAX_FILE_ID:
        return None
    return file_id


async def add(
    uow: UnitOfWork,
    group_id: int,
    actor_id: int,
    new: NewReward,
    at: datetime,
    photo: str | None = None,
) -> Reward:
    """photo: the Telegram file id of the photo the command came with, if any."""
    await uow.claim()
    session = uow.session
    number = await rows.next_number(session, group_id)
    reward = await rows.add(
        session,
        {
            "group_id": group_id,
            "number": number,
            "name": new.name,
            "description": new.description,
            "cost": new.cost,
            "stock": new.stock,
            "per_member_limit": new.limit,
            "min_level": new.level,
            "mode": new.mode,
            "enabled": True,
            "low_stock_reported": False,
            "photo_file_id": clean_file_id(photo),
            "created_at": at,
        },
    )
    await audit.record(
        session,
        group_id=group_id,
        actor_id=actor_id,
        action="reward_add",
        at=at,
        details={"number": number, "name": new.name, "cost": new.cost, "stock": new.stock},
    )
    await uow.commit()
    return reward


async def edit(
    uow: UnitOfWork,
    group_id: int,
    actor_id: int,
    number: int,
    values: dict[str, Any],
    at: datetime,
) -> Reward:
    await uow.claim()
    reward = await _get(uow, group_id, number)
    assert reward.id is not None
    await rows.update_fields(uow.session, reward.id, values)
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="reward_edit",
        at=at,
        details={"number": number, **values},
    )
    await uow.commit()
    await uow.session.refresh(reward)
    return reward


async def set_photo(
    uow: UnitOfWork, group_id: int, actor_id: int, number: int, photo: str | None, at: datetime
) -> Reward:
    """A reward's photo (a Telegram file id), or none."""
    return await edit(uow, group_id, actor_id, number, {"photo_file_id": clean_file_id(photo)}, at)


async def ask_photo(
    uow: UnitOfWork, group_id: int, actor_id: int, number: int, prompt_id: int, at: datetime
) -> Reward:
    """The photo step: the bot's message `prompt_id` now asks for the photo of #number."""
    reward = await _get(uow, group_id, number)
    await photos.prune(uow.session, at - PHOTO_PROMPT_LIFETIME)
    await photos.put_prompt(uow.session, group_id, prompt_id, number, actor_id, at)
    await uow.commit()
    return reward


async def skip_photo(uow: UnitOfWork, group_id: int, number: int, prompt_id: int) -> Reward:
    reward = await _get(uow, group_id, number)
    await photos.drop_prompt(uow.session, group_id, prompt_id)
    await uow.commit()
    return reward


async def photo_reply(
    uow: UnitOfWork, group_id: int, actor_id: int, prompt_id: int, photo: str, at: datetime
) -> Reward | None:
    """A photo sent in reply to the bot's message `prompt_id`: the photo of the reward that
    prompt asked for (None: it asked for none, or too long ago)."""
    await uow.claim()
    number = await photos.take_prompt(uow.session, group_id, prompt_id, at - PHOTO_PROMPT_LIFETIME)
    if number is None:
        await uow.rollback()
        return None
    return await set_photo(uow, group_id, actor_id, number, photo, at)


async def set_enabled(
    uow: UnitOfWork, group_id: int, actor_id: int, number: int, enabled: bool, at: datetime
) -> Reward:
    return await edit(uow, group_id, actor_id, number, {"enabled": enabled}, at)


async def catalogue(uow: UnitOfWork, group_id: int, *, enabled_only: bool) -> list[Reward]:
    return await rows.list_group(uow.session, group_id, enabled_only=enabled_only)


@dataclass(frozen=True)
class CodesAdded:
    reward: Reward
    added: int
    duplicates: list[str]  # already there, or twice in the message
    free: int  # unused codes now


async def add_codes(
    uow: UnitOfWork, group_id: int, actor_id: int, number: int, codes: list[str], at: datetime
) -> CodesAdded:
    await uow.claim()
    session = uow.session
    reward = await _get(uow, group_id, number)
    assert reward.id is not None
    if reward.mode != "code":
        error = NotCodeReward(number=number, name=reward.name)
        await uow.rollback()
        raise error
    seen: set[str] = set()
    duplicates: list[str] = []
    fresh: list[str] = []
    for code in codes:
        (duplicates if code in seen else fresh).append(code)
        seen.add(code)
    there = await rows.existing_codes(session, reward.id, fresh)
    duplicates += [c for c in fresh if c in there]
    fresh = [c for c in fresh if c not in there]
    added = await rows.add_codes(session, reward.id, fresh, at)
    if added:
        await rows.update_fields(session, reward.id, {"low_stock_reported": False})
    await audit.record(
        session,
        group_id=group_id,
        actor_id=actor_id,
        action="reward_codes",
        at=at,
        details={"number": number, "added": added, "duplicates": len(duplicates)},
    )
    free = await rows.free_codes(session, reward.id)
    await uow.commit()
    return CodesAdded(reward, added, duplicates, free)


async def free_codes(uow: UnitOfWork, reward_id: int) -> int:
    return await rows.free_codes(uow.session, reward_id)
