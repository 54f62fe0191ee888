"""The Feedback page: the inbox with threads, status, priority and categories; a reply relayed
to the member as from /inbox; the latest surveys' results."""

from __future__ import annotations

from typing import Any

from bot.dashboard.routes import WebContext, WebError, WebPage, WebRoute, int_field, text_field
from core.community.members import user_row
from core.feedback import inbox, rules, surveys
from core.feedback.inbox import Item
from handlers.dashboard.json import when
from handlers.feedback.manage import relay_reply, tell_member_closed

LISTED = 50


def _item(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "number": item.number,
        "user_id": item.user_id,
        "name": item.name,
        "category": item.category,
        "status": item.status,
        "priority": item.priority,
        "text": item.text,
        "at": when(item.created_at),
        "resolved": when(item.resolved_at),
        "survey": item.survey_number,
    }


async def listing(ctx: WebContext) -> dict[str, Any]:
    status = ctx.query("status")
    category = ctx.query("category")
    uow = ctx.read_uow()
    items = await inbox.open_items(
        uow,
        [ctx.group.group_id],
        status=status if status in rules.STATUSES else None,
        category=category if category in rules.CATEGORIES else None,
        limit=LISTED,
    )
    results = await surveys.recent_results(uow, ctx.group.group_id)
    return {
        "items": [_item(i) for i in items],
        "statuses": list(rules.STATUSES),
        "categories": list(rules.CATEGORIES),
        "priorities": list(rules.PRIORITIES),
        "surveys": [
            {
                "number": r.survey.number,
                "kind": r.survey.kind,
                "question": r.survey.question,
                "closed": r.survey.closed,
                "responses": r.responses,
                "distribution": {str(k): v for k, v in r.distribution.items()},
                "nps": r.nps if r.survey.kind == surveys.NPS else None,
                "average": round(r.average, 2),
            }
            for r in results
        ],
    }


async def _own(ctx: WebContext, uow: Any) -> Item:
    try:
        item = await inbox.get(uow, ctx.int_path("item_id"))
    except rules.UnknownItem:
        raise WebError(404, "dash-error-not-found") from None
    if item.group_id != ctx.group.group_id:  # another group's item: as if it did not exist
        raise WebError(404, "dash-error-not-found")
    return item


async def detail(ctx: WebContext) -> dict[str, Any]:
    uow = ctx.read_uow()
    item = await _own(ctx, uow)
    lines = await inbox.thread(uow, item.id, limit=100)
    return {
        "item": _item(item),
        "thread": [
            {"role": line.role, "name": line.name, "text": line.text, "at": when(line.at)}
            for line in lines
        ],
    }


async def set_status(ctx: WebContext) -> dict[str, Any]:
    body = await ctx.body()
    status = text_field(body, "status", limit=20)
    uow = ctx.uow()
    item = await _own(ctx, uow)
    if status not in rules.STATUSES:
        raise WebError(400, "dash-error-bad-input", field="status")
    item, closed = await inbox.set_status(uow, item.id, ctx.user_id, status, ctx.at)
    if closed:
        await tell_member_closed(
            uow, ctx.service("groups"), ctx.service("locales"), ctx.service("outbox"), item
        )
    return {"item": _item(item)}


async def set_priority(ctx: WebContext) -> dict[str, Any]:
    body = await ctx.body()
    priority = int_field(body, "priority", min(rules.PRIORITIES), max(rules.PRIORITIES))
    uow = ctx.uow()
    item = await _own(ctx, uow)
    item = await inbox.set_priority(uow, item.id, ctx.user_id, priority, ctx.at)
    return {"item": _item(item)}


async def reply(ctx: WebContext) -> dict[str, Any]:
    body = await ctx.body()
    message = text_field(body, "text", limit=rules.MAX_TEXT)
    uow = ctx.uow()
    item = await _own(ctx, uow)
    s = ctx.session
    actor = user_row(s.user_id, s.username, s.name, s.language_code)
    item = await relay_reply(
        uow,
        ctx.service("groups"),
        ctx.service("locales"),
        ctx.service("outbox"),
        item.id,
        actor,
        message,
        ctx.at,
    )
    return {"item": _item(item)}


def page() -> WebPage:
    return WebPage(
        "feedback",
        (
            WebRoute("GET", "feedback", listing),
            WebRoute("GET", "feedback/{item_id:\\d+}", detail),
            WebRoute("POST", "feedback/{item_id:\\d+}/status", set_status),
            WebRoute("POST", "feedback/{item_id:\\d+}/priority", set_priority),
            WebRoute("POST", "feedback/{item_id:\\d+}/reply", reply),
        ),
        order=50,
    )
