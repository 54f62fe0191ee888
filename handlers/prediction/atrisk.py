"""Behaviour prediction (#25 §4): /atrisk for administrators, the /whois card's risk from the
model, and the leader's daily run (scores; the weekly training) in the worker process."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message

from bot.admins import AdminChecker
from bot.features import Area, CommandSpec, Feature, Role, Where
from bot.filters import InGroup, InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from bot.worker import Worker
from core.community.group_settings import GroupSettings
from core.events import EventBus
from core.prediction import scores
from core.prediction.card import ModelRisk
from core.prediction.ranking import ModelRanking
from core.prediction.segments import ModelAtRisk
from core.prediction.service import PredictionService
from core.segments.card import CardLine, card_sections
from handlers.common import command_args
from handlers.feedback.render import answer, edit
from handlers.segments.render import groups_keyboard, line_text
from storage.db import SessionFactory
from storage.queries.community import groups as group_rows

ATRISK = CommandSpec("atrisk", role=Role.ADMIN, where=Where.ANY, area=Area.NUMBERS)


class AtRiskButton(CallbackData, prefix="ar"):
    """In private: the group chosen (checked again: the presser must administer it)."""

    group: int
    limit: int


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
        auc=_f(q.auc_model, 3),
        auc_baseline=_f(q.auc_baseline, 3),
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


async def atrisk_text(
    t: Translator, report_sessions: SessionFactory, group_id: int, title: str, limit: int
) -> str:
    async with report_sessions() as session:
        quality = await scores.quality(session, group_id)
        found = await scores.at_risk(session, group_id, limit)
    lines = [t("atrisk-title", title=html.escape(title or str(group_id)))]
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
    return "\n".join(lines)


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
    text = await atrisk_text(t, report_sessions, group.group_id, group.title, limit)
    reply(outbox, message, text, priority=Priority.HIGH)


async def _administered(
    report_sessions: SessionFactory, admins: AdminChecker, user_id: int
) -> list[tuple[int, str]]:
    async with report_sessions() as session:
        known = await group_rows.list_for_user(session, user_id)
    return [(g.id, g.title or str(g.id)) for g in known if await admins.is_admin(g.id, user_id)]


async def cmd_atrisk_private(
    message: Message,
    report_sessions: SessionFactory,
    admins: AdminChecker,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    limit = _limit(command_args(message.text))
    if limit is None:
        reply(outbox, message, t("atrisk-bad-limit", most=MAX_LIMIT))
        return
    managed = await _administered(report_sessions, admins, message.from_user.id)
    if not managed:
        reply(outbox, message, t("atrisk-no-groups"))
        return
    if len(managed) > 1:
        markup = groups_keyboard(managed, lambda gid: AtRiskButton(group=gid, limit=limit).pack())
        reply(outbox, message, t("atrisk-choose-group"), markup=markup)
        return
    gid, title = managed[0]
    reply(outbox, message, await atrisk_text(t, report_sessions, gid, title, limit))


async def on_group_chosen(
    query: CallbackQuery,
    callback_data: AtRiskButton,
    report_sessions: SessionFactory,
    admins: AdminChecker,
    t: Translator,
    outbox: Outbox,
    event_at: datetime,
) -> None:
    if not await admins.is_admin(callback_data.group, query.from_user.id):
        answer(outbox, query, t("error-not-admin"), alert=True)
        return
    managed = dict(await _administered(report_sessions, admins, query.from_user.id))
    limit = min(max(callback_data.limit, 1), MAX_LIMIT)
    title = managed.get(callback_data.group, str(callback_data.group))
    edit(
        outbox,
        query,
        await atrisk_text(t, report_sessions, callback_data.group, title, limit),
        None,
        event_at,
    )
    answer(outbox, query)


def router() -> list[Router]:
    r = Router(name="prediction")
    r.message.register(cmd_atrisk, ATRISK.filter(), InGroup())
    r.message.register(cmd_atrisk_private, ATRISK.filter(), InPrivate())
    r.callback_query.register(on_group_chosen, AtRiskButton.filter())
    return [r]


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    """The /whois card's risk and the segments' at-risk stage from the model; the leader's
    daily run."""
    card_sections(deps).put(ModelRisk())
    deps["at_risk_ranking"] = ModelRanking()  # the weekly report's list
    segments = deps.get("segments")
    if segments is not None:
        segments.at_risk = ModelAtRisk()
    service = PredictionService(
        deps["session_factory"],
        deps["groups"],
        # Its own worker process (not the charts' one: a run must not hold up a /stats album).
        Worker(idle_seconds=60),
        deps["settings"].database_url,
        clock=deps["clock"],
    )
    deps["prediction"] = service
    scheduler = deps.get("post_scheduler")
    if scheduler is not None:
        scheduler.every_round(service.sweep)


def feature() -> Feature:
    return Feature("prediction", router, commands=(ATRISK,), setup=setup)
