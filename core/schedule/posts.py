"""Scheduled posts: what administrators do with them (create, list, pause, resume, delete) and
how they follow their group (a new timezone re-plans them, a move to a supergroup pauses copies).

The rows are the schedule: `next_run_at` is when a post fires next, planned by `planner` (the
runtime's APScheduler triggers in the group's timezone). The rest of the house: the guided flow
in `drafts`, A/B variants in `variants`, firing each occurrence once in `firing`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.community.group_settings import GroupSettings
from core.events import GroupCalendarChanged, GroupMoved, Transaction
from core.schedule.post_errors import (
    EmptyPost,
    NeverRuns,
    PostNotFound,
    PostTooLong,
    TooManyPosts,
)
from core.schedule.variants import VARIANT_SEPARATOR, joined, variants
from core.schedule.when import ONCE, Rule, parse_rule
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.schedule import posts as rows
from storage.queries.schedule.posts import ACTIVE, DONE, PAUSED, Post

# (rule, timezone, anchor, after) -> the first occurrence strictly after `after` (UTC), or None.
Planner = Callable[[Rule, str, datetime, datetime], "datetime | None"]

MAX_TEXT = 3500  # leaves room in Telegram's 4,096 for the escaping
MAX_POSTS_PER_GROUP = 100


@dataclass(frozen=True, slots=True)
class Content:
    """Text (as typed: escaped here) or a copy of an existing message."""

    text: str = ""
    source_chat_id: int | None = None
    source_message_id: int | None = None

    @property
    def is_copy(self) -> bool:
        return self.source_message_id is not None


class PostService:
    def __init__(self, planner: Planner) -> None:
        self._planner = planner
        # The runtime hears of every change committed here (re-plans its in-memory jobs).
        self.on_change: Callable[[], None] = lambda: None

    async def create(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        actor_id: int,
        rule: Rule,
        content: Content,
        thread_id: int | None,
        at: datetime,
        *,
        label: str | None = None,
    ) -> Post:
        """A new post; with a label, it replaces the group's post of that label (one morning
        greeting per group)."""
        text = content.text.strip()
        if not content.is_copy and not variants(text):
            raise EmptyPost()
        if not content.is_copy:
            text = joined(variants(text)) if VARIANT_SEPARATOR in text else text
        if len(text) > MAX_TEXT:
            raise PostTooLong(limit=MAX_TEXT)
        first = self._planner(rule, group.timezone, at, at)
        if first is None:
            raise NeverRuns()
        if label is not None:
            for old in await rows.labelled(uow.session, group.group_id, label):
                await rows.delete(uow.session, old.id)
        existing = await rows.of_group(uow.session, group.group_id, limit=MAX_POSTS_PER_GROUP)
        if len(existing) >= MAX_POSTS_PER_GROUP:
            raise TooManyPosts(limit=MAX_POSTS_PER_GROUP)
        post_id = await rows.insert(
            uow.session,
            group_id=group.group_id,
            thread_id=thread_id,
            created_by=actor_id,
            rule=rule.text,
            text=html.escape(text, quote=False),
            source_chat_id=content.source_chat_id,
            source_message_id=content.source_message_id,
            next_run_at=first,
            at=at,
            label=label,
        )
        await audit.record(
            uow.session,
            group_id=group.group_id,
            actor_id=actor_id,
            action="post_scheduled",
            at=at,
            details={"post": post_id, "rule": rule.text, "label": label},
        )
        uow.after_commit(self.on_change)
        await uow.commit()
        post = await rows.get(uow.session, post_id)
        assert post is not None
        return post

    async def listing(self, uow: UnitOfWork, group_id: int) -> list[Post]:
        return await rows.of_group(uow.session, group_id)

    async def get(self, uow: UnitOfWork, group_id: int, post_id: int) -> Post:
        post = await rows.get(uow.session, post_id)
        if post is None or post.group_id != group_id or post.status == DONE:
            raise PostNotFound(id=post_id)
        return post

    async def pause(
        self, uow: UnitOfWork, group: GroupSettings, actor_id: int, post_id: int, at: datetime
    ) -> Post:
        post = await self.get(uow, group.group_id, post_id)
        await rows.update(uow.session, post_id, at, status=PAUSED)
        return await self._changed(uow, group, actor_id, post, "post_paused", at)

    async def resume(
        self, uow: UnitOfWork, group: GroupSettings, actor_id: int, post_id: int, at: datetime
    ) -> Post:
        """Active again, from the next occurrence after now (what was missed meanwhile is not
        sent); a one-off post whose time has passed runs now."""
        post = await self.get(uow, group.group_id, post_id)
        rule = parse_rule(post.rule)
        if rule.kind == ONCE:
            next_run = max(post.next_run_at or at, at)
        else:
            next_run = self._planner(rule, group.timezone, post.anchor_at, at)
        await rows.update(
            uow.session,
            post_id,
            at,
            status=ACTIVE if next_run is not None else DONE,
            next_run_at=next_run,
        )
        return await self._changed(uow, group, actor_id, post, "post_resumed", at)

    async def remove_labelled(
        self, uow: UnitOfWork, group: GroupSettings, actor_id: int, label: str, at: datetime
    ) -> int:
        """Delete the group's post of that label (`/greeting morning off`); how many went."""
        found = await rows.labelled(uow.session, group.group_id, label)
        for post in found:
            await rows.delete(uow.session, post.id)
        await audit.record(
            uow.session,
            group_id=group.group_id,
            actor_id=actor_id,
            action="post_deleted",
            at=at,
            details={"label": label, "posts": [p.id for p in found]},
        )
        uow.after_commit(self.on_change)
        await uow.commit()
        return len(found)

    async def remove(
        self, uow: UnitOfWork, group: GroupSettings, actor_id: int, post_id: int, at: datetime
    ) -> Post:
        post = await self.get(uow, group.group_id, post_id)
        await rows.delete(uow.session, post_id)
        await audit.record(
            uow.session,
            group_id=group.group_id,
            actor_id=actor_id,
            action="post_deleted",
            at=at,
            details={"post": post_id, "rule": post.rule},
        )
        uow.after_commit(self.on_change)
        await uow.commit()
        return post

    async def _changed(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        actor_id: int,
        post: Post,
        action: str,
        at: datetime,
    ) -> Post:
        await audit.record(
            uow.session,
            group_id=group.group_id,
            actor_id=actor_id,
            action=action,
            at=at,
            details={"post": post.id},
        )
        uow.after_commit(self.on_change)
        await uow.commit()
        return await rows.get(uow.session, post.id) or post

    async def on_calendar_changed(self, tx: Transaction, event: GroupCalendarChanged) -> None:
        """A new timezone: every recurring post of the group is planned again in it (one-off
        posts keep their instant)."""
        timezone = event.new[0]
        if timezone == event.old[0]:
            return
        for post in await rows.recurring_of_group(tx.session, event.group_id):
            rule = parse_rule(post.rule)
            next_run = self._planner(rule, timezone, post.anchor_at, event.at)
            await rows.update(tx.session, post.id, event.at, next_run_at=next_run)
        tx.after_commit(self.on_change)

    async def on_group_moved(self, tx: Transaction, event: GroupMoved) -> list[int]:
        """The group became a supergroup: its posts moved with it, but copies of its messages
        cannot follow (the supergroup numbers its messages anew: message 42 there is another
        message, and the old chat answers nothing any more). Such posts are paused, not
        re-pointed at a message of the same number; returns their ids."""
        found = await rows.copies_from(tx.session, event.group_id, event.old_id)
        for post in found:
            await rows.update(tx.session, post.id, event.at, status=PAUSED)
        if found:
            await audit.record(
                tx.session,
                group_id=event.group_id,
                actor_id=event.group_id,
                action="post_paused",
                at=event.at,
                details={"posts": [p.id for p in found], "reason": "group_moved"},
            )
            tx.after_commit(self.on_change)
        return [p.id for p in found]
