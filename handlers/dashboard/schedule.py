"""The Schedule page: upcoming posts and greetings with a preview, pause, resume and delete,
and a new post (its time in the words /schedule understands, with suggested times)."""

from __future__ import annotations

from typing import Any

from bot.dashboard.routes import WebContext, WebPage, WebRoute, bad_input, text_field
from core.schedule.best_time import (
    MIN_DAYS,
    MIN_EVENTS,
    ActivityMatrixSource,
    BestTimes,
    Status,
    suggest,
)
from core.schedule.posts import Content, PostService
from core.schedule.when import parse_rule, parse_when
from handlers.dashboard.json import text, when
from handlers.schedule.best_time import WEEKDAY_WORDS
from handlers.schedule.post_drafts import QUICK
from handlers.schedule.post_render import describe
from storage.queries.schedule.posts import PAUSED, Post


def _best(ctx: WebContext, best: BestTimes | None) -> dict[str, Any] | None:
    """Best times to post (core/schedule/best_time.py, over the app's activity_matrix seam) as
    the words /schedule understands: the next of each best hour, daily at the best, weekly at
    the busiest hour of the week. None: the group's activity is not known."""
    if best is None:
        return None
    choices: list[str] = []
    if best.status is Status.OK:
        choices += [f"{h.hour:02d}:00" for h in best.hours]
        choices.append(f"daily {best.hours[0].hour:02d}:00")
        if best.slot is not None:
            day = WEEKDAY_WORDS[best.slot.weekday]
            choices.append(f"weekly {day} {best.slot.hour:02d}:00")
    return {
        "status": best.status.value,
        "hours": [h.hour for h in best.hours],
        "choices": choices,
        "days": best.days,
        "events": best.events,
        "min_days": MIN_DAYS,
        "min_events": MIN_EVENTS,
        "tz": best.timezone,
    }


def _post(ctx: WebContext, post: Post) -> dict[str, Any]:
    rule = parse_rule(post.rule)
    return {
        "id": post.id,
        "label": post.label,
        "status": post.status,
        "paused": post.status == PAUSED,
        "rule": text(describe(ctx.t, rule, ctx.group.timezone)),
        "next": when(post.next_run_at),
        "runs": post.runs,
        "copy_of": post.source_message_id,
        "text": text(post.text) if post.source_message_id is None else "",
        "topic": post.thread_id is not None,
    }


async def listing(ctx: WebContext) -> dict[str, Any]:
    service: PostService = ctx.service("posts")
    uow = ctx.read_uow()
    posts = await service.listing(uow, ctx.group.group_id)
    source: ActivityMatrixSource | None = ctx.deps.get("activity_matrix")
    best = await suggest(uow, source, ctx.group.group_id, ctx.at) if source is not None else None
    return {
        "timezone": ctx.group.timezone,
        "posts": [_post(ctx, p) for p in posts],
        "best": _best(ctx, best),
        "quick": list(QUICK),
    }


async def create(ctx: WebContext) -> dict[str, Any]:
    body = await ctx.body()
    words = text_field(body, "when", limit=100).split()
    content = text_field(body, "text", limit=4000)
    rule, used = parse_when(words, ctx.at, ctx.group.timezone)
    if used != len(words):
        raise bad_input("when")
    service: PostService = ctx.service("posts")
    post = await service.create(
        ctx.uow(), ctx.group, ctx.user_id, rule, Content(text=content), None, ctx.at
    )
    return {"post": _post(ctx, post)}


async def _act(ctx: WebContext, action: str) -> dict[str, Any]:
    service: PostService = ctx.service("posts")
    post_id = ctx.int_path("post_id")
    uow = ctx.uow()
    if action == "pause":
        post = await service.pause(uow, ctx.group, ctx.user_id, post_id, ctx.at)
    elif action == "resume":
        post = await service.resume(uow, ctx.group, ctx.user_id, post_id, ctx.at)
    else:
        await service.remove(uow, ctx.group, ctx.user_id, post_id, ctx.at)
        return {"deleted": post_id}
    return {"post": _post(ctx, post)}


async def pause(ctx: WebContext) -> dict[str, Any]:
    return await _act(ctx, "pause")


async def resume(ctx: WebContext) -> dict[str, Any]:
    return await _act(ctx, "resume")


async def delete(ctx: WebContext) -> dict[str, Any]:
    return await _act(ctx, "delete")


def page() -> WebPage:
    return WebPage(
        "schedule",
        (
            WebRoute("GET", "schedule", listing),
            WebRoute("POST", "schedule", create),
            WebRoute("POST", "schedule/{post_id:\\d+}/pause", pause),
            WebRoute("POST", "schedule/{post_id:\\d+}/resume", resume),
            WebRoute("POST", "schedule/{post_id:\\d+}/delete", delete),
        ),
        order=40,
    )
