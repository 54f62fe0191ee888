"""The keywords that propose a category, editable by a group's admins.

A group without its own list of a category uses DEFAULT_KEYWORDS; an edit stores the whole
resulting list (so a default word can be removed too); `reset` goes back to the defaults.
Words are kept case-folded (the proposal compares with the folded text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from core.feedback import rules
from core.feedback.rules import FeedbackError
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.feedback import keywords as rows

EDITABLE = ("feature", "service", "bug")  # "other" is what matches none
MAX_WORD = 40
MAX_WORDS = 60
# Category names admins may type besides the English keys.
CATEGORY_NAMES = {
    "feature": ("feature", "features", "功能", "功能建议", "建议"),
    "service": ("service", "服务", "服务体验", "体验"),
    "bug": ("bug", "bugs", "技术问题", "问题", "故障"),
}
_SEPARATORS = re.compile(r"[,,、;;\n]")


class UnknownCategory(FeedbackError):
    key = "feedback-keywords-unknown-category"  # args: category, options


class KeywordsInGroup(FeedbackError):
    key = "feedback-keywords-in-group"


class NoWords(FeedbackError):
    key = "feedback-keywords-empty"


class WordTooLong(FeedbackError):
    key = "feedback-keywords-too-long"  # args: limit


class TooManyWords(FeedbackError):
    key = "feedback-keywords-too-many"  # args: limit


def category_of(text: str) -> str:
    folded = text.strip().lower()
    for category, names in CATEGORY_NAMES.items():
        if folded in names:
            return category
    raise UnknownCategory(category=text.strip()[:32], options=", ".join(EDITABLE))


def parse_words(text: str) -> tuple[str, ...]:
    """Words separated by spaces, or phrases separated by commas when there is a comma."""
    parts = _SEPARATORS.split(text) if _SEPARATORS.search(text) else text.split()
    words: list[str] = []
    for part in parts:
        word = " ".join(part.split()).lower()
        if len(word) > MAX_WORD:
            raise WordTooLong(limit=MAX_WORD)
        if word and word not in words:
            words.append(word)
    if not words:
        raise NoWords()
    return tuple(words)


def merged(own: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    return {c: own.get(c, rules.DEFAULT_KEYWORDS.get(c, ())) for c in EDITABLE}


async def of_group(uow: UnitOfWork, group_id: int) -> dict[str, tuple[str, ...]]:
    """The lists the group's proposals use (its own, or the defaults)."""
    return merged(await rows.of_group(uow.session, group_id))


async def own_categories(uow: UnitOfWork, group_id: int) -> set[str]:
    return set(await rows.of_group(uow.session, group_id))


async def edit(
    uow: UnitOfWork,
    group_id: int,
    category: str,
    action: str,
    words: tuple[str, ...],
    actor_id: int,
    at: datetime,
) -> tuple[str, ...]:
    """add | remove words of a category's list; returns the new list."""
    assert action in ("add", "remove") and category in EDITABLE
    current = (await of_group(uow, group_id))[category]
    if action == "add":
        result = current + tuple(w for w in words if w not in current)
        if len(result) > MAX_WORDS:
            raise TooManyWords(limit=MAX_WORDS)
    else:
        result = tuple(w for w in current if w not in words)
    if result != current:
        await uow.claim()
        await rows.put(uow.session, group_id, category, result, actor_id, at)
        await _audit(uow, group_id, actor_id, at, category, action, words)
        await uow.commit()
    return result


async def reset(
    uow: UnitOfWork, group_id: int, category: str, actor_id: int, at: datetime
) -> tuple[str, ...]:
    await uow.claim()
    if await rows.drop(uow.session, group_id, category):
        await _audit(uow, group_id, actor_id, at, category, "reset", ())
    await uow.commit()
    return rules.DEFAULT_KEYWORDS[category]


async def _audit(
    uow: UnitOfWork,
    group_id: int,
    actor_id: int,
    at: datetime,
    category: str,
    action: str,
    words: tuple[str, ...],
) -> None:
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="feedback_keywords",
        at=at,
        details={"category": category, "action": action, "words": list(words)[:20]},
    )
