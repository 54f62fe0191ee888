"""The Members page: the table (filtered, searched, sorted, paged on the server), a member's
card, and the CSV of the current filter."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.dashboard.routes import WebContext, WebPage, WebRoute, text_field
from core.community.directory import MemberDirectory, MemberQuery, MemberRow, card
from core.csv_export import safe_cell
from core.segments import members, tags
from core.segments.directory import member_segments
from core.segments.members import Who
from core.segments.service import SegmentService
from handlers.dashboard.json import when

CSV_CHUNK = 500  # rows per write


def _query(ctx: WebContext) -> MemberQuery:
    directory: MemberDirectory = ctx.service("directory")
    filters = tuple(
        (key, ctx.query(f"f_{key}")) for key in directory.filters if ctx.query(f"f_{key}")
    )
    return MemberQuery(
        search=ctx.query("q"),
        state=ctx.query("state", "present"),
        activity=ctx.query("activity"),
        sort=ctx.query("sort", "points"),
        descending=ctx.query("dir", "desc") != "asc",
        page=ctx.int_query("page", 0, 0, 100_000),
        size=ctx.int_query("size", 50, 1, 100),
        filters=filters,
    )


def _member(m: MemberRow) -> dict[str, Any]:
    return {
        "id": m.user_id,
        "name": m.name,
        "username": m.username,
        "points": m.points,
        "streak": m.streak,
        "best_streak": m.best_streak,
        "checkins": m.checkins,
        "last_active": when(m.last_active_at),
        "joined": when(m.joined_at),
        "left": when(m.left_at),
        "lifetime": m.lifetime_earned,
        **{f"x_{k}": v for k, v in m.extra.items()},
    }


async def listing(ctx: WebContext) -> dict[str, Any]:
    directory: MemberDirectory = ctx.service("directory")
    found = await directory.page(ctx.read_uow(), ctx.group, _query(ctx), ctx.at)
    return {
        "rows": [_member(m) for m in found.rows],
        "total": found.total,
        "exact": found.exact,
        "page": found.page,
        "size": found.size,
        "columns": list(found.columns),
        "filters": list(directory.filters),
    }


async def member_card(ctx: WebContext) -> dict[str, Any]:
    uow = ctx.read_uow()
    found = await card(uow, ctx.group, ctx.int_path("user_id"), ctx.at)
    segments: SegmentService | None = ctx.deps.get("segments")
    segment = (
        (await member_segments(uow, segments, ctx.group, [found.member.user_id], ctx.at)).get(
            found.member.user_id
        )
        if segments is not None
        else None
    )
    return {
        "member": _member(found.member),
        "segment": segment,
        "ledger": [
            {"amount": a, "reason": r, "note": n, "at": when(at)} for a, r, n, at in found.ledger
        ],
        "redemptions": [
            {"id": i, "reward": name, "cost": cost, "status": status, "at": when(at)}
            for i, name, cost, status, at in found.redemptions
        ],
    }


async def csv_file(ctx: WebContext) -> web.StreamResponse:
    """Every member the filter matches, written as it is read (200,000 rows: a few MB)."""
    import csv
    import io

    directory: MemberDirectory = ctx.service("directory")
    query = _query(ctx)
    rows = directory.csv_rows(ctx.read_uow(), ctx.group, query, ctx.at)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="members-{ctx.group.group_id}.csv"',
            "Cache-Control": "no-store",
        }
    )
    await response.prepare(ctx.request)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(directory.csv_header())
    n = 0
    async for cells in rows:
        writer.writerow([safe_cell(v) for v in cells])
        n += 1
        if n % CSV_CHUNK == 0:
            await response.write(out.getvalue().encode())
            out.seek(0)
            out.truncate()
    await response.write(out.getvalue().encode())
    await response.write_eof()
    return response


async def add_tags(ctx: WebContext) -> dict[str, Any]:
    """Tags typed on the card ("vip gold"): the rules and messages of /tag, audited."""
    body = await ctx.body()
    wanted = tags.parse_tags(text_field(body, "tags", limit=400).split())
    uow = ctx.uow()
    who = await members.find(uow.session, ctx.group.group_id, Who(user_id=ctx.int_path("user_id")))
    change = await tags.add(
        uow, ctx.group.group_id, ctx.user_id, who.user_id, who.name, wanted, ctx.at
    )
    return {"tags": change.tags, "added": change.changed}


async def remove_tag(ctx: WebContext) -> dict[str, Any]:
    body = await ctx.body()
    unwanted = tags.parse_tags([text_field(body, "tag", limit=40)])
    uow = ctx.uow()
    who = await members.find(
        uow.session, ctx.group.group_id, Who(user_id=ctx.int_path("user_id")), allow_left=True
    )
    change = await tags.remove(uow, ctx.group.group_id, ctx.user_id, who.user_id, unwanted, ctx.at)
    return {"tags": change.tags, "removed": change.changed}


def page() -> WebPage:
    return WebPage(
        "members",
        (
            WebRoute("GET", "members", listing),
            WebRoute("GET", "members.csv", csv_file),
            WebRoute("GET", "members/{user_id:\\d+}", member_card),
            WebRoute("POST", "members/{user_id:\\d+}/tags", add_tags),
            WebRoute("POST", "members/{user_id:\\d+}/tags/remove", remove_tag),
        ),
        order=20,
    )
