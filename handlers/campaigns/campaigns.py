"""Campaigns as a feature (#27): /campaign (the one-line form, the preview, Confirm; `/campaign
<n>` the report), /campaigns, /export campaign <n>, /unsubscribe and /subscribe; the leader
sends due campaigns in each scheduler round."""

from __future__ import annotations

import html
from typing import Any

from aiogram import Router

from bot.features import Area, CommandSpec, Feature, Role, Where
from bot.filters import InGroup
from core.campaigns.reactivation import Reactivation
from core.campaigns.service import CampaignService
from core.campaigns.settings import CAMPAIGN_SETTINGS
from core.community.export import Exports, ExtraExport
from core.events import EventBus
from handlers.campaigns import compose, guide, members, report
from handlers.campaigns.guide import GuideButton
from handlers.campaigns.render import CampaignButton, ClaimButton
from handlers.campaigns.runner import CampaignRunner

CAMPAIGN = CommandSpec("campaign", role=Role.ADMIN, area=Area.CAMPAIGNS)
CAMPAIGNS = CommandSpec("campaigns", role=Role.ADMIN, area=Area.CAMPAIGNS)
UNSUBSCRIBE = CommandSpec("unsubscribe", where=Where.PRIVATE, area=Area.CAMPAIGNS)
SUBSCRIBE = CommandSpec("subscribe", where=Where.PRIVATE, area=Area.CAMPAIGNS, in_menu=False)


def routers() -> list[Router]:
    r = Router(name="campaigns")
    # Admins only: the declarations say so (checked after the command matched); the buttons
    # check the presser against the campaign's group.
    r.message.register(compose.cmd_campaign, CAMPAIGN.filter(), InGroup())
    r.message.register(report.cmd_campaigns, CAMPAIGNS.filter(), InGroup())
    r.message.register(members.cmd_unsubscribe, UNSUBSCRIBE.filter())
    r.message.register(members.cmd_subscribe, SUBSCRIBE.filter())
    r.callback_query.register(compose.on_button, CampaignButton.filter())
    r.callback_query.register(members.on_claim, ClaimButton.filter())
    # The guided /campaign: its buttons (checked per press) and replies to its questions.
    r.callback_query.register(guide.on_button, GuideButton.filter())
    r.message.register(guide.on_reply, InGroup(), guide.RepliesToGuide())
    return [r]


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    clock = deps["clock"]
    service = CampaignService(deps["segments"], clock=clock)
    scheduler = deps.get("post_scheduler")
    runner = CampaignRunner(
        deps["session_factory"],
        deps["groups"],
        deps["outbox"],
        deps["locales"],
        clock=clock,
        is_leader=(lambda: scheduler.is_leader) if scheduler is not None else (lambda: True),
    )
    locales = deps["locales"]

    def template(language: str, title: str, bonus: int) -> str:
        t = locales.get(language)
        text = t("reactivation-message", group=html.escape(title))
        return text + ("\n" + t("reactivation-bonus", points=bonus) if bonus > 0 else "")

    reactivation = Reactivation(deps["session_factory"], deps["groups"], template, clock=clock)
    deps["campaigns"] = service
    deps["campaign_runner"] = runner
    deps["reactivation"] = reactivation
    if scheduler is not None:
        scheduler.every_round(reactivation.sweep)
        # Leader only: the sends of a campaign are claimed row by row, so even two leaders
        # at once could not message anyone twice.
        scheduler.every_round(runner.sweep)
    exports: Exports = deps.setdefault("exports", Exports())
    exports.add(
        ExtraExport(
            "campaign",
            ("活动", "推送"),
            build_with_args=report.export_builder(service, clock),
        )
    )


def feature() -> Feature:
    return Feature(
        "campaigns",
        routers,
        commands=(CAMPAIGN, CAMPAIGNS, UNSUBSCRIBE, SUBSCRIBE),
        settings=(CAMPAIGN_SETTINGS,),
        setup=setup,
    )
