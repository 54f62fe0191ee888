"""/me: balance, streak, best streak, check-ins and rank, in a group or across groups in private."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import Message

from bot.features import Area, CommandSpec, Feature, Where
from bot.filters import InGroup, InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.engagement.profile import Profile, profile_in_group, profiles_everywhere
from core.uow import UnitOfWork
from handlers.shop.render import profile_lines


def render_profile(t: Translator, profile: Profile) -> str:
    return t(
        "profile",
        group=profile.group_title,
        points=profile.points,
        streak=profile.streak,
        best=profile.best_streak,
        checkins=profile.checkins,
        rank=profile.rank,
        today="yes" if profile.checked_in_today else "no",
    )


async def cmd_me_group(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    user_id = message.from_user.id
    profile = await profile_in_group(uow.session, group, user_id, event_at)
    levels = await profile_lines(uow.session, group, user_id, t)
    reply(
        outbox,
        message,
        t("profile-name", name=message.from_user.full_name)
        + "\n"
        + render_profile(t, profile)
        + "\n"
        + levels,
    )


async def cmd_me_private(
    message: Message,
    uow: UnitOfWork,
    groups: GroupService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    profiles = await profiles_everywhere(uow.session, groups, message.from_user.id, event_at)
    if not profiles:
        reply(outbox, message, t("profile-no-groups"))
        return
    shown = []
    for p in profiles:
        settings = await groups.settings_for(p.group_id, p.group_title, session=uow.session)
        levels = await profile_lines(uow.session, settings, message.from_user.id, t)
        shown.append(render_profile(t, p) + "\n" + levels)
    reply(outbox, message, "\n\n".join(shown))


def router() -> list[Router]:
    r = Router(name="profile")
    r.message.register(cmd_me_group, ME.filter(), InGroup())
    r.message.register(cmd_me_private, ME.filter(), InPrivate())
    return [r]


ME = CommandSpec("me", where=Where.ANY, area=Area.BASICS)


def feature() -> Feature:
    return Feature("profile", router, commands=(ME,))
