"""The prediction run: snapshots, the weekly training with its held-out evaluation, the scores.

Run by the scheduler's leader in the worker process (`run_in_worker`, bot/worker.py), never in
the bot's event loop; tests call `run` in-process. Three phases, each in short transactions:

1. **Snapshots** (each group): the weeks (local Sundays) not snapshotted yet, up to
   HISTORY_WEEKS back, from one read of the group's member_day rows per chunk of CHUNK members
   (set-based: one SELECT and one INSERT a chunk, whatever the number of weeks); then the
   weeks whose following 7 days are now over get their labels (one UPDATE a week).
2. **Training** (when a newer labelled week exists than the models were trained on): every
   group's labelled snapshots (at most MAX_ROWS, the same members every week when sampled).
   The latest TEST_WEEKS labelled weeks are held out; the model is fitted on the weeks before
   them, on the group's own history when it has OWN_MIN_ROWS rows, else on every group's
   (pooled), and compared with the baseline on the group's held-out rows: AUC and Brier score.
   The model is used if its AUC beats the baseline's; it is then refitted on every week.
3. **Scores** (each group): every present member active in the last 30 days, as of the
   group's last complete local day: the probability of being active in the next 7 days and
   the facts behind it, written to member_risk (the rows of members no longer scored go).
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from core.calendar import local_day
from core.prediction import reasons as why
from core.prediction.features import (
    FEATURES,
    WINDOW,
    DayBits,
    Features,
    features_at,
    in_population,
    label_at,
)
from core.prediction.model import Fitted, baseline_predict, baseline_rates, evaluate, fit
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.queries import prediction as rows

logger = logging.getLogger(__name__)

CHUNK = 2000
HISTORY_WEEKS = 26
TEST_WEEKS = 2
MIN_TRAIN_WEEKS = 3
MIN_TRAIN_ROWS = 100
MIN_TEST_ROWS = 50
OWN_MIN_ROWS = 3000
MAX_ROWS = 400_000

MODEL, BASELINE, RANK = "model", "baseline", "rank"
OK, SHORT, NOT_BETTER = "ok", "short", "not_better"


@dataclass(frozen=True, slots=True)
class GroupCalendar:
    """What the run needs of a group's settings (plain data: it crosses to the worker)."""

    group_id: int
    timezone: str
    day_start_hour: int = 0

    def last_day(self, now: datetime) -> date:
        """The group's last complete local day."""
        return local_day(now, self.timezone, self.day_start_hour) - timedelta(days=1)


def week_end_of(day: date) -> date:
    """The last local Sunday on or before `day`."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


@dataclass
class RunSummary:
    groups: int = 0
    snapshots: int = 0
    weeks: int = 0
    trained: bool = False
    train_rows: int = 0
    train_seconds: float = 0.0
    snapshot_seconds: float = 0.0
    score_seconds: float = 0.0
    scored: int = 0
    peak_mb: float = 0.0
    quality: dict[int, dict[str, Any]] = field(default_factory=dict)


# ---- reading a group's members' days ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Member:
    user_id: int
    since: date  # joined (or first seen)
    left: date | None  # local day they left, None: present


async def _members(session_factory: SessionFactory, g: GroupCalendar) -> list[_Member]:
    async with session_factory() as session:
        found = await rows.members(session, g.group_id)
    out = []
    for r in found:
        since = r.join_day or local_day(r.first_seen_at, g.timezone, g.day_start_hour)
        left = (
            local_day(r.left_at, g.timezone, g.day_start_hour) if r.left_at is not None else None
        )
        out.append(_Member(int(r.user_id), since, left))
    return out


async def _chunks(
    session_factory: SessionFactory, g: GroupCalendar, start: date, end: date
) -> Any:
    """(members, their DayBits) a chunk at a time, for the days start … end."""
    members = await _members(session_factory, g)
    for i in range(0, len(members), CHUNK):
        chunk = members[i : i + CHUNK]
        bits = {m.user_id: DayBits(end) for m in chunk}
        async with session_factory() as session:
            found = await rows.member_days(
                session, g.group_id, chunk[0].user_id, chunk[-1].user_id, start, end
            )
        for r in found:
            b = bits.get(int(r.user_id))
            if b is not None:
                b.add(r.day, bool(r.active), bool(r.checkins))
        yield chunk, bits


def _features(m: _Member, b: DayBits, day: date) -> Features | None:
    """The member's features at `day`, if they were there and active in the 30 days ending it."""
    offset = (b.end - day).days
    if m.since > day or (m.left is not None and m.left <= day):
        return None
    if not in_population(b.active, offset):
        return None
    return features_at(b.active, b.checkins, offset, (day - m.since).days)


# ---- 1. snapshots -----------------------------------------------------------------------------


async def snapshot_group(
    session_factory: SessionFactory, g: GroupCalendar, now: datetime, summary: RunSummary
) -> None:
    end = g.last_day(now)
    latest = week_end_of(end)
    async with session_factory() as session:
        state = (await rows.models(session, [g.group_id])).get(g.group_id)
        first = await rows.first_day(session, g.group_id)
    if first is None:
        return
    done = state.snapshot_week if state is not None else None
    earliest = max(latest - timedelta(weeks=HISTORY_WEEKS - 1), week_end_of(first))
    if done is not None:
        earliest = max(earliest, done + timedelta(weeks=1))
    weeks = []
    week = earliest
    while week <= latest:
        weeks.append(week)
        week += timedelta(weeks=1)
    if weeks:
        async for chunk, bits in _chunks(
            session_factory, g, weeks[0] - timedelta(days=WINDOW - 1), end
        ):
            found = []
            for m in chunk:
                b = bits[m.user_id]
                for week in weeks:
                    f = _features(m, b, week)
                    if f is None:
                        continue
                    found.append(
                        {
                            "group_id": g.group_id,
                            "week_end": week,
                            "user_id": m.user_id,
                            **{n: getattr(f, n) for n in FEATURES},
                            "label": label_at(b.active, (end - week).days),
                        }
                    )
            async with session_factory() as session:
                await rows.add_snapshots(session, found)
                await session.commit()
            summary.snapshots += len(found)
        summary.weeks += len(weeks)
    async with session_factory() as session:
        # Weeks snapshotted before their following 7 days were over: labelled now.
        for week in await rows.unlabelled_weeks(session, g.group_id, end - timedelta(days=7)):
            await rows.label_week(session, g.group_id, week)
        await rows.save_model(session, g.group_id, {"snapshot_week": latest})
        await session.commit()


# ---- 2. training --------------------------------------------------------------------------------


@dataclass
class _Data:
    group: Any
    week: Any
    label: Any
    x: Any


async def _training_data(session_factory: SessionFactory, since: date) -> _Data:
    import numpy as np

    async with session_factory() as session:
        total = await rows.labelled_count(session, since)
    every = max(1, -(-total // MAX_ROWS))
    groups: list[int] = []
    weeks: list[int] = []
    labels: list[int] = []
    x: list[tuple[int, ...]] = []
    async with session_factory() as session:
        async for r in rows.training_rows(session, since, every, FEATURES):
            groups.append(int(r.group_id))
            weeks.append(r.week_end.toordinal())
            labels.append(int(r.label))
            x.append(tuple(r[3:]))
    return _Data(
        np.asarray(groups, dtype=np.int64),
        np.asarray(weeks, dtype=np.int64),
        np.asarray(labels, dtype=np.int8),
        np.asarray(x, dtype=np.int16).reshape(-1, len(FEATURES)),
    )


def _fittable(labels: Any, weeks: Any) -> bool:
    import numpy as np

    return (
        len(labels) >= MIN_TRAIN_ROWS
        and len(np.unique(labels)) == 2
        and len(np.unique(weeks)) >= MIN_TRAIN_WEEKS
    )


def _train(data: _Data, group_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Every group's model row (values for prediction_model), from the labelled snapshots."""
    import numpy as np

    since_col = FEATURES.index("since_active")
    results: dict[int, dict[str, Any]] = {}
    if len(data.label) == 0:
        return {gid: {"status": SHORT, "use_model": False} for gid in group_ids}
    latest = int(data.week.max())
    cutoff = latest - 7 * (TEST_WEEKS - 1) - 3  # weeks within 3 days belong to the same week
    test = data.week >= cutoff
    train = ~test

    pooled_held = (
        fit(data.x[train], data.label[train])
        if _fittable(data.label[train], data.week[train])
        else None
    )
    pooled_rates_held = baseline_rates(data.x[train, since_col], data.label[train])
    pooled_all = fit(data.x, data.label) if _fittable(data.label, data.week) else None
    pooled_rates_all = baseline_rates(data.x[:, since_col], data.label)

    for gid in group_ids:
        own = data.group == gid
        own_train = own & train
        use_own = int(own_train.sum()) >= OWN_MIN_ROWS and _fittable(
            data.label[own_train], data.week[own_train]
        )
        if use_own:
            held = fit(data.x[own_train], data.label[own_train])
            rates_held = baseline_rates(data.x[own_train, since_col], data.label[own_train])
            final = fit(data.x[own], data.label[own])
            rates = baseline_rates(data.x[own, since_col], data.label[own])
            train_rows = int(own_train.sum())
        else:
            held, rates_held, final, rates = (
                pooled_held,
                pooled_rates_held,
                pooled_all,
                pooled_rates_all,
            )
            train_rows = int(train.sum())
        values: dict[str, Any] = {
            "pooled": not use_own,
            "train_rows": train_rows,
            "baseline": json.dumps(rates),
            "coefficients": final.to_json() if final is not None else None,
        }
        own_test = own & test
        y = data.label[own_test]
        if held is None or len(y) < MIN_TEST_ROWS or len(np.unique(y)) < 2:
            values.update(status=SHORT, use_model=False, test_rows=int(len(y)))
            results[gid] = values
            continue
        xt = data.x[own_test]
        q = evaluate(
            y,
            held.predict(xt),
            baseline_predict(rates_held, xt[:, since_col]),
            xt[:, since_col],
        )
        better = q.model_better and final is not None
        values.update(
            status=OK if better else NOT_BETTER,
            use_model=better,
            test_rows=q.rows,
            test_weeks=len(np.unique(data.week[own_test])),
            test_active=q.active_share,
            auc_model=q.auc_model,
            auc_baseline=q.auc_baseline,
            brier_model=q.brier_model,
            brier_baseline=q.brier_baseline,
        )
        results[gid] = values
    return results


async def train(
    session_factory: SessionFactory,
    groups: Sequence[GroupCalendar],
    now: datetime,
    summary: RunSummary,
) -> None:
    started = time.perf_counter()
    latest = max(week_end_of(g.last_day(now)) for g in groups)
    data = await _training_data(session_factory, latest - timedelta(weeks=HISTORY_WEEKS))
    from threadpoolctl import threadpool_limits

    # One thread: BLAS threads fighting over the bot's cores made a fit 20 times slower.
    with threadpool_limits(1):
        results = _train(data, [g.group_id for g in groups])
    trained_week = date.fromordinal(int(data.week.max())) if len(data.week) else None
    seconds = time.perf_counter() - started
    async with session_factory() as session:
        for gid, values in results.items():
            await rows.save_model(
                session,
                gid,
                {
                    **values,
                    "trained_week": trained_week,
                    "trained_at": now,
                    "train_seconds": seconds,
                },
            )
            summary.quality[gid] = values
        await session.commit()
    summary.trained = True
    summary.train_rows = len(data.label)
    summary.train_seconds = seconds


async def training_due(
    session_factory: SessionFactory, groups: Sequence[GroupCalendar], now: datetime
) -> bool:
    """A week was labelled since the models were trained (or a group has no model yet)."""
    async with session_factory() as session:
        found = await rows.models(session, [g.group_id for g in groups])
    for g in groups:
        state = found.get(g.group_id)
        if state is None or state.snapshot_week is None:
            continue  # no data yet
        labelled = week_end_of(g.last_day(now)) - timedelta(weeks=1)
        if state.trained_at is None or state.trained_week is None:
            return True
        if state.trained_week < labelled - timedelta(days=3):
            return True
    return False


# ---- 3. scores ----------------------------------------------------------------------------------


async def score_group(
    session_factory: SessionFactory, g: GroupCalendar, now: datetime, summary: RunSummary
) -> None:
    import numpy as np

    end = g.last_day(now)
    async with session_factory() as session:
        state = (await rows.models(session, [g.group_id])).get(g.group_id)
        if state is None:  # nothing recorded yet: nothing to score, and not due again today
            await rows.save_model(session, g.group_id, {"scored_day": end})
            await session.commit()
            return
    fitted = (
        Fitted.from_json(state.coefficients)
        if state.use_model and state.coefficients is not None
        else None
    )
    rates = json.loads(state.baseline) if state.baseline else None
    source = MODEL if fitted is not None else BASELINE if rates is not None else RANK
    scored_at = now
    async for chunk, bits in _chunks(session_factory, g, end - timedelta(days=WINDOW - 1), end):
        found: list[tuple[int, Features]] = []
        for m in chunk:
            f = _features(m, bits[m.user_id], end)
            if f is not None:
                found.append((m.user_id, f))
        if not found:
            continue
        x = np.asarray([f.row() for _, f in found], dtype=np.float64)
        since = x[:, FEATURES.index("since_active")]
        if fitted is not None:
            p = fitted.predict(x)
        elif rates is not None:
            p = baseline_predict(rates, since)
        else:  # no history yet: an ordering by quiet days, not a probability
            p = 1.0 - np.minimum(since, 30) / 30.0
        out = []
        for (user_id, f), p_active in zip(found, p, strict=True):
            contributions = fitted.contributions(f.row()) if fitted is not None else None
            shown = float(p_active) if source != RANK else None
            out.append(
                {
                    "group_id": g.group_id,
                    "user_id": user_id,
                    "p_active": round(float(p_active), 4),
                    "reasons": why.to_json(why.reasons(f, shown, contributions)),
                    "source": source,
                    "scored_day": end,
                    "scored_at": scored_at,
                }
            )
        async with session_factory() as session:
            await rows.save_scores(session, out)
            await session.commit()
        summary.scored += len(out)
    async with session_factory() as session:
        await rows.drop_stale_scores(session, g.group_id, scored_at)
        await rows.save_model(session, g.group_id, {"scored_day": end})
        await session.commit()


# ---- the whole run ------------------------------------------------------------------------------


async def run(
    session_factory: SessionFactory,
    groups: Sequence[GroupCalendar],
    now: datetime,
    *,
    retrain: bool | None = None,
) -> RunSummary:
    """Snapshots, training if due (or if `retrain`), scores: for these groups as of `now`."""
    summary = RunSummary(groups=len(groups))
    started = time.perf_counter()
    for g in groups:
        await snapshot_group(session_factory, g, now, summary)
    summary.snapshot_seconds = time.perf_counter() - started
    if retrain or (retrain is None and await training_due(session_factory, groups, now)):
        await train(session_factory, groups, now, summary)
    started = time.perf_counter()
    for g in groups:
        await score_group(session_factory, g, now, summary)
    summary.score_seconds = time.perf_counter() - started
    summary.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return summary


def run_in_worker(
    database_url: str, groups: tuple[GroupCalendar, ...], now: datetime
) -> RunSummary:
    """The leader's daily run, in the worker process (its own engine, closed after)."""

    async def main() -> RunSummary:
        engine = create_engine(database_url, pool_size=1)
        try:
            return await run(create_session_factory(engine), groups, now)
        finally:
            await engine.dispose()

    logging.basicConfig(level=logging.INFO)
    return asyncio.run(main())
