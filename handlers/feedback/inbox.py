"""The feedback inbox feature: members' /feedback, managers' /inbox, threads both ways."""

from __future__ import annotations

from aiogram import Router

from bot.features import Area, CommandSpec, Feature, Where
from bot.filters import InGroup, InPrivate
from core.feedback.settings import FEEDBACK_SETTINGS
from handlers.feedback import manage, member, render, staff

FEEDBACK = CommandSpec("feedback", where=Where.ANY, area=Area.FEEDBACK)
# Listed for everyone in private (admins find it there); the handler verifies per group.
INBOX = CommandSpec("inbox", where=Where.PRIVATE, area=Area.FEEDBACK)


def router() -> list[Router]:
    r = Router(name="feedback")
    r.message.register(member.cmd_feedback, FEEDBACK.filter())
    r.message.register(manage.cmd_inbox, INBOX.filter(), InPrivate())
    r.callback_query.register(member.on_group_pick, render.GroupButton.filter())
    r.callback_query.register(member.on_category, render.CategoryButton.filter())
    r.callback_query.register(manage.on_manage, render.ManageButton.filter())
    return [r]


def fallback_router() -> list[Router]:
    """Texts of the guided flows and of threads: after every feature's commands."""
    r = Router(name="feedback_texts")
    r.message.register(staff.on_topic_message, InGroup(), staff.InTopic())
    r.message.register(member.on_group_reply, InGroup(), member.RepliesToBot())
    r.message.register(member.on_private_message, InPrivate(), member.NotCommand())
    return [r]


def feature() -> Feature:
    return Feature(
        "feedback",
        router,
        commands=(FEEDBACK, INBOX),
        fallback_routers=fallback_router,
        settings=(FEEDBACK_SETTINGS,),
    )
