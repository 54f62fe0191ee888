"""Several features react to one update inside its one transaction (domain events)."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

import sqlalchemy as sa

from core.events import EventBus, MemberJoined
from core.uow import UnitOfWork
from devtools.bot_process import ROOT
from storage.db import SessionFactory
from storage.tables import AuditLog, Member, ProcessedUpdate
from tests import factories as f

GROUP = f.GROUP_ID
PEOPLE = [f.user(3001, "Ann"), f.user(3002, "Ben"), f.user(3003, "Cy")]


async def _run(db_url: str, update_json: str, mode: str) -> int:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.programs.join_with_subscribers",
        db_url,
        update_json,
        mode,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    if mode == "run":
        assert process.returncode == 0, out.decode(errors="replace")[-3000:]
    return process.returncode


async def _state(session_factory: SessionFactory) -> tuple[list[int], dict[str, int], int]:
    async with session_factory() as s:
        members = (await s.exec(sa.select(Member.user_id).where(Member.group_id == GROUP))).all()
        actions = dict(
            (
                await s.exec(
                    sa.select(AuditLog.action, sa.func.count())
                    .where(AuditLog.action.like("test_%"))
                    .group_by(AuditLog.action)
                )
            ).all()
        )
        processed = (await s.exec(sa.select(sa.func.count()).select_from(ProcessedUpdate))).one()
    return sorted(m[0] for m in members), actions, processed[0]


async def test_killed_between_two_subscribers_then_redelivered_counts_once(
    db_url: str, session_factory: SessionFactory
) -> None:
    """One join message adding three members, two subscribers each; the process dies after
    the first subscriber wrote. Nothing of the update is left behind; the redelivery records
    all three members and both subscribers' effects exactly once; a further copy changes
    nothing."""
    update = f.service_message(f.user(3000, "Inviter"), new_chat_members=PEOPLE)
    payload = update.model_dump_json(by_alias=True, exclude_none=True)

    assert await _run(db_url, payload, "kill") == 137
    assert await _state(session_factory) == ([], {}, 0)

    await _run(db_url, payload, "run")
    expected = ([3001, 3002, 3003], {"test_first": 3, "test_second": 3}, 1)
    assert await _state(session_factory) == expected

    await _run(db_url, payload, "run")  # redelivered once more
    assert await _state(session_factory) == expected


async def test_subscribers_run_in_the_use_case_transaction(
    session_factory: SessionFactory,
) -> None:
    seen: list[str] = []
    bus = EventBus()

    async def count(uow: UnitOfWork, event: MemberJoined) -> None:
        seen.append(f"{event.user_id}")
        uow.after_commit(lambda: seen.append("sent"))

    async def fail(uow: UnitOfWork, event: MemberJoined) -> None:
        raise RuntimeError("second subscriber broke")

    bus.subscribe(MemberJoined, count)
    at = datetime(2026, 12, 1, tzinfo=UTC)
    async with session_factory() as s:
        uow = UnitOfWork(s, 77, bus=bus)
        uow.publish(MemberJoined(GROUP, 1, "A", None, at))
        await uow.commit()
    assert seen == ["1", "sent"]  # after-commit actions run once the commit is done

    bus.subscribe(MemberJoined, fail)
    async with session_factory() as s:
        uow = UnitOfWork(s, 78, bus=bus)
        uow.publish(MemberJoined(GROUP, 2, "B", None, at))
        try:
            await uow.commit()
        except RuntimeError:
            await uow.rollback()
        async with session_factory() as check:
            recorded = (await check.exec(sa.select(ProcessedUpdate.update_id))).all()
    assert seen == ["1", "sent", "2"]  # the failed commit sent nothing
    assert sorted(r[0] for r in recorded) == [77]
