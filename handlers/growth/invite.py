"""/invite: a member's personal invite link (in the group, or in private for a chosen group),
with the reward rule and their count of successful invites."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Message, User

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import DomainError
from core.growth import rules
from core.growth.invites import InviteService, LinkState
from core.growth.settings import invite_points, invites_on, onboarding_on
from core.uow import UnitOfWork
from handlers.common import is_real_member
from handlers.growth import render
from handlers.growth import telegram as tg
from storage.queries.community import groups as group_rows
from storage.queries.community import members as member_rows


class InvitesOff(DomainError):
    key = "invite-off"


class NoInviteGroups(DomainError):
    key = "invite-no-groups"


class CannotMakeLinks(DomainError):
    """The bot lacks the right to make invite links (with a hint for the admins)."""

    def __init__(self, rights: tg.Rights) -> None:
        super().__init__()
        self.key = {
            tg.Rights.NOT_ADMIN: "invite-error-not-admin",
            tg.Rights.ADMIN_WITHOUT_INVITE: "invite-error-no-right",
        }.get(rights, "invite-error-rights")


class LinkFailed(DomainError):
    key = "invite-error-failed"


class NoPersonalLink(DomainError):
    """An anonymous admin (posting as the group) or a bot: nobody to credit."""

    key = "invite-error-anonymous"


async def personal_link(
    invites: InviteService,
    outbox: Outbox,
    group: GroupSettings,
    user: User,
    bot_id: int,
    at: datetime,
    uow: UnitOfWork,
) -> tuple[str, LinkState]:
    """The member's link (kept, checked with Telegram, made anew only when Telegram no longer
    accepts it), recorded in the update's transaction; with the member's numbers."""
    if not invites_on(group):
        raise InvitesOff()
    group_id = group.group_id
    name = rules.link_name(user.full_name, user.username, user.id)
    join_request = onboarding_on(group)  # newcomers through it answer the questionnaire
    state = await invites.link_state(group_id, user.id)
    link, dead = None, None
    if state.link is not None:
        try:
            link = await tg.edit_link(outbox, group_id, state.link, name, join_request)
        except tg.LinkRefused as refused:
            if refused.outcome == tg.Outcome.RIGHTS:
                raise CannotMakeLinks(await tg.bot_rights(outbox, group_id, bot_id)) from None
            if refused.outcome == tg.Outcome.DEAD:
                dead = state.link
            else:  # Telegram did not answer: the link most likely still works
                link = state.link
    if link is None:
        try:
            link = await tg.create_link(outbox, group_id, name, join_request)
        except tg.LinkRefused as refused:
            if refused.outcome == tg.Outcome.RIGHTS:
                raise CannotMakeLinks(await tg.bot_rights(outbox, group_id, bot_id)) from None
            raise LinkFailed() from None
    await invites.save_link(
        uow,
        group_id,
        user.id,
        link=link,
        name=name,
        creates_join_request=join_request,
        at=at,
        replaces=dead,
    )
    return link, state


async def cmd_invite(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings | None,
    groups: GroupService,
    invites: InviteService,
    bot: Bot,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user = message.from_user
    assert user is not None
    if not is_real_member(user) or message.sender_chat is not None:
        raise NoPersonalLink()
    if group is None:
        await _in_private(message, uow, groups, invites, bot, event_at, t, outbox)
        return
    known = await member_rows.get_user(uow.session, user.id)
    reachable = known is not None and known.started_at is not None and not known.blocked_at
    await (
        uow.rollback()
    )  # no transaction (nor SQLite's one connection) held while Telegram answers
    link, state = await personal_link(invites, outbox, group, user, bot.id, event_at, uow)
    text = render.invite_text(t, group.title, link, invite_points(group)[0], state)
    if reachable:
        outbox.send(user.id, SendMessage(chat_id=user.id, text=clip(text)), priority=Priority.HIGH)
        reply(outbox, message, t("invite-sent-private"))
    else:
        reply(outbox, message, text)


async def _in_private(
    message: Message,
    uow: UnitOfWork,
    groups: GroupService,
    invites: InviteService,
    bot: Bot,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user = message.from_user
    assert user is not None
    choices = await _invite_groups(uow, groups, user.id)
    await uow.rollback()
    if not choices:
        raise NoInviteGroups()
    if len(choices) > 1:
        reply(outbox, message, t("invite-pick-group"), markup=render.group_keyboard(choices))
        return
    group = await groups.settings_for(choices[0][0])
    link, state = await personal_link(invites, outbox, group, user, bot.id, event_at, uow)
    reply(
        outbox, message, render.invite_text(t, group.title, link, invite_points(group)[0], state)
    )


async def on_pick(
    query: CallbackQuery,
    callback_data: render.InviteGroup,
    uow: UnitOfWork,
    groups: GroupService,
    invites: InviteService,
    bot: Bot,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """A group picked in private: only among the presser's own groups (a forged press for
    another group gets nothing)."""
    choices = dict(await _invite_groups(uow, groups, query.from_user.id))
    await uow.rollback()
    if callback_data.g not in choices or query.message is None:
        render.answer(outbox, query, t("invite-stale"), alert=True)
        return
    group = await groups.settings_for(callback_data.g)
    try:
        link, state = await personal_link(
            invites, outbox, group, query.from_user, bot.id, event_at, uow
        )
    except DomainError as error:
        render.answer(outbox, query, t(error.key, **error.args_map), alert=True)
        return
    text = render.invite_text(t, group.title, link, invite_points(group)[0], state)
    outbox.send(
        query.message.chat.id,
        EditMessageText(
            chat_id=query.message.chat.id, message_id=query.message.message_id, text=clip(text)
        ),
        priority=Priority.HIGH,
        counts_as_message=False,
    )
    render.answer(outbox, query)


async def _invite_groups(
    uow: UnitOfWork, groups: GroupService, user_id: int
) -> list[tuple[int, str]]:
    """The member's groups (present, the bot there) with invites on."""
    found = [(g.id, g.title) for g in await group_rows.list_for_user(uow.session, user_id)]
    settings = await groups.settings_in(uow.session, [g for g, _ in found])
    return [(g, title) for g, title in found if g in settings and invites_on(settings[g])]
