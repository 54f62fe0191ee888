"""Segments and profiles (#25 §3): tags, lifecycle stages and value tiers kept daily by the
leader, /segments with the week's movements, /whois cards. The selector and the card are
registries other features extend in their setup (selector_terms(deps), card_sections(deps))."""

from __future__ import annotations

from typing import Any

from aiogram import Router

from bot.features import Area, CommandSpec, Feature, Role, Where
from bot.filters import InGroup, InPrivate
from core.events import BotAdded, EventBus, Transaction
from core.segments.card import card_sections
from core.segments.directory import add_to_directory
from core.segments.service import SegmentService
from core.segments.settings import SEGMENT_SETTINGS
from core.segments.terms import selector_terms
from handlers.segments import report, tags, whois
from handlers.segments.render import SegmentButton, WhoisButton

TAG = CommandSpec("tag", role=Role.ADMIN, area=Area.NUMBERS)
UNTAG = CommandSpec("untag", role=Role.ADMIN, area=Area.NUMBERS)
TAGS = CommandSpec("tags", role=Role.ADMIN, area=Area.NUMBERS)
SEGMENTS = CommandSpec("segments", role=Role.ADMIN, where=Where.ANY, area=Area.NUMBERS)
WHOIS = CommandSpec("whois", role=Role.ADMIN, where=Where.ANY, area=Area.NUMBERS)


def router() -> list[Router]:
    r = Router(name="segments")
    # Admins only: the declarations say so; their filters check it, after the command (in
    # private the handlers check per group).
    r.message.register(tags.cmd_tag, TAG.filter(), InGroup())
    r.message.register(tags.cmd_untag, UNTAG.filter(), InGroup())
    r.message.register(tags.cmd_tags, TAGS.filter(), InGroup())
    r.message.register(report.cmd_segments_group, SEGMENTS.filter(), InGroup())
    r.message.register(report.cmd_segments_private, SEGMENTS.filter(), InPrivate())
    r.message.register(whois.cmd_whois_group, WHOIS.filter(), InGroup())
    r.message.register(whois.cmd_whois_private, WHOIS.filter(), InPrivate())
    # Buttons name their group: the handlers check the presser administers it.
    r.callback_query.register(report.on_button, SegmentButton.filter())
    r.callback_query.register(whois.on_group_chosen, WhoisButton.filter())
    return [r]


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    """The service handlers take (`segments`), the card's sections, and the leader's daily
    run (each round of its scheduler goes on with it for a moment)."""
    card_sections(deps)
    service = SegmentService(
        deps["session_factory"], deps["groups"], selector_terms(deps), clock=deps["clock"]
    )
    deps["segments"] = service
    directory = deps.get("directory")
    if directory is not None:  # the dashboard's members table: columns and the selector
        add_to_directory(directory, service, deps["clock"])
    scheduler = deps.get("post_scheduler")
    if scheduler is not None:
        scheduler.every_round(service.sweep)

    async def on_bot_added(uow: Transaction, event: BotAdded) -> None:
        uow.after_commit(service.wake)  # a new group: its first run need not wait a minute

    bus.subscribe(BotAdded, on_bot_added)


def feature() -> Feature:
    return Feature(
        "segments",
        router,
        commands=(TAG, UNTAG, TAGS, SEGMENTS, WHOIS),
        settings=(SEGMENT_SETTINGS,),
        setup=setup,
    )
