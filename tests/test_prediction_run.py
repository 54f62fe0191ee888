"""The prediction run on SQLite and PostgreSQL: snapshots checked by hand on a crafted member,
labels, the held-out evaluation beside the baseline, a small group pooled, scores, at_risk,
nothing done twice; a group with too little history is said to be so."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from bench import predict_data
from core.prediction import scores
from core.prediction.run import GroupCalendar, RunSummary, run
from core.prediction.service import CHECK_EVERY, FIRST_CHECK_AFTER, PredictionService
from storage.db import SessionFactory
from storage.tables import (
    ChatGroup,
    Member,
    MemberDay,
    MemberRisk,
    MemberSegment,
    MemberWeekSnapshot,
    PredictionModel,
)
from tests.group_service import group_service

BIG, SMALL = -1001, -1002
START = date(2026, 6, 1)  # a Monday
DAYS = 126  # 18 weeks: the last day, 2026-10-04, is a Sunday
NOW = datetime(2026, 10, 5, 12, tzinfo=UTC)
CRAFTED = 9001


async def small_group(session_factory: SessionFactory) -> None:
    """Five members; CRAFTED checked in 2026-09-14 … 09-23 (10 days), then came on 09-26 only,
    and on 10-01 the week after."""
    days = [date(2026, 9, 14) + timedelta(days=i) for i in range(10)]
    async with session_factory() as s:
        await s.execute(sa.insert(ChatGroup.__table__).values(id=SMALL, title="Small"))
        for uid in range(CRAFTED, CRAFTED + 5):
            at = datetime.combine(date(2026, 8, 1), time(9), tzinfo=UTC)
            await s.execute(
                sa.insert(Member.__table__).values(
                    group_id=SMALL,
                    user_id=uid,
                    first_seen_at=at,
                    joined_at=at,
                    join_day=date(2026, 8, 1),
                )
            )
        rows = [
            {"group_id": SMALL, "day": d, "user_id": CRAFTED, "active": 1, "checkins": 1}
            for d in days
        ]
        rows += [
            {"group_id": SMALL, "day": d, "user_id": CRAFTED, "active": 1, "checkins": 0}
            for d in (date(2026, 9, 26), date(2026, 10, 1))
        ]
        rows += [
            {
                "group_id": SMALL,
                "day": date(2026, 9, 20),
                "user_id": uid,
                "active": 1,
                "checkins": 0,
            }
            for uid in range(CRAFTED + 1, CRAFTED + 5)
        ]
        await s.execute(sa.insert(MemberDay.__table__), rows)
        await s.commit()


async def test_snapshots_training_scores_and_at_risk(session_factory: SessionFactory) -> None:
    act = predict_data.activity(300, DAYS, START, seed=7)
    async with session_factory() as s:
        await predict_data.write(s, BIG, act, first_user=1)
        await s.commit()
    await small_group(session_factory)
    groups = [GroupCalendar(BIG, "UTC"), GroupCalendar(SMALL, "Asia/Shanghai")]

    summary = await run(session_factory, groups, NOW)
    # Weeks from the Sunday before the first recorded day: 05-31 … 10-04, and 09-13 … 10-04.
    assert summary.trained and summary.weeks == 19 + 4

    async with session_factory() as s:
        snap = (
            (
                await s.exec(
                    sa.select(MemberWeekSnapshot).where(
                        MemberWeekSnapshot.group_id == SMALL,
                        MemberWeekSnapshot.user_id == CRAFTED,
                        MemberWeekSnapshot.week_end == date(2026, 9, 27),
                    )
                )
            )
            .scalars()
            .one()
        )
        models = {
            m.group_id: m for m in (await s.exec(sa.select(PredictionModel))).scalars().all()
        }
        risk = {
            (r.group_id, r.user_id): r
            for r in (await s.exec(sa.select(MemberRisk))).scalars().all()
        }
    # As of Sunday 09-27: active 09-26 (1 day before), 09-21..09-23 (4..6 days before) and
    # 09-14..09-20; the streak 09-14..09-23 (10 days) broke; its last check-in 4 days before.
    assert (snap.active_7, snap.active_14, snap.active_28) == (4, 11, 11)
    assert (snap.since_active, snap.streak, snap.broken_streak) == (1, 0, 10)
    assert (snap.since_checkin, snap.checkins_7, snap.checkins_28) == (4, 3, 10)
    assert snap.tenure == (date(2026, 9, 27) - date(2026, 8, 1)).days
    assert snap.label == 1  # active 10-01, in the week after

    big = models[BIG]
    assert big.status in ("ok", "not_better") and big.test_weeks == 2
    assert big.test_rows >= 50 and big.train_rows >= 100
    assert 0.5 < big.auc_baseline < 1 and 0.5 < big.auc_model < 1
    assert 0 < big.brier_model < 0.3 and 0 < big.brier_baseline < 0.3
    assert big.use_model == (big.auc_model > big.auc_baseline)
    small = models[SMALL]
    assert small.pooled and small.status == "short" and not small.use_model
    assert small.scored_day == date(2026, 10, 4)  # Shanghai: its last complete day too

    # Scored: the present members active in the 30 days ending the last complete day.
    end = DAYS - 1
    joined = act.join_day <= end
    expected = int((act.active[end - 29 : end + 1].any(axis=0) & joined).sum())
    assert sum(1 for g, _ in risk if g == BIG) == expected
    crafted = risk[(SMALL, CRAFTED)]
    assert crafted.source == "baseline"  # the small group's model was not measured
    assert "predict-reason-quiet" in crafted.reasons  # 3 days since 10-01
    assert all(0.0 <= r.p_active <= 1.0 for r in risk.values())
    if big.use_model:
        assert {r.source for (g, _), r in risk.items() if g == BIG} == {"model"}

    # The valuable members at risk: core and regular only, the least likely first.
    big_ids = sorted(uid for g, uid in risk if g == BIG)
    async with session_factory() as s:
        for i, uid in enumerate(big_ids):
            tier = "core" if i % 3 == 0 else "regular" if i % 3 == 1 else "casual"
            await s.execute(
                sa.insert(MemberSegment.__table__).values(
                    group_id=BIG, user_id=uid, stage="active", stage_since=START, tier=tier
                )
            )
        await s.commit()
        found = await scores.at_risk(s, BIG, 10)
        quality = await scores.quality(s, BIG)
    assert len(found) == 10 and {m.tier for m in found} <= {"core", "regular"}
    assert [m.p_active for m in found] == sorted(m.p_active for m in found)  # type: ignore[type-var]
    lowest = min(r.p_active for (g, u), r in risk.items() if g == BIG and big_ids.index(u) % 3 < 2)
    assert found[0].p_active == lowest and found[0].reasons
    assert quality.status == big.status and quality.auc_model == big.auc_model

    # The same day again: no week snapshotted twice, no training (nothing newly labelled).
    again = await run(session_factory, groups, NOW)
    assert again.snapshots == 0 and not again.trained and again.scored == summary.scored
    # A week later: one new week each, a new training.
    later = await run(session_factory, groups, NOW + timedelta(days=7))
    assert later.weeks == 2 and later.trained
    async with session_factory() as s:
        unlabelled = (
            (
                await s.exec(
                    sa.select(MemberWeekSnapshot.week_end)
                    .where(MemberWeekSnapshot.label.is_(None))
                    .distinct()
                )
            )
            .scalars()
            .all()
        )
        trained = (await s.exec(sa.select(PredictionModel.trained_week).distinct())).all()
    # 10-04 was snapshotted before its week after was over: labelled by the UPDATE now.
    assert unlabelled == [date(2026, 10, 11)]
    assert [w for (w,) in trained] == [date(2026, 10, 4)]


async def test_too_little_history_says_so(session_factory: SessionFactory) -> None:
    act = predict_data.activity(120, 20, START, seed=3)
    async with session_factory() as s:
        await predict_data.write(s, BIG, act)
        await s.commit()
    now = datetime.combine(START + timedelta(days=20), time(12), tzinfo=UTC)
    summary = await run(session_factory, [GroupCalendar(BIG, "UTC")], now)
    assert summary.trained and summary.scored > 0
    async with session_factory() as s:
        quality = await scores.quality(s, BIG)
        sources = set((await s.exec(sa.select(MemberRisk.source))).scalars().all())
    assert quality.status == "short" and not quality.use_model and quality.auc_model is None
    assert sources == {"baseline"}


async def test_a_group_without_history_is_not_due_again_the_same_day(
    session_factory: SessionFactory,
) -> None:
    async with session_factory() as s:
        await s.execute(sa.insert(ChatGroup.__table__).values(id=SMALL, title="Quiet"))
        await s.commit()
    summary = await run(session_factory, [GroupCalendar(SMALL, "UTC")], NOW)
    assert summary.snapshots == 0 and summary.scored == 0
    async with session_factory() as s:
        quality = await scores.quality(s, SMALL)
        assert await scores.at_risk(s, SMALL) == []
    assert quality.status == "none" and quality.scored_day == date(2026, 10, 4)


class RecordingWorker:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.release = asyncio.Event()

    async def run(self, fn: Any, /, *args: Any, timeout: float | None = None) -> RunSummary:
        self.calls.append(args)
        await self.release.wait()
        return RunSummary(groups=len(args[1]))


async def test_the_leaders_sweep_waits_runs_once_and_checks_again_later(
    session_factory: SessionFactory,
) -> None:
    async with session_factory() as s:
        await s.execute(sa.insert(ChatGroup.__table__).values(id=SMALL, title="Small"))
        await s.commit()
    ticks = [0.0]
    worker = RecordingWorker()
    service = PredictionService(
        session_factory,
        group_service(session_factory),
        worker,
        "db://url",
        clock=lambda: NOW,
        monotonic=lambda: ticks[0],
    )
    await service.sweep()
    assert service.task is None  # not at once after a start
    ticks[0] = FIRST_CHECK_AFTER
    await service.sweep()
    await asyncio.sleep(0)
    assert service.task is not None and len(worker.calls) == 1
    url, calendars, now = worker.calls[0]
    assert (url, now) == ("db://url", NOW)
    assert calendars == (GroupCalendar(SMALL, "Asia/Shanghai", 0),)
    ticks[0] += CHECK_EVERY
    await service.sweep()  # the run is still going: no second one
    worker.release.set()
    await service.task
    assert len(worker.calls) == 1 and service.last is not None
    await service.sweep()  # checked a moment ago
    assert len(worker.calls) == 1
