"""/campaign <selector> [options] <text> (or in reply to a message to copy): the preview with
audience, reach, holdout and a rendered sample, then Confirm / Cancel."""

from __future__ import annotations

import html
from datetime import datetime

from aiogram.types import CallbackQuery, Message

from bot.admins import AdminChecker
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.campaigns import rules
from core.campaigns.service import CampaignService, Draft
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import DomainError
from core.schedule.when import InvalidWhen
from core.uow import UnitOfWork
from handlers.campaigns import guide, render
from handlers.campaigns.render import CampaignButton
from handlers.campaigns.report import show_report
from handlers.campaigns.runner import CampaignRunner
from handlers.common import actor_id, command_args, rest_after
from handlers.feedback.render import answer, edit


async def cmd_campaign(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    campaigns: CampaignService,
    worker: object,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    if not args:  # the guided conversation; its first question says what the one-liner does
        await guide.begin(message, uow, group, campaigns, event_at, t, outbox)
        return
    if args[0].lstrip("#").isdecimal() and len(args) == 1:
        number = int(args[0].lstrip("#"))
        await show_report(message, uow, group, campaigns, worker, event_at, t, outbox, number)
        return
    selector = args[0]
    options, used = rules.read_options(args[1:])
    text = html.escape(rest_after(message.text or "", 2 + used))
    source = message.reply_to_message
    copy = source is not None and not text
    if not copy and not text:
        raise rules.NoMessage()
    try:
        start = rules.start_at(options.at, event_at, group.timezone)
    except InvalidWhen:
        raise rules.BadWhen() from None
    draft = Draft(
        selector=selector,
        text="" if copy else text,
        source_chat_id=message.chat.id if copy else None,
        source_message_id=source.message_id if copy and source is not None else None,
        button=options.button,
        url=options.url,
        points=options.points,
        start_at=start,
        holdout_percent=options.holdout,
    )
    preview = await campaigns.preview(uow, group, draft, actor_id(message), event_at)
    button = render.button_line(t, draft.button, draft.url, draft.points)
    text_out = render.preview_text(t, preview, draft.text, button, group.timezone, start)
    reply(
        outbox,
        message,
        text_out,
        markup=render.preview_keyboard(t, preview.campaign_id),
        priority=Priority.HIGH,
    )


async def on_button(
    query: CallbackQuery,
    callback_data: CampaignButton,
    uow: UnitOfWork,
    groups: GroupService,
    admins: AdminChecker,
    campaigns: CampaignService,
    campaign_runner: CampaignRunner,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Every press is checked: only an administrator of the campaign's group may press."""
    found = await campaign_runner.campaign(uow.session, callback_data.campaign)
    if found is None:
        answer(outbox, query, t("error-stale-button"), alert=True)
        return
    if not await admins.is_admin(found.group_id, query.from_user.id):
        answer(outbox, query, t("error-not-admin"), alert=True)
        return
    group = (await groups.settings_in(uow.session, [found.group_id]))[found.group_id]
    action = callback_data.action
    try:
        if action == "c":
            where = (query.message.chat.id, query.message.message_id) if query.message else None
            campaign = await campaigns.confirm(
                uow, group, found.id, event_at, where, actor=query.from_user.id
            )
        else:
            name = {"x": "cancel", "p": "pause", "r": "resume"}[action]
            campaign = await campaigns.control(
                uow, group, found.id, name, event_at, actor=query.from_user.id
            )
    except DomainError as refused:
        answer(outbox, query, t(refused.key, **refused.args_map), alert=True)
        return
    if campaign.status == "cancelled" and campaign.number is None:  # type: ignore[attr-defined]
        edit(outbox, query, t("campaign-draft-cancelled"), None, event_at)
    else:
        counts = await campaign_runner.counts(uow.session, found.id)
        text = render.progress_text(t, campaign, counts, None)
        edit(outbox, query, text, render.control_keyboard(t, campaign), event_at)
    answer(outbox, query, t(f"campaign-pressed-{action}"))
    if action in ("c", "r"):  # after this edit is queued: the runner's edits come after it
        campaign_runner.wake()
