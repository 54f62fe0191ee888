"""The points shop as a feature: members' and administrators' routers, commands, settings
(levels) and the check-in badges subscriber."""

from __future__ import annotations

from typing import Any

from aiogram import Router

from bot.features import Feature
from core.events import EventBus
from core.shop.badges import CheckinBadges
from core.shop.levels import SHOP_SETTINGS
from handlers.shop import admin, member
from handlers.shop.specs import ADMIN_COMMANDS, MEMBER_COMMANDS


def routers() -> list[Router]:
    return [*member.routers(), *admin.routers()]


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    CheckinBadges().subscribe(bus)


def feature() -> Feature:
    return Feature(
        "shop",
        routers,
        commands=(*MEMBER_COMMANDS, *ADMIN_COMMANDS),
        settings=(SHOP_SETTINGS,),
        setup=setup,
    )
