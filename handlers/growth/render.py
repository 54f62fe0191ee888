"""Texts and buttons of invites and onboarding."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import plain
from core.growth import onboarding
from core.growth import questions as qs
from core.growth.invites import LinkState
from core.growth.onboarding import Request, StoredQuestion
from core.growth.profile import GrowthProfile
from core.text import shorten


class InviteGroup(CallbackData, prefix="ivg"):
    """In private, /invite for one of the member's groups."""

    g: int


class AnswerButton(CallbackData, prefix="obq"):
    """An option of a choice question: request, step, option."""

    r: int
    s: int
    o: int


class DecideButton(CallbackData, prefix="obd"):
    """An administrator's decision on a join request: a (approve) or d (decline)."""

    r: int
    a: str


class PanelButton(CallbackData, prefix="obp"):
    """The /onboarding panel: on, off, auto, admins, addc, addt, up, del, pending."""

    a: str
    n: int = 0


def answer(outbox: Outbox, query: CallbackQuery, text: str = "", *, alert: bool = False) -> None:
    """Answer a press (a toast, or an alert the presser must close)."""
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    outbox.send(
        chat_id,
        AnswerCallbackQuery(
            callback_query_id=query.id, text=plain(text)[:200] or None, show_alert=alert or None
        ),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


def mention(user_id: int, name: str) -> str:
    return f'<a href="tg://user?id={user_id}">{html.escape(shorten(name or str(user_id), 40))}</a>'


# ---- invites ---------------------------------------------------------------------------------


def invite_text(t: Translator, group_title: str, link: str, points: int, state: LinkState) -> str:
    lines = [
        t("invite-link", group=shorten(group_title or "…", 60), link=link),
        "",
        t("invite-rule", points=points) if points > 0 else t("invite-rule-no-points"),
        t("invite-count", counted=state.counted, waiting=state.waiting),
    ]
    return "\n".join(lines)


def group_keyboard(groups: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=shorten(title or str(group_id), 40),
                    callback_data=InviteGroup(g=group_id).pack(),
                )
            ]
            for group_id, title in groups[:20]
        ]
    )


# ---- onboarding: the requester -----------------------------------------------------------------


def question_text(t: Translator, request: Request, question: qs.Question, *, intro: bool) -> str:
    lines = []
    if intro:
        minutes = max(1, int(onboarding.WINDOW.total_seconds() // 60))
        lines += [t("onboarding-intro", count=len(request.questions), minutes=minutes), ""]
    lines.append(
        t(
            "onboarding-question",
            number=request.step + 1,
            count=len(request.questions),
            prompt=question.prompt,
        )
    )
    if question.kind == qs.TEXT:
        lines.append(t("onboarding-text-hint", max=qs.MAX_ANSWER))
    return "\n".join(lines)


def question_keyboard(request: Request, question: qs.Question) -> InlineKeyboardMarkup | None:
    if question.kind != qs.CHOICE:
        return None
    buttons = [
        InlineKeyboardButton(
            text=option, callback_data=AnswerButton(r=request.id, s=request.step, o=index).pack()
        )
        for index, option in enumerate(question.options)
    ]
    # Two a row for short options, one a row for long ones.
    width = 2 if all(len(o) <= 16 for o in question.options) else 1
    return InlineKeyboardMarkup(
        inline_keyboard=[buttons[i : i + width] for i in range(0, len(buttons), width)]
    )


def answers_text(
    t: Translator, answers: tuple[tuple[str, str], ...] | list[tuple[str, str]]
) -> str:
    if not answers:
        return t("onboarding-no-answers")
    return "\n".join(
        f"• <b>{html.escape(field)}</b>: {html.escape(value)}" for field, value in answers
    )


def review_text(t: Translator, request: Request, group_title: str) -> str:
    head = t(
        "onboarding-review",
        group=shorten(group_title or str(request.group_id), 60),
        answered=len(request.answers),
        count=len(request.questions),
    )
    lines = [head, mention(request.user_id, request.name)]
    if request.timed_out:
        lines.append(t("onboarding-review-timed-out"))
    lines += ["", answers_text(t, request.answers)]
    return "\n".join(lines)


def review_group_text(t: Translator, request: Request) -> str:
    return t(
        "onboarding-review-group",
        name=shorten(request.name or str(request.user_id), 40),
        answered=len(request.answers),
        count=len(request.questions),
    )


def decide_keyboard(t: Translator, request_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("onboarding-button-approve"),
                    callback_data=DecideButton(r=request_id, a="a").pack(),
                ),
                InlineKeyboardButton(
                    text=t("onboarding-button-decline"),
                    callback_data=DecideButton(r=request_id, a="d").pack(),
                ),
            ]
        ]
    )


# ---- onboarding: the administrators' panel ------------------------------------------------------


def question_line(t: Translator, stored: StoredQuestion) -> str:
    q = stored.question
    line = t(
        "onboarding-question-line",
        number=stored.number,
        field=q.field,
        kind=t(f"onboarding-kind-{q.kind}"),
        prompt=shorten(q.prompt, 120),
    )
    if q.options:
        line += "\n    " + html.escape(" · ".join(q.options))
    return line


def panel_text(
    t: Translator, *, on: bool, auto: bool, questions: list[StoredQuestion], waiting: int
) -> str:
    lines = [
        t("onboarding-panel-title"),
        t("onboarding-panel-state", state="on" if on else "off"),
        t("onboarding-panel-mode", mode="auto" if auto else "admins"),
        "",
    ]
    if questions:
        lines += [question_line(t, s) for s in questions]
    else:
        lines.append(t("onboarding-no-questions"))
    if waiting:
        lines += ["", t("onboarding-panel-waiting", count=waiting)]
    lines += ["", t("onboarding-approval-note"), "", t("onboarding-usage")]
    return "\n".join(lines)


def panel_keyboard(
    t: Translator, *, on: bool, auto: bool, questions: list[StoredQuestion], waiting: int
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=t("onboarding-button-off" if on else "onboarding-button-on"),
                callback_data=PanelButton(a="off" if on else "on").pack(),
            ),
            InlineKeyboardButton(
                text=t("onboarding-button-admins" if auto else "onboarding-button-auto"),
                callback_data=PanelButton(a="admins" if auto else "auto").pack(),
            ),
        ],
        [
            InlineKeyboardButton(
                text=t("onboarding-button-add-choice"), callback_data=PanelButton(a="addc").pack()
            ),
            InlineKeyboardButton(
                text=t("onboarding-button-add-text"), callback_data=PanelButton(a="addt").pack()
            ),
        ],
    ]
    for stored in questions:
        row = []
        if stored.number > 1:
            row.append(
                InlineKeyboardButton(
                    text=t("onboarding-button-up", number=stored.number),
                    callback_data=PanelButton(a="up", n=stored.number).pack(),
                )
            )
        row.append(
            InlineKeyboardButton(
                text=t("onboarding-button-remove", number=stored.number),
                callback_data=PanelButton(a="del", n=stored.number).pack(),
            )
        )
        rows.append(row)
    if waiting:
        rows.append(
            [
                InlineKeyboardButton(
                    text=t("onboarding-button-pending", count=waiting),
                    callback_data=PanelButton(a="pending").pack(),
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


# ---- the member card (/whois): the seam ----------------------------------------------------------


def profile_lines(t: Translator, profile: GrowthProfile, timezone: str) -> list[str]:
    """The growth section of a member's card: who invited them, whom they brought, their
    onboarding answers (empty when there is nothing to say)."""
    lines = []
    if profile.inviter is not None:
        lines.append(
            t(
                "whois-invited-by",
                name=profile.inviter.name,
                date=_local_date(profile.inviter.joined_at, timezone),
                outcome=profile.inviter.outcome,
            )
        )
    if profile.invites or profile.waiting:
        lines.append(t("whois-invites", counted=profile.invites, waiting=profile.waiting))
    for field, value in profile.fields:
        lines.append(f"• <b>{html.escape(field)}</b>: {html.escape(value)}")
    return lines


def _local_date(at: datetime, timezone: str) -> str:
    return at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d")
