"""/welcome and /goodbye: administrators set the messages that greet members who join and
(optionally) see off those who leave.

`/welcome <template>` sets it ({name}, {mention}, {group}, {count}, {date}), `/welcome` shows it,
`/welcome off` turns it off; `/goodbye` the same. Joins that arrive close together (a wave of
newcomers) are greeted in one message: the first join of a group waits FOLD_SECONDS for
others. With `welcome_delete_minutes` set, the welcome is deleted after that long (kept in
memory: a restart in between leaves that welcome in place).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.methods import DeleteMessage, SendMessage
from aiogram.types import Message

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Locales, Translator
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip, reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.events import EventBus, MemberJoined, MemberLeft
from core.schedule.welcome import (
    DAY_PARTS,
    PLACEHOLDERS,
    Greeting,
    Newcomer,
    WelcomeService,
    render,
)
from core.schedule.welcome import GOODBYE as GOODBYE_KIND
from core.schedule.welcome import WELCOME as WELCOME_KIND
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args, rest_after

FOLD_SECONDS = 2.0


class WelcomeFolder:
    """Greetings of one group that arrive within `window` seconds go out as one message."""

    def __init__(self, outbox: Outbox, locales: Locales, window: float = FOLD_SECONDS) -> None:
        self._outbox = outbox
        self._locales = locales
        self._window = window
        self._pending: dict[tuple[int, str], list[Greeting]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.minute = 60.0  # seconds in a minute (tests shorten it)

    def __len__(self) -> int:
        return len(self._pending) + len(self._tasks)

    def add(self, greeting: Greeting) -> None:
        key = (greeting.group_id, greeting.kind)
        pending = self._pending.get(key)
        if pending is not None:
            pending.append(greeting)
            return
        self._pending[key] = [greeting]
        asyncio.get_running_loop().call_later(self._window, self._flush, key)

    def flush_now(self) -> None:
        """Send every fold now, not at the end of its window."""
        for key in list(self._pending):
            self._flush(key)

    def _flush(self, key: tuple[int, str]) -> None:
        group_id = key[0]
        greetings = self._pending.pop(key, [])
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
        sent = self._outbox.send(
            group_id,
            SendMessage(chat_id=group_id, text=clip(text)),
            kind=Kind.ANSWER,
            priority=Priority.NORMAL,
        )
        if last.delete_after_minutes > 0:
            task = asyncio.create_task(
                self._delete_later(sent, last.delete_after_minutes * self.minute)
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _delete_later(self, sent: asyncio.Future[Any], seconds: float) -> None:
        try:
            message = await sent
        except Exception:  # noqa: BLE001  (not sent: nothing to delete)
            return
        await asyncio.sleep(seconds)
        chat_id, message_id = message.chat.id, message.message_id
        self._outbox.send(
            chat_id,
            DeleteMessage(chat_id=chat_id, message_id=message_id),
            kind=Kind.ACK,
            priority=Priority.LOW,
            counts_as_message=False,
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
    await _template_command(message, uow, group, welcome, event_at, t, outbox, WELCOME_KIND)


async def cmd_goodbye(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    welcome: WelcomeService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    await _template_command(message, uow, group, welcome, event_at, t, outbox, GOODBYE_KIND)


async def _template_command(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    welcome: WelcomeService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    kind: str,
) -> None:
    args = command_args(message.text)
    placeholders = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
    base, skip = kind, 1
    if kind == WELCOME_KIND and args and args[0].lower() in DAY_PARTS:
        kind, args, skip = f"{WELCOME_KIND}_{args[0].lower()}", args[1:], 2
    if not args:
        current = await welcome.template(uow, group.group_id, kind)
        if current is None:
            text = t(f"{base}-none", placeholders=placeholders)
        else:
            # Stored escaped: shown as it is, after the header.
            text = t(f"{base}-current", placeholders=placeholders) + "\n\n" + current
        reply(outbox, message, text, priority=Priority.HIGH)
        return
    if len(args) == 1 and args[0].lower() in ("off", "关闭"):
        await welcome.turn_off(uow, group.group_id, actor_id(message), event_at, kind)
        reply(outbox, message, t(f"{base}-off"), priority=Priority.HIGH)
        return
    template = await welcome.set(
        uow,
        group.group_id,
        actor_id(message),
        rest_after(message.text or "", skip),
        event_at,
        kind,
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
    reply(outbox, message, t(f"{base}-set") + "\n\n" + sample, priority=Priority.HIGH)


def router() -> list[Router]:
    r = Router(name="welcome")
    r.message.filter(InGroup())
    r.message.register(cmd_welcome, WELCOME.filter())
    r.message.register(cmd_goodbye, GOODBYE.filter())
    return [r]


WELCOME = CommandSpec("welcome", role=Role.ADMIN, area=Area.SCHEDULE)
GOODBYE = CommandSpec("goodbye", role=Role.ADMIN, area=Area.SCHEDULE)


def subscribe(bus: EventBus, deps: dict[str, Any]) -> None:
    groups: GroupService = deps["groups"]
    service = WelcomeService(groups)
    folder = WelcomeFolder(deps["outbox"], deps["locales"])
    service.sink = folder.add
    deps["welcome"] = service  # handlers get it by name
    deps["welcome_folder"] = folder
    bus.subscribe(MemberJoined, service.on_member_joined)
    bus.subscribe(MemberLeft, service.on_member_left)


def feature() -> Feature:
    return Feature("welcome", router, commands=(WELCOME, GOODBYE), setup=subscribe)
