"""The scheduler at run time: which process fires jobs, and firing what the tables say.

- **Rows are the schedule.** APScheduler 3 keeps only in-memory jobs, one per active post (a
  DateTrigger at its `next_run_at`, timezone explicit), rebuilt from the tables when this
  process becomes the leader and whenever posts change: at once for changes made here, within
  `sync_seconds` for changes made by another process (a cheap fingerprint of the table is
  polled). Its SQLAlchemy job store is not used: it cannot take the async engine and must not
  be shared between processes.
- **One leader.** With PostgreSQL the process holding a session-level advisory lock
  (`pg_try_advisory_lock` on a dedicated connection) fires jobs; the others try again every
  `retry_seconds`. A leader that dies closes its connection, the lock goes with it, and another
  process takes over within a few seconds. With SQLite there is one process: it leads.
- **Occurrences once.** Each occurrence runs through `core.jobs.run_once` (PostRunner.fire):
  even two leaders at once (a leader cut off from the database that has not noticed yet)
  could not send an occurrence twice.
- **When.** Recurrences are APScheduler triggers (CronTrigger, IntervalTrigger, DateTrigger)
  in the group's timezone: `plan_next` is the planner the core uses.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.methods import CopyMessage, SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.i18n import Locales
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip
from bot.update_leases import keep_alive
from core.schedule.firing import Dispatch, Fired, PostRunner, Skipped
from core.schedule.when import CRON, DAILY, EVERY, MONTHLY, ONCE, WEEKDAYS, WEEKLY, Rule

logger = logging.getLogger(__name__)

# Every bot process on one database competes for this lock (any fixed 64-bit number).
LEADER_LOCK_ID = 0x5C_4ED_0001
JOB_PREFIX = "post:"


class UsefulButton(CallbackData, prefix="pv"):
    """ "👍 useful" under a post with A/B variants: counts the variant sent."""

    post: int
    variant: int


# ---- when ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def trigger_for(rule: Rule, timezone: str, anchor: datetime) -> BaseTrigger:
    """The APScheduler trigger of a rule in a timezone (DST handled by the trigger)."""
    tz = ZoneInfo(timezone)
    if rule.kind == ONCE:
        return DateTrigger(run_date=rule.at, timezone=tz)
    if rule.kind == EVERY:
        return IntervalTrigger(seconds=rule.seconds, start_date=anchor, timezone=tz)
    common: dict[str, Any] = {"timezone": tz, "start_date": anchor}
    if rule.kind == DAILY:
        return CronTrigger(hour=rule.hour, minute=rule.minute, **common)
    if rule.kind == WEEKLY:
        days = ",".join(WEEKDAYS[d] for d in rule.weekdays)
        return CronTrigger(day_of_week=days, hour=rule.hour, minute=rule.minute, **common)
    if rule.kind == MONTHLY:
        day = "last" if rule.month_day == -1 else str(rule.month_day)
        return CronTrigger(day=day, hour=rule.hour, minute=rule.minute, **common)
    if rule.kind == CRON:
        minute, hour, day, month, weekday = rule.cron.split()
        return CronTrigger(
            minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, **common
        )
    raise ValueError(rule.kind)


def plan_next(rule: Rule, timezone: str, anchor: datetime, after: datetime) -> datetime | None:
    """The rule's first occurrence strictly after `after`, in UTC (None: there is none)."""
    if rule.kind == ONCE:
        assert rule.at is not None
        return rule.at if rule.at > after else None
    trigger = trigger_for(rule, timezone, anchor)
    found = trigger.get_next_fire_time(None, after + timedelta(microseconds=1))
    return found.astimezone(UTC) if found is not None else None


def local_time(at: datetime, timezone: str) -> datetime:
    return at.astimezone(ZoneInfo(timezone))


# ---- who leads ------------------------------------------------------------------------------


class Leadership:
    """PostgreSQL: the holder of a session-level advisory lock; SQLite: always this process."""

    def __init__(self, engine: AsyncEngine, lock_id: int = LEADER_LOCK_ID) -> None:
        self._engine = engine
        self._lock_id = lock_id
        self._conn: AsyncConnection | None = None
        self.single = engine.dialect.name != "postgresql"
        self.is_leader = False

    async def try_acquire(self) -> bool:
        if self.is_leader:
            return True
        if self.single:
            self.is_leader = True
            return True
        try:
            conn = await self._engine.connect()
        except Exception:  # noqa: BLE001  (the database is down: try again later)
            logger.warning("scheduler: no connection for the leader lock", exc_info=True)
            return False
        try:
            # A leader whose host vanishes (no socket closed) loses the lock within seconds.
            await keep_alive(conn)
            got = (
                await conn.execute(text("SELECT pg_try_advisory_lock(:id)"), {"id": self._lock_id})
            ).scalar_one()
            await conn.commit()  # the lock is held by the session, not the transaction
        except Exception:  # noqa: BLE001
            logger.warning("scheduler: could not ask for the leader lock", exc_info=True)
            await _close_quietly(conn)
            return False
        if not got:
            await _close_quietly(conn)
            return False
        self._conn = conn
        self.is_leader = True
        return True

    async def still_leader(self) -> bool:
        """The lock's connection still answers (else the lock may be someone else's now)."""
        if self.single or not self.is_leader:
            return self.is_leader
        assert self._conn is not None
        try:
            await asyncio.wait_for(self._conn.execute(text("SELECT 1")), 5.0)
            await self._conn.commit()
            return True
        except Exception:  # noqa: BLE001
            logger.warning("scheduler: lost the leader lock's connection", exc_info=True)
            await self.release()
            return False

    async def release(self) -> None:
        self.is_leader = False
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": self._lock_id})
                await conn.commit()
            except Exception:  # noqa: BLE001
                pass
            await _close_quietly(conn)


async def _close_quietly(conn: AsyncConnection) -> None:
    try:
        await conn.close()
    except Exception:  # noqa: BLE001
        try:
            await conn.invalidate()
        except Exception:  # noqa: BLE001
            pass


# ---- firing ---------------------------------------------------------------------------------


class JobSource(Protocol):
    """Other rows the leader fires the same way as posts (content feeds): one in-memory job
    per row at its next run, rebuilt when the source's fingerprint changes."""

    prefix: str  # job ids are "<prefix><id>"

    async def planned(self) -> list[tuple[int, datetime]]: ...

    async def fingerprint(self) -> object: ...

    async def fire(self, item_id: int, due: datetime) -> tuple[bool, datetime | None]:
        """Run the occurrence; (False, _): it did not run (changed meanwhile: re-read the
        rows), else (True, the next run or None)."""
        ...


class PostScheduler:
    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        posts: PostRunner,
        leadership: Leadership,
        outbox: Outbox,
        locales: Locales,
        *,
        retry_seconds: float = 3.0,
        sync_seconds: float = 5.0,
        sources: tuple[JobSource, ...] = (),
    ) -> None:
        self._scheduler = scheduler
        self._posts = posts
        self._leadership = leadership
        self._outbox = outbox
        self._locales = locales
        self._retry = retry_seconds
        self._sync = sync_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._fingerprint: tuple[int, datetime | None] | None = None
        self._planned: dict[int, datetime] = {}
        self._deliveries: set[asyncio.Task[None]] = set()
        self._stopping = False
        self._sources = sources
        self._source_prints: dict[str, object] = {}
        self._source_planned: dict[str, datetime] = {}  # job id -> due
        self._rounds: list[Callable[[], Awaitable[object]]] = []

    @property
    def is_leader(self) -> bool:
        return self._leadership.is_leader

    def leader_only(
        self, work: Callable[..., Awaitable[object]]
    ) -> Callable[..., Awaitable[object | None]]:
        """`work` wrapped to run only in the leader: for APScheduler jobs every process plans
        (pruning, monthly awards), so that with several processes one runs them."""

        async def run(*args: Any, **kwargs: Any) -> object | None:
            if not self._leadership.is_leader or self._stopping:
                return None
            return await work(*args, **kwargs)

        return run

    def every_round(self, work: Callable[[], Awaitable[object]]) -> None:
        """Run `work` in each of the leader's rounds (every `sync_seconds`): sweeps of what
        has come due (surveys closing at their time), each occurrence through run_once."""
        self._rounds.append(work)

    def changed(self) -> None:
        """Posts (or a source's rows) changed here: re-plan now."""
        self._fingerprint = None
        self._source_prints.clear()
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="post-scheduler")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        self._unplan_all()
        if self._deliveries:
            await asyncio.wait(self._deliveries, timeout=5.0)
        await self._leadership.release()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self._tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001  (the database may be down: next round)
                logger.exception("scheduler round failed")
            interval = self._sync if self._leadership.is_leader else self._retry
            try:
                await asyncio.wait_for(self._wake.wait(), interval)
            except TimeoutError:
                pass
            self._wake.clear()

    async def _tick(self) -> None:
        if not self._leadership.is_leader:
            if not await self._leadership.try_acquire():
                return
            logger.info("scheduler: this process leads (fires scheduled posts)")
            self._fingerprint = None
            self._source_prints.clear()
        elif not await self._leadership.still_leader():
            self._unplan_all()
            return
        fingerprint = await self._posts.fingerprint()
        if fingerprint != self._fingerprint:
            await self.rebuild()
            self._fingerprint = fingerprint
        for source in self._sources:
            printed = await source.fingerprint()
            if printed != self._source_prints.get(source.prefix):
                await self.rebuild_source(source)
                self._source_prints[source.prefix] = printed
        for work in self._rounds:
            try:
                await work()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001  (one sweep failing must not stop the others)
                logger.exception("scheduler: a leader round's work failed")

    async def rebuild_source(self, source: JobSource) -> None:
        planned = {f"{source.prefix}{i}": (i, due) for i, due in await source.planned()}
        for job_id in [j for j in self._source_planned if j.startswith(source.prefix)]:
            if job_id not in planned:
                self._unplan_job(job_id)
        for job_id, (item_id, due) in planned.items():
            if self._source_planned.get(job_id) != due:
                self._plan_job(source, item_id, due)

    def _plan_job(self, source: JobSource, item_id: int, due: datetime) -> None:
        job_id = f"{source.prefix}{item_id}"
        self._source_planned[job_id] = due
        self._scheduler.add_job(
            self._fire_job,
            DateTrigger(run_date=due, timezone=UTC),
            args=(source, item_id, due),
            id=job_id,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
            max_instances=10,
        )

    def _unplan_job(self, job_id: str) -> None:
        self._source_planned.pop(job_id, None)
        job = self._scheduler.get_job(job_id)
        if job is not None:
            job.remove()

    async def _fire_job(self, source: JobSource, item_id: int, due: datetime) -> None:
        if not self._leadership.is_leader or self._stopping:
            return
        job_id = f"{source.prefix}{item_id}"
        if self._source_planned.get(job_id) == due:
            del self._source_planned[job_id]
        try:
            ran, next_run = await source.fire(item_id, due)
        except Exception:  # noqa: BLE001
            logger.exception("%s due %s failed; trying again later", job_id, due)
            self._source_prints.pop(source.prefix, None)
            return
        if not ran:
            self._source_prints.pop(source.prefix, None)
            self._wake.set()
            return
        if next_run is not None and job_id not in self._source_planned:
            self._plan_job(source, item_id, next_run)

    async def rebuild(self) -> None:
        """The in-memory jobs, from the tables: one per active post at its next run."""
        planned = {post_id: due for post_id, _group, due in await self._posts.planned()}
        for post_id in list(self._planned):
            if post_id not in planned:
                self._unplan(post_id)
        for post_id, due in planned.items():
            if self._planned.get(post_id) != due:
                self._plan(post_id, due)

    def _plan(self, post_id: int, due: datetime) -> None:
        self._planned[post_id] = due
        self._scheduler.add_job(
            self._fire,
            DateTrigger(run_date=due, timezone=UTC),
            args=(post_id, due),
            id=f"{JOB_PREFIX}{post_id}",
            replace_existing=True,
            misfire_grace_time=None,  # late is decided by the group's grace, in the core
            coalesce=True,
            max_instances=10,
        )

    def _unplan(self, post_id: int) -> None:
        self._planned.pop(post_id, None)
        job = self._scheduler.get_job(f"{JOB_PREFIX}{post_id}")
        if job is not None:
            job.remove()

    def _unplan_all(self) -> None:
        for post_id in list(self._planned):
            self._unplan(post_id)
        for job_id in list(self._source_planned):
            self._unplan_job(job_id)

    async def _fire(self, post_id: int, due: datetime) -> None:
        if not self._leadership.is_leader or self._stopping:
            return
        if self._planned.get(post_id) == due:
            del self._planned[post_id]
        try:
            fired = await self._posts.fire(post_id, due)
        except Exception:  # noqa: BLE001
            logger.exception("post %s due %s failed; trying again later", post_id, due)
            self._fingerprint = None  # the next round plans it again
            return
        if fired is None:
            self._fingerprint = None  # someone changed the post: re-read it
            self._wake.set()
            return
        self._handle(post_id, fired)

    def _handle(self, post_id: int, fired: Fired) -> None:
        if fired.next_run_at is not None and post_id not in self._planned:
            self._plan(post_id, fired.next_run_at)
        if fired.dispatch is not None:
            self._spawn(self._deliver(fired.dispatch))
        if fired.skipped is not None:
            self._report_skip(fired.skipped)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _deliver(self, dispatch: Dispatch) -> None:
        method: Any
        if dispatch.source_message_id is not None:
            assert dispatch.source_chat_id is not None
            method = CopyMessage(
                chat_id=dispatch.group_id,
                from_chat_id=dispatch.source_chat_id,
                message_id=dispatch.source_message_id,
                message_thread_id=dispatch.thread_id,
            )
        else:
            markup = None
            if dispatch.variants > 1:
                t = self._locales.get(dispatch.language)
                data = UsefulButton(post=dispatch.post_id, variant=dispatch.variant).pack()
                button = InlineKeyboardButton(text=t("schedule-useful"), callback_data=data)
                markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
            method = SendMessage(
                chat_id=dispatch.group_id,
                text=clip(dispatch.text),
                message_thread_id=dispatch.thread_id,
                reply_markup=markup,
            )
        message_id: int | None = None
        try:
            result = await self._outbox.send(
                dispatch.group_id, method, kind=Kind.ANSWER, priority=Priority.NORMAL
            )
            message_id = getattr(result, "message_id", None)
        except Exception as exc:  # noqa: BLE001  (refused: recorded as failed)
            logger.warning("post %s could not be sent: %s", dispatch.post_id, exc)
        try:
            await self._posts.record_sent(dispatch.occurrence_id, message_id)
        except Exception:  # noqa: BLE001
            logger.exception("could not record the message of post %s", dispatch.post_id)
        if dispatch.holidays:
            self._holidays(dispatch)
        if dispatch.birthdays:
            self._congratulate(dispatch)
        if dispatch.anniversaries:
            self._anniversaries(dispatch)

    def _holidays(self, dispatch: Dispatch) -> None:
        """One message for the day's holidays: each the group's own text or the default."""
        t = self._locales.get(dispatch.language)
        lines = []
        for holiday in dispatch.holidays:
            if holiday.text is not None:
                lines.append(holiday.text)
            elif t.has(holiday.locale_key):
                lines.append(t(holiday.locale_key))
            else:
                lines.append(t("holiday-default", name=holiday.name))
        self._outbox.send(
            dispatch.group_id,
            SendMessage(
                chat_id=dispatch.group_id,
                text=clip("\n\n".join(lines)),
                message_thread_id=dispatch.thread_id,
            ),
            kind=Kind.ANSWER,
            priority=Priority.NORMAL,
        )

    def _anniversaries(self, dispatch: Dispatch) -> None:
        t = self._locales.get(dispatch.language)
        people = [
            t("anniversary-member", name=name or str(user_id), years=years)
            for user_id, name, years in dispatch.anniversaries
        ]
        text = t("anniversary-greeting") + "\n" + "\n".join(people)
        self._outbox.send(
            dispatch.group_id,
            SendMessage(
                chat_id=dispatch.group_id, text=clip(text), message_thread_id=dispatch.thread_id
            ),
            kind=Kind.ANSWER,
            priority=Priority.NORMAL,
        )

    def _congratulate(self, dispatch: Dispatch) -> None:
        t = self._locales.get(dispatch.language)
        names = ", ".join(
            f'<a href="tg://user?id={user_id}">{html.escape(name or str(user_id))}</a>'
            for user_id, name in dispatch.birthdays
        )
        text = t("birthday-greeting", count=len(dispatch.birthdays)) + "\n" + names
        if dispatch.birthday_points:
            text += "\n" + t("birthday-bonus", points=dispatch.birthday_points)
        self._outbox.send(
            dispatch.group_id,
            SendMessage(
                chat_id=dispatch.group_id, text=clip(text), message_thread_id=dispatch.thread_id
            ),
            kind=Kind.ANSWER,
            priority=Priority.NORMAL,
        )

    def _report_skip(self, skipped: Skipped) -> None:
        t = self._locales.get(skipped.language)
        text = t(
            "schedule-skipped",
            id=skipped.post_id,
            due=local_time(skipped.due, skipped.timezone).strftime("%Y-%m-%d %H:%M"),
            missed=skipped.missed,
            grace=skipped.grace_minutes,
        )
        self._outbox.send(
            skipped.group_id,
            SendMessage(chat_id=skipped.group_id, text=clip(text)),
            kind=Kind.ANSWER,
            priority=Priority.LOW,
        )


def scheduler_runtime(
    scheduler: AsyncIOScheduler,
    posts: PostRunner,
    engine: AsyncEngine,
    outbox: Outbox,
    locales: Locales,
    **options: Any,
) -> PostScheduler:
    return PostScheduler(scheduler, posts, Leadership(engine), outbox, locales, **options)
