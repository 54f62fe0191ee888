"""Members' reactions to messages (`message_reaction`): Telegram sends them only to a bot that
is an administrator of the group and asks for them, which registering this handler does (the
update types asked of Telegram derive from the handlers)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import MessageReactionUpdated, ReactionTypeCustomEmoji, ReactionTypeEmoji

from bot.filters import InGroup
from core.analytics.recorder import reacted
from core.community.group_settings import GroupSettings
from core.uow import UnitOfWork
from handlers.common import is_real_member


def _kind(reaction: object) -> str:
    if isinstance(reaction, ReactionTypeEmoji):
        return f"e:{reaction.emoji}"
    if isinstance(reaction, ReactionTypeCustomEmoji):
        return f"c:{reaction.custom_emoji_id}"
    return f"t:{getattr(reaction, 'type', '')}"


async def on_reaction(
    event: MessageReactionUpdated,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
) -> None:
    """Reactions added count (a member changing 👍 to ❤️ added one); taking one back does not."""
    if not is_real_member(event.user):
        return  # anonymous (sent as a chat) or a bot
    assert event.user is not None
    before = {_kind(r) for r in event.old_reaction}
    added = sum(1 for r in event.new_reaction if _kind(r) not in before)
    if added:
        await reacted(uow, group, event.user.id, event_at, added)


def router() -> Router:
    r = Router(name="reactions")
    r.message_reaction.filter(InGroup())
    r.message_reaction.register(on_reaction)
    return r
