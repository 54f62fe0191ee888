"""Domain events: several features react to one use case inside its one transaction.

A use case publishes what happened (`uow.publish(MemberJoined(...))`); every feature that cares
subscribes at composition time. Subscribers run when the use case commits, before the commit,
on the same session: their writes and the use case's land together or not at all, and a
redelivered update (rolled back as a duplicate) runs none of them twice. Anything a subscriber
wants to send goes through `uow.after_commit(...)`, so nothing is sent for effects that did
not commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession


class Transaction(Protocol):
    """What a subscriber may do in the use case's transaction (core.uow.UnitOfWork is one)."""

    @property
    def session(self) -> AsyncSession: ...

    def publish(self, event: DomainEvent) -> None: ...

    def after_commit(self, action: Callable[[], object]) -> None: ...


class DomainEvent:
    """Base class of everything a use case may publish."""


E = TypeVar("E", bound=DomainEvent)
Subscriber = Callable[[Transaction, Any], Awaitable[None]]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: dict[type[DomainEvent], list[Subscriber]] = {}

    def subscribe(
        self, event_type: type[E], subscriber: Callable[[Transaction, E], Awaitable[None]]
    ) -> None:
        self._subscribers.setdefault(event_type, []).append(subscriber)

    def wants(self, event_type: type[DomainEvent]) -> bool:
        """Cheap check for hot paths: build events only if someone listens."""
        return event_type in self._subscribers

    async def dispatch(self, uow: Transaction, event: DomainEvent) -> None:
        for subscriber in self._subscribers.get(type(event), ()):
            await subscriber(uow, event)


@dataclass(frozen=True, slots=True)
class MemberJoined(DomainEvent):
    group_id: int
    user_id: int
    display_name: str
    username: str | None
    at: datetime
    invite_link: str | None = None  # set when Telegram says which link was used
    via_join_request: bool = False  # approved from a join request (Telegram says so)


@dataclass(frozen=True, slots=True)
class MemberLeft(DomainEvent):
    group_id: int
    user_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class CheckedIn(DomainEvent):
    group_id: int
    user_id: int
    day: date  # the group's local day
    streak: int
    checkins: int
    at: datetime


@dataclass(frozen=True, slots=True)
class GroupCalendarChanged(DomainEvent):
    """A new timezone or day-start hour: local days, weeks and months begin elsewhere."""

    group_id: int
    old: tuple[str, int]  # (timezone, day_start_hour)
    new: tuple[str, int]
    at: datetime


@dataclass(frozen=True, slots=True)
class SettingChanged(DomainEvent):
    """An administrator changed one of the group's settings (`/settings`, a feature's panel)."""

    group_id: int
    key: str
    old: object
    new: object
    at: datetime


@dataclass(frozen=True, slots=True)
class BotAdded(DomainEvent):
    """The bot was added to the group: a new community, or one it had left (kept whole)."""

    group_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class GroupMoved(DomainEvent):
    """Telegram moved the group to a new chat id (upgraded to a supergroup); its rows moved
    with it, in this transaction, before subscribers hear of it."""

    group_id: int  # the new id
    old_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class PointsEarned(DomainEvent):
    """Members' lifetime earned points moved (the ledger append's before and after values):
    one event for a whole write, a check-in batch included."""

    changes: tuple[tuple[int, int, int, int], ...]  # (group_id, user_id, before, after)
    at: datetime
