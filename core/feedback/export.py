"""/export feedback: the group's items as CSV (id is the item's number in the group, #n)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from core.community.export import _csv, iso
from storage.queries.feedback import items as rows

FEEDBACK_COLUMNS = [
    "id",
    "user_id",
    "category",
    "status",
    "priority",
    "created_at",
    "resolved_at",
    "text",
]


async def feedback_csv(session: AsyncSession, group_id: int) -> tuple[bytes, int]:
    return await _csv(
        FEEDBACK_COLUMNS,
        rows.export_rows(session, group_id),
        lambda r: (
            r.number,
            r.user_id,
            r.category,
            r.status,
            r.priority,
            iso(r.created_at),
            iso(r.resolved_at),
            r.text,
        ),
    )
