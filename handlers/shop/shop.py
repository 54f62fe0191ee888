"""The points shop as a feature: members' and administrators' routers, commands, settings
(levels) and the badges: awarded on check-ins, streak badges announced in the group."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.methods import SendMessage

from bot.features import Feature
from bot.i18n import Locales
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip
from core.community.groups import GroupService
from core.events import EventBus, Transaction
from core.shop import badges, monthly
from core.shop.levels import ANNOUNCE, SHOP_SETTINGS
from handlers.shop import admin, flash, member, render
from handlers.shop.specs import ADMIN_COMMANDS, MEMBER_COMMANDS
from storage.queries.community import members as member_rows

# Announced by the subscriber: a first check-in is everyone's (it would flood a new group) and
# a first redemption is announced with the redemption itself.
ANNOUNCED = frozenset(badges.STREAKS.values())


def routers() -> list[Router]:
    return [*flash.routers(), *member.routers(), *admin.routers()]


def announcer(outbox: Outbox, locales: Locales, groups: GroupService):  # type: ignore[no-untyped-def]
    async def on_badge(tx: Transaction, event: badges.BadgeAwarded) -> None:
        announced = event.badge in ANNOUNCED or event.badge.startswith(badges.TOP3_PREFIX)
        if not announced:
            return
        group = await groups.settings_for(event.group_id)
        where = group.value(ANNOUNCE)
        if where == "off" or (where == "group" and outbox.group_is_busy(event.group_id)):
            return  # a busy group is not flooded: the badge shows in /me
        t = locales.get(group.language)
        user = await member_rows.get_user(tx.session, event.user_id)
        name = (user.display_name if user else "") or str(event.user_id)
        text = t("badge-awarded", name=name, badge=render.badge_name(t, event.badge))
        chat = event.group_id if where == "group" else event.user_id
        tx.after_commit(
            lambda: outbox.send(
                chat,
                SendMessage(chat_id=chat, text=clip(text)),
                kind=Kind.ACK,
                priority=Priority.LOW,
            )
        )

    return on_badge


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    badges.CheckinBadges().subscribe(bus)
    deps["flash_posts"] = flash.FlashPosts(deps["outbox"])
    bus.subscribe(badges.BadgeAwarded, announcer(deps["outbox"], deps["locales"], deps["groups"]))
    session_factory, groups, clock = deps["session_factory"], deps["groups"], deps["clock"]

    async def month_top3() -> None:
        await monthly.award_last_month(session_factory, groups, clock(), bus)

    # Hourly: a month ends at a different hour in each group's timezone; each group and month
    # is awarded once (a keyed job occurrence), whichever run gets there first.
    deps["scheduler"].add_job(
        month_top3, "cron", minute=5, id="month_top3_badges", replace_existing=True, coalesce=True
    )


def feature() -> Feature:
    return Feature(
        "shop",
        routers,
        commands=(*MEMBER_COMMANDS, *ADMIN_COMMANDS),
        settings=(SHOP_SETTINGS,),
        setup=setup,
    )
