"""The members most at risk of going quiet, for the weekly report (and whoever wants a list).

`BaselineRanking` uses the baseline of core/segments/risk.py: present members quiet for at
least half the `active` threshold (medium risk) but not yet churned, the at-risk and dormant
stages first, then the most valuable (points earned in 30 days), then the longest quiet; each
with its level and reasons. Prediction (issue #25 §4) swaps in its model's ranking in its
Feature.setup, with no change here or in the report:

    deps["at_risk_ranking"] = ModelRanking()  # an AtRiskRanking: most_at_risk(...)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.segments.risk import Reason, RiskFacts, baseline_risk
from core.segments.settings import Thresholds, thresholds
from core.segments.stages import ACTIVE
from storage.queries.segments import at_risk as rows

TOP = 10


@dataclass(frozen=True, slots=True)
class AtRiskMember:
    user_id: int
    name: str
    level: str  # core/segments/risk.py: low | medium | high | lost
    reasons: tuple[Reason, ...]
    probability: float | None = (
        None  # of being active in the next 7 days (a model's); None: baseline
    )


class AtRiskRanking(Protocol):
    method: str  # "baseline", or the model's name (the report says which)

    async def most_at_risk(
        self, session: AsyncSession, group: GroupSettings, now: datetime, limit: int = TOP
    ) -> list[AtRiskMember]: ...


def medium_quiet_days(th: Thresholds) -> int:
    """Quiet days from which the baseline says "medium" (core/segments/risk.py)."""
    return max(2, (th.active + 1) // 2)


def risk_of(row: Any, stage: str, group: GroupSettings, today: date) -> tuple[str, tuple]:
    """A member row's baseline level and reasons (rows with the member table's columns)."""

    def day(at: datetime | None) -> date | None:
        return None if at is None else local_day(at, group.timezone, group.day_start_hour)

    signs = [t for t in (row.last_active_at, row.joined_at, row.first_seen_at) if t is not None]
    last = day(max(signs)) if signs else today
    found = baseline_risk(
        RiskFacts(
            stage=stage,
            today=today,
            last_day=last or today,
            joined_day=day(row.joined_at),
            last_checkin_day=row.last_checkin_day,
            streak=row.streak,
            checkins=row.checkins,
            left=getattr(row, "left_at", None) is not None,
        ),
        thresholds(group),
    )
    return found.level, found.reasons


class BaselineRanking:
    method = "baseline"

    async def most_at_risk(
        self, session: AsyncSession, group: GroupSettings, now: datetime, limit: int = TOP
    ) -> list[AtRiskMember]:
        th = thresholds(group)
        today = local_day(now, group.timezone, group.day_start_hour)

        def start(day: date) -> datetime:
            return day_start_instant(day, group.timezone, group.day_start_hour)

        found = await rows.quiet_members(
            session,
            group.group_id,
            quiet_before=start(today - timedelta(days=medium_quiet_days(th) - 1)),
            active_since=start(today - timedelta(days=th.churned - 1)),
            limit=limit,
        )
        members = []
        for r in found:
            level, reasons = risk_of(r, r.stage or ACTIVE, group, today)
            name = r.display_name or (f"@{r.username}" if r.username else str(r.user_id))
            members.append(AtRiskMember(int(r.user_id), name, level, reasons))
        return members


def at_risk_ranking(deps: dict[str, Any]) -> AtRiskRanking:
    """The app's ranking (the baseline unless a feature put its own)."""
    ranking = deps.get("at_risk_ranking")
    if ranking is None:
        ranking = deps["at_risk_ranking"] = BaselineRanking()
    return ranking  # type: ignore[no-any-return]
