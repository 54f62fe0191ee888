"""The daily run: every member's stage and tier as of the group's last complete local day.

Run by the scheduler's leader for each active group once its local day has changed (the run
of day D happens during D+1, so D's activity is complete), exactly once per group and day:
the last step (the day's counts and the group's state) runs under the job key
`segments:<group>:<D>` (core/jobs.py). Set-based, in short transactions, so the other work on
the database (SQLite's single connection above all) is never held up for long:

1. the points each member earned in the 30 days ending D, read one local day at a time;
2. the tier cuts (pure, core/segments/stages.py) from those of the present members;
3. members in chunks of CHUNK (user-id order): one statement computes every member's stage
   and tier by the rules (the stages.py rules as SQL over the run's day boundaries) and
   returns only the members whose row changes; those rows are written in one statement, and
   the moves added to segment_movement in the same transaction;
4. the day's counts per stage and tier, and segment_state.

A move is written only if the row still holds what the run read (storage/queries/segments/
refresh.py), so a crash and a rerun, or two leaders at once, count every movement once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.jobs import run_once
from core.segments.settings import Thresholds, thresholds
from core.segments.stages import (
    CHURNED,
    DORMANT,
    NEW,
    NOT_EARNED,
    TIER_WINDOW_DAYS,
    UNCLASSIFIED,
    MemberFacts,
    TierCuts,
    tier_cuts,
)
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.segments import refresh as rows
from storage.queries.segments import selector as sel

CHUNK = 2000
_MAX = 2**63  # sorts after any earning: bisect to the last earner of a chunk


class AtRiskSource(Protocol):
    """Where "at risk" comes from: a condition on the member rows of a run (SQL, evaluated
    for every member who is neither churned, dormant nor new). Prediction passes one that
    reads the model's probabilities (e.g. an EXISTS on its own table)."""

    def condition(self, q: rows.StageSql) -> Any: ...


class BaselineAtRisk:
    """No sign of life for the group's `active` days (until prediction replaces it)."""

    def condition(self, q: rows.StageSql) -> Any:
        return rows.quiet_since_active(q)


def run_key(group_id: int, day: date) -> str:
    return f"segments:{group_id}:{day.isoformat()}"


def due_day(group: GroupSettings, now: datetime) -> date:
    """The day a run at `now` computes: the group's last complete local day."""
    return local_day(now, group.timezone, group.day_start_hour) - timedelta(days=1)


@dataclass
class RunReport:
    """What a run did (for logs and tests)."""

    group_id: int
    day: date
    members: int = 0  # present members ranked
    read: int = 0  # members whose row changes (read back to be written)
    written: int = 0  # segment rows written
    moves: int = 0  # stage and tier moves counted
    cuts: TierCuts = TierCuts()
    recorded: bool = False  # this run recorded the day (False: it was recorded before)


def facts_of(row: Any, group: GroupSettings) -> MemberFacts:
    """A member's facts from a changed row (core/segments/stages.py says what they mean)."""
    tz, start = group.timezone, group.day_start_hour
    return MemberFacts(
        user_id=row.user_id,
        last_day=local_day(row.last_sign, tz, start),
        joined_day=local_day(row.joined_at, tz, start) if row.joined_at is not None else None,
        left_day=local_day(row.left_at, tz, start) if row.left_at is not None else None,
        stage=row.stage,
        since=row.stage_since,
    )


def bounds_of(group: GroupSettings, as_of: date, cuts: TierCuts) -> rows.Bounds:
    th = thresholds(group)

    def start_of(days_before: int) -> datetime:
        return day_start_instant(
            as_of - timedelta(days=days_before), group.timezone, group.day_start_hour
        )

    return rows.Bounds(
        day=as_of,
        new_from=start_of(th.new - 1),
        active_from=start_of(th.active - 1),
        dormant_before=start_of(th.dormant - 1),
        churned_before=start_of(th.churned - 1),
        returned_after=as_of - timedelta(days=th.returned),
        core_min=cuts.core_min,
        regular_min=cuts.regular_min,
    )


def entered(stage: str, facts: MemberFacts, th: Thresholds, as_of: date) -> date:
    """The day a member entered a stage they move to now, as far as the facts tell: the join
    for new, the leave or the day the quiet days reached the threshold for churned and
    dormant; the run's day otherwise."""
    if stage == NEW and facts.joined_day is not None:
        day = facts.joined_day
    elif stage == CHURNED and facts.left_day is not None:
        day = facts.left_day
    elif stage == CHURNED:
        day = facts.last_day + timedelta(days=th.churned)
    elif stage == DORMANT:
        day = facts.last_day + timedelta(days=th.dormant)
    else:
        day = as_of
    return min(day, as_of)


async def run_steps(
    session_factory: SessionFactory,
    group: GroupSettings,
    as_of: date,
    *,
    at_risk: AtRiskSource,
    clock_now: datetime,
    report: RunReport,
    chunk_size: int = CHUNK,
) -> AsyncIterator[None]:
    """The run of `as_of` for one group, one short transaction per step (yields after each,
    so the caller may pause between steps)."""
    group_id = group.group_id
    th = thresholds(group)
    tz, start = group.timezone, group.day_start_hour
    earned: dict[int, int] = {}
    for offset in range(TIER_WINDOW_DAYS - 1, -1, -1):
        day = as_of - timedelta(days=offset)
        async with session_factory() as session:
            found = await rows.earned_between(
                session,
                group_id,
                day_start_instant(day, tz, start),
                day_start_instant(day + timedelta(days=1), tz, start),
                NOT_EARNED,
            )
        for user_id, points in found:
            earned[user_id] = earned.get(user_id, 0) + points
        yield
    async with session_factory() as session:
        for user_id in await rows.left_ids(session, group_id):
            earned.pop(user_id, None)
        report.members = await rows.present_count(session, group_id)
    cuts = tier_cuts(earned.values(), report.members, th.core_percent, th.regular_percent)
    report.cuts = cuts
    yield
    bounds = bounds_of(group, as_of, cuts)
    earners = sorted(earned.items())
    after: int | None = None
    while True:
        async with session_factory() as session:
            upto = await rows.chunk_end(session, group_id, after, chunk_size)
            low = 0 if after is None else bisect_right(earners, (after, _MAX))
            high = len(earners) if upto is None else bisect_right(earners, (upto, _MAX))
            found_rows = await rows.changed(
                session, group_id, after, upto, bounds, earners[low:high], at_risk.condition
            )
            new, changed, moves = _plan_chunk(found_rows, group, th, as_of)
            written = await rows.write(session, new, changed)
            counted = _moves_of(moves, written)
            await rows.add_movements(session, group_id, as_of, counted)
            await session.commit()
        report.read += len(found_rows)
        report.written += len(written)
        report.moves += sum(counted.values())
        yield
        if upto is None:
            break
        after = upto

    async def record(uow: UnitOfWork) -> None:
        scope = sel.Scope(
            group_id, day_start_instant(as_of - timedelta(days=th.new - 1), tz, start)
        )
        stage_counts, tier_counts, left = await sel.counts_by(uow.session, scope)
        counts = {("stage", k): n for k, n in stage_counts.items()}
        counts.update({("tier", k): n for k, n in tier_counts.items()})
        counts[("left", "left")] = left
        await rows.save_day(
            uow.session,
            group_id,
            as_of,
            counts,
            at=clock_now,
            members=report.members,
            core_min=cuts.core_min,
            regular_min=cuts.regular_min,
        )

    report.recorded, _ = await run_once(session_factory, run_key(group_id, as_of), record)


Move = tuple[int, str, str, str]  # (user, kind, from, to)


def _plan_chunk(
    found: Sequence[Any], group: GroupSettings, th: Thresholds, as_of: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Move]]:
    """The rows to insert and update for members whose row changes, and the moves they make
    (no I/O): a new stage starts when the facts say it did (entered)."""
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    moves: list[Move] = []
    for row in found:
        stage, tier = row.new_stage, row.new_tier
        if stage != row.stage:
            since = entered(stage, facts_of(row, group), th, as_of)
            previous = row.stage
        else:
            since, previous = row.stage_since, row.previous_stage
        values = {
            "g": group.group_id,
            "u": row.user_id,
            "stage": stage,
            "since": since,
            "prev": previous,
            "tier": tier,
            "earned": row.new_earned,
            "old_stage": row.stage,
            "old_tier": row.tier,
        }
        if row.stage is None:
            new.append(values)
            moves.append((row.user_id, "stage", UNCLASSIFIED, stage))
            moves.append((row.user_id, "tier", UNCLASSIFIED, tier))
            continue
        changed.append(values)
        if stage != row.stage:
            moves.append((row.user_id, "stage", row.stage, stage))
        if tier != row.tier:
            moves.append((row.user_id, "tier", row.tier, tier))
    return new, changed, moves


def _moves_of(moves: list[Move], written: set[int]) -> dict[tuple[str, str, str], int]:
    """The moves of the rows actually written, counted by (kind, from, to)."""
    return dict(Counter((kind, old, new) for user, kind, old, new in moves if user in written))
