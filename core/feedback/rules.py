"""Feedback rules: categories, the keywords that propose one, statuses, priorities and limits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.errors import DomainError

CATEGORIES = ("feature", "service", "bug", "other")
# Asked first when several categories match as often (a bug report often also "wishes").
TIE_ORDER = ("bug", "service", "feature")

NEW, IN_PROGRESS, RESOLVED, WONTFIX = "new", "in_progress", "resolved", "wontfix"
STATUSES = (NEW, IN_PROGRESS, RESOLVED, WONTFIX)
OPEN = (NEW, IN_PROGRESS)
CLOSED = (RESOLVED, WONTFIX)

LOW, NORMAL, HIGH, URGENT = 0, 1, 2, 3
PRIORITIES = (LOW, NORMAL, HIGH, URGENT)
# Members reporting the same category within a week from which a new item starts as high.
HIGH_AFTER_REPORTERS = 3

MAX_TEXT = 2000
DAILY_LIMIT = 5
MAX_ATTACHMENTS = 10

DEFAULT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "feature": (
        "建议",
        "希望",
        "能不能",
        "可不可以",
        "增加",
        "添加",
        "新功能",
        "功能",
        "支持",
        "suggest",
        "feature",
        "please add",
        "would be nice",
        "wish",
        "could you add",
        "idea",
    ),
    "service": (
        "服务",
        "客服",
        "态度",
        "体验",
        "回复慢",
        "售后",
        "退款",
        "投诉",
        "service",
        "support",
        "staff",
        "rude",
        "refund",
        "complaint",
        "experience",
    ),
    "bug": (
        "报错",
        "错误",
        "崩溃",
        "闪退",
        "无法",
        "不能用",
        "打不开",
        "故障",
        "卡住",
        "失败",
        "bug",
        "error",
        "crash",
        "broken",
        "doesn't work",
        "not working",
        "fails",
    ),
}


class FeedbackError(DomainError):
    key = "feedback-error"


class FeedbackEmpty(FeedbackError):
    key = "feedback-error-empty"


class FeedbackTooLong(FeedbackError):
    key = "feedback-error-too-long"  # args: limit, length


class DailyLimitReached(FeedbackError):
    key = "feedback-error-daily-limit"  # args: limit


class NoGroupKnown(FeedbackError):
    key = "feedback-error-no-group"


class UnknownItem(FeedbackError):
    key = "feedback-error-unknown-item"


class NotManager(FeedbackError):
    key = "feedback-error-not-manager"


class NothingToAnswer(FeedbackError):
    key = "feedback-error-nothing-open"


def check_text(text: str) -> str:
    """The text to store, or a refusal (empty, or over MAX_TEXT characters)."""
    text = text.strip()
    if not text:
        raise FeedbackEmpty()
    if len(text) > MAX_TEXT:
        raise FeedbackTooLong(limit=MAX_TEXT, length=len(text))
    return text


def propose_category(text: str, keywords: Mapping[str, Sequence[str]]) -> str:
    """The category whose keywords occur most often in `text` ("other" when none does)."""
    folded = text.lower()
    best, best_hits = "other", 0
    for category in TIE_ORDER:
        hits = sum(folded.count(word) for word in keywords.get(category, ()) if word)
        if hits > best_hits:
            best, best_hits = category, hits
    return best


def default_priority(reporters_this_week: int) -> int:
    """Normal, or high once several members reported the same category this week."""
    return HIGH if reporters_this_week >= HIGH_AFTER_REPORTERS else NORMAL
