"""The member selector, parsed once (pure): `dormant+tag:vip`, `new,returned`, `all-tag:staff`.

Grammar:

    selector := chain ("," chain)*           members in any of the chains (union)
    chain    := atom (("+" | "-") atom)*     "+": also in the next atom (intersection),
                                             "-": not in the next atom (exclusion)
    atom     := term | "(" selector ")"
    term     := word | prefix ":" value      dormant, 活跃, core, all, tag:vip, 标签:vip

"+" and "-" bind tighter than "," and apply left to right: `a+b-c,d` is ((a and b) without c)
or d; parentheses group: `(new,returned)+tag:vip`. Spaces may surround operators. Words are
case-insensitive; full-width ，＋－：（） and 、 read as , + - : ( ) and ",". A value runs as
far as its kind allows: a tag takes letters, digits, _ and -, so after a tag put a space
before "-" (`tag:vip -active`).

Term kinds come from a TermRegistry: stages, tiers, `tag:` and `all` are built in
(core/segments/terms.py); other features add theirs (`field:city=上海`) without touching the
parser. Errors say where: "unknown term 'dormnt' at position 1; did you mean dormant?".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import DomainError
from core.text import shorten

MAX_LENGTH = 500
MAX_TERMS = 50
UNION, BOTH, WITHOUT = ",", "+", "-"
_FULL_WIDTH = str.maketrans(
    {"，": ",", "、": ",", "＋": "+", "－": "-", "：": ":", "（": "(", "）": ")", "\u3000": " "}
)
_WORD = re.compile(r"\w+")
_DEFAULT_VALUE = re.compile(r"[^\s,+()]+")


class SelectorError(DomainError):
    """A selector that does not parse; `position` is 1-based (characters)."""

    key = "selector-error"


class EmptySelector(SelectorError):
    key = "selector-error-empty"


class SelectorTooLong(SelectorError):
    key = "selector-error-too-long"  # args: max


class TooManyTerms(SelectorError):
    key = "selector-error-too-many"  # args: max


class UnknownTerm(SelectorError):
    key = "selector-error-unknown"  # args: term, position


class UnknownTermSuggest(SelectorError):
    key = "selector-error-unknown-suggest"  # args: term, position, suggestion


class ExpectedTerm(SelectorError):
    key = "selector-error-expected"  # args: position


class Unexpected(SelectorError):
    key = "selector-error-unexpected"  # args: text, position


class UnclosedParenthesis(SelectorError):
    key = "selector-error-paren"  # args: position


class BadValue(SelectorError):
    key = "selector-error-value"  # args: term, position


@dataclass(frozen=True, slots=True)
class TermKind:
    """One kind of term.

    Either keywords (`words`: what may be typed -> the canonical value, e.g. "活跃" -> "active";
    the canonical values are words too), or a prefix with a value (`prefixes`: "tag", "标签";
    `read_value` checks and normalises the value, raising ValueError; `value` says how far
    a value reaches). `predicate` is the SQL the resolver builds for a term of this kind
    (storage/queries/segments/selector.py); the parser never calls it. Terms whose value is
    in `includes_left` select members who left the group as well (stage churned).
    """

    name: str
    words: Mapping[str, str] = field(default_factory=dict)
    prefixes: tuple[str, ...] = ()
    read_value: Callable[[str], str] | None = None
    value: re.Pattern[str] = _DEFAULT_VALUE
    predicate: Any = None
    includes_left: frozenset[str] = frozenset()

    @property
    def prefix(self) -> str:
        return self.prefixes[0] if self.prefixes else ""


class TermRegistry:
    """Every term kind the selector knows; a word or prefix claimed twice is refused."""

    def __init__(self, kinds: tuple[TermKind, ...] = ()) -> None:
        self._kinds: dict[str, TermKind] = {}
        self._words: dict[str, tuple[TermKind, str]] = {}
        self._prefixes: dict[str, TermKind] = {}
        for kind in kinds:
            self.add(kind)

    def add(self, kind: TermKind) -> None:
        if kind.name in self._kinds:
            raise ValueError(f"selector term kind {kind.name!r} is registered twice")
        words = {word.casefold(): value for word, value in kind.words.items()}
        words.update({value.casefold(): value for value in kind.words.values()})
        for word in words:
            if word in self._words or word in self._prefixes:
                raise ValueError(f"selector word {word!r} of {kind.name!r} is already taken")
        for prefix in kind.prefixes:
            if prefix.casefold() in self._prefixes or prefix.casefold() in self._words:
                raise ValueError(f"selector prefix {prefix!r} of {kind.name!r} is already taken")
        self._kinds[kind.name] = kind
        for word, value in words.items():
            self._words[word] = (kind, value)
        for prefix in kind.prefixes:
            self._prefixes[prefix.casefold()] = kind

    def kind(self, name: str) -> TermKind:
        return self._kinds[name]

    def word(self, word: str) -> tuple[TermKind, str] | None:
        return self._words.get(word.casefold())

    def prefix(self, word: str) -> TermKind | None:
        return self._prefixes.get(word.casefold())

    def vocabulary(self) -> list[str]:
        """What may be typed, for suggestions: words and `prefix:`."""
        return [*self._words, *(f"{p}:" for p in self._prefixes)]

    def __contains__(self, name: object) -> bool:
        return name in self._kinds


@dataclass(frozen=True, slots=True)
class Term:
    kind: str
    value: str
    position: int = 0  # 1-based, where it was typed
    prefix: str = ""  # a value term's canonical prefix ("tag"), "" for a word

    def __str__(self) -> str:
        return f"{self.prefix}:{self.value}" if self.prefix else self.value


@dataclass(frozen=True, slots=True)
class Combine:
    op: str  # "," (either) | "+" (both) | "-" (left without right)
    left: Node
    right: Node

    def __str__(self) -> str:
        if self.op == UNION:
            return f"{self.left},{self.right}"
        # A union inside + or - needs its parentheses; on the right of "-" a chain does too.
        left = f"({self.left})" if _is_union(self.left) else str(self.left)
        right = (
            f"({self.right})"
            if _is_union(self.right) or isinstance(self.right, Combine)
            else str(self.right)
        )
        return f"{left}{self.op}{right}"


Node = Term | Combine


def _is_union(node: Node) -> bool:
    return isinstance(node, Combine) and node.op == UNION


def terms(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    else:
        yield from terms(node.left)
        yield from terms(node.right)


def includes_left(node: Node, registry: TermRegistry) -> bool:
    """Whether members who left the group may be selected: only through a term that includes
    them (`churned`); any other selector is about present members."""
    return any(t.value in registry.kind(t.kind).includes_left for t in terms(node))


def parse(text: str, registry: TermRegistry) -> Node:
    """The selector's tree; SelectorError (with the 1-based position) when it does not parse."""
    if len(text) > MAX_LENGTH:
        raise SelectorTooLong(max=MAX_LENGTH)
    source = text.translate(_FULL_WIDTH)
    if not source.strip():
        raise EmptySelector()
    parser = _Parser(source, registry)
    node = parser.selector()
    parser.skip_spaces()
    if parser.at < len(source):
        raise Unexpected(text=_snippet(source, parser.at), position=parser.at + 1)
    return node


def _snippet(text: str, at: int) -> str:
    match = _WORD.match(text, at)
    return shorten(match.group() if match else text[at], 32)


class _Parser:
    def __init__(self, text: str, registry: TermRegistry) -> None:
        self.text = text
        self.registry = registry
        self.at = 0
        self.count = 0

    def skip_spaces(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def peek(self) -> str:
        self.skip_spaces()
        return self.text[self.at] if self.at < len(self.text) else ""

    def selector(self) -> Node:
        node = self.chain()
        while self.peek() == UNION:
            self.at += 1
            node = Combine(UNION, node, self.chain())
        return node

    def chain(self) -> Node:
        node = self.atom()
        while (op := self.peek()) in (BOTH, WITHOUT) and op:
            self.at += 1
            node = Combine(op, node, self.atom())
        return node

    def atom(self) -> Node:
        char = self.peek()
        if char == "(":
            opened = self.at
            self.at += 1
            node = self.selector()
            if self.peek() != ")":
                if self.at < len(self.text):
                    raise Unexpected(text=_snippet(self.text, self.at), position=self.at + 1)
                raise UnclosedParenthesis(position=opened + 1)
            self.at += 1
            return node
        return self.term()

    def term(self) -> Term:
        start = self.at
        match = _WORD.match(self.text, start)
        if match is None:
            if start >= len(self.text):
                raise ExpectedTerm(position=start + 1)
            raise Unexpected(text=_snippet(self.text, start), position=start + 1)
        word = match.group()
        self.at = match.end()
        self.count += 1
        if self.count > MAX_TERMS:
            raise TooManyTerms(max=MAX_TERMS)
        if self.at < len(self.text) and self.text[self.at] == ":":
            return self.value_term(word, start)
        found = self.registry.word(word)
        if found is None:
            self.unknown(word, start)
        kind, value = found  # type: ignore[misc]
        return Term(kind.name, value, start + 1)

    def value_term(self, word: str, start: int) -> Term:
        kind = self.registry.prefix(word)
        if kind is None:
            self.unknown(f"{word}:", start)
        assert kind is not None
        self.at += 1  # the ":"
        match = kind.value.match(self.text, self.at)
        raw = match.group() if match else ""
        typed = self.text[start : self.at + len(raw)]
        if not raw:
            raise BadValue(term=shorten(typed, 40), position=start + 1)
        self.at += len(raw)
        try:
            value = kind.read_value(raw) if kind.read_value is not None else raw
        except ValueError:
            raise BadValue(term=shorten(typed, 40), position=start + 1) from None
        return Term(kind.name, value, start + 1, kind.prefix)

    def unknown(self, word: str, start: int) -> None:
        close = difflib.get_close_matches(word.casefold(), self.registry.vocabulary(), n=1)
        shown = shorten(word, 32)
        if close:
            raise UnknownTermSuggest(term=shown, position=start + 1, suggestion=close[0])
        raise UnknownTerm(term=shown, position=start + 1)
