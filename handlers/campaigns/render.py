"""Campaign buttons and texts: the preview, the progress line, the list, the report."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from core.campaigns import rules
from core.campaigns.service import Preview, Report
from core.statistics.proportions import (
    MIN_SUCCESSES,
    MIN_TRIALS,
    Comparison,
    Proportion,
    Verdict,
)


class CampaignButton(CallbackData, prefix="cg"):
    """An admin's button: c confirm, x cancel, p pause, r resume (checked on every press)."""

    action: str
    campaign: int


class ClaimButton(CallbackData, prefix="cc"):
    """A member's "claim N points" under a campaign message."""

    campaign: int


def _button(text: str, action: str, campaign_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=CampaignButton(action=action, campaign=campaign_id).pack()
    )


def preview_keyboard(t: Translator, campaign_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(t("campaign-button-confirm"), "c", campaign_id),
                _button(t("campaign-button-cancel"), "x", campaign_id),
            ]
        ]
    )


def control_keyboard(t: Translator, campaign: Any) -> InlineKeyboardMarkup | None:
    if campaign.status in ("scheduled", "sending"):
        first = _button(t("campaign-button-pause"), "p", campaign.id)
    elif campaign.status == "paused":
        first = _button(t("campaign-button-resume"), "r", campaign.id)
    else:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[first, _button(t("campaign-button-stop"), "x", campaign.id)]]
    )


def member_keyboard(t: Translator, campaign: Any) -> InlineKeyboardMarkup | None:
    if campaign.button == "claim":
        data = ClaimButton(campaign=campaign.id).pack()
        label = t("campaign-button-claim", points=campaign.button_points)
        return InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=data)]]
        )
    if campaign.button == "link":
        label = t("campaign-button-link")
        return InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=label, url=campaign.button_url)]]
        )
    return None


def local(at: datetime, timezone: str) -> str:
    return at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def preview_text(
    t: Translator, preview: Preview, draft_text: str, button: str, timezone: str, start: Any
) -> str:
    lines = [
        t("campaign-preview-title"),
        t(
            "campaign-preview-audience",
            audience=preview.audience,
            holdout=preview.holdout,
            percent=preview.holdout_percent,
        ),
        t(
            "campaign-preview-reach",
            reachable=preview.reachable,
            unreachable=preview.unreachable,
            opted_out=preview.opted_out,
            capped=preview.capped,
        ),
    ]
    lines.append(button)
    lines.append(
        t("campaign-preview-when", when=local(start, timezone))
        if start is not None
        else t("campaign-preview-now")
    )
    if draft_text:
        lines += ["", t("campaign-preview-sample"), rules.personal_text(draft_text, "Alex")]
    else:
        lines.append(t("campaign-preview-copy"))
    lines += ["", t("campaign-preview-confirm")]
    return "\n".join(lines)


def button_line(t: Translator, button: str, url: str, points: int) -> str:
    if button == "claim":
        return t("campaign-preview-claim", points=points)
    if button == "link":
        return t("campaign-preview-link", url=html.escape(url))
    return t("campaign-preview-no-button")


def status_word(t: Translator, status: str) -> str:
    return t(f"campaign-status-{status}")


def progress_text(
    t: Translator, campaign: Any, counts: dict[str, int], waiting_until: str | None
) -> str:
    treated = campaign.audience - campaign.holdout
    done = sum(counts.get(s, 0) for s in ("sent", "blocked", "failed", "skipped", "unknown"))
    line = t(
        "campaign-progress",
        number=campaign.number,
        done=done,
        total=treated,
        sent=counts.get("sent", 0),
        blocked=counts.get("blocked", 0),
        skipped=counts.get("skipped", 0),
        status=status_word(t, campaign.status),
    )
    parts = [line]
    if counts.get("unknown"):
        parts.append(t("campaign-progress-unknown", unknown=counts["unknown"]))
    if waiting_until:
        parts.append(t("campaign-progress-quiet", until=waiting_until))
    if campaign.status == "done":
        parts.append(t("campaign-progress-done", number=campaign.number))
    return "\n".join(parts)


def list_text(t: Translator, campaigns: list[Any], timezone: str) -> str:
    if not campaigns:
        return t("campaigns-none")
    lines = [t("campaigns-title")]
    for c in campaigns:
        lines.append(
            t(
                "campaigns-line",
                number=c.number,
                kind=t(f"campaign-kind-{c.kind}"),
                status=status_word(t, c.status),
                audience=c.audience,
                selector=html.escape(c.selector),
                when=local(c.start_at or c.created_at, timezone),
            )
        )
    lines.append(t("campaigns-hint"))
    return "\n".join(lines)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _points(value: float) -> str:
    return f"{value * 100:+.1f}"


def report_text(
    t: Translator,
    report: Report,
    timezone: str,
    active: Comparison | None,
    claims: Proportion | None,
) -> str:
    c: Any = report.campaign
    s = report.statuses
    lines = [
        t(
            "campaign-report-title",
            number=c.number,
            kind=t(f"campaign-kind-{c.kind}"),
            status=status_word(t, c.status),
        ),
        t("campaign-report-audience", selector=html.escape(c.selector), audience=c.audience),
        t(
            "campaign-report-delivery",
            sent=s.get("sent", 0),
            blocked=s.get("blocked", 0),
            failed=s.get("failed", 0),
            skipped=s.get("skipped", 0),
            unknown=s.get("unknown", 0),
            pending=s.get("pending", 0) + s.get("sending", 0),
            holdout=s.get("holdout", 0),
        ),
        "",
        t(
            "campaign-report-window",
            first=report.first_day.isoformat(),
            last=report.last_day.isoformat(),
            days=report.days_measured,
        ),
        _arm_line(t, "treated", report.treated.active, report.treated.members, active, "b"),
        _arm_line(t, "holdout", report.holdout.active, report.holdout.members, active, "a"),
        *verdict_lines(t, active, "active"),
    ]
    if c.button == "claim" or c.kind == "reactivation":
        lines += [
            "",
            _rate_line(t, "claims", report.treated.claims, report.treated.members, claims),
        ]
    return "\n".join(lines)


def _arm_line(
    t: Translator, arm: str, count: int, members: int, found: Comparison | None, side: str
) -> str:
    rate = getattr(found, side, None) if found is not None else None
    return _rate_line(t, arm, count, members, rate)


def _rate_line(t: Translator, arm: str, count: int, members: int, rate: Proportion | None) -> str:
    if rate is None or members == 0:
        return t(f"campaign-report-{arm}", count=count, members=members, rate="–", low="–",
                 high="–")  # fmt: skip
    return t(
        f"campaign-report-{arm}",
        count=count,
        members=members,
        rate=_percent(rate.rate),
        low=_percent(rate.low),
        high=_percent(rate.high),
    )


def verdict_lines(t: Translator, found: Comparison | None, what: str) -> list[str]:
    if found is None:
        return [t("campaign-report-no-stats")]
    if found.verdict is Verdict.NOT_ENOUGH_DATA:
        return [t("campaign-report-not-enough", min=MIN_TRIALS, events=MIN_SUCCESSES)]
    lines = [
        t(
            "campaign-report-difference",
            diff=_points(found.difference),
            low=_points(found.low),
            high=_points(found.high),
        )
    ]
    if found.verdict is Verdict.B_BETTER:
        lines.append(t("campaign-report-effect-up"))
    elif found.verdict is Verdict.A_BETTER:
        lines.append(t("campaign-report-effect-down"))
    else:
        lines.append(t("campaign-report-no-effect"))
    return lines
