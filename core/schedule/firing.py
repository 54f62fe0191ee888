"""Scheduled posts: creating and managing them, and running each occurrence once.

The rows are the schedule. The runtime (bot/scheduler.py) fires `fire(post_id, due)` at a
post's `next_run_at`; an occurrence runs through `core.jobs.run_once` with the key
`post:<id>:<due ISO>`, and its occurrence row, the post's next run and the key commit
together. Only then is the message sent (`Dispatch`), and its message id recorded: a restart
or a take-over never sends an occurrence twice (a process killed between the commit and the
send loses that one occurrence: at most once, never twice).

An occurrence found late (the bot was down) is sent if it is at most the group's grace period
late; otherwise it and the others missed before `now - grace` are skipped as one, reported.
Times come from `planner` (the runtime's APScheduler triggers in the group's timezone) and
`now` from the injectable clock.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import DomainError
from core.events import EventBus, GroupCalendarChanged, GroupMoved, Transaction
from core.jobs import occurrence_key, run_once
from core.schedule.birthdays import (
    MORNING,
    anniversary_windows,
    birthdays_on,
    credit_birthdays,
)
from core.schedule.holiday_greetings import HolidayGreeting, greetings_for
from core.schedule.settings import (
    ANNIVERSARIES,
    BIRTHDAY_POINTS,
    DEFAULT_GRACE_MINUTES,
    POST_GRACE_MINUTES,
)
from core.schedule.when import ONCE, Rule, parse_rule
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries import updates
from storage.queries.community import audit
from storage.queries.schedule import birthdays as birthday_rows
from storage.queries.schedule import posts as rows
from storage.queries.schedule.posts import ACTIVE, DONE, PAUSED, Post

# (rule, timezone, anchor, after) -> the first occurrence strictly after `after` (UTC), or None.
Planner = Callable[[Rule, str, datetime, datetime], "datetime | None"]

MAX_TEXT = 3500  # leaves room in Telegram's 4,096 for the escaping
MAX_POSTS_PER_GROUP = 100
MAX_MISSED_COUNTED = 1000
DRAFT_LIFETIME = timedelta(minutes=30)  # a guided /schedule waits this long for its content
MAX_VARIANTS = 5


class EmptyPost(DomainError):
    key = "schedule-error-empty"


class PostTooLong(DomainError):
    key = "schedule-error-too-long"


class PostNotFound(DomainError):
    key = "schedule-error-not-found"


class UnknownVariant(PostNotFound):
    key = "schedule-error-not-found"


class TooManyPosts(DomainError):
    key = "schedule-error-too-many"


class TooManyVariants(DomainError):
    key = "schedule-error-too-many-variants"


class NeverRuns(DomainError):
    """A rule with no occurrence ahead (a cron for 31 February)."""

    key = "schedule-error-never"


@dataclass(frozen=True, slots=True)
class Content:
    """Text (as typed: escaped here) or a copy of an existing message."""

    text: str = ""
    source_chat_id: int | None = None
    source_message_id: int | None = None

    @property
    def is_copy(self) -> bool:
        return self.source_message_id is not None


VARIANT_SEPARATOR = "||"


def variants(text: str) -> list[str]:
    """A post's texts: `A || B` is two variants, posted in turn."""
    return [part.strip() for part in text.split(VARIANT_SEPARATOR) if part.strip()]


@dataclass(frozen=True, slots=True)
class Draft:
    """A guided /schedule in progress: when, and the text variants replied so far."""

    rule: Rule
    texts: list[str]


@dataclass(frozen=True, slots=True)
class Dispatch:
    """What the runtime sends for an occurrence that is due."""

    occurrence_id: int
    post_id: int
    group_id: int
    thread_id: int | None
    text: str
    source_chat_id: int | None
    source_message_id: int | None
    variant: int = 0
    variants: int = 1  # more than one: the post has a "👍 useful" button counting per variant
    language: str = "en"
    # The morning greeting's occurrence also congratulates these members (user id, name).
    birthdays: tuple[tuple[int, str], ...] = ()
    anniversaries: tuple[tuple[int, str, int], ...] = ()  # (user id, name, years)
    birthday_points: int = 0  # credited to each of `birthdays` with this occurrence
    # Holidays greeted today (the morning greeting's occurrence, once per group and date).
    holidays: tuple[HolidayGreeting, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    post_id: int
    group_id: int
    language: str
    timezone: str
    due: datetime
    missed: int
    grace_minutes: int


@dataclass(frozen=True, slots=True)
class Fired:
    dispatch: Dispatch | None
    skipped: Skipped | None
    next_run_at: datetime | None


async def once_a_day(uow: UnitOfWork, kind: str, group_id: int, day: date, at: datetime) -> bool:
    """Claim `<kind>:<group>:<local date>` in the occurrence's transaction: False if a message
    of that kind went to the group that day already (one combined message per day, even when
    the morning greeting is set again and fires a second time the same day)."""
    return await updates.claim_key(uow.session, f"{kind}:{group_id}:{day.isoformat()}", at)


class PostService:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        planner: Planner,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        bus: EventBus | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self._planner = planner
        self._clock = clock
        self._bus = bus
        # The runtime hears of every change committed here (re-plans its in-memory jobs).
        self.on_change: Callable[[], None] = lambda: None

    # ---- what administrators do ----------------------------------------------------------
    def next_after(
        self, rule: Rule, timezone: str, anchor: datetime, after: datetime
    ) -> datetime | None:
        return self._planner(rule, timezone, anchor, after)

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
            text = (
                f" {VARIANT_SEPARATOR} ".join(variants(text))
                if VARIANT_SEPARATOR in text
                else text
            )
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

    async def start_draft(
        self,
        uow: UnitOfWork,
        group_id: int,
        actor_id: int,
        prompt_id: int,
        rule: Rule,
        at: datetime,
    ) -> None:
        """The guided flow: `rule` was picked on the prompt `prompt_id`; a reply to it brings
        the content (see `take_draft`)."""
        await rows.prune_drafts(uow.session, at - DRAFT_LIFETIME)
        await rows.put_draft(uow.session, group_id, prompt_id, rule.text, actor_id, at)
        await uow.commit()

    async def take_draft(
        self, uow: UnitOfWork, group_id: int, prompt_id: int, at: datetime
    ) -> Draft | None:
        """The draft of that prompt (once: it is gone after), if still fresh."""
        found = await rows.take_draft(uow.session, group_id, prompt_id)
        if found is None or at - found[2] > DRAFT_LIFETIME:
            return None
        return Draft(parse_rule(found[0]), variants(found[3] or ""))

    async def draft(
        self, uow: UnitOfWork, group_id: int, prompt_id: int, at: datetime
    ) -> Draft | None:
        found = await rows.get_draft(uow.session, group_id, prompt_id)
        if found is None or at - found[2] > DRAFT_LIFETIME:
            return None
        return Draft(parse_rule(found[0]), variants(found[3] or ""))

    async def add_variant(
        self, uow: UnitOfWork, group_id: int, prompt_id: int, text: str, at: datetime
    ) -> Draft | None:
        """The guided flow: one more text variant for the post of that prompt (A/B: each
        occurrence posts the next one); None if the draft is gone."""
        draft = await self.draft(uow, group_id, prompt_id, at)
        if draft is None:
            return None
        added = variants(text)
        if not added:
            raise EmptyPost()
        texts = [*draft.texts, *added]
        if len(texts) > MAX_VARIANTS:
            raise TooManyVariants(limit=MAX_VARIANTS)
        joined = f" {VARIANT_SEPARATOR} ".join(texts)
        if len(html.escape(joined, quote=False)) > MAX_TEXT:
            raise PostTooLong(limit=MAX_TEXT)
        await rows.set_draft_texts(uow.session, group_id, prompt_id, joined)
        await uow.commit()
        return Draft(draft.rule, texts)

    async def confirm_draft(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        actor_id: int,
        prompt_id: int,
        thread_id: int | None,
        at: datetime,
    ) -> Post | None:
        """✅ on the prompt: the post with the draft's variants (None: no draft, or no text
        yet: nothing is created)."""
        draft = await self.draft(uow, group.group_id, prompt_id, at)
        if draft is None or not draft.texts:
            await uow.rollback()
            return None
        await rows.take_draft(uow.session, group.group_id, prompt_id)
        content = Content(text=f" {VARIANT_SEPARATOR} ".join(draft.texts))
        return await self.create(uow, group, actor_id, draft.rule, content, thread_id, at)

    async def cancel_draft(self, uow: UnitOfWork, group_id: int, prompt_id: int) -> bool:
        found = await rows.take_draft(uow.session, group_id, prompt_id)
        await uow.commit()
        return found is not None

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

    # ---- what the scheduler does ----------------------------------------------------------
    async def planned(self) -> list[tuple[int, int, datetime]]:
        async with self._session_factory() as session:
            return await rows.planned(session)

    async def fingerprint(self) -> tuple[int, datetime | None]:
        async with self._session_factory() as session:
            return await rows.fingerprint(session)

    async def fire(self, post_id: int, due: datetime) -> Fired | None:
        """Run the occurrence of `post_id` due at `due`, once; None if it ran before or the
        post changed meanwhile (paused, deleted, planned for another time)."""
        now = self._clock()

        async def work(uow: UnitOfWork) -> Fired | None:
            post = await rows.get(uow.session, post_id, for_update=True)
            if post is None or post.status != ACTIVE or post.next_run_at != due:
                return None
            group = (await self._groups.settings_in(uow.session, [post.group_id])).get(
                post.group_id
            )
            if group is None or not group.is_active:
                await rows.update(uow.session, post_id, now, status=PAUSED)
                return None
            rule = parse_rule(post.rule)
            grace_minutes = int(group.values.get(POST_GRACE_MINUTES, DEFAULT_GRACE_MINUTES))
            grace = timedelta(minutes=grace_minutes)
            tz = group.timezone
            if now - due > grace:
                # Too late: this one and every other missed before now - grace are skipped.
                missed, next_run = 1, self._planner(rule, tz, post.anchor_at, due)
                while next_run is not None and next_run < now - grace:
                    if missed >= MAX_MISSED_COUNTED:
                        next_run = self._planner(rule, tz, post.anchor_at, now - grace)
                        break
                    missed += 1
                    next_run = self._planner(rule, tz, post.anchor_at, next_run)
                await rows.add_occurrence(
                    uow.session,
                    post_id=post_id,
                    group_id=post.group_id,
                    due_at=due,
                    outcome="skipped",
                    run_at=now,
                    missed=missed,
                )
                await self._advance(uow, post, next_run, now, sent=False)
                skipped = Skipped(
                    post_id, post.group_id, group.language, tz, due, missed, grace_minutes
                )
                return Fired(None, skipped, next_run)
            texts = variants(post.text) if post.source_message_id is None else [post.text]
            variant = post.runs % len(texts) if texts else 0
            occurrence_id = await rows.add_occurrence(
                uow.session,
                post_id=post_id,
                group_id=post.group_id,
                due_at=due,
                outcome="sending",
                run_at=now,
                variant=variant,
            )
            if occurrence_id is None:
                return None
            next_run = self._planner(rule, tz, post.anchor_at, due)
            await self._advance(uow, post, next_run, now, sent=True)
            celebrants: list[tuple[int, str]] = []
            anniversaries: list[tuple[int, str, int]] = []
            holidays: list[HolidayGreeting] = []
            bonus = 0
            if post.label == MORNING:
                local_day = due.astimezone(ZoneInfo(tz)).date()
                celebrants = await birthday_rows.celebrants(
                    uow.session, post.group_id, birthdays_on(local_day)
                )
                if celebrants and not await once_a_day(
                    uow, "birthdays", post.group_id, local_day, now
                ):
                    celebrants = []  # congratulated today already (the greeting was set again)
                bonus = int(group.values.get(BIRTHDAY_POINTS, 0))
                if bonus > 0 and celebrants:
                    credited = set(
                        await credit_birthdays(
                            uow, post.group_id, celebrants, bonus, local_day.year, now
                        )
                    )
                    if credited != {user_id for user_id, _ in celebrants}:
                        bonus = 0  # (some were credited before this year: say nothing of points)
                else:
                    bonus = 0
                if group.values.get(ANNIVERSARIES) == "on":
                    anniversaries = await birthday_rows.anniversaries(
                        uow.session, post.group_id, anniversary_windows(local_day, tz)
                    )
                    if anniversaries and not await once_a_day(
                        uow, "anniversaries", post.group_id, local_day, now
                    ):
                        anniversaries = []
                holidays = await greetings_for(uow.session, group, local_day, now)
            dispatch = Dispatch(
                occurrence_id,
                post_id,
                post.group_id,
                post.thread_id,
                texts[variant] if texts else post.text,
                post.source_chat_id,
                post.source_message_id,
                variant,
                len(texts),
                group.language,
                tuple(celebrants),
                tuple(anniversaries),
                bonus,
                tuple(holidays),
            )
            return Fired(dispatch, None, next_run)

        done, result = await run_once(
            self._session_factory, occurrence_key("post", post_id, due), work, bus=self._bus
        )
        return result if done else None

    async def _advance(
        self, uow: UnitOfWork, post: Post, next_run: datetime | None, now: datetime, *, sent: bool
    ) -> None:
        await rows.update(
            uow.session,
            post.id,
            now,
            next_run_at=next_run,
            status=ACTIVE if next_run is not None else DONE,
            runs=post.runs + (1 if sent else 0),
        )

    async def vote(
        self,
        uow: UnitOfWork,
        group_id: int,
        post_id: int,
        variant: int,
        user_id: int,
        at: datetime,
    ) -> bool:
        """A member found this variant useful; False if they said so before."""
        post = await rows.get(uow.session, post_id)
        if post is None or post.group_id != group_id:
            raise PostNotFound(id=post_id)
        if not 0 <= variant < len(variants(post.text)):
            raise UnknownVariant(id=post_id)
        counted = await rows.add_vote(uow.session, post_id, variant, user_id, group_id, at)
        await uow.commit()
        return counted

    async def variant_stats(self, uow: UnitOfWork, post: Post) -> list[tuple[str, int, int]]:
        """(variant text, times sent, votes) of a post with several variants; [] otherwise."""
        texts = variants(post.text) if post.source_message_id is None else []
        if len(texts) < 2:
            return []
        stats = await rows.variant_stats(uow.session, post.id)
        return [(text, *stats.get(i, (0, 0))) for i, text in enumerate(texts)]

    async def record_sent(self, occurrence_id: int, message_id: int | None) -> None:
        """After the send: the message id (None: Telegram refused it)."""
        async with self._session_factory() as session:
            await rows.finish_occurrence(
                session,
                occurrence_id,
                "sent" if message_id is not None else "failed",
                message_id,
                self._clock(),
            )
            await session.commit()
