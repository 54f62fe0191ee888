"""What other features read of prediction (cheap: the stored scores, no model, no numpy).

- `at_risk(session, group_id, limit)`: the valuable members (tier core or regular) least
  likely to be active in the next 7 days, with their probability and reasons: /atrisk, the
  weekly report, the dashboard and campaigns.
- `quality(session, group_id)`: the model's measured quality, and whether it is the model or
  the baseline that ranks the members.
- `score(session, group_id, user_id)`: one member's (the /whois card).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.prediction.reasons import Reason, from_json
from storage.queries import prediction as rows

VALUABLE = ("core", "regular")
MODEL, BASELINE, RANK = "model", "baseline", "rank"


@dataclass(frozen=True, slots=True)
class MemberRisk:
    user_id: int
    name: str
    username: str | None
    tier: str
    p_active: float | None  # None: no history to give a probability, ranked by quiet days
    reasons: tuple[Reason, ...]
    source: str  # model | baseline | rank
    scored_day: date


@dataclass(frozen=True, slots=True)
class Quality:
    """The latest training's measured quality for the group (held-out weeks)."""

    status: str  # ok | short | not_better | none (never trained)
    use_model: bool
    pooled: bool
    trained_at: datetime | None
    scored_day: date | None
    train_rows: int
    test_rows: int
    test_weeks: int
    test_active: float | None
    auc_model: float | None
    auc_baseline: float | None
    brier_model: float | None
    brier_baseline: float | None

    @property
    def source(self) -> str:
        return MODEL if self.use_model else BASELINE


NEVER = Quality("none", False, False, None, None, 0, 0, 0, None, None, None, None, None)


async def quality(session: AsyncSession, group_id: int) -> Quality:
    state = (await rows.models(session, [group_id])).get(group_id)
    if state is None or state.trained_at is None:
        return NEVER if state is None else _quality(state, "none")
    return _quality(state, state.status)


def _quality(state: object, status: str) -> Quality:
    s = state
    return Quality(
        status=status,
        use_model=bool(s.use_model),  # type: ignore[attr-defined]
        pooled=bool(s.pooled),  # type: ignore[attr-defined]
        trained_at=s.trained_at,  # type: ignore[attr-defined]
        scored_day=s.scored_day,  # type: ignore[attr-defined]
        train_rows=s.train_rows,  # type: ignore[attr-defined]
        test_rows=s.test_rows,  # type: ignore[attr-defined]
        test_weeks=s.test_weeks,  # type: ignore[attr-defined]
        test_active=s.test_active,  # type: ignore[attr-defined]
        auc_model=s.auc_model,  # type: ignore[attr-defined]
        auc_baseline=s.auc_baseline,  # type: ignore[attr-defined]
        brier_model=s.brier_model,  # type: ignore[attr-defined]
        brier_baseline=s.brier_baseline,  # type: ignore[attr-defined]
    )


async def at_risk(
    session: AsyncSession, group_id: int, limit: int = 10, tiers: tuple[str, ...] = VALUABLE
) -> list[MemberRisk]:
    """The valuable present members least likely to be active in the next 7 days (by the
    model where it beat the baseline, else by the baseline: days since last activity)."""
    found = await rows.lowest(session, group_id, tiers, limit)
    return [
        MemberRisk(
            user_id=int(r.user_id),
            name=r.display_name or str(r.user_id),
            username=r.username,
            tier=r.tier,
            p_active=None if r.source == RANK else float(r.p_active),
            reasons=from_json(r.reasons),
            source=r.source,
            scored_day=r.scored_day,
        )
        for r in found
    ]


async def score(session: AsyncSession, group_id: int, user_id: int) -> MemberRisk | None:
    r = await rows.score_of(session, group_id, user_id)
    if r is None:
        return None
    return MemberRisk(
        user_id=user_id,
        name="",
        username=None,
        tier="",
        p_active=None if r.source == RANK else float(r.p_active),
        reasons=from_json(r.reasons),
        source=r.source,
        scored_day=r.scored_day,
    )
