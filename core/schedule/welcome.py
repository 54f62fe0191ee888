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
from core.events import MemberJoined, Transaction
from core.uow import UnitOfWork
from storage.queries import updates
from storage.queries.community import audit
from storage.queries.schedule import greetings as rows

WELCOME = "welcome"
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
    template: str
    title: str
    timezone: str
    language: str
    newcomer: Newcomer
    members: int
    at: datetime


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

    async def template(self, uow: UnitOfWork, group_id: int) -> str | None:
        return await rows.get(uow.session, group_id, WELCOME)

    async def set(
        self, uow: UnitOfWork, group_id: int, actor_id: int, text: str, at: datetime
    ) -> str:
        template = clean_template(text)
        await rows.put(uow.session, group_id, WELCOME, template, actor_id, at)
        await audit.record(
            uow.session, group_id=group_id, actor_id=actor_id, action="welcome_set", at=at
        )
        await uow.commit()
        return template

    async def turn_off(self, uow: UnitOfWork, group_id: int, actor_id: int, at: datetime) -> bool:
        removed = await rows.remove(uow.session, group_id, WELCOME)
        await audit.record(
            uow.session, group_id=group_id, actor_id=actor_id, action="welcome_off", at=at
        )
        await uow.commit()
        return removed

    async def on_member_joined(self, tx: Transaction, event: MemberJoined) -> None:
        template = await rows.get(tx.session, event.group_id, WELCOME)
        if template is None:
            return
        key = f"welcome:{event.group_id}:{event.user_id}:{event.at.date().isoformat()}"
        if not await updates.claim_key(tx.session, key, event.at):
            return  # this join was greeted already (its other update, or earlier today)
        group = (await self._groups.settings_in(tx.session, [event.group_id])).get(event.group_id)
        if group is None:
            return
        members = await rows.present_members(tx.session, event.group_id)
        greeting = Greeting(
            event.group_id,
            template,
            group.title,
            group.timezone,
            group.language,
            Newcomer(event.user_id, event.display_name),
            members,
            event.at,
        )
        sink = self.sink
        tx.after_commit(lambda: sink(greeting))
