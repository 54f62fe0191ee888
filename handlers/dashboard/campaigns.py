"""The Campaigns page: the group's campaigns with their progress and pause / resume / cancel,
a campaign's report by arm (the chat report's statistics and verdict), its CSV, and the
audience builder (a live count as the admin types, preview, Confirm). Every rule is
core/campaigns/service.py's, as for /campaign and its buttons."""

from __future__ import annotations

import html
import logging
from typing import Any

from aiohttp import web

from bot.dashboard.routes import WebContext, WebError, WebPage, WebRoute, text_field
from core.campaigns import rules
from core.campaigns.service import CampaignService, Draft, Preview
from core.campaigns.settings import quiet_hours
from core.campaigns.stats import campaign_stats
from core.statistics.proportions import Proportion
from handlers.campaigns import render
from handlers.dashboard.json import day, text, when

logger = logging.getLogger(__name__)
LISTED = 10  # as /campaigns lists them
STATS_TIMEOUT = 30.0
DONE = ("sent", "blocked", "failed", "skipped", "unknown")


def _service(ctx: WebContext) -> CampaignService:
    return ctx.service("campaigns")


def _campaign(ctx: WebContext, c: Any, counts: dict[str, int]) -> dict[str, Any]:
    waiting = None
    if c.status == "sending":
        quiet = quiet_hours(ctx.group)
        until = quiet.next_allowed(ctx.at, ctx.group.timezone) if quiet is not None else None
        waiting = when(until)
    return {
        "id": c.id,
        "number": c.number,
        "kind": c.kind,
        "kind_text": ctx.t(f"campaign-kind-{c.kind}"),
        "status": c.status,
        "status_text": render.status_word(ctx.t, c.status),
        "selector": c.selector,
        "audience": c.audience,
        "holdout": c.holdout,
        "total": c.audience - c.holdout,
        "done": sum(counts.get(s, 0) for s in DONE),
        "sent": counts.get("sent", 0),
        "blocked": counts.get("blocked", 0),
        "failed": counts.get("failed", 0),
        "skipped": counts.get("skipped", 0),
        "unknown": counts.get("unknown", 0),
        "waiting_until": waiting,
        "start": when(c.start_at or c.created_at),
        "text": text(c.text) if c.source_message_id is None else "",
        "actions": _actions(c.status),
    }


def _actions(status: str) -> list[str]:
    if status in ("scheduled", "sending"):
        return ["pause", "cancel"]
    if status == "paused":
        return ["resume", "cancel"]
    return []


async def listing(ctx: WebContext) -> dict[str, Any]:
    uow = ctx.read_uow()
    found: list[Any] = await _service(ctx).listing(uow.session, ctx.group.group_id, LISTED)
    rows = [_campaign(ctx, c, await _service(ctx).status_counts(uow.session, c.id)) for c in found]
    return {"timezone": ctx.group.timezone, "campaigns": rows}


def _counted(p: Preview) -> dict[str, Any]:
    return {
        "audience": p.audience,
        "holdout": p.holdout,
        "holdout_percent": p.holdout_percent,
        "reachable": p.reachable,
        "unreachable": p.unreachable,
        "opted_out": p.opted_out,
        "capped": p.capped,
    }


async def count(ctx: WebContext) -> dict[str, Any]:
    """The live count under the selector input (the page asks after a typing pause); a parse
    error comes back with its position (the server's DomainError answer)."""
    selector = ctx.query("selector").strip()
    if not selector:
        raise WebError(400, "dash-error-bad-input", field="selector")
    counted = await _service(ctx).count(ctx.read_uow().session, ctx.group, selector, ctx.at)
    return {"selector": selector, **_counted(counted)}


def _options(body: dict[str, Any]) -> rules.Options:
    """The button, as the one-line form's `claim=N` / `link=URL` words (the same checks)."""
    button = body.get("button", "none")
    if button == "claim":
        words = [f"claim={str(body.get('points', '')).strip()}"]
    elif button == "link":
        words = [f"link={text_field(body, 'url', limit=500)}"]
    elif button in ("none", "", None):
        words = []
    else:
        raise WebError(400, "dash-error-bad-input", field="button")
    options, used = rules.read_options(words)
    if used != len(words):
        raise WebError(400, "dash-error-bad-input", field="button")
    return options


async def preview(ctx: WebContext) -> dict[str, Any]:
    body = await ctx.body()
    selector = text_field(body, "selector", limit=500).strip()
    message = text_field(body, "text", limit=4000, required=False)
    options = _options(body)
    draft = Draft(
        selector=selector,
        text=html.escape(message.strip()),
        button=options.button,
        url=options.url,
        points=options.points,
    )
    counted = await _service(ctx).preview(ctx.uow(), ctx.group, draft, ctx.user_id, ctx.at)
    button = render.button_line(ctx.t, draft.button, draft.url, draft.points)
    return {
        "id": counted.campaign_id,
        **_counted(counted),
        "sample": text(rules.personal_text(draft.text, ctx.t("dash-campaign-sample-name"))),
        "button": text(button),
    }


async def confirm(ctx: WebContext) -> dict[str, Any]:
    campaign = await _service(ctx).confirm(
        ctx.uow(), ctx.group, ctx.int_path("campaign_id"), ctx.at, actor=ctx.user_id
    )
    _wake(ctx)
    return {"campaign": _campaign(ctx, campaign, {})}


async def _control(ctx: WebContext, action: str) -> dict[str, Any]:
    campaign = await _service(ctx).control(
        ctx.uow(), ctx.group, ctx.int_path("campaign_id"), action, ctx.at, actor=ctx.user_id
    )
    if action == "resume":
        _wake(ctx)
    counts = await _service(ctx).status_counts(ctx.read_uow().session, campaign.id)  # type: ignore[attr-defined]
    return {"campaign": _campaign(ctx, campaign, counts)}


def _wake(ctx: WebContext) -> None:
    runner = ctx.deps.get("campaign_runner")
    if runner is not None:
        runner.wake()


async def pause(ctx: WebContext) -> dict[str, Any]:
    return await _control(ctx, "pause")


async def resume(ctx: WebContext) -> dict[str, Any]:
    return await _control(ctx, "resume")


async def cancel(ctx: WebContext) -> dict[str, Any]:
    return await _control(ctx, "cancel")


def _rate(p: Proportion | None, count: int, members: int) -> dict[str, Any]:
    return {
        "count": count,
        "members": members,
        "rate": p.rate if p is not None and members else None,
        "low": p.low if p is not None and members else None,
        "high": p.high if p is not None and members else None,
    }


async def report(ctx: WebContext) -> dict[str, Any]:
    """The chat report's numbers (/campaign <n>): arms by assignment, 7-day reactivation with
    Wilson intervals, the difference with Newcombe's interval and the same verdict text."""
    service = _service(ctx)
    session = ctx.read_uow().session
    campaign: Any = await service.find(session, ctx.group.group_id, ctx.int_path("number"))
    found = await service.report(session, ctx.group, campaign, ctx.at)
    active = claims = None
    try:
        active, claims = await ctx.service("worker").run(
            campaign_stats,
            found.holdout.active,
            found.holdout.members,
            found.treated.active,
            found.treated.members,
            found.treated.claims,
            timeout=STATS_TIMEOUT,
        )
    except Exception:  # noqa: BLE001  (the counts are still worth showing)
        logger.exception("statistics of campaign %s could not be computed", campaign.number)
    difference = None
    if active is not None:
        difference = {
            "value": active.difference,
            "low": active.low,
            "high": active.high,
            "verdict": active.verdict.value,
        }
    return {
        "campaign": _campaign(ctx, campaign, found.statuses),
        "statuses": found.statuses,
        "window": {
            "first": day(found.first_day),
            "last": day(found.last_day),
            "days": found.days_measured,
            "of": 7,
        },
        "treated": {
            **_rate(getattr(active, "b", None), found.treated.active, found.treated.members),
            "claims": _rate(claims, found.treated.claims, found.treated.members),
        },
        "holdout": _rate(getattr(active, "a", None), found.holdout.active, found.holdout.members),
        "difference": difference,
        "verdict": [text(line) for line in render.verdict_lines(ctx.t, active, "active")],
        "claims": campaign.button == "claim" or campaign.kind == "reactivation",
        "csv": f"g/{ctx.group.group_id}/campaigns/{campaign.number}/export.csv",
    }


async def export_csv(ctx: WebContext) -> web.StreamResponse:
    """The rows of /export campaign <n> (the same builder and columns)."""
    service = _service(ctx)
    session = ctx.read_uow().session
    number = ctx.int_path("number")
    campaign = await service.find(session, ctx.group.group_id, number)
    data, _ = await service.export_csv(session, ctx.group, campaign, ctx.at)
    return web.Response(
        body=data,
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="campaign-{number}.csv"',
        },
    )


def page() -> WebPage:
    return WebPage(
        "campaigns",
        (
            WebRoute("GET", "campaigns", listing),
            WebRoute("GET", "campaigns/count", count),
            WebRoute("POST", "campaigns/preview", preview),
            WebRoute("POST", "campaigns/{campaign_id:\\d+}/confirm", confirm),
            WebRoute("POST", "campaigns/{campaign_id:\\d+}/pause", pause),
            WebRoute("POST", "campaigns/{campaign_id:\\d+}/resume", resume),
            WebRoute("POST", "campaigns/{campaign_id:\\d+}/cancel", cancel),
            WebRoute("GET", "campaigns/{number:\\d+}/report", report),
            WebRoute("GET", "campaigns/{number:\\d+}/export.csv", export_csv),
        ),
        order=45,
    )
