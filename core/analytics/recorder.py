"""Recording activity from any use case, in its transaction: one small call (or a domain event
the analytics feature subscribes to). The check-in batch folds the same plan into its own
statements (core/engagement/member_events.py).

A redelivered update changes nothing: the use case records in the transaction that records the
update as processed, and rolls back with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics.recording import Activity, Facts, Plan, history_needed, plan
from core.calendar import GroupCalendar, local_day, zone
from core.community.groups import GroupService
from core.events import ButtonPressed, EventBus, MemberJoined, MemberLeft, Transaction
from core.uow import UnitOfWork
from storage.queries.analytics import activity as rows
from storage.queries.community import groups as group_rows

DEFAULT_TIMEZONE = "UTC"  # a group without a stored timezone (every registered group has one)


@dataclass(frozen=True, slots=True)
class Calendar:
    """A group's calendar (GroupSettings is one too)."""

    group_id: int
    timezone: str
    day_start_hour: int


async def calendar_of(session: AsyncSession, group: GroupCalendar | int) -> GroupCalendar:
    """The group's calendar: given, or read from its stored settings."""
    if not isinstance(group, int):
        return group
    stored = (await group_rows.load(session, [group])).get(group)
    values = stored.settings if stored is not None else {}
    hour = values.get("day_start", "0")
    return Calendar(
        group,
        values.get("timezone", DEFAULT_TIMEZONE),
        int(hour) if hour.isdecimal() else 0,
    )


def day_and_hour(at: datetime, calendar: GroupCalendar) -> tuple[Any, int]:
    """The group's local day of `at` and its wall-clock hour there."""
    local = at.astimezone(zone(calendar.timezone))
    return local_day(at, calendar.timezone, calendar.day_start_hour), local.hour


def facts_of(row: Any) -> Facts:
    """A member's facts from their row (storage.queries.analytics.activity.FACT_COLUMNS)."""
    return Facts(
        active_day=row.active_day,
        bits=int(row.active_bits or 0),
        join_day=row.join_day,
        first_checkin=row.first_checkin_day,
        streak3=row.streak3_day,
        streak7=row.streak7_day,
        first_redeem=row.first_redeem_day,
    )


def is_new_member(row: Any, at: datetime) -> bool:
    """The row was inserted by the touch at `at`: a member seen for the first time (rows the
    bot made for a join or a leave have joined_at or left_at; an active member has active_day)."""
    return (
        row.first_seen_at == at
        and row.active_day is None
        and row.joined_at is None
        and row.left_at is None
    )


def fact_params(group_id: int, user_id: int, f: Facts) -> dict[str, Any]:
    return {
        "g": group_id,
        "u": user_id,
        "yd": f.active_day,
        "yb": f.bits,
        "fc": f.first_checkin,
        "s3": f.streak3,
        "s7": f.streak7,
        "fr": f.first_redeem,
    }


async def write(session: AsyncSession, result: Plan) -> None:
    """The plan's writes (member days, group days, changed facts)."""
    await rows.add_member_days(session, result.member_days)
    rows.defer_group_days(session, result.group_days)  # written at the commit: one lock order
    await rows.set_facts(session, [fact_params(g, u, f) for (g, u), f in result.facts.items()])


async def record(
    tx: Transaction,
    group: GroupCalendar | int,
    user_id: int,
    at: datetime,
    **counts: int,
) -> None:
    """The member did something at `at` (counts: presses, reactions, answers, feedback,
    redemptions, points_earned, points_spent): they are active that local day and present."""
    session = tx.session
    calendar = await calendar_of(session, group)
    group_id = calendar.group_id
    day, hour = day_and_hour(at, calendar)
    row = await rows.touch_member(session, group_id, user_id, at)
    result = Plan()
    if is_new_member(row, at) or (row.left_at is not None and row.left_at < at):
        result.add(group_id, day, members_delta=1)
    facts = {(group_id, user_id): facts_of(row)}
    activities = [Activity(group_id, user_id, day, hour, True, **counts)]
    wanted = history_needed(activities, facts)
    history = await rows.active_days(session, wanted) if wanted else None
    await write(session, plan(activities, facts, history, into=result))


async def record_points(
    tx: Transaction,
    group: GroupCalendar | int,
    changes: Sequence[tuple[int, int, int]],
    at: datetime,
) -> None:
    """Points that moved for members without them doing anything (a grant, a birthday bonus, a
    refund): changes are (user_id, earned, spent); nobody becomes active."""
    changes = [c for c in changes if c[1] or c[2]]
    if not changes:
        return
    calendar = await calendar_of(tx.session, group)
    day, _ = day_and_hour(at, calendar)
    activities = [
        Activity(
            calendar.group_id,
            user_id,
            day,
            None,
            False,
            points_earned=earned,
            points_spent=spent,
        )
        for user_id, earned, spent in changes
    ]
    await write(tx.session, plan(activities, {}))


async def record_membership(
    tx: Transaction, group: GroupCalendar | int, at: datetime, **amounts: int
) -> None:
    """Joins, leaves and members_delta of the group's day of `at`."""
    calendar = await calendar_of(tx.session, group)
    day, _ = day_and_hour(at, calendar)
    result = Plan()
    result.add(calendar.group_id, day, **amounts)
    rows.defer_group_days(tx.session, result.group_days)


class ActivitySubscribers:
    """What the analytics feature hears of other use cases (domain events), recorded in their
    transactions."""

    def __init__(self, groups: GroupService) -> None:
        self._groups = groups

    def subscribe(self, bus: EventBus) -> None:
        bus.subscribe(MemberJoined, self.on_joined)
        bus.subscribe(MemberLeft, self.on_left)
        bus.subscribe(ButtonPressed, self.on_pressed)

    async def _calendar(self, tx: Transaction, group_id: int) -> GroupCalendar:
        found = await self._groups.settings_in(tx.session, [group_id])
        return found[group_id] if group_id in found else await calendar_of(tx.session, group_id)

    async def on_joined(self, tx: Transaction, event: MemberJoined) -> None:
        if event.was_joined:
            return  # the same join told twice
        calendar = await self._calendar(tx, event.group_id)
        await record_membership(
            tx, calendar, event.at, joins=1, members_delta=0 if event.was_present else 1
        )
        day, _ = day_and_hour(event.at, calendar)
        await rows.set_join_day(tx.session, event.group_id, event.user_id, day)

    async def on_left(self, tx: Transaction, event: MemberLeft) -> None:
        if not event.was_present:
            return
        calendar = await self._calendar(tx, event.group_id)
        await record_membership(tx, calendar, event.at, leaves=1, members_delta=-1)

    async def on_pressed(self, tx: Transaction, event: ButtonPressed) -> None:
        calendar = await self._calendar(tx, event.group_id)
        await record(tx, calendar, event.user_id, event.at, presses=1)


async def reacted(
    uow: UnitOfWork, group: GroupCalendar, user_id: int, at: datetime, count: int
) -> None:
    """A member added reactions to a message (Telegram sends message_reaction only where the
    bot is an administrator)."""
    await record(uow, group, user_id, at, reactions=count)
    await uow.commit()
