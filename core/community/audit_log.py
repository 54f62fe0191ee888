"""The administrators' audit log, as the dashboard shows it: newest first, a page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.uow import UnitOfWork
from storage.queries.community import audit

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    actor_id: int
    actor_name: str
    action: str
    target_id: int | None
    target_name: str | None
    details: dict[str, Any]
    at: datetime


async def entries(uow: UnitOfWork, group_id: int, before_id: int | None = None) -> list[Entry]:
    found = await audit.page(uow.session, group_id, before_id, PAGE_SIZE)
    return [
        Entry(
            r.id,
            r.actor_id,
            r.actor_name or str(r.actor_id),
            r.action,
            r.target_user_id,
            (r.target_name or str(r.target_user_id)) if r.target_user_id else None,
            _details(r.details),
            r.created_at,
        )
        for r in found
    ]


def _details(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
