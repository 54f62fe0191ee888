"""Segments in the dashboard's members table (core/community/directory.py seams): the stage,
tier, baseline risk, tags and active days of the last 30 of each member shown, and the member
selector (`dormant+tag:vip`) as a filter, its parse errors saying where they are."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from core.analytics.recording import Facts
from core.calendar import local_day
from core.community.directory import MemberDirectory
from core.community.group_settings import GroupSettings
from core.segments.risk import RiskFacts, baseline_risk
from core.segments.service import SegmentService
from core.segments.settings import thresholds
from core.segments.terms import condition
from core.uow import UnitOfWork
from storage.queries.segments import directory as rows
from storage.queries.segments import tags as tag_rows

COLUMNS = ("stage", "tier", "risk", "tags", "active_days_30")
SELECTOR = "selector"  # the filter's key: f_selector in the API


class SegmentColumns:
    """The columns' values for one page, read once (one statement for the facts, one for the
    tags) whichever column asks first."""

    def __init__(self, segments: SegmentService, clock: Any) -> None:
        self._segments = segments
        self._clock = clock
        self._pages: WeakKeyDictionary[
            UnitOfWork, tuple[tuple[int, ...], dict[int, dict[str, Any]]]
        ]
        self._pages = WeakKeyDictionary()

    def column(self, key: str) -> Any:
        async def provide(uow: UnitOfWork, group: GroupSettings, ids: list[int]) -> dict[int, Any]:
            values = await self._values(uow, group, ids)
            return {user_id: found[key] for user_id, found in values.items()}

        return provide

    async def _values(
        self, uow: UnitOfWork, group: GroupSettings, ids: list[int]
    ) -> dict[int, dict[str, Any]]:
        cached = self._pages.get(uow)
        if cached is not None and cached[0] == tuple(ids):
            return cached[1]
        values = await member_segments(uow, self._segments, group, ids, self._clock())
        self._pages[uow] = (tuple(ids), values)
        return values


async def member_segments(
    uow: UnitOfWork, segments: SegmentService, group: GroupSettings, ids: list[int], now: datetime
) -> dict[int, dict[str, Any]]:
    """{user_id: {stage, tier, risk, tags, active_days_30}} for these members."""
    session = uow.session
    today = local_day(now, group.timezone, group.day_start_hour)
    th = thresholds(group)
    facts = await rows.page_facts(session, segments.scope(group, now), ids)
    tags = await tag_rows.by_member(session, group.group_id, ids)

    def local(instant: datetime | None) -> Any:
        return local_day(instant, group.timezone, group.day_start_hour) if instant else None

    values: dict[int, dict[str, Any]] = {}
    for r in facts:
        signs = [t for t in (r.last_active_at, r.joined_at, r.first_seen_at) if t is not None]
        risk = baseline_risk(
            RiskFacts(
                stage=r.stage,
                today=today,
                last_day=local(max(signs)) if signs else today,
                joined_day=local(r.joined_at),
                last_checkin_day=r.last_checkin_day,
                streak=r.streak,
                checkins=r.checkins,
                left=r.left_at is not None,
            ),
            th,
        )
        active = Facts(active_day=r.active_day, bits=int(r.active_bits or 0))
        values[int(r.user_id)] = {
            "stage": r.stage,
            "tier": r.tier,
            "risk": risk.level,
            "tags": tags.get(int(r.user_id), []),
            "active_days_30": active.active_days_in(today, 30),
        }
    return values


def selector_filter(segments: SegmentService, clock: Any) -> Any:
    """The filter's text -> a condition on the member table; a SelectorError (a DomainError
    with the position) when it does not parse, shown as the chat shows it."""

    def build(group: GroupSettings, text: str) -> Any:
        node = segments.parse(text)
        scope = segments.scope(group, clock())
        return rows.members_where(condition(node, segments.terms, scope))

    return build


def add_to_directory(directory: MemberDirectory, segments: SegmentService, clock: Any) -> None:
    columns = SegmentColumns(segments, clock)
    for key in COLUMNS:
        directory.add_column(key, columns.column(key))
    directory.add_filter(SELECTOR, selector_filter(segments, clock))
