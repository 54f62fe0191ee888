"""`python -m bench --predict [--members M] [--weeks W] [--db …]`: prediction on a generated group
(bench/predict_data.py: tenure, streaks, weekday habits, fading interest drive activity).

The group's days are written to a fresh database, then the leader's run goes through the real
worker process (bot/worker.py, spawn): snapshots of every week, the training with its held-out
evaluation, the scores. Printed: the model's AUC and Brier score against the baseline's (days
since last activity) on the latest 2 weeks held out, and the time and peak memory of the
worker's phases.
"""

from __future__ import annotations

import resource
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bench import predict_data
from bot.worker import Worker
from core.prediction.run import GroupCalendar, RunSummary, run_in_worker
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.tables import PredictionModel

GROUP = -100_900


async def measure(url: str, members: int, weeks: int, seed: int = 25) -> dict[str, object]:
    days = weeks * 7
    end = date(2026, 11, 29)  # a Sunday
    start = end - timedelta(days=days - 1)
    engine = create_engine(url)
    await upgrade(engine)
    sessions = create_session_factory(engine)
    started = time.perf_counter()
    act = predict_data.activity(members, days, start, seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    async with sessions() as s:
        written = await predict_data.write(s, GROUP, act)
        await s.commit()
    writing = time.perf_counter() - started
    del act
    worker = Worker()
    now = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    started = time.perf_counter()
    try:
        summary: RunSummary = await worker.run(
            run_in_worker,
            url,
            (GroupCalendar(GROUP, "UTC"),),
            now + timedelta(hours=12),
            timeout=3600,
        )
    finally:
        await worker.close()
    wall = time.perf_counter() - started
    async with sessions() as s:
        model = (
            (await s.exec(sa.select(PredictionModel).where(PredictionModel.group_id == GROUP)))
            .scalars()
            .one()
        )
    await engine.dispose()
    return {
        "members": members,
        "weeks": weeks,
        "member_days": written,
        "generate_s": generated,
        "write_s": writing,
        "run_s": wall,
        "summary": summary,
        "model": model,
        "bench_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def report(label: str, r: dict[str, object]) -> None:
    s: RunSummary = r["summary"]  # type: ignore[assignment]
    m = r["model"]
    print(
        f"\n{label}: {r['members']:,} members over {r['weeks']} weeks "
        f"({r['member_days']:,} active member-days; generated {r['generate_s']:.1f} s, "
        f"written {r['write_s']:.1f} s)"
    )
    print(
        f"  held out: {m.test_weeks} weeks, {m.test_rows:,} member-weeks "  # type: ignore[attr-defined]
        f"({100 * (m.test_active or 0):.1f}% active the week after)"  # type: ignore[attr-defined]
    )
    print(
        f"  AUC    model {m.auc_model:.3f}   baseline (days since last activity) "  # type: ignore[attr-defined]
        f"{m.auc_baseline:.3f}"  # type: ignore[attr-defined]
    )
    print(
        f"  Brier  model {m.brier_model:.4f}  baseline {m.brier_baseline:.4f}   "  # type: ignore[attr-defined]
        f"-> {'model' if m.use_model else 'baseline'} ranks"  # type: ignore[attr-defined]
    )
    print(
        f"  worker: snapshots {s.snapshots:,} in {s.snapshot_seconds:.1f} s; training on "
        f"{s.train_rows:,} rows {s.train_seconds:.1f} s; {s.scored:,} scored in "
        f"{s.score_seconds:.1f} s; peak RSS {s.peak_mb:.0f} MB; whole call {r['run_s']:.1f} s"
    )
