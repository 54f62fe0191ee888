"""Driving campaigns on the leader: each due campaign sends batch after batch through the
outbox (bulk: behind every answer and acknowledgement; with REDIS_URL the shared limiter counts
it with every process's sends), with its progress in one edited message.

Two batches are in flight at a time, so the outbox always has the next one queued while the
first is recorded; the claims themselves take turns (core/campaigns/sending.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import CopyMessage, EditMessageText, SendMessage
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import Locales
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip
from core.campaigns import rules
from core.campaigns.sending import CampaignSender, Delivery, Outcome, Step
from core.community.groups import GroupService
from handlers.campaigns import render
from storage.db import SessionFactory
from storage.queries.campaigns import campaigns as q

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 3.0  # seconds between edits of the progress message
IN_FLIGHT = 2  # batches


class CampaignRunner:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        outbox: Outbox,
        locales: Locales,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        is_leader: Callable[[], bool] = lambda: True,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self._outbox = outbox
        self._locales = locales
        self._clock = clock
        self._is_leader = is_leader
        self._loop_time = monotonic
        self.sender = CampaignSender(session_factory, groups, self.deliver, clock=clock)
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._edited: dict[int, tuple[float, str]] = {}
        self._sweeps: set[asyncio.Task[None]] = set()
        self._stopping = False
        self._forced = False  # run_until_idle: this process sends, leader or not
        self._source_gone: set[int] = set()  # campaigns whose message to copy was deleted

    # ---- reading (for the handlers) ---------------------------------------------------
    async def campaign(self, session: AsyncSession, campaign_id: int) -> Any:
        return await q.get(session, campaign_id)

    async def counts(self, session: AsyncSession, campaign_id: int) -> dict[str, int]:
        return await q.status_counts(session, campaign_id)

    # ---- the leader's rounds ----------------------------------------------------------
    def wake(self) -> None:
        """A campaign was confirmed or resumed here: start it without waiting for a round
        (the leader; another process's campaigns start at the leader's next round)."""
        if not (self._forced or self._is_leader()):
            return
        task = asyncio.get_running_loop().create_task(self.sweep())
        self._sweeps.add(task)
        task.add_done_callback(self._sweeps.discard)

    async def sweep(self) -> None:
        """Each due campaign gets a task (one per campaign in this process)."""
        if self._stopping:
            return
        async with self._session_factory() as session:
            due = await q.due(session, self._clock())
        for campaign in due:
            task = self._tasks.get(campaign.id)
            if task is None or task.done():
                self._tasks[campaign.id] = asyncio.create_task(self.drive(campaign.id))

    async def run_until_idle(self) -> None:
        """Every due campaign driven until it is done or must wait, in this process whether
        it leads or not (tests and the bench: one process, no scheduler running)."""
        self._forced = True
        await self.sweep()
        while any(not t.done() for t in self._tasks.values()):
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    async def stop(self, grace: float = 5.0) -> None:
        """No new batch is claimed; batches in flight get `grace` seconds to be recorded
        (what is cut off stays `sending` and becomes `unknown`: never sent twice)."""
        self._stopping = True
        tasks = [*self._tasks.values(), *self._sweeps]
        if tasks:
            await asyncio.wait(tasks, timeout=grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def drive(self, campaign_id: int) -> None:
        results = await asyncio.gather(
            *(self._lane(campaign_id) for _ in range(IN_FLIGHT)), return_exceptions=True
        )
        steps = [s for s in results if isinstance(s, Step)]
        for found in results:
            if isinstance(found, BaseException):
                logger.error("campaign %s: sending failed", campaign_id, exc_info=found)
        waiting = next((s for s in steps if s.state == "waiting"), None)
        await self._progress(campaign_id, waiting, force=True)

    async def _lane(self, campaign_id: int) -> Step | None:
        step: Step | None = None
        while (self._forced or self._is_leader()) and not self._stopping:
            step = await self.sender.step(campaign_id)
            if campaign_id in self._source_gone:  # nothing left to copy: stop, say why
                await self._stop_without_source(campaign_id)
                return step
            if step.state in ("waiting", "later", "drained", "done", "stopped"):
                return step
            await self._progress(campaign_id, step)
        return step

    # ---- sending ------------------------------------------------------------------------
    async def deliver(self, campaign: Any, batch: Sequence[Delivery]) -> list[Outcome]:
        group = await self._group_settings(campaign.group_id)
        t = self._locales.get(group.language if group else "en")
        markup = render.member_keyboard(t, campaign)
        footer = "\n\n" + t("campaign-footer")
        futures = []
        for d in batch:
            method: Any
            if campaign.source_message_id is not None:
                method = CopyMessage(
                    chat_id=d.user_id,
                    from_chat_id=campaign.source_chat_id,
                    message_id=campaign.source_message_id,
                    reply_markup=markup,
                )
            else:
                text = clip(rules.personal_text(campaign.text, d.name) + footer)
                method = SendMessage(chat_id=d.user_id, text=text, reply_markup=markup)
            futures.append(
                self._outbox.send(d.user_id, method, kind=Kind.BULK, priority=Priority.LOW)
            )
        results = await asyncio.gather(*futures, return_exceptions=True)
        outcomes = []
        for d, result in zip(batch, results, strict=True):
            if isinstance(result, TelegramForbiddenError):
                outcomes.append(Outcome(d.user_id, "blocked"))
            elif isinstance(result, BaseException):
                if isinstance(result, TelegramBadRequest) and "to copy not found" in str(result):
                    self._source_gone.add(campaign.id)
                if not isinstance(result, TelegramBadRequest):
                    logger.warning("campaign %s to %s: %s", campaign.id, d.user_id, result)
                outcomes.append(Outcome(d.user_id, "failed"))
            else:
                outcomes.append(Outcome(d.user_id, "sent", getattr(result, "message_id", None)))
        return outcomes

    async def _group_settings(self, group_id: int) -> Any:
        async with self._session_factory() as session:
            return (await self._groups.settings_in(session, [group_id])).get(group_id)

    async def _stop_without_source(self, campaign_id: int) -> None:
        now = self._clock()
        async with self._session_factory() as session:
            await q.move(
                session,
                campaign_id,
                ("scheduled", "sending", "paused"),
                "cancelled",
                finished_at=now,
                updated_at=now,
            )
            await session.commit()

    # ---- progress -----------------------------------------------------------------------
    async def _progress(
        self, campaign_id: int, step: Step | None = None, force: bool = False
    ) -> None:
        now = asyncio.get_running_loop().time() if self._loop_time is None else self._loop_time()
        last = self._edited.get(campaign_id)
        if not force and last is not None and now - last[0] < PROGRESS_EVERY:
            return
        async with self._session_factory() as session:
            campaign = await q.get(session, campaign_id)
            if campaign is None or campaign.progress_message_id is None:
                return
            counts = await q.status_counts(session, campaign_id)
            group = (await self._groups.settings_in(session, [campaign.group_id])).get(
                campaign.group_id
            )
        if group is None:
            return
        t = self._locales.get(group.language)
        until = None
        if step is not None and step.state == "waiting" and step.until is not None:
            until = render.local(step.until, group.timezone)
        text = render.progress_text(t, campaign, counts, until)
        if campaign_id in self._source_gone:
            text += "\n" + t("campaign-progress-source-gone")
        if last is not None and last[1] == text:
            return
        self._edited[campaign_id] = (now, text)
        if campaign.status in ("done", "cancelled"):
            self._edited.pop(campaign_id, None)
        self._outbox.send(
            campaign.progress_chat_id,
            EditMessageText(
                chat_id=campaign.progress_chat_id,
                message_id=campaign.progress_message_id,
                text=clip(text),
                reply_markup=render.control_keyboard(t, campaign),
            ),
            kind=Kind.ACK,
            priority=Priority.LOW,
            counts_as_message=False,
        )
