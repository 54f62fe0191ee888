"""How much at risk one member looks, and why (the baseline until prediction lands).

The baseline reads what the member table already keeps: days without activity, a streak that
broke, check-ins that stopped. Prediction (issue #25 §4) will replace the /whois card's risk
section with the model's probability and the facts that drive it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.segments.settings import Thresholds
from core.segments.stages import AT_RISK, CHURNED, DORMANT, NEW, RETURNED

LOW, MEDIUM, HIGH, LOST = "low", "medium", "high", "lost"
# A streak shorter than this breaking is not news.
NOTABLE_STREAK = 3
MAX_REASONS = 3


@dataclass(frozen=True, slots=True)
class Reason:
    key: str  # locale key under whois-reason-*
    args: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Risk:
    level: str  # low | medium | high | lost
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class RiskFacts:
    stage: str
    today: date
    last_day: date  # last sign of life (local day)
    joined_day: date | None
    last_checkin_day: date | None
    streak: int  # the streak as of the last check-in
    checkins: int
    left: bool = False


def baseline_risk(facts: RiskFacts, th: Thresholds) -> Risk:
    """Level from the stage and the quiet days; reasons, most telling first."""
    quiet = (facts.today - facts.last_day).days
    if facts.left or facts.stage == CHURNED:
        level = LOST
    elif facts.stage in (AT_RISK, DORMANT):
        level = HIGH
    elif quiet >= max(2, (th.active + 1) // 2):
        level = MEDIUM
    else:
        level = LOW
    reasons: list[Reason] = []
    if facts.left:
        reasons.append(Reason("whois-reason-left"))
    if quiet >= 2:
        reasons.append(Reason("whois-reason-quiet", {"days": quiet}))
    if facts.last_checkin_day is not None:
        since_checkin = (facts.today - facts.last_checkin_day).days
        if since_checkin >= 2 and facts.streak >= NOTABLE_STREAK:
            reasons.append(
                Reason(
                    "whois-reason-streak-broken",
                    {"streak": facts.streak, "days": since_checkin - 1},
                )
            )
        elif since_checkin >= 3:
            reasons.append(Reason("whois-reason-no-checkin", {"days": since_checkin}))
    elif facts.joined_day is not None and (facts.today - facts.joined_day).days >= 3:
        reasons.append(Reason("whois-reason-never-checked-in"))
    if facts.stage == RETURNED:
        reasons.append(Reason("whois-reason-returned"))
    if facts.stage == NEW and facts.joined_day is not None:
        reasons.append(Reason("whois-reason-new", {"days": (facts.today - facts.joined_day).days}))
    if not reasons and quiet <= 1:
        reasons.append(Reason("whois-reason-active"))
    return Risk(level, tuple(reasons[:MAX_REASONS]))
