"""/whois: a member's card for administrators, in the group (reply, @username, id) or in
private (@username or id; a chooser when the member is in several of the person's groups).
Whoever is not an administrator where the member is learns nothing, not even whether the
member exists."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import CallbackQuery, Message

from bot.admins import AdminChecker
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import TargetNotFound
from core.segments import members
from core.segments.card import CardSections, card_context
from core.uow import UnitOfWork
from handlers.common import command_args
from handlers.feedback.render import answer, edit
from handlers.segments import render
from handlers.segments.render import WhoisButton
from handlers.segments.targets import who_asked


async def card_of(
    uow: UnitOfWork,
    group: GroupSettings,
    user_id: int,
    sections: CardSections,
    now: datetime,
    t: Translator,
) -> str | None:
    ctx = await card_context(uow.session, group, user_id, now)
    if ctx is None:
        return None
    return render.card_text(t, await sections.lines(ctx))


async def cmd_whois_group(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    card_sections: CardSections,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    who = who_asked(message, command_args(message.text))
    found = await members.find(uow.session, group.group_id, who, allow_left=True)
    text = await card_of(uow, group, found.user_id, card_sections, event_at, t)
    if text is None:
        raise TargetNotFound(target=who.label)
    reply(outbox, message, text, priority=Priority.HIGH)


async def cmd_whois_private(
    message: Message,
    uow: UnitOfWork,
    groups: GroupService,
    admins: AdminChecker,
    card_sections: CardSections,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    who = who_asked(message, command_args(message.text))
    user_id = await members.user_id_of(uow.session, who)
    shared = []
    if user_id is not None:
        shared = [
            (gid, title)
            for gid, title in await members.groups_of(uow.session, user_id)
            if await admins.is_admin(gid, message.from_user.id)
        ]
    if user_id is None or not shared:
        reply(outbox, message, t("whois-unknown", target=who.label))
        return
    if len(shared) > 1:
        markup = render.groups_keyboard(
            shared, lambda gid: WhoisButton(group=gid, user=user_id).pack()
        )
        reply(outbox, message, t("whois-choose-group", target=who.label), markup=markup)
        return
    group = (await groups.settings_in(uow.session, [shared[0][0]]))[shared[0][0]]
    text = await card_of(uow, group, user_id, card_sections, event_at, t)
    reply(outbox, message, text or t("whois-unknown", target=who.label))


async def on_group_chosen(
    query: CallbackQuery,
    callback_data: WhoisButton,
    uow: UnitOfWork,
    groups: GroupService,
    admins: AdminChecker,
    card_sections: CardSections,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    if not await admins.is_admin(callback_data.group, query.from_user.id):
        answer(outbox, query, t("error-not-admin"), alert=True)
        return
    found = await groups.settings_in(uow.session, [callback_data.group])
    group = found.get(callback_data.group)
    text = (
        await card_of(uow, group, callback_data.user, card_sections, event_at, t)
        if group is not None
        else None
    )
    if text is None:
        answer(outbox, query, t("error-stale-button"), alert=True)
        return
    edit(outbox, query, text, None, event_at)
    answer(outbox, query)
