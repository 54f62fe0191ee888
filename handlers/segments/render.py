"""Texts and buttons of /segments, /whois and /tags (callback data within Telegram's 64 bytes)."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.segments.card import CardLine
from core.segments.service import Overview, Selection
from core.segments.stages import CHURNED, STAGES, TIERS
from core.segments.tags import GroupTags
from core.text import shorten

MAX_CALLBACK = 64
STAGE_ICONS = {
    "new": "🌱",
    "active": "🔥",
    "returned": "🔁",
    "at_risk": "⚠️",
    "dormant": "💤",
    "churned": "🚪",
}
TIER_ICONS = {"core": "💎", "regular": "⭐", "casual": "▫️"}


class SegmentButton(CallbackData, prefix="sg"):
    action: str  # o: overview | l: a page of members | x: CSV of the selection
    group: int
    sel: str = ""  # the selector's canonical text, ":" and "%" escaped
    after: int = 0  # the page starts after this user id (0: the first page)


class WhoisButton(CallbackData, prefix="wg"):
    group: int
    user: int


def pack_selector(text: str) -> str:
    return text.replace("%", "%25").replace(":", "%3A")


def unpack_selector(text: str) -> str:
    return text.replace("%3A", ":").replace("%25", "%")


def segment_data(action: str, group_id: int, selector: str = "", after: int = 0) -> str | None:
    """The packed button, or None when the selector is too long to travel in one."""
    data = SegmentButton(
        action=action, group=group_id, sel=pack_selector(selector), after=after
    ).pack()
    return data if len(data.encode()) <= MAX_CALLBACK else None


def line_text(t: Translator, line: CardLine) -> str:
    """A card line in the reader's language (nested lines are labels: translated first)."""
    args: dict[str, Any] = {}
    for name, value in line.args.items():
        if isinstance(value, CardLine):
            args[name] = html.unescape(line_text(t, value))
        elif isinstance(value, list):
            args[name] = " · ".join(html.unescape(line_text(t, v)) for v in value)
        else:
            args[name] = value
    key = line.key if line.fallback is None or t.has(line.key) else line.fallback
    return t(key, **args)


def card_text(t: Translator, lines: list[CardLine]) -> str:
    return "\n".join(line_text(t, line) for line in lines)


def stage_label(t: Translator, stage: str) -> str:
    return f"{STAGE_ICONS.get(stage, '')} {t(f'segment-stage-{stage}')}".strip()


def tier_label(t: Translator, tier: str) -> str:
    return f"{TIER_ICONS.get(tier, '')} {t(f'segment-tier-{tier}')}".strip()


def _share(count: int, total: int) -> str:
    return f"{100.0 * count / total:.1f}%" if total > 0 else "—"


def _change(t: Translator, change: int | None) -> str:
    if change is None:
        return ""
    return t("segments-change", change=f"{change:+d}" if change else "±0")


def overview_text(t: Translator, group: GroupSettings, ov: Overview) -> str:
    present = ov.present
    title = group.title or str(group.group_id)
    lines = [
        t("segments-title", title=title, members=present, date=ov.computed_day.isoformat())
        if ov.computed_day is not None
        else t("segments-title-pending", title=title, members=present),
        "",
        t("segments-stages"),
    ]
    for stage in STAGES:
        count = ov.stages.get(stage, 0)
        if stage == CHURNED:
            count -= ov.left
            change = ov.change("stage", stage)
            if change is not None:
                change -= ov.left - ov.week_ago.get(("left", "left"), 0)
        else:
            change = ov.change("stage", stage)
        line = t(
            "segments-line",
            label=stage_label(t, stage),
            count=count,
            share=_share(count, present),
            change=_change(t, change),
        )
        if stage == CHURNED and ov.left:
            line += " " + t("segments-left", count=ov.left)
        lines.append(line)
    lines += ["", t("segments-tiers")]
    floors = {"core": ov.core_min, "regular": ov.regular_min}
    for tier in TIERS:
        count = ov.tiers.get(tier, 0)
        line = t(
            "segments-line",
            label=tier_label(t, tier),
            count=count,
            share=_share(count, present),
            change=_change(t, ov.change("tier", tier)),
        )
        if floors.get(tier):
            line += " " + t("segments-floor", points=floors[tier])
        lines.append(line)
    lines.append("")
    if ov.computed_day is None:
        lines.append(t("segments-moves-pending"))
    elif not ov.moves:
        lines.append(t("segments-moves-none"))
    else:
        lines.append(t("segments-moves", date=ov.computed_day.isoformat()))
        lines += [
            t(
                "segments-move",
                old=_label(t, kind, old),
                new=_label(t, kind, new),
                count=count,
            )
            for kind, old, new, count in ov.moves
        ]
    lines += ["", t("segments-hint")]
    return "\n".join(lines)


def _label(t: Translator, kind: str, name: str) -> str:
    return stage_label(t, name) if kind == "stage" else tier_label(t, name)


def overview_keyboard(t: Translator, group_id: int, ov: Overview) -> InlineKeyboardMarkup:
    stage_buttons = [
        _button(f"{STAGE_ICONS[s]} {ov.stages.get(s, 0)}", segment_data("l", group_id, _word(s)))
        for s in STAGES
    ]
    tier_buttons = [
        _button(f"{TIER_ICONS[s]} {ov.tiers.get(s, 0)}", segment_data("l", group_id, s))
        for s in TIERS
    ]
    rows = [stage_buttons[:3], stage_buttons[3:], tier_buttons]
    return InlineKeyboardMarkup(inline_keyboard=[[b for b in row if b] for row in rows])


def _word(stage: str) -> str:
    return stage  # stage names are selector words too (at_risk)


def _button(text: str, data: str | None) -> InlineKeyboardButton | None:
    if data is None:
        return None
    return InlineKeyboardButton(text=text, callback_data=data)


def selection_text(
    t: Translator, group: GroupSettings, found: Selection, *, first_page: bool, private: bool
) -> str:
    """A page of members. In a group no name is a mention (a link or @username would notify
    every member listed); in private, names link to the members."""
    lines = [t("segments-list-title", selector=found.text, count=found.count)]
    for tag in found.unknown_tags:
        lines.append(t("segments-unknown-tag", tag=tag))
    if not found.rows:
        lines.append(t("segments-list-empty" if first_page else "segments-list-end"))
    for row in found.rows:
        name = html.escape(shorten(row.display_name or str(row.user_id), 40))
        who = f'<a href="tg://user?id={row.user_id}">{name}</a>' if private else name
        if row.username:
            who += f" <code>@{html.escape(row.username)}</code>"
        last = (
            local_day(row.last_active_at, group.timezone, group.day_start_hour)
            if row.last_active_at is not None
            else None
        )
        lines.append(
            "• "
            + who
            + " "
            + t(
                "segments-list-line",
                stage=stage_label(t, row.stage),
                points=row.points,
                earned=row.earned_30d,
                last=_day(last),
            )
        )
    return "\n".join(lines)


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else "—"


def selection_keyboard(
    t: Translator, group_id: int, found: Selection, after: int
) -> InlineKeyboardMarkup | None:
    row: list[InlineKeyboardButton | None] = []
    if after:
        row.append(_button(t("segments-first"), segment_data("l", group_id, found.text)))
    if found.next_after is not None:
        row.append(
            _button(t("segments-more"), segment_data("l", group_id, found.text, found.next_after))
        )
    second = [
        _button(t("segments-export"), segment_data("x", group_id, found.text))
        if found.count
        else None,
        _button(t("segments-back"), segment_data("o", group_id)),
    ]
    rows = [[b for b in r if b] for r in (row, second)]
    rows = [r for r in rows if r]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def groups_keyboard(groups: list[tuple[int, str]], data: Any) -> InlineKeyboardMarkup:
    """One button per group (`data(group_id)` packs it)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=shorten(title or str(gid), 40), callback_data=data(gid))]
            for gid, title in groups[:20]
        ]
    )


def group_tags_text(t: Translator, found: GroupTags) -> str:
    if not found.counts:
        return t("tags-none")
    lines = [t("tags-title", count=found.distinct)]
    lines += [t("tags-line", tag=tag, count=n) for tag, n in found.counts]
    if found.distinct > len(found.counts):
        lines.append(t("tags-more", count=found.distinct - len(found.counts)))
    return "\n".join(lines)
