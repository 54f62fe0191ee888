"""Running each occurrence of a scheduled post once, late ones within the grace period.

The runtime (bot/scheduler.py) fires `fire(post_id, due)` at a post's `next_run_at`; an
occurrence runs through `core.jobs.run_once` with the key `post:<id>:<due ISO>`, and its
occurrence row, the post's next run and the key commit together. Only then is the message sent
(`Dispatch`), and its message id recorded: a restart or a take-over never sends an occurrence
twice (a process killed between the commit and the send loses that one occurrence: at most
once, never twice).

An occurrence found late (the bot was down) is sent if it is at most the group's grace period
late; otherwise it and the others missed before `now - grace` are skipped as one, reported.
Times come from `planner` (the runtime's APScheduler triggers in the group's timezone) and
`now` from the injectable clock. The morning greeting's occurrence also carries the day's
birthdays, anniversaries and holidays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.events import EventBus
from core.jobs import occurrence_key, run_once
from core.schedule.birthdays import (
    MORNING,
    anniversary_windows,
    birthdays_on,
    credit_birthdays,
)
from core.schedule.holiday_greetings import HolidayGreeting, greetings_for
from core.schedule.posts import Planner
from core.schedule.settings import (
    ANNIVERSARIES,
    BIRTHDAY_POINTS,
    DEFAULT_GRACE_MINUTES,
    POST_GRACE_MINUTES,
)
from core.schedule.variants import variants
from core.schedule.when import parse_rule
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries import updates
from storage.queries.schedule import birthdays as birthday_rows
from storage.queries.schedule import posts as rows
from storage.queries.schedule.posts import ACTIVE, DONE, PAUSED, Post

MAX_MISSED_COUNTED = 1000


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


@dataclass(frozen=True, slots=True)
class Morning:
    """What the morning greeting's occurrence carries besides its text."""

    birthdays: tuple[tuple[int, str], ...] = ()  # (user id, name)
    anniversaries: tuple[tuple[int, str, int], ...] = ()  # (user id, name, years)
    birthday_points: int = 0  # credited to each of `birthdays` in the occurrence's transaction
    holidays: tuple[HolidayGreeting, ...] = ()


async def morning_extras(
    uow: UnitOfWork, group: GroupSettings, group_id: int, due: datetime, now: datetime
) -> Morning:
    """The group's birthdays, anniversaries and holidays of the local day `due` falls on, each
    kind once per group and day."""
    tz = group.timezone
    local_day = due.astimezone(ZoneInfo(tz)).date()
    celebrants = await birthday_rows.celebrants(uow.session, group_id, birthdays_on(local_day))
    if celebrants and not await once_a_day(uow, "birthdays", group_id, local_day, now):
        celebrants = []  # congratulated today already (the greeting was set again)
    bonus = int(group.values.get(BIRTHDAY_POINTS, 0))
    if bonus > 0 and celebrants:
        credited = set(
            await credit_birthdays(uow, group_id, celebrants, bonus, local_day.year, now)
        )
        if credited != {user_id for user_id, _ in celebrants}:
            bonus = 0  # (some were credited before this year: say nothing of points)
    else:
        bonus = 0
    anniversaries: list[tuple[int, str, int]] = []
    if group.values.get(ANNIVERSARIES) == "on":
        anniversaries = await birthday_rows.anniversaries(
            uow.session, group_id, anniversary_windows(local_day, tz)
        )
        if anniversaries and not await once_a_day(uow, "anniversaries", group_id, local_day, now):
            anniversaries = []
    holidays = await greetings_for(uow.session, group, local_day, now)
    return Morning(tuple(celebrants), tuple(anniversaries), bonus, tuple(holidays))


class PostRunner:
    """What the scheduler does with the posts: what is planned, and firing an occurrence."""

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
            extras = (
                await morning_extras(uow, group, post.group_id, due, now)
                if post.label == MORNING
                else Morning()
            )
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
                extras.birthdays,
                extras.anniversaries,
                extras.birthday_points,
                extras.holidays,
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
