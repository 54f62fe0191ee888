"""The leader's prediction run: at most one at a time, in the worker process, once a day.

Each round of the leader's scheduler asks `sweep`, which looks for active groups whose scores
are older than their last complete local day — first FIRST_CHECK_AFTER seconds after the
start, then at most every CHECK_EVERY seconds — and then starts one run for every active group
(the training pools them) as a background task: the round goes on at once, the event loop only
waits for the worker's answer. The run itself (core/prediction/run.py) retrains when a new
week has been labelled.

The worker is prediction's own (bot/worker.py's Worker, another instance): a run of a minute
or two must not hold up the charts an administrator is waiting for in the shared one. It
stops a minute after the run, giving its memory back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from core.community.groups import GroupService
from core.prediction.run import GroupCalendar, RunSummary, run_in_worker
from storage.db import SessionFactory
from storage.queries import prediction as rows
from storage.queries.segments import refresh as segment_rows

logger = logging.getLogger(__name__)

CHECK_EVERY = 600.0
# The first look after a start: a start (or a failover) is not the moment for heavy work, and
# a day's scores a few minutes late change nothing.
FIRST_CHECK_AFTER = 300.0
RUN_TIMEOUT = 1800.0
RETRY_AFTER = 3600.0


class WorkerLike(Protocol):
    async def run(
        self, fn: Callable[..., Any], /, *args: Any, timeout: float | None = None
    ) -> Any: ...


class PredictionService:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        worker: WorkerLike,
        database_url: str,
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
        first_check_after: float = FIRST_CHECK_AFTER,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self.worker = worker
        self._database_url = database_url
        self._clock = clock
        self._monotonic = monotonic
        self._next_check = monotonic() + first_check_after
        self.task: asyncio.Task[RunSummary | None] | None = None
        self.last: RunSummary | None = None

    async def calendars(self) -> tuple[list[GroupCalendar], bool]:
        """Every active group's calendar, and whether any group's scores are out of date."""
        now = self._clock()
        async with self._session_factory() as session:
            ids = await segment_rows.active_group_ids(session)
            settings = await self._groups.settings_in(session, ids)
            states = await rows.models(session, ids)
        found = [GroupCalendar(gid, s.timezone, s.day_start_hour) for gid, s in settings.items()]
        due = any(
            (state := states.get(c.group_id)) is None
            or state.scored_day is None
            or state.scored_day < c.last_day(now)
            for c in found
        )
        return found, due

    async def sweep(self) -> None:
        if self.task is not None and not self.task.done():
            return
        if self._monotonic() < self._next_check:
            return
        self._next_check = self._monotonic() + CHECK_EVERY
        found, due = await self.calendars()
        if found and due:
            self.task = asyncio.create_task(self.run_now(found))

    async def run_now(self, found: list[GroupCalendar] | None = None) -> RunSummary | None:
        if found is None:
            found, _ = await self.calendars()
        if not found:
            return None
        try:
            summary: RunSummary = await self.worker.run(
                run_in_worker, self._database_url, tuple(found), self._clock(), timeout=RUN_TIMEOUT
            )
        except Exception:  # noqa: BLE001  (logged; tried again later)
            logger.exception("prediction run failed; trying again later")
            self._next_check = self._monotonic() + RETRY_AFTER
            return None
        self.last = summary
        logger.info(
            "prediction: %d groups, %d snapshots, trained=%s (%.1f s), %d members scored",
            summary.groups,
            summary.snapshots,
            summary.trained,
            summary.train_seconds,
            summary.scored,
        )
        return summary

    async def close(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        close = getattr(self.worker, "close", None)
        if close is not None:
            await close()
