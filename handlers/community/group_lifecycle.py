"""The bot joining or leaving a group, and members joining or leaving (Telegram has no member list)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.enums import ChatMemberStatus
from aiogram.types import ChatMemberUpdated, Message

from bot.admins import AdminChecker
from bot.features import Feature
from bot.filters import HasLeftMember, HasNewMembers, HasNewTitle, InGroup, IsChatMigration
from bot.i18n import Locales
from bot.outbound import Outbox, Priority
from bot.replies import send
from core.community.groups import GroupService
from core.community.members import MemberService, user_row
from core.engagement.member_events import MemberEventBatcher
from core.uow import UnitOfWork
from handlers.common import is_real_member

PRESENT = {
    ChatMemberStatus.CREATOR,
    ChatMemberStatus.ADMINISTRATOR,
    ChatMemberStatus.MEMBER,
    ChatMemberStatus.RESTRICTED,
}


def _is_present(member: object) -> bool:
    status = getattr(member, "status", None)
    if status == ChatMemberStatus.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return status in PRESENT


async def on_bot_membership(
    event: ChatMemberUpdated,
    uow: UnitOfWork,
    groups: GroupService,
    locales: Locales,
    outbox: Outbox,
    event_at: datetime,
) -> None:
    was, now = _is_present(event.old_chat_member), _is_present(event.new_chat_member)
    if now and not was:
        settings = await groups.register(
            uow, event.chat.id, event.chat.title or "", event.from_user.id, event_at
        )
        t = locales.get(settings.language)
        send(
            outbox,
            event.chat.id,
            t("group-welcome", title=event.chat.title or ""),
            priority=Priority.HIGH,
        )
    elif was and not now:
        await groups.deactivate(uow, event.chat.id, event_at)


async def on_member_update(
    event: ChatMemberUpdated,
    uow: UnitOfWork,
    members: MemberService,
    admins: AdminChecker,
    batcher: MemberEventBatcher,
    event_at: datetime,
) -> None:
    user = event.new_chat_member.user
    admins.forget(event.chat.id, user.id)  # their rights may have changed
    if not is_real_member(user):
        return
    was, now = _is_present(event.old_chat_member), _is_present(event.new_chat_member)
    if now and not was:
        link = event.invite_link.invite_link if event.invite_link is not None else None
        await members.record_joins(
            uow,
            event.chat.id,
            [user_row(user.id, user.username, user.full_name, user.language_code)],
            event_at,
            invite_link=link,
            via_join_request=bool(event.via_join_request),
        )
        batcher.forget_user(user.id)  # tg_user was written here: the next message refreshes it
    elif was and not now:
        await members.record_leave(uow, event.chat.id, user.id, event_at)


async def on_join_message(
    message: Message,
    uow: UnitOfWork,
    members: MemberService,
    batcher: MemberEventBatcher,
    event_at: datetime,
) -> None:
    people = [u for u in message.new_chat_members or [] if is_real_member(u)]
    await members.record_joins(
        uow,
        message.chat.id,
        [user_row(u.id, u.username, u.full_name, u.language_code) for u in people],
        event_at,
    )
    for user in people:
        batcher.forget_user(user.id)  # tg_user was written here: the next message refreshes it


async def on_leave_message(
    message: Message, uow: UnitOfWork, members: MemberService, event_at: datetime
) -> None:
    user = message.left_chat_member
    if user is not None and is_real_member(user):
        await members.record_leave(uow, message.chat.id, user.id, event_at)


async def on_migration(
    message: Message, uow: UnitOfWork, groups: GroupService, event_at: datetime
) -> None:
    """Sent twice: in the old chat (`migrate_to_chat_id`) and in the new one
    (`migrate_from_chat_id`); either may come first, the second changes nothing."""
    if message.migrate_to_chat_id is not None:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    else:
        assert message.migrate_from_chat_id is not None
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    await groups.migrate(uow, old_id, new_id, event_at)


async def on_title_change(message: Message, uow: UnitOfWork, groups: GroupService) -> None:
    await groups.rename(uow, message.chat.id, message.new_chat_title or "")


def router() -> list[Router]:
    r = Router(name="group_lifecycle")
    r.my_chat_member.register(on_bot_membership)
    r.chat_member.register(on_member_update)
    r.message.register(on_join_message, HasNewMembers(), InGroup())
    r.message.register(on_leave_message, HasLeftMember(), InGroup())
    r.message.register(on_title_change, HasNewTitle(), InGroup())
    r.message.register(on_migration, IsChatMigration(), InGroup())
    return [r]


def feature() -> Feature:
    return Feature("group_lifecycle", router, tracks_authors=False)
