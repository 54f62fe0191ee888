"""/tag, /untag and /tags: administrators label members (`/tag @bob vip gold`)."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import Message

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.segments import members, tags
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.segments import render
from handlers.segments.targets import member_to_change, replied_member, who_of


async def cmd_tag(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    target, words = await member_to_change(
        message, uow, group.group_id, command_args(message.text), event_at
    )
    wanted = tags.parse_tags(words)
    change = await tags.add(
        uow, group.group_id, actor_id(message), target.user_id, target.name, wanted, event_at
    )
    text = t(
        "tag-added" if change.changed else "tag-unchanged",
        name=target.name,
        added=", ".join(change.changed),
        tags=", ".join(change.tags),
    )
    reply(outbox, message, text, priority=Priority.HIGH)


async def cmd_untag(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    target, words = await member_to_change(
        message, uow, group.group_id, command_args(message.text), event_at
    )
    unwanted = tags.parse_tags(words)
    change = await tags.remove(
        uow, group.group_id, actor_id(message), target.user_id, unwanted, event_at
    )
    if change.changed:
        text = t(
            "tag-removed",
            name=target.name,
            removed=", ".join(change.changed),
            tags=", ".join(change.tags) or t("tags-member-none-short"),
        )
    else:
        text = t("tag-not-there", name=target.name, tags=", ".join(change.unchanged))
    reply(outbox, message, text, priority=Priority.HIGH)


async def cmd_tags(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    replied = replied_member(message)
    who = None
    if replied is not None:
        who = members.Who(user_id=replied[0])
    elif args:
        who = who_of(args[0])
        if who is None:
            who = members.Who(username=args[0])  # "/tags bob": a name without its @
    if who is None:
        found = await tags.of_group(uow.session, group.group_id)
        reply(outbox, message, render.group_tags_text(t, found), priority=Priority.HIGH)
        return
    member = await members.find(uow.session, group.group_id, who, allow_left=True)
    own = await tags.of_member(uow.session, group.group_id, member.user_id)
    text = (
        t("tags-member", name=member.name, tags=", ".join(own))
        if own
        else t("tags-member-none", name=member.name)
    )
    reply(outbox, message, text, priority=Priority.HIGH)
