"""The dashboard's Overview from the analytics' numbers (core/overview.py OverviewProvider).

The headlines are /stats' numbers with their change against the period before, read from the
group's days alone (`reports.period_pair`: two statements whatever the group's size). /stats'
two distinct counts (members who posted, members active in the period) need a pass over every
member-day of the period; they stay in /stats, so the first screen stays in milliseconds at
200,000 members. Series and the heat map read the same days.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from core.analytics import reports
from core.analytics.reports import DayNumbers, PeriodNumbers
from core.community.group_settings import GroupSettings
from core.overview import AVERAGE, RATE, Headline, Heatmap, Period, Series
from core.uow import UnitOfWork

Pair = tuple[PeriodNumbers, PeriodNumbers, list[DayNumbers]]
# The daily series: dash-series-<key> <- DayNumbers.<field>
SERIES = (
    ("members", "members"),
    ("joins", "joined"),
    ("leaves", "left"),
    ("dau", "dau"),
    ("wau", "wau"),
    ("mau", "mau"),
    ("checkins", "checkins"),
    ("messages", "messages"),
)
# The headlines: dash-kpi-<key> (the order of the page's cards)
HEADLINES = (
    "members",
    "joins",
    "leaves",
    "dau",
    "wau",
    "mau",
    "stickiness",
    "checkins",
    "checkin_rate",
    "messages",
    "points_issued",
    "points_spent",
    "redemptions",
    "feedback",
)


class AnalyticsOverview:
    def __init__(self) -> None:
        # The period's numbers, read once per request (headlines and series both need them).
        self._read: WeakKeyDictionary[UnitOfWork, tuple[str, Pair]] = WeakKeyDictionary()

    async def _pair(self, uow: UnitOfWork, group: GroupSettings, period: Period) -> Pair:
        key = f"{group.group_id}:{period.token}:{period.last_day}"
        found = self._read.get(uow)
        if found is None or found[0] != key:
            pair = await reports.period_pair(uow.session, group.group_id, period.range)
            found = self._read[uow] = (key, pair)
        return found[1]

    async def headlines(
        self, uow: UnitOfWork, group: GroupSettings, period: Period
    ) -> list[Headline]:
        c, p, _ = await self._pair(uow, group, period)
        return [
            Headline("members", c.members, c.members_before),
            Headline("joins", c.joined, p.joined),
            Headline("leaves", c.left, p.left),
            Headline("dau", c.dau, p.dau, AVERAGE),
            Headline("wau", c.wau, p.wau),
            Headline("mau", c.mau, p.mau),
            Headline("stickiness", c.stickiness, p.stickiness, RATE),
            Headline("checkins", c.checkins, p.checkins),
            Headline("checkin_rate", c.checkin_rate, p.checkin_rate, RATE),
            Headline("messages", c.messages, p.messages),
            Headline("points_issued", c.points_issued, p.points_issued),
            Headline("points_spent", c.points_spent, p.points_spent),
            Headline("redemptions", c.redemptions, p.redemptions),
            Headline("feedback", c.feedback, p.feedback),
        ]

    async def series(self, uow: UnitOfWork, group: GroupSettings, period: Period) -> list[Series]:
        _, _, both = await self._pair(uow, group, period)
        days = [d for d in both if d.day >= period.first_day]
        dates = [d.day for d in days]
        return [Series(key, dates, [getattr(d, field) for d in days]) for key, field in SERIES]

    async def heatmap(
        self, uow: UnitOfWork, group: GroupSettings, period: Period
    ) -> Heatmap | None:
        values = await reports.hour_matrix(uow.session, group.group_id, period.range)
        return Heatmap(values) if any(any(row) for row in values) else None
