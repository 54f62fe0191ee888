"""/export onboarding: one row per member with answers, one column per profile field (the
current questions' fields in their order, then fields of removed questions)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.csv_export import iso, write_csv
from storage.queries.growth import onboarding as rows

BASE_COLUMNS = ["user_id", "username", "display_name"]


async def onboarding_csv(session: AsyncSession, group_id: int) -> tuple[bytes, int]:
    asked = [r.field for r in await rows.questions(session, group_id)]
    stored = await rows.field_names(session, group_id)
    fields = asked + [f for f in stored if f not in asked]

    async def members() -> AsyncIterator[dict[str, Any]]:
        current: dict[str, Any] | None = None
        async for row in rows.field_rows(session, group_id):
            if current is None or current["user_id"] != row.user_id:
                if current is not None:
                    yield current
                current = {
                    "user_id": int(row.user_id),
                    "username": row.username,
                    "display_name": row.display_name,
                    "updated_at": row.updated_at,
                }
            current[row.field] = row.value
            current["updated_at"] = max(current["updated_at"], row.updated_at)
        if current is not None:
            yield current

    return await write_csv(
        [*BASE_COLUMNS, *fields, "updated_at"],
        members(),
        lambda m: (
            m["user_id"],
            m["username"] or "",
            m["display_name"] or "",
            *(m.get(f, "") for f in fields),
            iso(m["updated_at"]),
        ),
    )
