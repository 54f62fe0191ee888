"""Which groups a person may read the numbers of, for the reports used in private (/stats,
/retention, /funnel, /compare): the groups the bot saw them in where Telegram says they are an
administrator (asked per group, cached by AdminChecker). Buttons carry a group id and are
checked again when pressed: rights change, and callback data can be forged."""

from __future__ import annotations

from bot.admins import AdminChecker
from storage.db import SessionFactory
from storage.queries.community import groups as group_rows


async def administered(
    report_sessions: SessionFactory, admins: AdminChecker, user_id: int
) -> list[tuple[int, str]]:
    """(group id, title) of the groups the person administers, among those they were seen in."""
    async with report_sessions() as session:
        known = await group_rows.list_for_user(session, user_id)
    return [(g.id, g.title or str(g.id)) for g in known if await admins.is_admin(g.id, user_id)]
