"""Points for feedback and for voting in polls: through the ledger, each credit keyed by what
caused it (the update, or the poll and member), so a redelivery credits once."""

from __future__ import annotations

from datetime import datetime

from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.feedback import settings
from core.uow import UnitOfWork
from storage.queries.community import members as member_rows
from storage.queries.engagement import ledger
from storage.queries.feedback import items as rows

FEEDBACK_REASON = "feedback"
POLL_REASON = "poll_vote"


async def _credit(
    uow: UnitOfWork,
    group_id: int,
    user_id: int,
    amount: int,
    reason: str,
    key: str,
    at: datetime,
    note: str | None = None,
) -> int:
    session = uow.session
    if amount <= 0 or await rows.ledger_has(session, key):
        return 0
    await rows.add_member(session, group_id, user_id, at)
    await member_rows.credit(session, group_id, user_id, amount)
    await ledger.append(
        session,
        [
            {
                "group_id": group_id,
                "user_id": user_id,
                "amount": amount,
                "reason": reason,
                "note": note,
                "source": "feedback",
                "actor_id": None,
                "idempotency_key": key,
                "created_at": at,
            }
        ],
    )
    return amount


def item_note(number: int) -> str:
    """The ledger note of an item's credit: readable in the ledger export, and how the
    confirmation finds what the item earned when it is edited later."""
    return f"feedback #{number}"


async def for_feedback(
    uow: UnitOfWork, group: GroupSettings, user_id: int, item_id: int, number: int, at: datetime
) -> int:
    """The group's points per item, within the member's cap for the local day (0: none).
    In the transaction that stores the item; the key is the update that created it."""
    per_item, cap = settings.feedback_points(group)
    if per_item <= 0:
        return 0
    day = local_day(at, group.timezone, group.day_start_hour)
    since = day_start_instant(day, group.timezone, group.day_start_hour)
    earned = await rows.points_since(uow.session, group.group_id, user_id, FEEDBACK_REASON, since)
    amount = min(per_item, cap - earned)
    cause = f"u{uow.update_id}" if uow.update_id is not None else f"item{item_id}"
    key = f"feedback:{group.group_id}:{cause}"
    note = item_note(number)
    return await _credit(uow, group.group_id, user_id, amount, FEEDBACK_REASON, key, at, note)


async def earned_by_item(
    uow: UnitOfWork, group_id: int, user_id: int, number: int, at: datetime
) -> int:
    """What item #number earned its author (credits from before notes: the same instant)."""
    return await rows.points_of_item(
        uow.session, group_id, user_id, FEEDBACK_REASON, item_note(number), at
    )


async def for_poll_vote(
    uow: UnitOfWork, group: GroupSettings, user_id: int, poll_id: int, at: datetime
) -> int:
    """The group's points for voting, once per poll and member (a changed or retracted and
    repeated vote earns nothing more)."""
    key = f"poll:{poll_id}:{user_id}"
    return await _credit(
        uow, group.group_id, user_id, settings.poll_points(group), POLL_REASON, key, at
    )
