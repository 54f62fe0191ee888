"""Sending a campaign, at most once per member, a batch at a time.

One step:

1. in one transaction: the campaign row is checked (sending, due, outside quiet hours); the
   next pending recipients are taken (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
   senders share a campaign without taking the same rows); those opted out, over the
   frequency cap or unreachable are marked `skipped`; the rest are marked `sending` with this
   sender's id — committed *before* any request;
2. the messages go out (the runtime's `Deliver`: the outbox, bulk priority);
3. one transaction records each result (sent, blocked, failed), only on rows still
   `sending` under this sender's id.

Telegram's sendMessage has no idempotency key: a process killed between 1 and 3 cannot know
whether a member got the message. Rows it left `sending` are marked `unknown` and are never
sent again: by a sender that started after they were claimed (a restarted process, a new
leader), on its first step of the campaign; by any other sender once they are older than
`STALE_SENDING` (a live sender records a batch within seconds) and nothing else is pending.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.campaigns.settings import CAP_DAYS, cap, quiet_hours
from core.community.groups import GroupService
from storage.db import SessionFactory
from storage.queries.campaigns import campaigns as q

BATCH = 30  # about one second of Telegram's global rate
STALE_SENDING = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Delivery:
    user_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Outcome:
    user_id: int
    status: str  # sent | blocked | failed
    message_id: int | None = None


# (campaign row, the batch) -> one outcome per delivery
Deliver = Callable[[Any, Sequence[Delivery]], Awaitable[Sequence[Outcome]]]


@dataclass(frozen=True, slots=True)
class Step:
    """What a step found: `state` is sending | waiting (quiet hours, until `until`) | later
    (not due yet) | drained (nothing left to claim, others' sends in flight) | done |
    stopped (paused, cancelled, or not this sender's to send)."""

    state: str
    campaign: Any
    sent: int = 0
    until: datetime | None = None


class CampaignSender:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        deliver: Deliver,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sender_id: str | None = None,
        batch: int = BATCH,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self._deliver = deliver
        self._clock = clock
        self.sender_id = sender_id or uuid.uuid4().hex
        self._batch = batch
        self._recovered: set[int] = set()
        self.started_at = clock()
        self._claiming = asyncio.Lock()  # one claim at a time in this process (SQLite)

    async def step(self, campaign_id: int) -> Step:
        async with self._claiming:
            claimed = await self._claim(campaign_id)
        if claimed.state != "sending" or not claimed.batch:
            return claimed.step
        outcomes = await self._deliver(claimed.step.campaign, claimed.batch)
        await self._record(campaign_id, outcomes)
        return Step("sending", claimed.step.campaign, sum(o.status == "sent" for o in outcomes))

    async def _claim(self, campaign_id: int) -> _Claimed:
        now = self._clock()
        async with self._session_factory() as session:
            campaign = await q.get(session, campaign_id, lock=True)
            if campaign is None or campaign.status not in ("scheduled", "sending"):
                return _Claimed(Step("stopped", campaign))
            if campaign.start_at is not None and campaign.start_at > now:
                return _Claimed(Step("later", campaign, until=campaign.start_at))
            group = (await self._groups.settings_in(session, [campaign.group_id])).get(
                campaign.group_id
            )
            if group is None or not group.is_active:
                await q.move(session, campaign_id, ("scheduled", "sending"), "cancelled",
                             finished_at=now, updated_at=now)  # fmt: skip
                await session.commit()
                return _Claimed(Step("stopped", campaign))
            if campaign_id not in self._recovered:
                await q.mark_unknown(session, campaign_id, self.sender_id, self.started_at)
                self._recovered.add(campaign_id)
            quiet = quiet_hours(group)
            until = quiet.next_allowed(now, group.timezone) if quiet is not None else None
            if campaign.status == "scheduled":
                await q.move(session, campaign_id, ("scheduled",), "sending", updated_at=now)
            if until is not None:
                await session.commit()
                return _Claimed(Step("waiting", campaign, until=until))
            ids = await q.take_pending(session, campaign_id, self._batch)
            if not ids:
                await q.mark_unknown(session, campaign_id, self.sender_id, now - STALE_SENDING)
                counts = await q.status_counts(session, campaign_id)
                if counts.get("sending", 0) == 0:
                    await q.move(session, campaign_id, ("sending",), "done",
                                 finished_at=now, updated_at=now)  # fmt: skip
                    await session.commit()
                    return _Claimed(Step("done", await q.get(session, campaign_id)))
                await session.commit()
                # Nothing left to claim; sends still in flight (another lane's, another
                # sender's): whoever records the last one finishes the campaign.
                return _Claimed(Step("drained", campaign))
            left = await q.gone(session, campaign.group_id, ids)
            opted = await q.opted_out(session, ids)
            names = await q.reachable(session, ids)
            recent = await q.recent_counts(
                session, campaign.group_id, ids, now - timedelta(days=CAP_DAYS)
            )
            limit = cap(group)
            skipped: dict[str, list[int]] = {
                "left": [], "opted_out": [], "unreachable": [], "capped": []
            }  # fmt: skip
            batch: list[Delivery] = []
            for user_id in ids:
                if user_id in left:  # left the group since the audience was frozen
                    skipped["left"].append(user_id)
                elif user_id in opted:
                    skipped["opted_out"].append(user_id)
                elif user_id not in names:
                    skipped["unreachable"].append(user_id)
                elif recent.get(user_id, 0) >= limit:
                    skipped["capped"].append(user_id)
                else:
                    batch.append(Delivery(user_id, names[user_id]))
            for reason, users in skipped.items():
                await q.set_status(
                    session, campaign_id, users, "skipped", only_if="pending", skip_reason=reason
                )
            await q.set_status(
                session,
                campaign_id,
                [d.user_id for d in batch],
                "sending",
                only_if="pending",
                claimed_by=self.sender_id,
                sending_at=now,
            )
            await session.commit()
        return _Claimed(Step("sending", campaign), batch)

    async def _record(self, campaign_id: int, outcomes: Sequence[Outcome]) -> None:
        now = self._clock()
        async with self._session_factory() as session:
            for outcome in outcomes:
                values: dict[str, Any] = {}
                if outcome.status == "sent":
                    values = {"sent_at": now, "message_id": outcome.message_id}
                await q.set_status(
                    session,
                    campaign_id,
                    [outcome.user_id],
                    outcome.status,
                    only_if="sending",
                    owner=self.sender_id,
                    **values,
                )
            await session.commit()


@dataclass(slots=True)
class _Claimed:
    step: Step
    batch: list[Delivery] | None = None

    @property
    def state(self) -> str:
        return self.step.state
