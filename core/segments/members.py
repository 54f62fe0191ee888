"""Finding the member an administrator means (@username, id, or a reply) for tags and cards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from core.errors import TargetNotFound
from core.text import shorten
from storage.queries.community import members as member_rows
from storage.queries.segments import card as card_rows

MAX_TELEGRAM_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Who:
    """What an administrator typed to name a member: @username or a numeric id."""

    username: str | None = None
    user_id: int | None = None

    @property
    def label(self) -> str:
        return shorten(f"@{self.username}" if self.username else str(self.user_id), 40)


@dataclass(frozen=True, slots=True)
class Found:
    user_id: int
    name: str
    left: bool


async def user_id_of(session: AsyncSession, who: Who) -> int | None:
    """The user an @username or id stands for (None: nobody the bot knows)."""
    if who.user_id is not None:
        return who.user_id if 0 < who.user_id <= MAX_TELEGRAM_ID else None
    if not who.username or len(who.username) > 32:  # longer than Telegram allows
        return None
    user = await member_rows.find_user_by_username(session, who.username)
    return user.id if user is not None else None


async def find(
    session: AsyncSession, group_id: int, who: Who, *, allow_left: bool = False
) -> Found:
    """A member of the group (TargetNotFound otherwise, naming what was typed)."""
    user_id = await user_id_of(session, who)
    member = (
        await member_rows.get_member(session, group_id, user_id) if user_id is not None else None
    )
    if member is None or (member.left_at is not None and not allow_left):
        raise TargetNotFound(target=who.label)
    user = await card_rows.user(session, member.user_id)
    name = (user.display_name if user else "") or who.label
    return Found(member.user_id, name, member.left_at is not None)


async def groups_of(session: AsyncSession, user_id: int) -> list[tuple[int, str]]:
    """(group id, title) of the active groups that have the user as a member (or had)."""
    return await card_rows.groups_of(session, user_id)
