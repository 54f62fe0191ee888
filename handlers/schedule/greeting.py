"""/greeting morning 07:30 <text>: a daily greeting in the group's timezone (or `off`).

A greeting is a daily scheduled post with a label: one per kind and group, replaced when set
again, listed by /posts with the other posts (pause, preview, delete work the same).
"""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import Message

from bot.features import CommandSpec, Feature, Role
from bot.filters import InGroup, IsGroupAdmin
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.schedule.posts import Content, PostService
from core.schedule.when import DAILY, Rule, parse_when
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.schedule.posts import local_text, rest_after

KINDS = {"morning": "morning", "早安": "morning", "evening": "evening", "晚安": "evening"}


async def cmd_greeting(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    kind = KINDS.get(args[0].lower()) if args else None
    if kind is None or len(args) < 2:
        reply(outbox, message, t("greeting-usage"), priority=Priority.HIGH)
        return
    label = f"greeting:{kind}"
    if args[1].lower() in ("off", "关闭"):
        removed = await posts.remove_labelled(uow, group, actor_id(message), label, event_at)
        key = "greeting-off" if removed else "greeting-none"
        reply(outbox, message, t(key, kind=t(f"greeting-kind-{kind}")), priority=Priority.HIGH)
        return
    rule, _used = parse_when(["daily", args[1]], event_at, group.timezone)
    assert rule.kind == DAILY
    text = rest_after(message.text or "", 3)
    thread_id = message.message_thread_id if message.is_topic_message else None
    post = await posts.create(
        uow,
        group,
        actor_id(message),
        Rule(DAILY, rule.hour, rule.minute),
        Content(text=text),
        thread_id,
        event_at,
        label=label,
    )
    assert post.next_run_at is not None
    reply(
        outbox,
        message,
        t(
            "greeting-set",
            kind=t(f"greeting-kind-{kind}"),
            time=f"{rule.hour:02d}:{rule.minute:02d}",
            id=post.id,
            next=local_text(post.next_run_at, group.timezone),
            tz=group.timezone,
        ),
        priority=Priority.HIGH,
    )


def router() -> list[Router]:
    r = Router(name="greeting")
    r.message.filter(InGroup())
    r.message.register(cmd_greeting, GREETING.filter(), IsGroupAdmin())
    return [r]


GREETING = CommandSpec("greeting", role=Role.ADMIN)


def feature() -> Feature:
    return Feature("greeting", router, commands=(GREETING,))
