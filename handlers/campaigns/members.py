"""Members' side: /unsubscribe and /subscribe (campaign messages only; codes, replies and other
operational messages still arrive), and the "claim N points" button."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.outbound import Outbox
from bot.replies import reply
from core.campaigns.service import CampaignService
from core.errors import DomainError
from core.uow import UnitOfWork
from handlers.campaigns.render import ClaimButton
from handlers.common import actor_id
from handlers.feedback.render import answer


async def cmd_unsubscribe(
    message: Message,
    uow: UnitOfWork,
    campaigns: CampaignService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    changed = await campaigns.unsubscribe(uow, actor_id(message), event_at)
    reply(
        outbox, message, t("campaign-unsubscribed" if changed else "campaign-unsubscribed-already")
    )


async def cmd_subscribe(
    message: Message, uow: UnitOfWork, campaigns: CampaignService, t: Translator, outbox: Outbox
) -> None:
    changed = await campaigns.subscribe(uow, actor_id(message))
    reply(outbox, message, t("campaign-subscribed" if changed else "campaign-subscribed-already"))


async def on_claim(
    query: CallbackQuery,
    callback_data: ClaimButton,
    uow: UnitOfWork,
    campaigns: CampaignService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    try:
        _, points = await campaigns.claim(
            uow, callback_data.campaign, query.from_user.id, event_at
        )
    except DomainError as refused:
        answer(outbox, query, t(refused.key, **refused.args_map), alert=True)
        return
    answer(outbox, query, t("campaign-claimed", points=points), alert=True)
