"""The member selector's grammar (pure): precedence, aliases, errors that say where."""

from __future__ import annotations

import re

import pytest

from core.segments import selector as sel
from core.segments.selector import Combine, Term, TermKind, TermRegistry, parse
from core.segments.terms import default_registry

REG = default_registry()


def canon(text: str) -> str:
    return str(parse(text, REG))


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("dormant", "dormant"),
        ("dormant+tag:vip", "dormant+tag:vip"),
        ("new,returned", "new,returned"),
        ("active-tag:staff", "active-tag:staff"),
        ("all-tag:staff", "all-tag:staff"),
        ("  Dormant + TAG:VIP ", "dormant+tag:vip"),
        ("atrisk,at_risk", "at_risk,at_risk"),
        ("沉睡+标签:VIP", "dormant+tag:vip"),
        ("活跃，回流", "active,returned"),  # full-width comma
        ("新人、核心", "new,core"),
        ("流失＋tag：大客户", "churned+tag:大客户"),
        ("(new,returned)+core", "(new,returned)+core"),
        ("new,returned+core", "new,returned+core"),  # + binds tighter than ,
        ("all-(tag:a,tag:b)", "all-(tag:a,tag:b)"),
        ("all-tag:a-tag:b", "all-tag:a-tag:b"),
        ("tag:#vip", "tag:vip"),
        ("tag:early-bird", "tag:early-bird"),  # a tag takes its hyphens
        ("tag:vip -active", "tag:vip-active"),  # a space ends it
        ("全部", "all"),
    ],
)
def test_canonical_forms(text: str, canonical: str) -> None:
    assert canon(text) == canonical
    assert canon(canonical) == canonical  # the canonical text parses to itself


def test_precedence_and_associativity() -> None:
    node = parse("a_new+core-tag:x,dormant".replace("a_new", "new"), REG)
    # ((new + core) - tag:x) , dormant
    assert isinstance(node, Combine) and node.op == ","
    left = node.left
    assert isinstance(left, Combine) and left.op == "-"
    assert isinstance(left.left, Combine) and left.left.op == "+"
    assert left.right == Term("tag", "x", 10, "tag")
    assert node.right == Term("stage", "dormant", 16)
    # left to right: a-b+c is (a-b)+c, printed without parentheses
    chained = parse("all-core+new", REG)
    assert isinstance(chained, Combine) and chained.op == "+"
    assert str(chained) == "all-core+new"
    # a chain on the right of - keeps its parentheses
    assert str(parse("all-(core+new)", REG)) == "all-(core+new)"


def test_churned_alone_reaches_members_who_left() -> None:
    assert sel.includes_left(parse("churned+tag:vip", REG), REG)
    assert sel.includes_left(parse("tag:vip,流失", REG), REG)
    assert not sel.includes_left(parse("all-tag:vip", REG), REG)
    assert not sel.includes_left(parse("dormant,returned", REG), REG)


def error_of(text: str) -> sel.SelectorError:
    with pytest.raises(sel.SelectorError) as caught:
        parse(text, REG)
    return caught.value


@pytest.mark.parametrize(
    ("text", "error", "args"),
    [
        (
            "dormnt",
            sel.UnknownTermSuggest,
            {"term": "dormnt", "position": 1, "suggestion": "dormant"},
        ),
        (
            "new+actve",
            sel.UnknownTermSuggest,
            {"term": "actve", "position": 5, "suggestion": "active"},
        ),
        ("new,zzz", sel.UnknownTerm, {"term": "zzz", "position": 5}),
        ("tga:vip", sel.UnknownTermSuggest, {"term": "tga:", "position": 1, "suggestion": "tag:"}),
        ("new+", sel.ExpectedTerm, {"position": 5}),
        ("new,,core", sel.Unexpected, {"text": ",", "position": 5}),
        ("-tag:staff", sel.Unexpected, {"text": "-", "position": 1}),
        ("dormant vip", sel.Unexpected, {"text": "vip", "position": 9}),
        ("(new,core", sel.UnclosedParenthesis, {"position": 1}),
        ("new)", sel.Unexpected, {"text": ")", "position": 4}),
        ("tag:", sel.BadValue, {"term": "tag:", "position": 1}),
        ("core+tag:-x", sel.BadValue, {"term": "tag:-x", "position": 6}),
        ("tag:" + "x" * 33, sel.BadValue, {"position": 1}),
        ("   ", sel.EmptySelector, {}),
        ("new," * 200, sel.SelectorTooLong, {"max": 500}),
        (",".join(["new"] * 51), sel.TooManyTerms, {"max": 50}),
    ],
)
def test_errors_say_where(text: str, error: type, args: dict[str, object]) -> None:
    found = error_of(text)
    assert type(found) is error, found
    for key, value in args.items():
        assert found.args_map[key] == value


def test_registry_takes_new_kinds_without_touching_the_parser() -> None:
    """A feature adds `field:city=上海` (onboarding answers) and `risk:high` (prediction)."""
    registry = default_registry()
    registry.add(
        TermKind(
            "field",
            prefixes=("field", "字段"),
            value=re.compile(r"\w+=[^\s,+()-]+"),
            predicate=lambda value, scope: None,
        )
    )
    registry.add(TermKind("risk", prefixes=("risk",), read_value=_risk_level))
    node = parse("field:city=上海+new,字段:city=北京-risk:HIGH", registry)
    assert str(node) == "field:city=上海+new,field:city=北京-risk:high"
    with pytest.raises(sel.BadValue):
        parse("risk:extreme", registry)
    with pytest.raises(ValueError, match="already taken"):
        registry.add(TermKind("other", words={"new": "x"}))
    with pytest.raises(ValueError, match="already taken"):
        registry.add(TermKind("other2", prefixes=("TAG",)))


def _risk_level(text: str) -> str:
    if text.lower() not in ("low", "medium", "high"):
        raise ValueError(text)
    return text.lower()


def test_an_empty_registry_knows_nothing() -> None:
    with pytest.raises(sel.UnknownTerm):
        parse("new", TermRegistry())
