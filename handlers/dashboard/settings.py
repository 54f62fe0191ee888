"""The Settings page: every declared settings section with its values, changed through the same
use case and rules as /settings (a refused value gets the chat's message); and the audit log."""

from __future__ import annotations

from typing import Any

from bot.dashboard.routes import WebContext, WebPage, WebRoute, text_field
from core.community import audit_log
from core.community.groups import GroupService
from core.settings import SettingsCatalogue
from handlers.dashboard.json import text, when


def _sections(ctx: WebContext) -> list[dict[str, Any]]:
    catalogue: SettingsCatalogue = ctx.service("settings_catalogue")
    t, group = ctx.t, ctx.group
    sections = []
    for section in catalogue.sections:
        if not section.specs:
            continue
        specs = []
        for spec in section.specs:
            current = spec.text(group.value(spec.key))
            specs.append(
                {
                    "key": spec.key,
                    "label": text(t(f"settings-label-{spec.key}")),
                    "value": current,
                    "shown": text(t(f"settings-value-{spec.key}", value=current)),
                    "choices": [
                        {"value": c, "label": text(t(f"settings-value-{spec.key}", value=c))}
                        for c in spec.choices
                    ],
                    "hint": spec.hint,
                }
            )
        sections.append(
            {
                "name": section.name,
                "title": text(t(f"settings-section-{section.name}")),
                "specs": specs,
            }
        )
    return sections


async def listing(ctx: WebContext) -> dict[str, Any]:
    return {"sections": _sections(ctx)}


async def change(ctx: WebContext) -> dict[str, Any]:
    body = await ctx.body()
    key = text_field(body, "key", limit=32)
    value = text_field(body, "value", limit=2000)
    groups: GroupService = ctx.service("groups")
    catalogue: SettingsCatalogue = ctx.service("settings_catalogue")
    key, changed = await groups.change(
        ctx.uow(), ctx.group.group_id, ctx.user_id, key, value, ctx.at
    )
    spec = catalogue.spec(key)
    shown = ctx.t(f"settings-value-{key}", value=spec.text(changed.value(key)))
    return {
        "key": key,
        "value": spec.text(changed.value(key)),
        "shown": text(shown),
        "message": text(
            ctx.t("settings-changed", label=text(ctx.t(f"settings-label-{key}")), value=shown)
        ),
    }


async def audit(ctx: WebContext) -> dict[str, Any]:
    before = ctx.int_query("before", 0, 0, 2**62) or None
    entries = await audit_log.entries(ctx.read_uow(), ctx.group.group_id, before)
    return {
        "entries": [
            {
                "id": e.id,
                "actor_id": e.actor_id,
                "actor": e.actor_name,
                "action": e.action,
                "target_id": e.target_id,
                "target": e.target_name,
                "details": e.details,
                "at": when(e.at),
            }
            for e in entries
        ],
        "more": len(entries) == audit_log.PAGE_SIZE,
    }


def pages() -> list[WebPage]:
    return [
        WebPage(
            "settings",
            (WebRoute("GET", "settings", listing), WebRoute("POST", "settings", change)),
            order=60,
        ),
        WebPage("audit", (WebRoute("GET", "audit", audit),), order=70),
    ]
