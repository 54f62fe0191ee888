"""Which member an administrator means: a reply, @username or a numeric id."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import Message

from core.community.members import user_row
from core.engagement import points
from core.errors import TargetRequired
from core.segments import members
from core.segments.members import Found, Who
from core.uow import UnitOfWork
from handlers.common import is_real_member


def who_of(word: str) -> Who | None:
    """@username, or an id (5 digits or more: shorter words are amounts, tags…)."""
    if word.startswith("@") and len(word) > 1:
        return Who(username=word[1:])
    if word.isdecimal() and len(word) >= 5:
        return Who(user_id=int(word))
    return None


def replied_member(message: Message) -> tuple[int, dict[str, object]] | None:
    replied = message.reply_to_message
    if replied is None or not is_real_member(replied.from_user):
        return None
    user = replied.from_user
    assert user is not None
    return user.id, user_row(user.id, user.username, user.full_name, user.language_code)


async def member_to_change(
    message: Message, uow: UnitOfWork, group_id: int, args: list[str], at: datetime
) -> tuple[Found, list[str]]:
    """The member a /tag or /untag is about and the words after them. A member replied to is
    certainly present: tracked on the way (in the command's transaction)."""
    replied = replied_member(message)
    if replied is not None:
        user_id, row = replied
        found = await points.ensure_member(uow, group_id, row, at)
        return Found(user_id, found.name, False), args
    if not args or (who := who_of(args[0])) is None:
        raise TargetRequired()
    return await members.find(uow.session, group_id, who), args[1:]


def who_asked(message: Message, args: list[str]) -> Who:
    """The member a /whois is about (read only: nobody is tracked by looking them up)."""
    replied = replied_member(message)
    if replied is not None:
        return Who(user_id=replied[0])
    if not args or (who := who_of(args[0])) is None:
        raise TargetRequired()
    return who
