"""Scheduled posts as a service (SQLite and PostgreSQL): each occurrence once, grace, re-plans.

The clock is injected: time travels without waiting.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.scheduler import plan_next
from core.community.groups import GroupService
from core.events import EventBus, GroupCalendarChanged
from core.schedule import posts as post_rules
from core.schedule import variants as ab
from core.schedule.firing import PostRunner
from core.schedule.posts import Content, PostService
from core.schedule.when import DAILY, EVERY, ONCE, Rule
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.schedule import posts as rows
from storage.tables import ProcessedKey
from tests.group_service import group_service

GROUP = -100555
OTHER = -100666
ADMIN = 100
# 2026-12-01 10:00 in Shanghai
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def setup(
    session_factory: SessionFactory,
) -> tuple[GroupService, PostService, PostRunner, Clock]:
    """The service administrators use and the scheduler's runner, as the app builds them."""
    groups = group_service(session_factory)
    clock = Clock(T0)
    bus = EventBus()
    service = PostService(plan_next)
    runner = PostRunner(session_factory, groups, plan_next, clock=clock, bus=bus)
    bus.subscribe(GroupCalendarChanged, service.on_calendar_changed)
    await groups.settings_for(GROUP, "G")
    await groups.settings_for(OTHER, "O")
    return groups, service, runner, clock


async def create(
    session_factory: SessionFactory,
    groups: GroupService,
    service: PostService,
    rule: Rule,
    text: str = "Good morning <all>",
    *,
    group_id: int = GROUP,
    at: datetime = T0,
    thread_id: int | None = None,
) -> rows.Post:
    group = await groups.settings_for(group_id)
    async with session_factory() as session:
        uow = UnitOfWork(session)
        return await service.create(uow, group, ADMIN, rule, Content(text=text), thread_id, at)


async def occurrences(session_factory: SessionFactory) -> list[rows.Occurrence]:
    async with session_factory() as session:
        return await rows.occurrences(session)


async def test_a_daily_post_runs_each_occurrence_once(session_factory: SessionFactory) -> None:
    groups, service, runner, clock = await setup(session_factory)
    post = await create(session_factory, groups, service, Rule(DAILY, 8, 0), thread_id=7)
    due = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai, tomorrow
    assert post.next_run_at == due and post.text == "Good morning &lt;all&gt;"

    clock.now = due + timedelta(seconds=1)
    fired = await runner.fire(post.id, due)
    assert fired is not None and fired.dispatch is not None
    assert fired.dispatch.text == "Good morning &lt;all&gt;" and fired.dispatch.thread_id == 7
    assert fired.next_run_at == due + timedelta(days=1)
    # The same occurrence again (a restart, a second leader): nothing.
    assert await runner.fire(post.id, due) is None
    await runner.record_sent(fired.dispatch.occurrence_id, 321)
    [occurrence] = await occurrences(session_factory)
    assert (occurrence.outcome, occurrence.message_id, occurrence.due_at) == ("sent", 321, due)
    assert occurrence.sent_at == clock.now
    async with session_factory() as session:
        keys = (await session.exec(sa.select(ProcessedKey.key))).scalars().all()
        stored = await rows.get(session, post.id)
    assert keys == [f"post:{post.id}:2026-12-02T00:00:00+00:00"]
    assert stored is not None and stored.next_run_at == due + timedelta(days=1)
    assert stored.runs == 1


async def test_concurrent_fires_of_one_occurrence_send_once(
    session_factory: SessionFactory,
) -> None:
    groups, service, runner, clock = await setup(session_factory)
    post = await create(session_factory, groups, service, Rule(EVERY, seconds=60))
    assert post.next_run_at is not None
    clock.now = post.next_run_at
    results = await asyncio.gather(*(runner.fire(post.id, post.next_run_at) for _ in range(5)))
    assert sum(1 for r in results if r is not None and r.dispatch is not None) == 1
    assert len(await occurrences(session_factory)) == 1


async def test_late_within_grace_is_sent_beyond_grace_is_skipped(
    session_factory: SessionFactory,
) -> None:
    groups, service, runner, clock = await setup(session_factory)
    once = await create(session_factory, groups, service, Rule(ONCE, at=T0 + timedelta(hours=1)))
    daily = await create(session_factory, groups, service, Rule(DAILY, 8, 0))
    assert once.next_run_at is not None and daily.next_run_at is not None

    # 9 minutes late (grace is 10): sent, and a one-off post is done.
    clock.now = once.next_run_at + timedelta(minutes=9)
    fired = await runner.fire(once.id, once.next_run_at)
    assert fired is not None and fired.dispatch is not None and fired.next_run_at is None
    async with session_factory() as session:
        done = await rows.get(session, once.id)
    assert done is not None and done.status == "done"

    # The bot was down three days and a bit: the first is skipped for all the missed ones.
    first = daily.next_run_at
    clock.now = first + timedelta(days=2, hours=1)
    fired = await runner.fire(daily.id, first)
    assert fired is not None and fired.dispatch is None and fired.skipped is not None
    assert fired.skipped.missed == 3 and fired.skipped.grace_minutes == 10
    assert fired.next_run_at == first + timedelta(days=3)
    skipped = [o for o in await occurrences(session_factory) if o.post_id == daily.id]
    assert [(o.outcome, o.missed, o.message_id) for o in skipped] == [("skipped", 3, None)]

    # With grace 0, even a minute late is skipped.
    group = await groups.settings_for(GROUP)
    async with session_factory() as session:
        await groups.change(UnitOfWork(session), GROUP, ADMIN, "grace", "0", T0)
    assert (await groups.settings_for(GROUP)).value("post_grace_minutes") == 0
    assert group.value("post_grace_minutes") == 10
    due = first + timedelta(days=3)
    clock.now = due + timedelta(minutes=1)
    fired = await runner.fire(daily.id, due)
    assert fired is not None and fired.skipped is not None and fired.skipped.missed == 1


async def test_missed_occurrences_within_grace_are_each_sent(
    session_factory: SessionFactory,
) -> None:
    """A take-over after a 10 s gap: every 2 s occurrence of the gap is sent, each once."""
    groups, service, runner, clock = await setup(session_factory)
    async with session_factory() as session:
        group = await groups.settings_for(GROUP)
        post = await service.create(
            UnitOfWork(session),
            group,
            ADMIN,
            Rule(EVERY, seconds=2),
            Content(text="tick"),
            None,
            T0,
        )
    due = post.next_run_at
    clock.now = T0 + timedelta(seconds=11)
    sent = []
    while due is not None and due <= clock.now:
        fired = await runner.fire(post.id, due)
        assert fired is not None and fired.dispatch is not None
        sent.append(due)
        due = fired.next_run_at
    assert sent == [T0 + timedelta(seconds=s) for s in (2, 4, 6, 8, 10)]
    assert due == T0 + timedelta(seconds=12)


async def test_pause_resume_delete_and_other_groups(session_factory: SessionFactory) -> None:
    groups, service, runner, clock = await setup(session_factory)
    post = await create(session_factory, groups, service, Rule(DAILY, 8, 0))
    group = await groups.settings_for(GROUP)
    other = await groups.settings_for(OTHER)
    async with session_factory() as session:
        with pytest.raises(post_rules.PostNotFound):
            await service.pause(UnitOfWork(session), other, ADMIN, post.id, T0)
    async with session_factory() as session:
        paused = await service.pause(UnitOfWork(session), group, ADMIN, post.id, T0)
    assert paused.status == "paused"
    assert post.next_run_at is not None
    # A paused post does not run.
    clock.now = post.next_run_at
    assert await runner.fire(post.id, post.next_run_at) is None
    # Resumed three days later: from the next occurrence, the missed ones are not sent.
    later = T0 + timedelta(days=3)
    async with session_factory() as session:
        resumed = await service.resume(UnitOfWork(session), group, ADMIN, post.id, later)
    assert resumed.status == "active"
    assert resumed.next_run_at == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
    assert await runner.planned() == [(post.id, GROUP, resumed.next_run_at)]
    async with session_factory() as session:
        await service.remove(UnitOfWork(session), group, ADMIN, post.id, later)
    assert await runner.planned() == []
    async with session_factory() as session:
        assert await service.listing(UnitOfWork(session), GROUP) == []


async def test_bad_posts_change_nothing(session_factory: SessionFactory) -> None:
    groups, service, runner, _clock = await setup(session_factory)
    with pytest.raises(post_rules.EmptyPost):
        await create(session_factory, groups, service, Rule(DAILY, 8, 0), "   ")
    with pytest.raises(post_rules.PostTooLong):
        await create(session_factory, groups, service, Rule(DAILY, 8, 0), "x" * 4000)
    with pytest.raises(post_rules.NeverRuns):
        await create(session_factory, groups, service, Rule(ONCE, at=T0 - timedelta(hours=1)))
    assert await runner.planned() == []
    assert await runner.fingerprint() == (0, None)


async def test_a_new_timezone_replans_recurring_posts(session_factory: SessionFactory) -> None:
    groups, service, runner, _clock = await setup(session_factory)
    changes: list[int] = []
    service.on_change = lambda: changes.append(1)
    daily = await create(session_factory, groups, service, Rule(DAILY, 8, 0))
    once = await create(session_factory, groups, service, Rule(ONCE, at=T0 + timedelta(hours=5)))
    assert daily.next_run_at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    before = len(changes)
    async with session_factory() as session:
        await groups.change(
            UnitOfWork(session, bus=runner._bus), GROUP, ADMIN, "tz", "Europe/Berlin", T0
        )
    async with session_factory() as session:
        moved = await rows.get(session, daily.id)
        kept = await rows.get(session, once.id)
    # 08:00 in Berlin (UTC+1) is 07:00 UTC, today (it is 03:00 there).
    assert moved is not None and moved.next_run_at == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    assert kept is not None and kept.next_run_at == once.next_run_at
    assert len(changes) == before + 1


async def test_variants_take_turns_and_votes_count_once_per_member(
    session_factory: SessionFactory,
) -> None:
    groups, service, runner, clock = await setup(session_factory)
    post = await create(
        session_factory, groups, service, Rule(EVERY, seconds=60), "Tip A ||  Tip <B> || "
    )
    assert post.text == "Tip A || Tip &lt;B&gt;"
    due, sent = post.next_run_at, []
    for _ in range(3):
        assert due is not None
        clock.now = due
        fired = await runner.fire(post.id, due)
        assert fired is not None and fired.dispatch is not None
        assert fired.dispatch.variants == 2
        sent.append((fired.dispatch.variant, fired.dispatch.text))
        due = fired.next_run_at
    assert sent == [(0, "Tip A"), (1, "Tip &lt;B&gt;"), (0, "Tip A")]
    async with session_factory() as session:
        uow = UnitOfWork(session)
        assert await ab.vote(uow, GROUP, post.id, 1, 7, T0) is True
    async with session_factory() as session:
        assert await ab.vote(UnitOfWork(session), GROUP, post.id, 1, 7, T0) is False
    async with session_factory() as session:
        assert await ab.vote(UnitOfWork(session), GROUP, post.id, 0, 7, T0) is True
    for bad_group, bad_variant in ((OTHER, 0), (GROUP, 2)):
        async with session_factory() as session:
            with pytest.raises(post_rules.PostNotFound):
                await ab.vote(UnitOfWork(session), bad_group, post.id, bad_variant, 8, T0)
    async with session_factory() as session:
        stored = await rows.get(session, post.id)
        assert stored is not None
        stats = await ab.variant_stats(UnitOfWork(session), stored)
    assert stats == [("Tip A", 2, 1), ("Tip &lt;B&gt;", 1, 1)]


def test_birthday_parsing() -> None:
    from core.schedule.birthdays import InvalidBirthday, birthdays_on, parse_birthday

    assert parse_birthday("03-14") == (3, 14) and parse_birthday("2/29") == (2, 29)
    assert parse_birthday("3月14日") == (3, 14)
    for bad in ("13-01", "02-30", "0314", "04-31", "x"):
        with pytest.raises(InvalidBirthday):
            parse_birthday(bad)
    from datetime import date

    assert birthdays_on(date(2027, 2, 28)) == [(2, 28), (2, 29)]
    assert birthdays_on(date(2028, 2, 28)) == [(2, 28)]


async def test_the_morning_greeting_congratulates_todays_birthdays(
    session_factory: SessionFactory,
) -> None:
    from core.community.members import MemberService, user_row
    from core.schedule import birthdays
    from core.schedule.birthdays import MORNING

    groups, service, runner, clock = await setup(session_factory)
    members = MemberService(session_factory)
    people = {
        301: ("Ada", "12-02"),
        302: ("Bo", "12-02"),
        303: ("Cy", "12-03"),
        304: ("Di", "12-02"),
    }
    async with session_factory() as session:
        rows_ = [user_row(uid, None, name, "en") for uid, (name, _) in people.items()]
        await members.record_joins(UnitOfWork(session), GROUP, rows_, T0)
    async with session_factory() as session:
        await members.record_leave(UnitOfWork(session), GROUP, 304, T0)  # Di left
    for uid, (_, day) in people.items():
        async with session_factory() as session:
            await birthdays.set_birthday(UnitOfWork(session), uid, day, T0)
    group = await groups.settings_for(GROUP)
    async with session_factory() as session:
        post = await service.create(
            UnitOfWork(session),
            group,
            ADMIN,
            Rule(DAILY, 7, 30),
            Content("Morning!"),
            None,
            T0,
            label=MORNING,
        )
    plain_post = await create(session_factory, groups, service, Rule(DAILY, 7, 30))
    due = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 2 December 07:30 in Shanghai
    assert post.next_run_at == due
    clock.now = due
    fired = await runner.fire(post.id, due)
    assert fired is not None and fired.dispatch is not None
    assert fired.dispatch.birthdays == ((301, "Ada"), (302, "Bo"))
    other = await runner.fire(plain_post.id, due)
    assert other is not None and other.dispatch is not None and other.dispatch.birthdays == ()


def test_anniversary_windows_are_local_days_of_earlier_years() -> None:
    from datetime import date

    from core.schedule.birthdays import anniversary_windows

    windows = anniversary_windows(date(2026, 12, 2), "Asia/Shanghai")
    assert windows[0] == (
        1,
        datetime(2025, 12, 1, 16, 0, tzinfo=UTC),
        datetime(2025, 12, 2, 16, 0, tzinfo=UTC),
    )
    assert len(windows) == 15
    feb28 = anniversary_windows(date(2027, 2, 28), "UTC")  # 2024 was a leap year
    assert (3, datetime(2024, 2, 29, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC)) in feb28
    feb29 = anniversary_windows(date(2028, 2, 29), "UTC")
    assert [n for n, _, _ in feb29] == [4, 8, 12]


async def test_anniversaries_after_the_morning_greeting(session_factory: SessionFactory) -> None:
    from core.community.members import MemberService, user_row
    from core.schedule.birthdays import MORNING

    groups, service, runner, clock = await setup(session_factory)
    members = MemberService(session_factory)
    joined = {
        401: ("Old", datetime(2024, 12, 2, 1, 0, tzinfo=UTC)),  # 2 Dec 09:00 in Shanghai
        402: ("Late", datetime(2025, 12, 1, 17, 0, tzinfo=UTC)),  # 2 Dec 01:00 in Shanghai
        403: ("Other", datetime(2025, 12, 2, 17, 0, tzinfo=UTC)),  # 3 Dec there
        404: ("New", datetime(2026, 12, 1, 17, 0, tzinfo=UTC)),  # today: not a year yet
    }
    for uid, (name, at) in joined.items():
        async with session_factory() as session:
            await members.record_joins(
                UnitOfWork(session), GROUP, [user_row(uid, None, name, "en")], at
            )
    async with session_factory() as session:
        await groups.change(UnitOfWork(session), GROUP, ADMIN, "anniversaries", "on", T0)
    group = await groups.settings_for(GROUP)
    async with session_factory() as session:
        post = await service.create(
            UnitOfWork(session),
            group,
            ADMIN,
            Rule(DAILY, 7, 30),
            Content("Morning!"),
            None,
            T0,
            label=MORNING,
        )
    assert post.next_run_at is not None
    clock.now = post.next_run_at
    fired = await runner.fire(post.id, post.next_run_at)
    assert fired is not None and fired.dispatch is not None
    assert fired.dispatch.anniversaries == ((401, "Old", 2), (402, "Late", 1))

    # The greeting set again the same morning fires again: one anniversary message a day.
    async with session_factory() as session:
        again = await service.create(
            UnitOfWork(session),
            group,
            ADMIN,
            Rule(DAILY, 7, 30),
            Content("Morning again!"),
            None,
            post.next_run_at - timedelta(minutes=5),
            label=MORNING,
        )
    assert again.next_run_at == post.next_run_at
    fired = await runner.fire(again.id, again.next_run_at)
    assert fired is not None and fired.dispatch is not None
    assert fired.dispatch.text == "Morning again!" and fired.dispatch.anniversaries == ()


async def test_birthday_points_are_credited_once_a_year(session_factory: SessionFactory) -> None:
    from core.community.members import MemberService, user_row
    from core.schedule import birthdays
    from core.schedule.birthdays import MORNING
    from storage.tables import LedgerEntry, Member

    groups, service, runner, clock = await setup(session_factory)
    async with session_factory() as session:
        await MemberService(session_factory).record_joins(
            UnitOfWork(session), GROUP, [user_row(301, None, "Ada", "en")], T0
        )
    async with session_factory() as session:
        await birthdays.set_birthday(UnitOfWork(session), 301, "12-02", T0)
    async with session_factory() as session:
        await groups.change(UnitOfWork(session), GROUP, ADMIN, "birthday_points", "50", T0)
    group = await groups.settings_for(GROUP)

    async def morning_post() -> rows.Post:
        async with session_factory() as session:
            return await service.create(
                UnitOfWork(session),
                group,
                ADMIN,
                Rule(DAILY, 7, 30),
                Content("Morning!"),
                None,
                T0,
                label=MORNING,
            )

    first = await morning_post()
    due = first.next_run_at
    assert due is not None
    clock.now = due
    # The same occurrence fired twice at once: one credit.
    results = await asyncio.gather(runner.fire(first.id, due), runner.fire(first.id, due))
    fired = [r for r in results if r is not None]
    assert len(fired) == 1 and fired[0].dispatch is not None
    assert fired[0].dispatch.birthday_points == 50
    # The greeting set again the same day (another post, another occurrence): no second
    # credit, and no second congratulation (one message a day).
    second = await morning_post()
    assert second.next_run_at == due
    again = await runner.fire(second.id, due)
    assert again is not None and again.dispatch is not None
    assert again.dispatch.birthdays == () and again.dispatch.birthday_points == 0
    async with session_factory() as session:
        entries = (
            await session.exec(
                sa.select(LedgerEntry.idempotency_key, LedgerEntry.amount).where(
                    LedgerEntry.reason == "birthday_bonus"
                )
            )
        ).all()
        points = (
            await session.exec(sa.select(Member.points).where(Member.user_id == 301))
        ).scalar_one()
    assert [tuple(e) for e in entries] == [(f"birthday:{GROUP}:301:2026", 50)]
    assert points == 50
