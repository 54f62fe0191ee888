"""The group-commit write stores each check-in with its outcome in one insert; these are the
cases where that first plan is wrong and must be corrected (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from itertools import count

from sqlmodel import select

from core.engagement.member_events import CheckinResult, MemberEvent, MemberEventBatcher, UserInfo
from core.uow import CommittedUpdates
from storage.db import SessionFactory
from storage.tables import Checkin, LedgerEntry, Member
from tests.group_service import group_service

GROUP = -100777
ADA = UserInfo(42, "ada", "Ada", "en")
DAY1 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai
_ids = count(1)


def checkin(at: datetime, user: UserInfo = ADA) -> MemberEvent:
    return MemberEvent("checkin", next(_ids), GROUP, user, at, group_title="G")


def batcher_for(session_factory: SessionFactory) -> MemberEventBatcher:
    return MemberEventBatcher(session_factory, group_service(session_factory))


async def state(session_factory: SessionFactory) -> tuple[Member, list[Checkin], int]:
    async with session_factory() as s:
        member = (await s.exec(select(Member).where(Member.user_id == ADA.user_id))).one()
        rows = list((await s.exec(select(Checkin).order_by(Checkin.day))).all())
        ledger = sum((await s.exec(select(LedgerEntry.amount))).all())
        return member, rows, ledger


async def test_late_message_for_a_day_already_checked_in_changes_nothing(
    session_factory: SessionFactory,
) -> None:
    batcher = batcher_for(session_factory)
    await batcher.submit(checkin(DAY1))
    await batcher.submit(checkin(DAY1 + timedelta(days=1)))
    late = await batcher.submit(checkin(DAY1 + timedelta(hours=3)))  # a new message, day 1
    assert isinstance(late, CheckinResult)
    assert (late.status, late.streak, late.balance) == ("already", 2, 20)
    member, rows, ledger = await state(session_factory)
    assert (member.points, member.streak, member.checkins, ledger) == (20, 2, 2, 20)
    assert [(r.day, r.streak, r.points) for r in rows] == [
        (date(2026, 3, 2), 1, 10),
        (date(2026, 3, 3), 2, 10),
    ]


async def test_late_checkin_for_a_missed_day_counts_but_keeps_the_streak(
    session_factory: SessionFactory,
) -> None:
    batcher = batcher_for(session_factory)
    await batcher.submit(checkin(DAY1))
    await batcher.submit(checkin(DAY1 + timedelta(days=2)))  # day 2 missed: streak 1
    late = await batcher.submit(checkin(DAY1 + timedelta(days=1)))  # day 2 arrives late
    assert isinstance(late, CheckinResult)
    assert (late.status, late.streak, late.points, late.balance) == ("new", 1, 10, 30)
    member, rows, ledger = await state(session_factory)
    assert (member.points, member.streak, member.checkins, ledger) == (30, 1, 3, 30)
    assert member.last_checkin_day == date(2026, 3, 4)
    assert [(r.day, r.streak) for r in rows] == [
        (date(2026, 3, 2), 1),
        (date(2026, 3, 3), 1),
        (date(2026, 3, 4), 1),
    ]


async def test_a_conflicting_checkin_corrects_the_rest_of_its_batch(
    session_factory: SessionFactory,
) -> None:
    """Day 3 already has a row the member's state does not know of (another writer): the
    batch's first plan counted it, so day 4's stored streak must be corrected from 4 to 1."""
    batcher = batcher_for(session_factory)
    await batcher.submit(checkin(DAY1))
    await batcher.submit(checkin(DAY1 + timedelta(days=1)))
    async with session_factory() as s:
        s.add(
            Checkin(
                group_id=GROUP,
                user_id=ADA.user_id,
                day=date(2026, 3, 4),
                streak=3,
                points=10,
                created_at=DAY1 + timedelta(days=2),
            )
        )
        await s.commit()
    day3, day4 = await asyncio.gather(
        batcher.submit(checkin(DAY1 + timedelta(days=2))),
        batcher.submit(checkin(DAY1 + timedelta(days=3))),
    )
    assert isinstance(day3, CheckinResult) and isinstance(day4, CheckinResult)
    assert day3.status == "already"
    assert (day4.status, day4.streak, day4.balance, day4.position) == ("new", 1, 30, 1)
    member, rows, ledger = await state(session_factory)
    assert (member.points, member.streak, member.best_streak, member.checkins) == (30, 1, 2, 3)
    assert ledger == 30
    assert [(r.day, r.streak, r.points) for r in rows] == [
        (date(2026, 3, 2), 1, 10),
        (date(2026, 3, 3), 2, 10),
        (date(2026, 3, 4), 3, 10),  # the other writer's row is left as it was
        (date(2026, 3, 5), 1, 10),
    ]


async def test_the_intake_hears_of_the_commit_before_the_handlers_resume(
    session_factory: SessionFactory,
) -> None:
    """The handlers' rendering must not delay the next getUpdates: the settled update lets the
    intake (here: a task that needs two more turns of the loop, as gather and the poller do)
    ask again before the submitting handler resumes."""
    committed = CommittedUpdates()
    batcher = MemberEventBatcher(session_factory, group_service(session_factory), committed)
    order: list[str] = []
    event = checkin(DAY1)
    assert event.update_id is not None
    settled: asyncio.Future[object] = asyncio.get_running_loop().create_future()
    committed.notify(event.update_id, settled)

    async def intake() -> None:
        await settled
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        order.append("intake asks for the next batch")

    async def handler() -> None:
        await batcher.submit(event)
        order.append("handler renders its reply")

    await asyncio.gather(intake(), handler())
    assert order == ["intake asks for the next batch", "handler renders its reply"]
