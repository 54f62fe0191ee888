"""Router filters for scope and permission, so handlers need no `if` ladders."""

from __future__ import annotations

from aiogram.enums import ChatType
from aiogram.filters import BaseFilter
from aiogram.types import Message, TelegramObject

from bot.admins import AdminChecker
from bot.update_parts import chat_and_user, is_anonymous_admin, is_real_member

GROUP_TYPES = {ChatType.GROUP, ChatType.SUPERGROUP}


def _chat_and_user(event: TelegramObject) -> tuple[int | None, str | None, int | None]:
    chat, user = chat_and_user(event)
    return (chat.id if chat else None, chat.type if chat else None, user.id if user else None)


class InGroup(BaseFilter):
    async def __call__(self, event: TelegramObject) -> bool:
        return _chat_and_user(event)[1] in GROUP_TYPES


class InPrivate(BaseFilter):
    async def __call__(self, event: TelegramObject) -> bool:
        return _chat_and_user(event)[1] == ChatType.PRIVATE


async def is_group_admin(event: TelegramObject, admins: AdminChecker) -> bool:
    """An administrator of the event's group (verified with Telegram: may ask getChatMember),
    an anonymous admin posting as the group, or one of the bot's owners."""
    chat_id, chat_type, user_id = _chat_and_user(event)
    if chat_id is None or chat_type not in GROUP_TYPES:
        return False
    if is_anonymous_admin(event):
        return True
    return user_id is not None and await admins.is_admin(chat_id, user_id)


def is_owner(event: TelegramObject, admins: AdminChecker) -> bool:
    user_id = _chat_and_user(event)[2]
    return user_id is not None and admins.is_owner(user_id)


def in_group(event: TelegramObject) -> bool:
    return _chat_and_user(event)[1] in GROUP_TYPES


# Person filters. Commands do not take these: `CommandSpec.filter()` derives the check from
# the declared role, after the command matched. What is left for them: buttons of admin panels
# (after their CallbackData filter) and replies to the bot's prompts (after the reply filter).
class IsGroupAdmin(BaseFilter):
    """Passes for group administrators (verified with Telegram) and the bot's owners."""

    async def __call__(self, event: TelegramObject, admins: AdminChecker) -> bool:
        return await is_group_admin(event, admins)


class IsOwner(BaseFilter):
    """BOT_OWNER_IDS: whoever runs this deployment."""

    async def __call__(self, event: TelegramObject, admins: AdminChecker) -> bool:
        return is_owner(event, admins)


class NotOwner(BaseFilter):
    async def __call__(self, event: TelegramObject, admins: AdminChecker) -> bool:
        return not await IsOwner()(event, admins)


class NotGroupAdmin(BaseFilter):
    async def __call__(self, event: TelegramObject, admins: AdminChecker) -> bool:
        return not await IsGroupAdmin()(event, admins)


class HasSender(BaseFilter):
    """Telegram fills `from` in every group and private message, but the type allows none
    (a channel's own posts have none): a message from nobody concerns no feature."""

    async def __call__(self, message: Message) -> bool:
        return message.from_user is not None


class NotAPerson(BaseFilter):
    """Sent, but not by a person: an anonymous admin, a channel, Telegram's service accounts."""

    async def __call__(self, message: Message) -> bool:
        return message.from_user is not None and not is_real_member(message.from_user)


class TextLengthAtMost(BaseFilter):
    def __init__(self, limit: int) -> None:
        self.limit = limit

    async def __call__(self, message: Message) -> bool:
        return len(message.text or message.caption or "") <= self.limit


# aiogram runs synchronous filters (including F-magic filters) in a worker thread, one hop per
# update per filter; these async ones cost nothing. Prefer them on hot routers.
class HasNewMembers(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return bool(message.new_chat_members)


class HasLeftMember(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return message.left_chat_member is not None


class HasNewTitle(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return message.new_chat_title is not None


class IsChatMigration(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return message.migrate_to_chat_id is not None or message.migrate_from_chat_id is not None


class LooksLikeCommand(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        return (message.text or "").startswith("/")


class TextMatches(BaseFilter):
    """The text or caption (trimmed of spaces and end punctuation, case-folded) is one of
    `words`: a photo captioned 打卡 is a check-in, as a photo captioned /checkin is."""

    def __init__(self, words: set[str]) -> None:
        self.words = {w.lower() for w in words}

    async def __call__(self, message: Message) -> bool:
        text = message.text if message.text is not None else message.caption
        return (
            text is not None
            and len(text) < 32
            and text.strip().strip("!！。.~").lower() in self.words
        )
