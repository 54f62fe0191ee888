"""Badges, awarded once: first check-in, 7-, 30- and 100-day streaks, first redemption.

The check-in subscriber runs inside the check-in batch's transaction: it only collects, and one
statement at the end of the round awards every badge of the batch (check-ins stay fast).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime

from core.events import CheckedIn, DomainEvent, EventBus, Transaction
from storage.queries.shop import redemptions as q

FIRST_CHECKIN = "first_checkin"
FIRST_REDEMPTION = "first_redemption"
STREAKS = {7: "streak_7", 30: "streak_30", 100: "streak_100"}
TOP3_PREFIX = "top3_"  # + YYYY_MM: among the three best earners of that month
ALL = (FIRST_CHECKIN, *STREAKS.values(), FIRST_REDEMPTION)


@dataclass(frozen=True, slots=True)
class BadgeAwarded(DomainEvent):
    group_id: int
    user_id: int
    badge: str
    at: datetime


@dataclass(frozen=True, slots=True)
class _AwardPending(DomainEvent):
    """Collected badges are written when this one is handled (the next round of events)."""


def badges_for_checkin(event: CheckedIn) -> list[str]:
    found = [FIRST_CHECKIN] if event.checkins == 1 else []
    if event.streak in STREAKS:
        found.append(STREAKS[event.streak])
    return found


async def award(tx: Transaction, rows: list[dict[str, object]]) -> list[tuple[int, int, str]]:
    """Award in this transaction; the badges that are new (published as BadgeAwarded)."""
    new = await q.award_badges(tx.session, rows)
    at = {(r["group_id"], r["user_id"], r["badge"]): r["awarded_at"] for r in rows}
    for g, u, b in new:
        tx.publish(BadgeAwarded(g, u, b, at[(g, u, b)]))  # type: ignore[arg-type]
    return new


class CheckinBadges:
    def __init__(self) -> None:
        self._pending: weakref.WeakKeyDictionary[object, list[dict[str, object]]] = (
            weakref.WeakKeyDictionary()
        )

    async def on_checked_in(self, tx: Transaction, event: CheckedIn) -> None:
        found = badges_for_checkin(event)
        if not found:
            return
        rows = self._pending.get(tx)
        if rows is None:
            rows = self._pending[tx] = []
            tx.publish(_AwardPending())
        rows += [
            {
                "group_id": event.group_id,
                "user_id": event.user_id,
                "badge": b,
                "awarded_at": event.at,
            }
            for b in found
        ]

    async def on_pending(self, tx: Transaction, _event: _AwardPending) -> None:
        rows = self._pending.pop(tx, None)
        if rows:
            await award(tx, rows)

    def subscribe(self, bus: EventBus) -> None:
        bus.subscribe(CheckedIn, self.on_checked_in)
        bus.subscribe(_AwardPending, self.on_pending)
