"""The groups someone might administer: where they are a member (Telegram says whether they
administer it: the caller asks), or every active group for the bot's owners."""

from __future__ import annotations

from core.uow import UnitOfWork
from storage.queries.community import groups as group_rows

MAX_GROUPS = 200


async def candidate_groups(
    uow: UnitOfWork, user_id: int, everywhere: bool
) -> list[tuple[int, str]]:
    """(group id, title) of active groups, most recently added first."""
    return await group_rows.active_groups(
        uow.session, None if everywhere else user_id, limit=MAX_GROUPS
    )
