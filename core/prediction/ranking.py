"""The weekly report's "most at risk" list from the model's daily scores (core/segments/ranking.py
has the protocol and the baseline it replaces). Where the model did not beat the baseline, or
has not scored the group yet, the baseline's list is the honest one and is used unchanged."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.community.group_settings import GroupSettings
from core.prediction import scores
from core.segments.ranking import TOP, AtRiskMember, BaselineRanking
from core.segments.risk import HIGH, LOW, MEDIUM

# The chance of going quiet in the next 7 days at which a member's level is high or medium.
HIGH_AT, MEDIUM_AT = 0.7, 0.4


def level(p_active: float) -> str:
    quiet = 1.0 - p_active
    return HIGH if quiet >= HIGH_AT else MEDIUM if quiet >= MEDIUM_AT else LOW


class ModelRanking:
    method = "logistic regression"

    def __init__(self) -> None:
        self._baseline = BaselineRanking()

    async def most_at_risk(
        self, session: AsyncSession, group: GroupSettings, now: datetime, limit: int = TOP
    ) -> list[AtRiskMember]:
        measured = await scores.quality(session, group.group_id)
        ranked = await scores.at_risk(session, group.group_id, limit) if measured.use_model else []
        if not ranked or any(m.p_active is None for m in ranked):
            return await self._baseline.most_at_risk(session, group, now, limit)
        return [
            AtRiskMember(
                m.user_id,
                m.name,
                level(m.p_active),  # type: ignore[arg-type]
                m.reasons,  # type: ignore[arg-type]  (same shape: a locale key and its args)
                m.p_active,
            )
            for m in ranked
        ]
