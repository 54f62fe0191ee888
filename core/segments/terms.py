"""The selector's built-in terms (stages, tiers, `tag:`, `all`) and resolving a parsed
selector to a condition over the group's members.

Other features register their own kinds on the app's registry (`selector_terms(deps)` in
their Feature.setup): a TermKind with its words or prefix, and a predicate built like the
ones in storage/queries/segments/selector.py (a condition on the member row `m`).
"""

from __future__ import annotations

import re
from typing import Any

from core.segments import stages
from core.segments.selector import BOTH, UNION, WITHOUT, Node, Term, TermKind, TermRegistry
from core.segments.selector import includes_left as selects_left
from core.segments.tags import normalize_tag
from storage.queries.segments import selector as sql

STAGE_WORDS = {
    "new": stages.NEW,
    "新人": stages.NEW,
    "新成员": stages.NEW,
    "active": stages.ACTIVE,
    "活跃": stages.ACTIVE,
    "at_risk": stages.AT_RISK,
    "atrisk": stages.AT_RISK,
    "风险": stages.AT_RISK,
    "流失风险": stages.AT_RISK,
    "dormant": stages.DORMANT,
    "沉睡": stages.DORMANT,
    "沉默": stages.DORMANT,
    "churned": stages.CHURNED,
    "流失": stages.CHURNED,
    "已流失": stages.CHURNED,
    "returned": stages.RETURNED,
    "回流": stages.RETURNED,
    "回归": stages.RETURNED,
}
TIER_WORDS = {
    "core": stages.CORE,
    "核心": stages.CORE,
    "regular": stages.REGULAR,
    "常规": stages.REGULAR,
    "普通": stages.REGULAR,
    "casual": stages.CASUAL,
    "边缘": stages.CASUAL,
    "偶尔": stages.CASUAL,
}
# A tag runs over letters, digits, _ and - (normalize_tag says which of those make a tag),
# but not into a next term with a prefix: `tag:a-tag:b` is tag a without tag b.
_TAG_VALUE = re.compile(r"#?(?:\w|-(?![\w-]*:))+")
ALL_WORDS = {"all": "all", "全部": "all", "所有人": "all", "全体": "all"}


def builtin_kinds() -> tuple[TermKind, ...]:
    return (
        TermKind(
            "stage",
            words=STAGE_WORDS,
            predicate=sql.stage_is,
            includes_left=frozenset({stages.CHURNED}),
        ),
        TermKind("tier", words=TIER_WORDS, predicate=sql.tier_is),
        TermKind(
            "tag",
            prefixes=("tag", "标签"),
            read_value=normalize_tag,
            value=_TAG_VALUE,
            predicate=sql.has_tag,
        ),
        TermKind("all", words=ALL_WORDS, predicate=sql.everyone),
    )


def default_registry() -> TermRegistry:
    return TermRegistry(builtin_kinds())


def selector_terms(deps: dict[str, Any]) -> TermRegistry:
    """The app's registry (made by whichever feature asks first): features add their kinds
    in their setup, in any order."""
    registry = deps.get("selector_terms")
    if registry is None:
        registry = deps["selector_terms"] = default_registry()
    return registry  # type: ignore[no-any-return]


def condition(node: Node, registry: TermRegistry, scope: sql.Scope) -> sql.Condition:
    """The selector as one condition on a member row (members who left excluded unless a
    term selects them, i.e. `churned`)."""
    found = _condition(node, registry, scope)
    return found if selects_left(node, registry) else sql.present(found)


def _condition(node: Node, registry: TermRegistry, scope: sql.Scope) -> sql.Condition:
    if isinstance(node, Term):
        return registry.kind(node.kind).predicate(node.value, scope)  # type: ignore[no-any-return]
    left = _condition(node.left, registry, scope)
    right = _condition(node.right, registry, scope)
    if node.op == UNION:
        return sql.either(left, right)
    if node.op == BOTH:
        return sql.both(left, right)
    assert node.op == WITHOUT
    return sql.without(left, right)
