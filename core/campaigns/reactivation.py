"""Reactivation (自动唤醒): once the daily segments run has computed a group's day, members who
entered "dormant" that day get one friendly private message (a campaign of kind
`reactivation`, numbered like the others, with the same holdout, quiet hours, cap, opt-out,
delivery and report). At most once per member in 30 days. An optional bonus pays members who
check in within 3 days of the message, once (the ledger's key)."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from core.campaigns import rules
from core.campaigns.service import _recipient_rows, credit
from core.campaigns.settings import (
    BONUS_DAYS,
    REACTIVATION_EVERY_DAYS,
    holdout_percent,
    reactivation_bonus,
    reactivation_on,
)
from core.community.groups import GroupService
from core.jobs import run_once
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.campaigns import campaigns as q
from storage.queries.segments import refresh as segment_rows

logger = logging.getLogger(__name__)
CHECK_EVERY = timedelta(minutes=1)


class Reactivation:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        # (the group's language, its title, the bonus) -> the message (HTML, with {name})
        template: Callable[[str, str, int], str],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self._template = template
        self._clock = clock
        self._rng = rng or random.SystemRandom()
        self._next_check: datetime | None = None

    async def sweep(self) -> list[int]:
        """New reactivation campaigns (their ids) and due bonuses; at most once a minute."""
        now = self._clock()
        if self._next_check is not None and now < self._next_check:
            return []
        self._next_check = now + CHECK_EVERY
        made = []
        async with self._session_factory() as session:
            states = await segment_rows.states(session)
            groups = await self._groups.settings_in(session, list(states))
        for group_id, state in states.items():
            group = groups.get(group_id)
            if group is None or not group.is_active or not reactivation_on(group):
                continue
            day = state.computed_day
            key = f"reactivation:{group_id}:{day.isoformat()}"
            ran, campaign_id = await run_once(
                self._session_factory, key, lambda uow, g=group, d=day: self._start(uow, g, d)
            )
            if ran and campaign_id is not None:
                made.append(campaign_id)
        await self.pay_bonuses(now)
        return made

    async def _start(self, uow: UnitOfWork, group: object, day: object) -> int | None:
        session, now = uow.session, self._clock()
        group_id = group.group_id  # type: ignore[attr-defined]
        entered = await q.newly_dormant(session, group_id, day)  # type: ignore[arg-type]
        recent = await q.reactivated_since(
            session, group_id, entered, now - timedelta(days=REACTIVATION_EVERY_DAYS)
        )
        ids = [u for u in entered if u not in recent]
        if not ids:
            return None
        percent = holdout_percent(group)  # type: ignore[arg-type]
        seed = self._rng.randrange(1, 2**31 - 1)
        held = rules.draw_holdout(ids, percent, seed)
        number = await q.next_number(session, group_id)
        campaign_id = await q.insert(
            session,
            {
                "group_id": group_id,
                "number": number,
                "kind": "reactivation",
                "status": "scheduled",
                "selector": "dormant",
                "text": self._template(
                    group.language,  # type: ignore[attr-defined]
                    group.title,  # type: ignore[attr-defined]
                    reactivation_bonus(group),  # type: ignore[arg-type]
                ),
                "button": "none",
                "button_url": "",
                "button_points": reactivation_bonus(group),  # type: ignore[arg-type]
                "holdout_percent": percent,
                "seed": seed,
                "audience": len(ids),
                "holdout": len(held),
                "created_by": 0,
                "created_at": now,
                "start_at": now,
                "confirmed_at": now,
                "updated_at": now,
            },
        )
        await q.add_recipients(session, _recipient_rows(campaign_id, group_id, ids, held))
        logger.info("reactivation %s of group %s: %d members", number, group_id, len(ids))
        return campaign_id

    async def pay_bonuses(self, now: datetime) -> int:
        paid = 0
        async with self._session_factory() as session:
            due = await q.bonus_due(session, now - timedelta(days=BONUS_DAYS))
        for campaign_id, group_id, user_id, points in due:
            async with self._session_factory() as session:
                if await q.mark_bonus(session, campaign_id, user_id, now):
                    await credit(
                        session, group_id, user_id, points, f"campaign:{campaign_id}", now
                    )
                    paid += 1
                await session.commit()
        return paid
