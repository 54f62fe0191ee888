"""The two or three facts behind a member's probability (pure).

Each fact is tied to the features it speaks of; with the model, the facts whose features pull
the member's probability furthest in its direction come first (down for a member at risk, up
for one likely to stay); with the baseline, a fixed order, most telling first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from core.prediction.features import WINDOW, Features

MAX_REASONS = 3
NOTABLE_STREAK = 3  # a shorter streak breaking is not news
AT_RISK_BELOW = 0.5


@dataclass(frozen=True, slots=True)
class Reason:
    key: str  # locale key (predict-reason-*)
    args: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Fact:
    reason: Reason
    features: tuple[str, ...]
    down: bool  # a fact that speaks for leaving (else for staying)


def facts(f: Features) -> list[_Fact]:
    """Every fact that holds for these features, in the baseline's order."""
    found: list[_Fact] = []
    before = round(f.weekly_before)
    if f.since_active >= 2:
        days = f.since_active if f.since_active < WINDOW else WINDOW
        found.append(
            _Fact(Reason("predict-reason-quiet", {"days": days}), ("since_active",), True)
        )
    if f.broken_streak >= NOTABLE_STREAK:
        found.append(
            _Fact(
                Reason(
                    "predict-reason-streak-broken",
                    {"streak": f.broken_streak, "days": f.since_checkin},
                ),
                ("broken_streak", "streak"),
                True,
            )
        )
    elif 3 <= f.since_checkin < WINDOW:
        found.append(
            _Fact(
                Reason("predict-reason-no-checkin", {"days": f.since_checkin}),
                ("since_checkin", "checkins_7"),
                True,
            )
        )
    if f.weekly_before - f.active_7 >= 1:
        found.append(
            _Fact(
                Reason("predict-reason-fading", {"before": before, "now": f.active_7}),
                ("active_7", "active_14", "active_28"),
                True,
            )
        )
    if f.tenure < 14:
        found.append(_Fact(Reason("predict-reason-new", {"days": f.tenure}), ("tenure",), True))
    if f.streak >= NOTABLE_STREAK:
        found.append(
            _Fact(
                Reason("predict-reason-streak", {"days": f.streak}),
                ("streak", "broken_streak"),
                False,
            )
        )
    if f.active_7 - f.weekly_before >= 1 and f.active_7 >= 2:
        found.append(
            _Fact(
                Reason("predict-reason-growing", {"before": before, "now": f.active_7}),
                ("active_7", "active_14", "active_28"),
                False,
            )
        )
    elif f.active_7 >= 4:
        found.append(
            _Fact(
                Reason("predict-reason-steady", {"days": f.active_7}),
                ("active_7", "active_14", "active_28"),
                False,
            )
        )
    if f.habit >= 2:
        found.append(_Fact(Reason("predict-reason-habit", {"days": f.habit}), ("habit",), False))
    return found


def reasons(
    f: Features, p_active: float | None, contributions: dict[str, float] | None = None
) -> tuple[Reason, ...]:
    at_risk = p_active is None or p_active < AT_RISK_BELOW
    every = facts(f)
    found = [x for x in every if x.down == at_risk] or every  # else what there is to say
    if contributions is not None:

        def pull(x: _Fact) -> float:
            total = sum(contributions.get(name, 0.0) for name in x.features)
            return total if at_risk else -total  # the strongest pull first

        found.sort(key=pull)
    return tuple(x.reason for x in found[:MAX_REASONS])


def to_json(found: tuple[Reason, ...]) -> str:
    return json.dumps([[r.key, r.args] for r in found], ensure_ascii=False)


def from_json(text: str) -> tuple[Reason, ...]:
    try:
        return tuple(Reason(str(k), dict(a)) for k, a in json.loads(text or "[]"))
    except (ValueError, TypeError):
        return ()
