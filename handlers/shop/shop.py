"""The points shop as a feature: members' and administrators' routers, commands, settings
(levels) and the badges: awarded on check-ins; streak badges and levels reached announced."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.methods import SendMessage

from bot.features import Feature
from bot.i18n import Locales, Translator
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip
from core.calendar import local_day
from core.community.groups import GroupService
from core.events import EventBus, Transaction
from core.shop import badges, monthly
from core.shop.level_ups import LeveledUp, LevelUps
from core.shop.levels import ANNOUNCE, SHOP_SETTINGS, level_curve
from core.text import shorten
from handlers.shop import admin, flash, member, render
from handlers.shop.specs import ADMIN_COMMANDS, MEMBER_COMMANDS
from storage.queries.community import members as member_rows

# Announced by the subscriber: a first check-in is everyone's (it would flood a new group) and
# a first redemption is announced with the redemption itself.
ANNOUNCED = frozenset(badges.STREAKS.values())


def routers() -> list[Router]:
    return [*flash.routers(), *member.routers(), *admin.routers()]


NAME = 40  # a name in an announcement or a digest line


class Announcer:
    """Badges and levels reached, announced per `announce_badges`: in the group (in a busy
    group as lines of the check-in digest, never a message each), by private message, or not
    at all. Queued after the transaction commits."""

    def __init__(self, outbox: Outbox, locales: Locales, groups: GroupService, deps: Any) -> None:
        self._outbox = outbox
        self._locales = locales
        self._groups = groups
        self._deps = deps  # the app's digest is looked up when used (tests swap it)

    async def on_badge(self, tx: Transaction, event: badges.BadgeAwarded) -> None:
        announced = event.badge in ANNOUNCED or event.badge.startswith(badges.TOP3_PREFIX)
        if not announced:
            return

        def texts(t: Translator, name: str) -> tuple[str, str]:
            badge = render.badge_name(t, event.badge)
            return (
                t("badge-awarded", name=name, badge=badge),
                t("digest-badge", name=name, badge=badge),
            )

        await self._announce(tx, event.group_id, event.user_id, event.at, texts)

    async def on_level(self, tx: Transaction, event: LeveledUp) -> None:
        group = await self._groups.settings_for(event.group_id, session=tx.session)
        curve = level_curve(group)

        def texts(t: Translator, name: str) -> tuple[str, str]:
            title = render.level_title(t, curve, event.level)
            return (
                t("level-up", name=name, level=event.level, title=title),
                t("digest-level", name=name, level=event.level, title=title),
            )

        await self._announce(tx, event.group_id, event.user_id, event.at, texts)

    async def _announce(
        self,
        tx: Transaction,
        group_id: int,
        user_id: int,
        at: datetime,
        texts: Callable[[Translator, str], tuple[str, str]],
    ) -> None:
        group = await self._groups.settings_for(group_id, session=tx.session)
        where = group.value(ANNOUNCE)
        if where == "off":
            return
        t = self._locales.get(group.language)
        user = await member_rows.get_user(tx.session, user_id)
        if where == "dm" and (user is None or user.started_at is None or user.blocked_at):
            return  # the bot cannot write to them (Telegram would answer 403); /me shows it
        name = shorten((user.display_name if user else "") or str(user_id), NAME)
        message, line = texts(t, name)
        outbox, digest = self._outbox, self._deps["digest"]
        day = local_day(at, group.timezone, group.day_start_hour)
        chat = group_id if where == "group" else user_id

        def send() -> None:
            # Decided when queued: each message queued counts, so a batch that brings many
            # notices at once fills the group's share and folds the rest into the digest.
            if where == "group" and outbox.group_is_busy(group_id):
                digest.notice(group_id, day, group.language, line)
                return
            outbox.send(
                chat,
                SendMessage(chat_id=chat, text=clip(message)),
                kind=Kind.ACK,
                priority=Priority.LOW,
            )

        tx.after_commit(send)


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    badges.CheckinBadges().subscribe(bus)
    LevelUps(deps["groups"]).subscribe(bus)
    deps["flash_posts"] = flash.FlashPosts(deps["outbox"])
    announcer = Announcer(deps["outbox"], deps["locales"], deps["groups"], deps)
    bus.subscribe(badges.BadgeAwarded, announcer.on_badge)
    bus.subscribe(LeveledUp, announcer.on_level)
    session_factory, groups, clock = deps["session_factory"], deps["groups"], deps["clock"]

    async def month_top3() -> None:
        await monthly.award_last_month(session_factory, groups, clock(), bus)

    # Hourly: a month ends at a different hour in each group's timezone; each group and month
    # is awarded once (a keyed job occurrence), whichever run gets there first.
    # In the scheduler's leader only (several processes: one runs it).
    deps["scheduler"].add_job(
        deps["post_scheduler"].leader_only(month_top3),
        "cron",
        minute=5,
        id="month_top3_badges",
        replace_existing=True,
        coalesce=True,
    )


def feature() -> Feature:
    return Feature(
        "shop",
        routers,
        commands=(*MEMBER_COMMANDS, *ADMIN_COMMANDS),
        settings=(SHOP_SETTINGS,),
        setup=setup,
    )
