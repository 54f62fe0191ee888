"""Welcome messages: a template per group, filled in safely when members join.

Templates are stored HTML-escaped (administrators write plain text); only the placeholders
below are replaced, by escaped values, with plain string replacement (no str.format: `{0}`,
`{name.__class__}` or `{unknown}` stay as they are written). Several members who join close
together are greeted in one message (the runtime folds them; see handlers/schedule/welcome.py).

A join is greeted once: the welcome claims the key `welcome:<group>:<user>:<UTC date>` in the
join's own transaction, so the two updates Telegram sends for one join (the service message
and chat_member) or a redelivery greet once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.community.groups import GroupService
from core.errors import DomainError
from core.events import MemberJoined, MemberLeft, Transaction
from core.schedule.settings import WELCOME_DELETE_MINUTES
from core.uow import UnitOfWork
from storage.queries import updates
from storage.queries.community import audit
from storage.queries.community import members as member_rows
from storage.queries.schedule import greetings as rows

WELCOME = "welcome"
GOODBYE = "goodbye"
KINDS = (WELCOME, GOODBYE)
# Optional time-of-day welcomes (`/welcome morning …`): used at those local hours instead of
# the plain one; kinds "welcome_morning", "welcome_day", "welcome_evening".
DAY_PARTS = ("morning", "day", "evening")


def day_part(hour: int) -> str:
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 18:
        return "day"
    return "evening"


MAX_TEMPLATE = 1000
PLACEHOLDERS = ("name", "mention", "group", "count", "date")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
MAX_NAMES = 30  # greeted by name in one message; the others are counted


class EmptyTemplate(DomainError):
    key = "welcome-error-empty"


class TemplateTooLong(DomainError):
    key = "welcome-error-too-long"


@dataclass(frozen=True, slots=True)
class Newcomer:
    user_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Greeting:
    """One join to greet (the runtime folds those of one group that come close together)."""

    group_id: int
    kind: str  # welcome | goodbye
    template: str
    title: str
    timezone: str
    language: str
    newcomer: Newcomer
    members: int
    at: datetime
    delete_after_minutes: int = 0  # 0: the message stays


def clean_template(text: str) -> str:
    text = text.strip()
    if not text:
        raise EmptyTemplate()
    if len(text) > MAX_TEMPLATE:
        raise TemplateTooLong(limit=MAX_TEMPLATE)
    return html.escape(text, quote=False)


def mention(newcomer: Newcomer) -> str:
    return f'<a href="tg://user?id={newcomer.user_id}">{html.escape(newcomer.name)}</a>'


def render(
    template: str,
    newcomers: Sequence[Newcomer],
    *,
    group: str,
    members: int,
    at: datetime,
    timezone: str,
    more: Callable[[int], str] = lambda n: f"+{n}",
) -> str:
    """The template (escaped HTML) with its placeholders filled in; `more(n)` names the n
    newcomers left out of a long list."""
    shown = list(newcomers[:MAX_NAMES])
    left = len(newcomers) - len(shown)
    names = ", ".join(html.escape(n.name or str(n.user_id)) for n in shown)
    mentions = ", ".join(mention(n) for n in shown)
    if left > 0:
        names += f" {more(left)}"
        mentions += f" {more(left)}"
    values = {
        "name": names,
        "mention": mentions,
        "group": html.escape(group),
        "count": str(members),
        "date": at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d"),
    }
    return _PLACEHOLDER.sub(lambda m: values[m[1]], template)


class WelcomeService:
    def __init__(self, groups: GroupService) -> None:
        self._groups = groups
        # The runtime's folder: called after the join's commit.
        self.sink: Callable[[Greeting], None] = lambda _greeting: None

    async def template(self, uow: UnitOfWork, group_id: int, kind: str = WELCOME) -> str | None:
        return await rows.get(uow.session, group_id, kind)

    async def set(
        self,
        uow: UnitOfWork,
        group_id: int,
        actor_id: int,
        text: str,
        at: datetime,
        kind: str = WELCOME,
    ) -> str:
        template = clean_template(text)
        await rows.put(uow.session, group_id, kind, template, actor_id, at)
        await audit.record(
            uow.session, group_id=group_id, actor_id=actor_id, action=f"{kind}_set", at=at
        )
        await uow.commit()
        return template

    async def turn_off(
        self, uow: UnitOfWork, group_id: int, actor_id: int, at: datetime, kind: str = WELCOME
    ) -> bool:
        removed = await rows.remove(uow.session, group_id, kind)
        await audit.record(
            uow.session, group_id=group_id, actor_id=actor_id, action=f"{kind}_off", at=at
        )
        await uow.commit()
        return removed

    async def on_member_joined(self, tx: Transaction, event: MemberJoined) -> None:
        await self._greet(tx, WELCOME, event.group_id, event.user_id, event.display_name, event.at)

    async def on_member_left(self, tx: Transaction, event: MemberLeft) -> None:
        """The goodbye line (off unless set)."""
        template = await rows.get(tx.session, event.group_id, GOODBYE)
        if template is None:
            return
        user = await member_rows.get_user(tx.session, event.user_id)
        name = user.display_name if user is not None else ""
        await self._greet(tx, GOODBYE, event.group_id, event.user_id, name, event.at, template)

    async def _greet(
        self,
        tx: Transaction,
        kind: str,
        group_id: int,
        user_id: int,
        name: str,
        at: datetime,
        template: str | None = None,
    ) -> None:
        group = (await self._groups.settings_in(tx.session, [group_id])).get(group_id)
        if group is None:
            return
        if template is None and kind == WELCOME:
            part = day_part(at.astimezone(ZoneInfo(group.timezone)).hour)
            template = await rows.get(tx.session, group_id, f"{WELCOME}_{part}")
        if template is None:
            template = await rows.get(tx.session, group_id, kind)
        if template is None:
            return
        key = f"{kind}:{group_id}:{user_id}:{at.date().isoformat()}"
        if not await updates.claim_key(tx.session, key, at):
            return  # greeted already (the event's other update, or earlier today)
        members = await rows.present_members(tx.session, group_id)
        greeting = Greeting(
            group_id,
            kind,
            template,
            group.title,
            group.timezone,
            group.language,
            Newcomer(user_id, name),
            members,
            at,
            int(group.values.get(WELCOME_DELETE_MINUTES, 0)) if kind == WELCOME else 0,
        )
        sink = self.sink
        tx.after_commit(lambda: sink(greeting))
