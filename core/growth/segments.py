"""What growth adds to segments: who invited a member, whom they brought and their onboarding
answers on the /whois card, and the selector term `field:city=上海` (字段:city=上海).

Registered by the growth feature's setup into the app's registries (core/segments/card.py
card_sections, core/segments/terms.py selector_terms)."""

from __future__ import annotations

import re
from typing import Any

from core.growth.fields import field_condition, parse_field_term
from core.growth.profile import growth_profile
from core.segments.card import CardContext, CardLine, day_text
from core.segments.selector import TermKind
from storage.tables import Member


class GrowthCardSection:
    """Between the dates (20) and the activity (30) of the card."""

    name, order = "growth", 25

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        profile = await growth_profile(ctx.session, ctx.group.group_id, ctx.user_id)
        lines = []
        if profile.inviter is not None:
            lines.append(
                CardLine(
                    "whois-invited-by",
                    {
                        "name": profile.inviter.name,
                        "date": day_text(ctx.local(profile.inviter.joined_at)),
                        "outcome": profile.inviter.outcome,
                    },
                )
            )
        if profile.invites or profile.waiting:
            lines.append(
                CardLine("whois-invites", {"counted": profile.invites, "waiting": profile.waiting})
            )
        lines += [CardLine("whois-field", {"field": f, "value": v}) for f, v in profile.fields]
        return lines


def _field_value(text: str) -> str:
    """`city=上海` as the term's canonical value (BadFieldTerm, localized, when it is not)."""
    name, value = parse_field_term(text)
    return f"{name}={value}"


def _field_is(value: str, scope: Any) -> Any:
    name, _, answer = value.partition("=")
    return field_condition(scope.group_id, name, answer, Member.__table__.c.user_id)


FIELD_TERM = TermKind(
    "field",
    prefixes=("field", "字段"),
    # A value runs to the next operator; a "-" in it (New-York) unless a term with a prefix
    # follows (`field:city=a-tag:vip` is city a without tag vip).
    value=re.compile(r"(?:[^\s,+()-]|-(?![\w-]*:))+"),
    read_value=_field_value,
    predicate=_field_is,
)
