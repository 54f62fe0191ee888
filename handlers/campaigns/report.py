"""/campaigns (the list with status), /campaign <n> (the report by arm, statistics in the
worker process) and /export campaign <n>."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiogram.methods import SendChatAction
from aiogram.types import Message
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.campaigns.service import CampaignService
from core.campaigns.stats import campaign_stats
from core.community.group_settings import GroupSettings
from core.errors import UnknownSubcommand
from core.uow import UnitOfWork
from handlers.campaigns import render

logger = logging.getLogger(__name__)
STATS_TIMEOUT = 30.0


async def cmd_campaigns(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    campaigns: CampaignService,
    t: Translator,
    outbox: Outbox,
) -> None:
    found = await campaigns.listing(uow.session, group.group_id)
    reply(outbox, message, render.list_text(t, found, group.timezone), priority=Priority.HIGH)


async def show_report(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    campaigns: CampaignService,
    worker: Any,
    now: datetime,
    t: Translator,
    outbox: Outbox,
    number: int,
) -> None:
    campaign = await campaigns.find(uow.session, group.group_id, number)
    report = await campaigns.report(uow.session, group, campaign, now)
    await uow.commit()  # reads only: settle the update before waiting for the worker
    if not worker.running:
        outbox.send(
            message.chat.id,
            SendChatAction(chat_id=message.chat.id, action="typing"),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    active = claims = None
    try:
        active, claims = await worker.run(
            campaign_stats,
            report.holdout.active,
            report.holdout.members,
            report.treated.active,
            report.treated.members,
            report.treated.claims,
            timeout=STATS_TIMEOUT,
        )
    except Exception:  # noqa: BLE001  (the counts are still worth showing)
        logger.exception("statistics of campaign %s could not be computed", number)
    text = render.report_text(t, report, group.timezone, active, claims)
    reply(outbox, message, text, priority=Priority.HIGH)


def export_builder(campaigns: CampaignService, clock: Any) -> Any:
    async def build(session: AsyncSession, group: GroupSettings, args: list[str]) -> Any:
        number = args[0].lstrip("#") if args else ""
        if not number.isdecimal():
            raise UnknownSubcommand(word="campaign", options="campaign <n>")
        campaign = await campaigns.find(session, group.group_id, int(number))
        data, count = await campaigns.export_csv(session, group, campaign, clock())
        return data, count, f"campaign-{int(number)}"

    return build
