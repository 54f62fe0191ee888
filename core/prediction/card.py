"""The /whois card's "risk" section from the stored score (replaces the baseline section by
name; a member without a score, e.g. before the first run, gets the baseline's)."""

from __future__ import annotations

from core.prediction import scores
from core.segments.card import CardContext, CardLine
from core.segments.card import Risk as BaselineRisk


class ModelRisk:
    name, order = "risk", 70

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        found = (
            await scores.score(ctx.session, ctx.group.group_id, ctx.user_id)
            if ctx.member.left_at is None
            else None
        )
        if found is None or found.p_active is None:
            return await BaselineRisk().lines(ctx)
        reasons = [CardLine(r.key, r.args) for r in found.reasons]
        args = {
            "percent": round(100 * found.p_active),
            "source": CardLine(f"predict-source-{found.source}"),
            "date": found.scored_day.isoformat(),
        }
        if not reasons:
            return [CardLine("predict-whois-plain", args)]
        return [CardLine("predict-whois", {**args, "reasons": reasons})]
