"""Behaviour prediction (#25 §4): /atrisk for administrators, the /whois card's risk from the
model, and the leader's daily run (scores; the weekly training) in the worker process."""

from __future__ import annotations

import html
from typing import Any

from aiogram import Router
from aiogram.types import Message

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.events import EventBus
from core.prediction import scores
from core.prediction.card import ModelRisk
from core.prediction.segments import ModelAtRisk
from core.prediction.service import PredictionService
from core.segments.card import CardLine, card_sections
from handlers.common import command_args
from handlers.segments.render import line_text
from storage.db import SessionFactory

ATRISK = CommandSpec("atrisk", role=Role.ADMIN, area=Area.NUMBERS)
DEFAULT_LIMIT, MAX_LIMIT = 10, 50
TIER_ICONS = {"core": "💎", "regular": "⭐"}


def _limit(words: list[str]) -> int | None:
    if not words:
        return DEFAULT_LIMIT
    if len(words) == 1 and words[0].isdigit() and 1 <= int(words[0]) <= MAX_LIMIT:
        return int(words[0])
    return None


def _f(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def quality_text(t: Translator, q: scores.Quality) -> str:
    if q.status == "none":
        return t("atrisk-quality-none")
    if q.status == "short":
        return t("atrisk-quality-short")
    measured = t(
        "atrisk-quality",
        weeks=q.test_weeks,
        rows=q.test_rows,
        auc=_f(q.auc_model),
        auc_baseline=_f(q.auc_baseline),
        brier=_f(q.brier_model, 3),
        brier_baseline=_f(q.brier_baseline, 3),
    )
    verdict = t("atrisk-verdict-model") if q.use_model else t("atrisk-verdict-baseline")
    pooled = "\n" + t("atrisk-pooled") if q.pooled else ""
    return f"{measured}\n{verdict}{pooled}"


def member_line(t: Translator, i: int, m: scores.MemberRisk) -> str:
    name = html.escape(m.name) + (f" (@{m.username})" if m.username else "")
    why = " · ".join(html.unescape(line_text(t, CardLine(r.key, r.args))) for r in m.reasons)
    chance = (
        t("atrisk-chance", percent=round(100 * m.p_active))
        if m.p_active is not None
        else t("atrisk-no-chance")
    )
    icon = TIER_ICONS.get(m.tier, "")
    return f"{i}. {icon} {name} — {chance}" + (f" — {html.escape(why)}" if why else "")


async def cmd_atrisk(
    message: Message,
    group: GroupSettings,
    report_sessions: SessionFactory,
    t: Translator,
    outbox: Outbox,
) -> None:
    limit = _limit(command_args(message.text))
    if limit is None:
        reply(outbox, message, t("atrisk-bad-limit", most=MAX_LIMIT))
        return
    async with report_sessions() as session:
        quality = await scores.quality(session, group.group_id)
        found = await scores.at_risk(session, group.group_id, limit)
    title = html.escape(group.title or str(group.group_id))
    lines = [t("atrisk-title", title=title)]
    if not found:
        lines.append(t("atrisk-none-scored") if quality.scored_day is None else t("atrisk-none"))
    else:
        ranked_by = (
            "atrisk-intro-model" if found[0].source == scores.MODEL else "atrisk-intro-baseline"
        )
        lines.append(t(ranked_by, date=found[0].scored_day.isoformat()))
        lines.append("")
        lines += [member_line(t, i, m) for i, m in enumerate(found, 1)]
    lines += ["", quality_text(t, quality)]
    reply(outbox, message, "\n".join(lines), priority=Priority.HIGH)


def router() -> list[Router]:
    r = Router(name="prediction")
    r.message.register(cmd_atrisk, ATRISK.filter(), InGroup())
    return [r]


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    """The /whois card's risk and the segments' at-risk stage from the model; the leader's
    daily run."""
    card_sections(deps).put(ModelRisk())
    segments = deps.get("segments")
    if segments is not None:
        segments.at_risk = ModelAtRisk()
    service = PredictionService(
        deps["session_factory"],
        deps["groups"],
        deps["worker"],
        deps["settings"].database_url,
        clock=deps["clock"],
    )
    deps["prediction"] = service
    scheduler = deps.get("post_scheduler")
    if scheduler is not None:
        scheduler.every_round(service.sweep)


def feature() -> Feature:
    return Feature("prediction", router, commands=(ATRISK,), setup=setup)
