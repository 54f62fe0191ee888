"""/welcome: administrators set the message that greets members who join.

`/welcome <template>` sets it ({name}, {mention}, {group}, {count}, {date}), `/welcome` shows it,
`/welcome off` turns it off. Joins that arrive close together (a wave of newcomers) are
greeted in one message: the first join of a group waits FOLD_SECONDS for others.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.methods import SendMessage
from aiogram.types import Message

from bot.features import CommandSpec, Feature, Role
from bot.filters import InGroup, IsGroupAdmin
from bot.i18n import Locales, Translator
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip, reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.events import EventBus, MemberJoined
from core.schedule.welcome import PLACEHOLDERS, Greeting, Newcomer, WelcomeService, render
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.schedule.posts import _rest_after

FOLD_SECONDS = 2.0


class WelcomeFolder:
    """Greetings of one group that arrive within `window` seconds go out as one message."""

    def __init__(self, outbox: Outbox, locales: Locales, window: float = FOLD_SECONDS) -> None:
        self._outbox = outbox
        self._locales = locales
        self._window = window
        self._pending: dict[int, list[Greeting]] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def add(self, greeting: Greeting) -> None:
        pending = self._pending.get(greeting.group_id)
        if pending is not None:
            pending.append(greeting)
            return
        self._pending[greeting.group_id] = [greeting]
        asyncio.get_running_loop().call_later(self._window, self._flush, greeting.group_id)

    def _flush(self, group_id: int) -> None:
        greetings = self._pending.pop(group_id, [])
        if not greetings:
            return
        last = greetings[-1]
        t = self._locales.get(last.language)
        text = render(
            last.template,
            [g.newcomer for g in greetings],
            group=last.title,
            members=last.members,
            at=last.at,
            timezone=last.timezone,
            more=lambda n: t("welcome-more", n=n),
        )
        self._outbox.send(
            group_id,
            SendMessage(chat_id=group_id, text=clip(text)),
            kind=Kind.ANSWER,
            priority=Priority.NORMAL,
        )


async def cmd_welcome(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    welcome: WelcomeService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    placeholders = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
    if not args:
        current = await welcome.template(uow, group.group_id)
        if current is None:
            text = t("welcome-none", placeholders=placeholders)
        else:
            # Stored escaped: shown as it is, after the header.
            text = t("welcome-current", placeholders=placeholders) + "\n\n" + current
        reply(outbox, message, text, priority=Priority.HIGH)
        return
    if len(args) == 1 and args[0].lower() in ("off", "关闭"):
        await welcome.turn_off(uow, group.group_id, actor_id(message), event_at)
        reply(outbox, message, t("welcome-off"), priority=Priority.HIGH)
        return
    template = await welcome.set(
        uow, group.group_id, actor_id(message), _rest_after(message.text or "", 1), event_at
    )
    user = message.from_user
    sample = render(
        template,
        [Newcomer(user.id if user else 0, user.full_name if user else "")],
        group=group.title,
        members=0,
        at=event_at,
        timezone=group.timezone,
    )
    reply(outbox, message, t("welcome-set") + "\n\n" + sample, priority=Priority.HIGH)


def router() -> list[Router]:
    r = Router(name="welcome")
    r.message.filter(InGroup())
    r.message.register(cmd_welcome, WELCOME.filter(), IsGroupAdmin())
    return [r]


WELCOME = CommandSpec("welcome", role=Role.ADMIN)


def subscribe(bus: EventBus, deps: dict[str, Any]) -> None:
    groups: GroupService = deps["groups"]
    service = WelcomeService(groups)
    folder = WelcomeFolder(deps["outbox"], deps["locales"])
    service.sink = folder.add
    deps["welcome"] = service  # handlers get it by name
    deps["welcome_folder"] = folder
    bus.subscribe(MemberJoined, service.on_member_joined)


def feature() -> Feature:
    return Feature("welcome", router, commands=(WELCOME,), setup=subscribe)
