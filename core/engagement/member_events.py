"""Check-ins and chat activity, the hot path: many updates, one transaction per micro-batch.

Handlers submit events and await their own result. While one batch is being written, the next
events queue up, so a burst is written in a few large transactions instead of one per update
(group commit). Each batch records its update ids as processed in the same transaction, so a
redelivered update is recognised and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics.recorder import facts_of, is_new_member
from core.analytics.recording import Activity, Facts, Plan, history_needed
from core.analytics.recording import plan as plan_numbers
from core.cache import BoundedCache
from core.calendar import local_day, local_day_and_hour, period_starts
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.engagement.rules import ActivityState, activity_credit, milestone_bonus, next_streak
from core.engagement.settings import activity_rule, checkin_rule
from core.events import CheckedIn, EventBus, PointsEarned
from core.uow import CommittedUpdates, UnitOfWork
from storage.db import SessionFactory
from storage.queries import updates
from storage.queries.analytics import activity as analytics_rows
from storage.queries.community import members
from storage.queries.engagement import checkins, ledger

logger = logging.getLogger(__name__)

# Members whose name and language this process stored lately: their next events need not write
# tg_user again. A miss costs one row in the batch's upsert, so a bounded cache is plenty.
KNOWN_USERS = 50_000
KNOWN_USERS_TTL = 3600.0
# Turns of the event loop between a batch's commit and resuming its handlers. The commit
# settles the batch's updates; within these turns the intake confirms them and sends the next
# getUpdates. The handlers' rendering (reactions, digests, replies) then overlaps Telegram's
# answer instead of delaying the question: 10 ms -> 2.8 ms from commit to the emulator
# receiving the next getUpdates, per batch of 100 check-ins on the bench machine.
TURNS_BEFORE_RESUMING = 3


@dataclass(frozen=True, slots=True)
class UserInfo:
    user_id: int
    username: str | None
    display_name: str
    language_code: str | None


@dataclass(frozen=True, slots=True)
class MemberEvent:
    kind: Literal["checkin", "message"]
    update_id: int | None
    group_id: int
    user: UserInfo
    at: datetime
    text_length: int = 0
    group_title: str = ""


@dataclass(frozen=True, slots=True)
class CheckinResult:
    status: Literal["new", "already", "duplicate"]
    day: date | None = None
    streak: int = 0
    best_streak: int = 0
    points: int = 0
    bonus: int = 0
    balance: int = 0
    position: int = 0
    checkins: int = 0

    def at_position(self, position: int) -> CheckinResult:
        # Spelled out: dataclasses.replace() costs several times more on this hot path.
        return CheckinResult(
            self.status,
            self.day,
            self.streak,
            self.best_streak,
            self.points,
            self.bonus,
            self.balance,
            position,
            self.checkins,
        )


@dataclass(frozen=True, slots=True)
class ActivityResult:
    status: Literal["ok", "duplicate"]
    credited: int = 0


Result = CheckinResult | ActivityResult


class _State:
    """A member's running state inside one batch."""

    __slots__ = (
        "points",
        "streak",
        "best",
        "checkins",
        "last_day",
        "act_day",
        "act_today",
        "act_last",
        "delta",
        "dirty",
        "orig_checkins",
    )

    def __init__(self, row: Any) -> None:
        self.points: int = row.points
        self.streak: int = row.streak
        self.best: int = row.best_streak
        self.checkins: int = row.checkins
        self.last_day: date | None = row.last_checkin_day
        self.act_day: date | None = row.activity_day
        self.act_today: int = row.activity_today
        self.act_last: datetime | None = row.activity_last_at
        self.delta = 0
        self.dirty = False
        self.orig_checkins: int = row.checkins

    def checkin_result(
        self, status: Literal["new", "already"], day: date, points: int = 0, bonus: int = 0
    ) -> CheckinResult:
        return CheckinResult(
            status=status,
            day=day,
            streak=self.streak,
            best_streak=self.best,
            points=points,
            bonus=bonus,
            balance=self.points,
            checkins=self.checkins,
        )


class MemberEventBatcher:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        committed: CommittedUpdates | None = None,
        max_batch: int = 500,
        bus: EventBus | None = None,
        *,
        known_users: int = KNOWN_USERS,
        known_users_ttl: float = KNOWN_USERS_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session_factory = session_factory
        self._committed = committed
        self._bus = bus
        self._groups = groups
        self._max_batch = max_batch
        self._queue: list[tuple[MemberEvent, asyncio.Future[Result]]] = []
        self._flusher: asyncio.Task[None] | None = None
        # user id -> hash of the UserInfo last stored (an int: far smaller than the strings).
        # What was last written of each user (names, language), to skip writing it again.
        self._known_users: BoundedCache[int, int] = BoundedCache(
            known_users, known_users_ttl, clock=clock
        )

    def submit(self, event: MemberEvent) -> asyncio.Future[Result]:
        """Queue the event for the next group commit; the future gives its result."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((event, future))
        if self._flusher is None or self._flusher.done():
            # The flusher opens its own sessions; it borrows nothing from the caller.
            self._flusher = asyncio.create_task(self._flush(), name="member-events-flush")
        return future

    async def _flush(self) -> None:
        while self._queue:
            # Handlers resumed by the previous batch are about to submit: let them join this one.
            for _ in range(3):
                await asyncio.sleep(0)
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            try:
                results, after_commit = await self._write(batch)
            except Exception as exc:  # noqa: BLE001
                if len(batch) == 1:
                    _resolve(batch, exc)
                    continue
                # Isolate the culprit: write each event alone so one bad event fails alone.
                logger.warning("batch of %d failed (%r); retrying one by one", len(batch), exc)
                for item in batch:
                    try:
                        single, after_single = await self._write([item])
                    except Exception as single_exc:  # noqa: BLE001
                        _resolve([item], single_exc)
                    else:
                        _resume([item], single, after_single)
                continue
            for _ in range(TURNS_BEFORE_RESUMING):
                await asyncio.sleep(0)
            _resume(batch, results, after_commit)

    async def _write(
        self, batch: Sequence[tuple[MemberEvent, asyncio.Future[Result]]]
    ) -> tuple[list[Result], Callable[[], None]]:
        """Commit the batch; returns each event's result and what the features that reacted
        queue after the commit (announcements), to run once the handlers have answered."""
        events = [event for event, _ in batch]
        settings: dict[int, GroupSettings] = {}
        for event in events:
            if event.group_id not in settings:
                settings[event.group_id] = await self._groups.settings_for(
                    event.group_id, event.group_title
                )
        now = max(event.at for event in events)
        async with self._session_factory() as session:
            fresh = await updates.claim(
                session, [e.update_id for e in events if e.update_id is not None], now
            )
            live = _first_deliveries(events, fresh)
            changed_users = self._changed_users(live)
            await members.upsert_users(
                session,
                [
                    {
                        "id": u.user_id,
                        "username": u.username,
                        "display_name": u.display_name[:255],
                        "language_code": u.language_code,
                    }
                    for u in changed_users
                ],
            )
            last_seen: dict[tuple[int, int], datetime] = {}
            for e in live:
                key = (e.group_id, e.user.user_id)
                if key not in last_seen or e.at > last_seen[key]:
                    last_seen[key] = e.at
            rows = await members.touch_members(
                session,
                [{"group_id": g, "user_id": u, "at": at} for (g, u), at in last_seen.items()],
            )
            days: dict[int, date] = {}
            hours: dict[int, int] = {}
            for e in live:
                calendar = settings[e.group_id]
                days[id(e)], hours[id(e)] = local_day_and_hour(
                    e.at, calendar.timezone, calendar.day_start_hour
                )
            last_days = {(r.group_id, r.user_id): r.last_checkin_day for r in rows}
            candidates: dict[tuple[int, int, date], MemberEvent] = {}
            for e in live:
                key = (e.group_id, e.user.user_id, days[id(e)])
                if e.kind == "checkin" and key not in candidates and last_days[key[:2]] != key[2]:
                    candidates[key] = e
            # Plan as if every candidate wins, so each check-in is inserted with its outcome.
            plan = _plan(live, rows, settings, days, {id(e) for e in candidates.values()})
            inserted = await checkins.insert_new(session, list(plan.checkins.values()))
            if len(inserted) != len(candidates):
                # Some day was already checked in (a late message): plan with the real winners.
                optimistic = plan.checkins
                plan = _plan(live, rows, settings, days, {id(candidates[k]) for k in inserted})
                await checkins.set_outcomes(
                    session, [row for key, row in plan.checkins.items() if optimistic[key] != row]
                )
            # The numbers (core/analytics): the members' days, then the groups' days, whose
            # check-in totals give each check-in its position.
            numbers, facts = await _plan_numbers(session, live, rows, settings, days, hours, plan)
            # The ledger rows, and the members' progress, running totals and facts in one UPDATE.
            progress = _with_facts(plan.progress, rows, facts, numbers.facts)
            earned = await ledger.append(session, plan.ledger_rows, progress=progress)
            results = plan.results
            # Features reacting to a check-in write in this same transaction.
            uow = UnitOfWork(session, bus=self._bus)
            if self._bus is not None and self._bus.wants(CheckedIn):
                for e in plan.winners:
                    done = results[id(e)]
                    assert isinstance(done, CheckinResult) and done.day is not None
                    uow.publish(
                        CheckedIn(
                            e.group_id, e.user.user_id, done.day, done.streak, done.checkins, e.at
                        )
                    )
            if earned and self._bus is not None and self._bus.wants(PointsEarned):
                uow.publish(PointsEarned(tuple(earned), now))  # one event for the batch
            await uow.dispatch_events()
            # The groups' days last (analytics_rows.defer_group_days says why); their check-in
            # totals give each check-in its position: "you are the 12th today".
            totals = await analytics_rows.add_group_days(session, numbers.group_days)
            per_day: dict[tuple[int, date], int] = {}
            for e in plan.winners:
                per_day[(e.group_id, days[id(e)])] = per_day.get((e.group_id, days[id(e)]), 0) + 1
            next_position = {k: totals[k] - n + 1 for k, n in per_day.items()}
            for e in plan.winners:  # in arrival order
                position_key = (e.group_id, days[id(e)])
                results[id(e)] = results[id(e)].at_position(next_position[position_key])  # type: ignore[union-attr]
                next_position[position_key] += 1
            await session.commit()
        if self._committed is not None:
            self._committed.add(fresh)
        self._remember_users(changed_users)
        return [results.get(id(e)) or _duplicate(e) for e in events], uow.run_after_commit

    def _changed_users(self, events: Sequence[MemberEvent]) -> list[UserInfo]:
        latest: dict[int, UserInfo] = {}
        for e in events:
            latest[e.user.user_id] = e.user
        known = self._known_users
        return [u for uid, u in latest.items() if known.get(uid) != _fingerprint(u)]

    def _remember_users(self, users: Sequence[UserInfo]) -> None:
        for user in users:
            self._known_users.put(user.user_id, _fingerprint(user))

    def forget_user(self, user_id: int) -> None:
        self._known_users.pop(user_id)

    def known_users(self) -> int:
        return len(self._known_users)


@dataclass(slots=True)
class _Plan:
    results: dict[int, Result]  # by id(event); check-in positions are filled in afterwards
    winners: list[MemberEvent]  # check-ins that count, in arrival order
    checkins: dict[tuple[int, int, date], dict[str, Any]]  # the row each winner stores
    progress: list[dict[str, Any]]  # member rows that changed
    ledger_rows: list[dict[str, Any]]


def _plan(
    live: Sequence[MemberEvent],
    rows: Sequence[Any],
    settings: dict[int, GroupSettings],
    days: dict[int, date],
    winners: set[int],
) -> _Plan:
    """Streaks, points and ledger rows of a batch, given which check-ins count (no I/O)."""
    states = {(r.group_id, r.user_id): _State(r) for r in rows}
    plan = _Plan({}, [], {}, [], [])
    # The groups' rules, derived once per settings object; looked up per event below.
    checkin_rules = {g: checkin_rule(gs) for g, gs in settings.items()}
    activity_rules = {g: activity_rule(gs) for g, gs in settings.items()}
    for e in live:
        st = states[(e.group_id, e.user.user_id)]
        day = days[id(e)]
        if e.kind == "checkin":
            if id(e) not in winners:
                plan.results[id(e)] = st.checkin_result("already", day)
                continue
            if st.last_day is None or day > st.last_day:
                st.streak = next_streak(st.last_day, st.streak, day)
                st.last_day = day
            # else: a late update for an earlier day: it counts, but the streak stays.
            st.best = max(st.best, st.streak)
            st.checkins += 1
            rule = checkin_rules[e.group_id]
            bonus = milestone_bonus(rule.milestones, st.streak)
            key = f"{e.group_id}:{e.user.user_id}:{day.isoformat()}"
            for amount, reason in ((rule.points, "checkin"), (bonus, "streak_bonus")):
                if amount > 0:
                    plan.ledger_rows.append(_ledger(e, day, amount, reason, f"{reason}:{key}"))
            st.delta += rule.points + bonus
            st.points += rule.points + bonus
            st.dirty = True
            plan.winners.append(e)
            plan.checkins[(e.group_id, e.user.user_id, day)] = {
                "group_id": e.group_id,
                "user_id": e.user.user_id,
                "day": day,
                "streak": st.streak,
                "points": rule.points + bonus,
                "created_at": e.at,
            }
            plan.results[id(e)] = st.checkin_result("new", day, rule.points, bonus)
        else:
            credit = activity_credit(
                activity_rules[e.group_id],
                ActivityState(st.act_day, st.act_today, st.act_last),
                e.text_length,
                e.at,
                day,
            )
            if credit:
                st.act_today = (st.act_today if st.act_day == day else 0) + credit
                st.act_day, st.act_last = day, e.at
                st.delta += credit
                st.points += credit
                st.dirty = True
                key = (
                    e.update_id
                    if e.update_id is not None
                    else f"{e.group_id}:{e.user.user_id}:{e.at.isoformat()}"
                )
                plan.ledger_rows.append(_ledger(e, day, credit, "activity", f"activity:{key}"))
            plan.results[id(e)] = ActivityResult(status="ok", credited=credit)
    plan.progress = [
        {
            "g": g,
            "u": u,
            "delta": st.delta,
            "streak": st.streak,
            "best": st.best,
            "dc": st.checkins - st.orig_checkins,
            "lcd": st.last_day,
            "ad": st.act_day,
            "at": st.act_today,
            "alast": st.act_last,
        }
        for (g, u), st in states.items()
        if st.dirty
    ]
    return plan


async def _plan_numbers(
    session: AsyncSession,
    live: Sequence[MemberEvent],
    rows: Sequence[Any],
    settings: dict[int, GroupSettings],
    days: dict[int, date],
    hours: dict[int, int],
    plan: _Plan,
) -> tuple[Plan, dict[tuple[int, int], Facts]]:
    """What the batch adds to the numbers; the members' days are written here (their posters
    need the rows' message totals), the groups' days and the facts by the caller, folded into
    statements it runs anyway. Returns the plan and every member's facts as read."""
    numbers = Plan()
    facts: dict[tuple[int, int], Facts] = {}
    seen: dict[tuple[int, int], datetime] = {}
    for e in live:
        key = (e.group_id, e.user.user_id)
        if key not in seen or e.at > seen[key]:
            seen[key] = e.at
    for r in rows:
        key = (r.group_id, r.user_id)
        calendar = settings[r.group_id]
        facts[key] = facts_of(r)
        at = seen[key]
        if is_new_member(r, at) or (r.left_at is not None and r.left_at < at):
            day = local_day(at, calendar.timezone, calendar.day_start_hour)
            numbers.add(r.group_id, day, members_delta=1)
    activities = []
    results = plan.results
    for e in live:
        day = days[id(e)]
        # An event without an update id (a command's author) could be counted twice.
        hour = hours[id(e)] if e.update_id is not None else None
        done = results[id(e)]
        if isinstance(done, CheckinResult):
            if done.status == "new":
                activities.append(
                    Activity(
                        e.group_id,
                        e.user.user_id,
                        day,
                        hour,
                        checkins=1,
                        points_earned=done.points + done.bonus,
                        streak=done.streak,
                    )
                )
            else:
                activities.append(Activity(e.group_id, e.user.user_id, day, hour))
        else:
            assert isinstance(done, ActivityResult)
            activities.append(
                Activity(
                    e.group_id,
                    e.user.user_id,
                    day,
                    hour,
                    messages=0 if e.update_id is None else 1,
                    points_earned=done.credited,
                )
            )
    wanted = history_needed(activities, facts)
    history = await analytics_rows.active_days(session, wanted) if wanted else None
    plan_numbers(activities, facts, history, into=numbers)
    written = await analytics_rows.add_member_days(session, numbers.member_days)
    for r in written:  # a member's first messages of the day make them a poster
        added = numbers.member_days[(r.group_id, r.day, r.user_id)][1]
        if added and r.messages == added:
            numbers.add(r.group_id, r.day, posters=1)
    return numbers, facts


def _with_facts(
    progress: list[dict[str, Any]],
    rows: Sequence[Any],
    facts: dict[tuple[int, int], Facts],
    changed: dict[tuple[int, int], Facts],
) -> list[dict[str, Any]]:
    """The progress rows with each member's facts; members whose facts alone changed (a
    first message of the day earning nothing) join the UPDATE with their progress as read."""
    listed = set()
    for p in progress:
        key = (p["g"], p["u"])
        listed.add(key)
        _put_facts(p, changed.get(key) or facts[key])
    for r in rows:
        key = (r.group_id, r.user_id)
        if key in changed and key not in listed:
            p = {
                "g": r.group_id,
                "u": r.user_id,
                "delta": 0,
                "streak": r.streak,
                "best": r.best_streak,
                "dc": 0,
                "lcd": r.last_checkin_day,
                "ad": r.activity_day,
                "at": r.activity_today,
                "alast": r.activity_last_at,
            }
            _put_facts(p, changed[key])
            progress.append(p)
    return progress


def _put_facts(p: dict[str, Any], f: Facts) -> None:
    p["yd"] = f.active_day
    p["yb"] = f.bits
    p["fc"] = f.first_checkin
    p["s3"] = f.streak3
    p["s7"] = f.streak7


def _fingerprint(user: UserInfo) -> int:
    """What was stored of a user, as one int: a tuple of their names would hold three strings
    per cached user (20 MB for 50,000 users, 12.6 MB as ints). A collision (2**-64) would only
    skip rewriting a changed name until the entry expires."""
    return hash((user.username, user.display_name, user.language_code))


def _first_deliveries(events: Sequence[MemberEvent], fresh: set[int]) -> list[MemberEvent]:
    """Events to apply: untracked ones, and the first copy of each newly claimed update
    (an update delivered twice into one batch counts once)."""
    unclaimed = set(fresh)
    live: list[MemberEvent] = []
    for e in events:
        if e.update_id is None:
            live.append(e)
        elif e.update_id in unclaimed:
            unclaimed.discard(e.update_id)
            live.append(e)
    return live


def _ledger(e: MemberEvent, day: date, amount: int, reason: str, key: str) -> dict[str, Any]:
    week, month = period_starts(day)  # the running totals this row adds to
    return {
        "group_id": e.group_id,
        "user_id": e.user.user_id,
        "amount": amount,
        "reason": reason,
        "note": None,
        "source": "update",
        "actor_id": None,
        "idempotency_key": key,
        "created_at": e.at,
        "week_start": week,
        "month_start": month,
    }


def _duplicate(e: MemberEvent) -> Result:
    return (
        CheckinResult(status="duplicate")
        if e.kind == "checkin"
        else ActivityResult(status="duplicate")
    )


def _resume(
    batch: Sequence[tuple[MemberEvent, asyncio.Future[Result]]],
    results: list[Result],
    after_commit: Callable[[], None],
) -> None:
    """Wake the handlers, then queue what the reacting features send: the handlers run first
    (their wake-ups are scheduled before this call), so a member reads their check-in's answer
    before the level-up it brought."""
    _resolve(batch, results)
    asyncio.get_running_loop().call_soon(after_commit)


def _resolve(
    batch: Sequence[tuple[MemberEvent, asyncio.Future[Result]]],
    outcome: list[Result] | BaseException,
) -> None:
    for index, (_, future) in enumerate(batch):
        if future.done():
            continue
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome[index])
