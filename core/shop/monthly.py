"""The "top 3 of a month" badge: when a month ends in a group's timezone (and day start), its
three best earners of that month get the badge `top3_YYYY_MM`, once per group and month (a job
occurrence keyed `badge-top3:<group>:<YYYY-MM>`, however often the job fires)."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.calendar import day_start_instant, local_day, month_start
from core.community.groups import GroupService
from core.events import EventBus
from core.jobs import run_once
from core.shop import badges
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.engagement.ledger import EARNING_REASONS
from storage.queries.shop import redemptions as q

TOP = 3


def badge_of(month: datetime | object) -> str:
    return f"{badges.TOP3_PREFIX}{month:%Y_%m}"  # type: ignore[str-format]


async def award_last_month(
    session_factory: SessionFactory,
    groups: GroupService,
    now: datetime,
    bus: EventBus | None = None,
) -> list[tuple[int, int, str]]:
    """Award every active group its previous month's top 3 (if not done yet)."""
    async with session_factory() as session:
        group_ids = await q.active_group_ids(session)
    awarded: list[tuple[int, int, str]] = []
    for group_id in group_ids:
        group = await groups.settings_for(group_id)
        tz, hour = group.timezone, group.day_start_hour
        this_month = month_start(local_day(now, tz, hour))
        last_month = month_start(this_month - timedelta(days=1))
        start = day_start_instant(last_month, tz, hour)
        end = day_start_instant(this_month, tz, hour)
        badge = badge_of(last_month)

        async def work(
            uow: UnitOfWork,
            group_id: int = group_id,
            badge: str = badge,
            span: tuple[datetime, datetime] = (start, end),
        ) -> list[tuple[int, int, str]]:
            top = await q.top_earners(uow.session, group_id, *span, EARNING_REASONS, TOP)
            rows = [
                {"group_id": group_id, "user_id": u, "badge": badge, "awarded_at": now}
                for u, _ in top
            ]
            return await badges.award(uow, rows)

        key = f"badge-top3:{group_id}:{last_month:%Y-%m}"
        done, new = await run_once(session_factory, key, work, bus=bus)
        if done and new:
            awarded += new
    return awarded
