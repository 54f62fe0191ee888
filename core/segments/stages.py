"""Lifecycle stages and value tiers of members (pure rules; the daily run applies them).

Stages, as of a local day D (the group's last complete day when the leader runs them), with
the group's thresholds (core/segments/settings.py; defaults in brackets). A member's "last
sign of life" is the latest of their last activity, their join and their first sighting;
"inactive" counts the local days from it to D (0: on D itself). First match wins:

1. left the group                                        -> churned
2. joined fewer than `new` [7] days before D, and was
   new or never classified before                        -> new
3. inactive for `churned` [30] days or more              -> churned
4. inactive for `dormant` [14] days or more              -> dormant
5. at risk by the group's at-risk rule                   -> at risk
   (baseline until prediction lands: inactive for `active` [7] days or more, i.e. active in
   the 14 days before but not in the last 7; prediction replaces it, see AtRiskRule)
6. was dormant or churned                                -> returned (active again)
7. was returned for fewer than `returned` [14] days      -> returned
8. otherwise                                             -> active

Value tiers rank the present members by the points they earned in the 30 local days ending
on D: core is the top `core_percent` [10%], regular the next `regular_percent` [30%], casual
the rest. A cut falls at a member's earnings: whoever earned as much as the member at the cut
is in the higher tier too (ties never split); only members who earned something can be core
or regular (zero earners are casual, however many they are).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from core.segments.settings import Thresholds

NEW = "new"
ACTIVE = "active"
AT_RISK = "at_risk"
DORMANT = "dormant"
CHURNED = "churned"
RETURNED = "returned"
# In the order reports list them (the journey of a member).
STAGES = (NEW, ACTIVE, RETURNED, AT_RISK, DORMANT, CHURNED)

CORE = "core"
REGULAR = "regular"
CASUAL = "casual"
TIERS = (CORE, REGULAR, CASUAL)

# Where a movement comes from when a member is classified for the first time.
UNCLASSIFIED = "none"
# Reasons that are not earnings: a refund gives spent points back.
NOT_EARNED = ("shop_refund",)
TIER_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the stage of one member depends on (local days of the group's calendar)."""

    user_id: int
    last_day: date  # the last sign of life: activity, join or first sighting
    joined_day: date | None = None  # None: the bot never saw the member join
    left_day: date | None = None  # None: in the group
    stage: str | None = None  # as classified before (None: never)
    since: date | None = None  # the day the member entered that stage

    @property
    def left(self) -> bool:
        return self.left_day is not None

    def inactive_days(self, as_of: date) -> int:
        return (as_of - self.last_day).days


class AtRiskRule(Protocol):
    """Decides "at risk" for members who are neither churned, dormant nor new.

    The baseline is `inactive_at_risk`. The daily run applies these rules as one SQL
    statement per chunk of members (storage/queries/segments/refresh.py `changed`, checked
    against stage_of in tests/test_segments_service.py); there the at-risk rule is an
    AtRiskSource (core/segments/refresh.py) that prediction replaces."""

    def __call__(self, facts: MemberFacts, th: Thresholds, as_of: date) -> bool: ...


def inactive_at_risk(facts: MemberFacts, th: Thresholds, as_of: date) -> bool:
    """The baseline: no activity for `active` days (active before, or they would be dormant)."""
    return facts.inactive_days(as_of) >= th.active


def stage_of(
    facts: MemberFacts,
    th: Thresholds,
    as_of: date,
    at_risk: AtRiskRule = inactive_at_risk,
) -> tuple[str, date]:
    """(stage, the day the member entered it) as of the local day `as_of`."""
    stage = _stage(facts, th, as_of, at_risk)
    if stage == facts.stage and facts.since is not None:
        return stage, facts.since
    return stage, as_of


def _stage(facts: MemberFacts, th: Thresholds, as_of: date, at_risk: AtRiskRule) -> str:
    if facts.left:
        return CHURNED
    if (
        facts.joined_day is not None
        and (as_of - facts.joined_day).days < th.new
        and facts.stage in (None, NEW)
    ):
        return NEW
    inactive = facts.inactive_days(as_of)
    if inactive >= th.churned:
        return CHURNED
    if inactive >= th.dormant:
        return DORMANT
    if at_risk(facts, th, as_of):
        return AT_RISK
    if facts.stage in (DORMANT, CHURNED):
        return RETURNED
    if (
        facts.stage == RETURNED
        and facts.since is not None
        and (as_of - facts.since).days < th.returned
    ):
        return RETURNED
    return ACTIVE


@dataclass(frozen=True, slots=True)
class TierCuts:
    """The fewest points (earned in the window) of a core and of a regular member; 0: the
    tier is empty."""

    core_min: int = 0
    regular_min: int = 0


def tier_cuts(
    earned: Iterable[int], members: int, core_percent: int, regular_percent: int
) -> TierCuts:
    """Cuts for `members` present members whose positive earnings are `earned` (one value per
    earner; zero earners are counted in `members` only).

    The core cut is the earnings of the member at rank ceil(members x core%) (rank 1 earned
    most), the regular cut that at rank ceil(members x (core% + regular%)); a rank past the
    last earner falls on the last earner."""
    values = sorted((v for v in earned if v > 0), reverse=True)
    if members <= 0 or not values:
        return TierCuts()
    core_rank = _ceil_share(members, core_percent)
    regular_rank = _ceil_share(members, core_percent + regular_percent)
    core_min = values[min(core_rank, len(values)) - 1] if core_rank > 0 else 0
    regular_min = values[min(regular_rank, len(values)) - 1] if regular_rank > 0 else 0
    return TierCuts(core_min, regular_min)


def _ceil_share(members: int, percent: int) -> int:
    return -(-members * percent // 100)


def tier_of(earned: int, cuts: TierCuts) -> str:
    if earned > 0 and cuts.core_min > 0 and earned >= cuts.core_min:
        return CORE
    if earned > 0 and cuts.regular_min > 0 and earned >= cuts.regular_min:
        return REGULAR
    return CASUAL


def effective_stage(stored: str | None, left: bool, joined_recently: bool) -> str:
    """The stage reports and the selector use between two daily runs: a member who left is
    churned at once; one first seen since the last run (no stored stage) is new if they
    joined within the `new` days, else active (they were seen since). Mirrors
    storage/queries/segments/selector.py."""
    if left:
        return CHURNED
    if stored is None:
        return NEW if joined_recently else ACTIVE
    return stored
