"""Onboarding answers as selector terms: `field:city=上海` (members whose field `city` is
`上海`).

The seam for the member selector: its registry of term kinds gets the kind "field", whose
parser is `parse_field_term` (the text after `field:`) and whose condition is
`field_condition(group_id, name, value, user_id_column)`. Values compare exactly as answered
(a choice's option as the admins wrote it; a text answer with its spaces collapsed).
"""

from __future__ import annotations

from typing import Any

from core.errors import DomainError
from core.growth.questions import MAX_ANSWER, clean_field
from storage.queries.growth import onboarding as rows

TERM_KIND = "field"


class BadFieldTerm(DomainError):
    key = "onboarding-error-term"  # args: term


def parse_field_term(text: str) -> tuple[str, str]:
    """`city=上海` -> ("city", "上海")."""
    name, equals, value = text.partition("=")
    value = " ".join(value.split())
    if not equals or not value or len(value) > MAX_ANSWER:
        raise BadFieldTerm(term=text[:60])
    try:
        return clean_field(name), value
    except DomainError:
        raise BadFieldTerm(term=text[:60]) from None


def field_condition(group_id: int, name: str, value: str, user_id_column: Any) -> Any:
    """SQL: the member (`user_id_column`) has `name` = `value` in the group (an index lookup)."""
    return user_id_column.in_(rows.members_with(group_id, name, value))


def members_with_field(group_id: int, name: str, value: str) -> Any:
    """SELECT user_id of the group's members with `name` = `value`."""
    return rows.members_with(group_id, name, value)
