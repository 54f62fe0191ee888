"""How scheduled posts read: the recurrence in words, /posts lines and their buttons."""

from __future__ import annotations

from datetime import datetime

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.replies import plain
from bot.scheduler import local_time
from core.community.group_settings import GroupSettings
from core.schedule import when as w
from core.schedule.when import Rule, parse_rule
from core.text import shorten
from storage.queries.schedule.posts import PAUSED, Post

LISTED = 20  # posts shown by /posts
WITH_BUTTONS = 8  # of which get buttons (a keyboard row each)


class PostButton(CallbackData, prefix="sp"):
    action: str  # pause | resume | delete | preview | list
    id: int = 0


def _hm(rule: Rule) -> str:
    return f"{rule.hour:02d}:{rule.minute:02d}"


def _duration(t: Translator, seconds: int) -> str:
    if seconds % 86400 == 0:
        return t("schedule-days", n=seconds // 86400)
    if seconds % 3600 == 0:
        return t("schedule-hours", n=seconds // 3600)
    if seconds % 60 == 0:
        return t("schedule-minutes", n=seconds // 60)
    return t("schedule-seconds", n=seconds)


def describe(t: Translator, rule: Rule, timezone: str) -> str:
    """The recurrence in words (zh and en)."""
    if rule.kind == w.ONCE:
        assert rule.at is not None
        return t("schedule-desc-once", at=local_text(rule.at, timezone))
    if rule.kind == w.DAILY:
        return t("schedule-desc-daily", time=_hm(rule))
    if rule.kind == w.WEEKLY:
        days = t("schedule-day-sep").join(t(f"schedule-day-{d}") for d in rule.weekdays)
        return t("schedule-desc-weekly", days=days, time=_hm(rule))
    if rule.kind == w.MONTHLY:
        if rule.month_day == -1:
            return t("schedule-desc-monthly-last", time=_hm(rule))
        return t("schedule-desc-monthly", day=rule.month_day, time=_hm(rule))
    if rule.kind == w.CRON:
        return t("schedule-desc-cron", expr=rule.cron_text)
    return t("schedule-desc-every", span=_duration(t, rule.seconds))


def local_text(at: datetime, timezone: str) -> str:
    return local_time(at, timezone).strftime("%Y-%m-%d %H:%M")


def _summary(t: Translator, post: Post) -> str:
    if post.source_message_id is not None:
        return t("schedule-copy-of", id=post.source_message_id)
    # The stored text is HTML-escaped already; shown as it is (shortened on its plain form).
    return shorten(plain(post.text).replace("\n", " "), 40)


def post_line(t: Translator, post: Post, timezone: str) -> str:
    rule = parse_rule(post.rule)
    next_run = (
        local_text(post.next_run_at, timezone)
        if post.next_run_at is not None
        else t("schedule-none")
    )
    return t(
        "schedule-line",
        id=post.id,
        state="⏸" if post.status == PAUSED else "▶️",
        desc=describe(t, rule, timezone),
        next=next_run,
        summary=_summary(t, post),
        topic="yes" if post.thread_id else "no",
    )


def listing(t: Translator, posts: list[Post], group: GroupSettings) -> str:
    if not posts:
        return t("schedule-list-empty")
    lines = [t("schedule-list-title", count=len(posts), tz=group.timezone)]
    lines += [post_line(t, post, group.timezone) for post in posts[:LISTED]]
    if len(posts) > LISTED:
        lines.append(t("schedule-list-more", n=len(posts) - LISTED))
    return "\n".join(lines)


def keyboard(t: Translator, posts: list[Post]) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    for post in posts[:WITH_BUTTONS]:
        toggle = "resume" if post.status == PAUSED else "pause"
        rows.append(
            [
                InlineKeyboardButton(
                    text=t(f"schedule-button-{toggle}", id=post.id),
                    callback_data=PostButton(action=toggle, id=post.id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("schedule-button-preview", id=post.id),
                    callback_data=PostButton(action="preview", id=post.id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("schedule-button-delete", id=post.id),
                    callback_data=PostButton(action="delete", id=post.id).pack(),
                ),
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def created_text(t: Translator, post: Post, rule: Rule, group: GroupSettings) -> str:
    assert post.next_run_at is not None
    return t(
        "schedule-created",
        id=post.id,
        desc=describe(t, rule, group.timezone),
        next=local_text(post.next_run_at, group.timezone),
        tz=group.timezone,
    )
