"""Segments as use cases: the daily run (and the leader's sweep that starts it), /segments'
overview, and selecting members by a selector (count and pages) for reports, exports,
campaigns and the dashboard."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.segments.refresh import (
    AtRiskSource,
    BaselineAtRisk,
    RunReport,
    due_day,
    run_steps,
)
from core.segments.selector import Node, TermRegistry, parse, terms
from core.segments.settings import thresholds
from core.segments.stages import UNCLASSIFIED
from core.segments.terms import condition
from storage.db import SessionFactory
from storage.queries.segments import refresh as rows
from storage.queries.segments import selector as sel
from storage.queries.segments import tags as tag_rows

logger = logging.getLogger(__name__)

# How often the leader looks for groups whose day changed (a run in progress continues every
# round), and how long one round may work on runs before giving the round back.
CHECK_EVERY = 60.0
ROUND_BUDGET = 1.0
RETRY_AFTER = 600.0
PAGE = 20
MOVES_SHOWN = 8


@dataclass(frozen=True, slots=True)
class Overview:
    """Counts now (each present member once per stage and per tier; members who left are in
    churned and counted in `left`), and what changed in the week up to the last run."""

    computed_day: date | None  # the last run's day (None: no run yet)
    stages: dict[str, int]
    tiers: dict[str, int]
    left: int
    week_ago: dict[tuple[str, str], int]  # counts after the run a week before computed_day
    week_ago_day: date | None
    moves: list[tuple[str, str, str, int]]  # (kind, from, to, members) in the last 7 runs
    core_min: int = 0
    regular_min: int = 0

    @property
    def present(self) -> int:
        return sum(self.tiers.values())

    def change(self, kind: str, name: str) -> int | None:
        """Members now minus a week ago (None: no count a week ago)."""
        if not self.week_ago:
            return None
        now = (self.stages if kind == "stage" else self.tiers).get(name, 0)
        return now - self.week_ago.get((kind, name), 0)


@dataclass(frozen=True, slots=True)
class Selection:
    node: Node
    text: str  # the selector's canonical text
    count: int
    rows: list[Any]  # the page (storage/queries/segments/selector.py page)
    next_after: int | None  # the last id of the page when more follow
    unknown_tags: list[str] = field(default_factory=list)  # tags no member has


class SegmentService:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        terms: TermRegistry,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        at_risk: AtRiskSource | None = None,
        check_every: float = CHECK_EVERY,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self.terms = terms
        self._clock = clock
        # Replaceable: prediction marks members at risk from the model (core/segments/refresh.py).
        self.at_risk: AtRiskSource = at_risk or BaselineAtRisk()
        self._check_every = check_every
        self._monotonic = monotonic
        self._next_check = 0.0
        self._run: tuple[AsyncIterator[None], RunReport] | None = None
        self._queue: list[tuple[GroupSettings, date]] = []
        self._failed: dict[int, float] = {}  # group -> monotonic time to try again

    # ---- the daily run ------------------------------------------------------------------

    async def refresh(self, group: GroupSettings, as_of: date | None = None) -> RunReport:
        """Run the day `as_of` (default: the group's last complete day) for one group, whole."""
        day = as_of if as_of is not None else due_day(group, self._clock())
        report = RunReport(group.group_id, day)
        async for _ in self._steps(group, day, report):
            pass
        return report

    def _steps(self, group: GroupSettings, day: date, report: RunReport) -> AsyncIterator[None]:
        return run_steps(
            self._session_factory,
            group,
            day,
            at_risk=self.at_risk,
            clock_now=self._clock(),
            report=report,
        )

    async def due(self) -> list[tuple[GroupSettings, date]]:
        """Active groups whose last complete day has not been computed yet."""
        now = self._clock()
        async with self._session_factory() as session:
            ids = await rows.active_group_ids(session)
            settings = await self._groups.settings_in(session, ids)
            done = await rows.states(session)
        found = []
        for group_id in ids:
            group = settings.get(group_id)
            if group is None:
                continue
            day = due_day(group, now)
            state = done.get(group_id)
            if state is None or state.computed_day < day:
                found.append((group, day))
        return found

    async def sweep(self, budget: float = ROUND_BUDGET) -> None:
        """The leader's round: go on with the run in progress, then the next due group's,
        until `budget` seconds are used (the next round continues where this one stopped).

        Due groups are looked up at most every `check_every` seconds and queued; a group whose
        run fails is logged and left alone for RETRY_AFTER seconds, so it holds up no other."""
        deadline = self._monotonic() + budget
        while self._monotonic() < deadline:
            if self._run is None:
                if not self._queue:
                    if self._monotonic() < self._next_check:
                        return
                    self._next_check = self._monotonic() + self._check_every
                    now = self._monotonic()
                    self._queue = [
                        (group, day)
                        for group, day in await self.due()
                        if self._failed.get(group.group_id, 0.0) <= now
                    ]
                    if not self._queue:
                        return
                group, day = self._queue.pop(0)
                report = RunReport(group.group_id, day)
                self._run = (self._steps(group, day, report), report)
            steps, report = self._run
            try:
                await anext(steps)
            except StopAsyncIteration:
                self._run = None
                self._failed.pop(report.group_id, None)
                logger.info(
                    "segments of group %s for %s: %d rows changed, %d moves",
                    report.group_id,
                    report.day,
                    report.written,
                    report.moves,
                )
            except asyncio.CancelledError:
                self._run = None
                await steps.aclose()
                raise
            except Exception:  # noqa: BLE001  (the next group's run goes on)
                self._run = None
                self._failed[report.group_id] = self._monotonic() + RETRY_AFTER
                logger.exception(
                    "segments of group %s for %s failed; trying again later",
                    report.group_id,
                    report.day,
                )

    def wake(self) -> None:
        """Look for due groups at the next round (a group was just added)."""
        self._next_check = 0.0

    async def close(self) -> None:
        if self._run is not None:
            await self._run[0].aclose()
            self._run = None

    # ---- reading ------------------------------------------------------------------------

    def scope(self, group: GroupSettings, now: datetime) -> sel.Scope:
        today = local_day(now, group.timezone, group.day_start_hour)
        first_new_day = today - timedelta(days=thresholds(group).new - 1)
        return sel.Scope(
            group.group_id,
            day_start_instant(first_new_day, group.timezone, group.day_start_hour),
        )

    async def overview(
        self, session: AsyncSession, group: GroupSettings, now: datetime
    ) -> Overview:
        stages, tiers, left = await sel.counts_by(session, self.scope(group, now))
        state = (await rows.states(session, [group.group_id])).get(group.group_id)
        if state is None:
            return Overview(None, stages, tiers, left, {}, None, [])
        day = state.computed_day
        moves = [
            m
            for m in await rows.movements(session, group.group_id, day - timedelta(days=6), day)
            if m[1] != UNCLASSIFIED
        ]
        week_ago_day = await rows.last_counted_day(
            session, group.group_id, day - timedelta(days=7)
        )
        week_ago = (
            await rows.day_counts(session, group.group_id, week_ago_day) if week_ago_day else {}
        )
        return Overview(
            day,
            stages,
            tiers,
            left,
            week_ago,
            week_ago_day,
            moves[:MOVES_SHOWN],
            state.core_min,
            state.regular_min,
        )

    def parse(self, text: str) -> Node:
        return parse(text, self.terms)

    async def count(
        self, session: AsyncSession, group: GroupSettings, node: Node, now: datetime
    ) -> int:
        scope = self.scope(group, now)
        return await sel.count(session, scope, condition(node, self.terms, scope))

    async def member_ids(
        self,
        session: AsyncSession,
        group: GroupSettings,
        node: Node,
        now: datetime,
        *,
        after: int | None = None,
        limit: int = 1000,
    ) -> list[int]:
        """The selected members' ids in order, `limit` at a time after `after` (for sends and
        exports that walk a whole segment)."""
        scope = self.scope(group, now)
        return await sel.ids(session, scope, condition(node, self.terms, scope), after, limit)

    async def select(
        self,
        session: AsyncSession,
        group: GroupSettings,
        node: Node,
        now: datetime,
        *,
        after: int | None = None,
        limit: int = PAGE,
    ) -> Selection:
        scope = self.scope(group, now)
        where = condition(node, self.terms, scope)
        found = list(await sel.page(session, scope, where, after, limit + 1))
        more = len(found) > limit
        found = found[:limit]
        return Selection(
            node,
            str(node),
            await sel.count(session, scope, where),
            found,
            found[-1].user_id if more and found else None,
            await self.unknown_tags(session, group, node),
        )

    async def unknown_tags(
        self, session: AsyncSession, group: GroupSettings, node: Node
    ) -> list[str]:
        """Tags in the selector that no member of the group has (probably a typo)."""
        asked = sorted({t.value for t in terms(node) if t.kind == "tag"})
        known = await tag_rows.existing(session, group.group_id, asked)
        return [tag for tag in asked if tag not in known]

    async def export_rows(
        self,
        session: AsyncSession,
        group: GroupSettings,
        node: Node,
        now: datetime,
        chunk: int = 1000,
    ) -> AsyncIterator[Any]:
        """Every selected member's page row, read `chunk` at a time."""
        scope = self.scope(group, now)
        where = condition(node, self.terms, scope)
        after: int | None = None
        while True:
            found = list(await sel.page(session, scope, where, after, chunk))
            for row in found:
                yield row
            if len(found) < chunk:
                return
            after = found[-1].user_id
