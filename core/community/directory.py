"""The members table (the dashboard's Members page): one group's members filtered, searched,
sorted and paged, a member's card, and every match as CSV.

Seams for features that know more about members (the segments' stages, tiers, risk and tags):
`MemberDirectory.add_column` adds a column whose values a provider reads for the rows of one
page; `add_filter` adds a filter whose text becomes an SQL condition on the member table
(built by that feature's storage code).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.csv_export import iso
from core.engagement.profile import current_streak
from core.errors import DomainError
from core.uow import UnitOfWork
from storage.queries.community import directory as rows

SORTS = ("points", "checkins", "streak", "last_active", "joined", "lifetime")
STATES = ("present", "left", "all")
ACTIVITY = ("", "active7", "active30", "dormant30", "checked_today", "never_checked")
MAX_PAGE_SIZE = 100
CSV_CHUNK = 500  # members whose contributed columns are read at once
CSV_HEADER = [
    "user_id",
    "name",
    "username",
    "points",
    "streak",
    "best_streak",
    "checkins",
    "last_active_at",
    "joined_at",
    "left_at",
    "lifetime_earned",
]


class UnknownMember(DomainError):
    key = "dash-error-unknown-member"


@dataclass(frozen=True)
class MemberQuery:
    search: str = ""
    state: str = "present"
    activity: str = ""
    sort: str = "points"
    descending: bool = True
    page: int = 0
    size: int = 50
    filters: tuple[tuple[str, str], ...] = ()  # (filter key, its text): contributed filters


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: int
    name: str
    username: str | None
    points: int
    streak: int  # alive: checked in today or yesterday
    best_streak: int
    checkins: int
    last_active_at: datetime | None
    joined_at: datetime | None
    left_at: datetime | None
    lifetime_earned: int
    extra: dict[str, Any] = field(default_factory=dict)  # contributed columns


@dataclass(frozen=True)
class MemberPage:
    rows: list[MemberRow]
    total: int
    exact: bool  # False: at least `total` match (counting stops there)
    page: int
    size: int
    columns: tuple[str, ...]  # contributed columns, in order


# Contributed columns: values of a column for the user ids of one page.
ColumnProvider = Callable[[UnitOfWork, GroupSettings, list[int]], Awaitable[dict[int, Any]]]
# Contributed filters: the filter's text -> an SQL condition on the member table, or a
# rows.Joined (a condition that reads another table's row of the member, outer-joined)
# (ValueError: not understood).
FilterBuilder = Callable[[GroupSettings, str], Any]


class MemberDirectory:
    def __init__(self) -> None:
        self._columns: dict[str, ColumnProvider] = {}
        self._filters: dict[str, FilterBuilder] = {}

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._columns)

    @property
    def filters(self) -> tuple[str, ...]:
        return tuple(self._filters)

    def add_column(self, key: str, provider: ColumnProvider) -> None:
        if key in self._columns:
            raise ValueError(f"member column {key!r} is declared twice")
        self._columns[key] = provider

    def add_filter(self, key: str, build: FilterBuilder) -> None:
        if key in self._filters:
            raise ValueError(f"member filter {key!r} is declared twice")
        self._filters[key] = build

    def _listing(self, group: GroupSettings, query: MemberQuery, now: datetime) -> rows.Listing:
        if query.sort not in SORTS or query.state not in STATES or query.activity not in ACTIVITY:
            raise InvalidQuery()
        today = local_day(now, group.timezone, group.day_start_hour)
        window: dict[str, Any] = {}
        if query.activity == "active7":
            window["active_since"] = now - timedelta(days=7)
        elif query.activity == "active30":
            window["active_since"] = now - timedelta(days=30)
        elif query.activity == "dormant30":
            window["inactive_since"] = now - timedelta(days=30)
        elif query.activity == "checked_today":
            window["checkin_day"] = today
        elif query.activity == "never_checked":
            window["never_checked_in"] = True
        conditions = []
        for key, text in query.filters:
            build = self._filters.get(key)
            if build is None:
                raise InvalidQuery()
            try:
                conditions.append(build(group, text))
            except ValueError:
                raise InvalidQuery() from None
        return rows.Listing(
            group.group_id,
            query.state,
            query.search[:100],
            query.sort,
            query.descending,
            window,
            today,
            tuple(conditions),
        )

    async def page(
        self, uow: UnitOfWork, group: GroupSettings, query: MemberQuery, now: datetime
    ) -> MemberPage:
        listing = self._listing(group, query, now)
        size = min(max(query.size, 1), MAX_PAGE_SIZE)
        offset = query.page * size
        found, matches = await rows.page(uow.session, listing, offset, size + 1)
        more = len(found) > size
        found = found[:size]
        if not more:  # the last page: every match is counted
            total, exact = offset + len(found), True
        elif matches is not None:  # counted by the page's own statement
            total, exact = matches, True
        elif listing.search.strip():
            # A search reads every name once for the page; counting would read them again:
            # "more than" this many.
            total, exact = offset + len(found), False
        else:
            total, exact = await rows.count(uow.session, listing)
        members = [_row(r, listing) for r in found]
        ids = [m.user_id for m in members]
        for key, provider in self._columns.items():
            values = await provider(uow, group, ids) if ids else {}
            for member in members:
                member.extra[key] = values.get(member.user_id)
        return MemberPage(members, total, exact, query.page, size, self.columns)

    def csv_header(self) -> list[str]:
        return [*CSV_HEADER, *self._columns]

    async def csv_rows(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        query: MemberQuery,
        now: datetime,
    ) -> AsyncIterator[tuple[object, ...]]:
        """Every member the query matches (all pages), as CSV cells: ours, then the
        contributed columns, read for CSV_CHUNK members at a time on the same connection
        between two fetches of the stream."""
        listing = self._listing(group, query, now)
        chunk: list[MemberRow] = []
        async for r in rows.stream(uow.session, listing):
            chunk.append(_row(r, listing))
            if len(chunk) >= CSV_CHUNK:
                for cells in await self._csv_chunk(uow, group, chunk):
                    yield cells
                chunk = []
        for cells in await self._csv_chunk(uow, group, chunk):
            yield cells

    async def _csv_chunk(
        self, uow: UnitOfWork, group: GroupSettings, chunk: list[MemberRow]
    ) -> list[tuple[object, ...]]:
        ids = [m.user_id for m in chunk]
        extras = [await provider(uow, group, ids) for provider in self._columns.values()]
        return [
            (
                m.user_id,
                m.name,
                m.username or "",
                m.points,
                m.streak,
                m.best_streak,
                m.checkins,
                iso(m.last_active_at),
                iso(m.joined_at),
                iso(m.left_at),
                m.lifetime_earned,
                *(_cell(values.get(m.user_id)) for values in extras),
            )
            for m in chunk
        ]


def _cell(value: Any) -> object:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return value  # type: ignore[no-any-return]


class InvalidQuery(DomainError):
    key = "dash-error-bad-query"


def _row(r: Any, listing: rows.Listing) -> MemberRow:
    return MemberRow(
        user_id=int(r.user_id),
        name=r.display_name or (f"@{r.username}" if r.username else str(r.user_id)),
        username=r.username,
        points=r.points,
        streak=current_streak(r.last_checkin_day, r.streak, listing.today),
        best_streak=r.best_streak,
        checkins=r.checkins,
        last_active_at=r.last_active_at,
        joined_at=r.joined_at or r.first_seen_at,
        left_at=r.left_at,
        lifetime_earned=int(r.lifetime_earned or 0),
    )


@dataclass(frozen=True)
class MemberCard:
    member: MemberRow
    ledger: list[tuple[int, str, str | None, datetime]]  # amount, reason, note, when
    redemptions: list[tuple[int, str, int, str, datetime]]  # id, reward, cost, status, when


async def card(uow: UnitOfWork, group: GroupSettings, user_id: int, now: datetime) -> MemberCard:
    found = await rows.member(uow.session, group.group_id, user_id)
    if found is None:
        raise UnknownMember()
    today = local_day(now, group.timezone, group.day_start_hour)
    listing = rows.Listing(group.group_id, "all", "", "points", True, {}, today)
    ledger = await rows.recent_ledger(uow.session, group.group_id, user_id, 10)
    redemptions = await rows.recent_redemptions(uow.session, group.group_id, user_id, 5)
    return MemberCard(
        _row(found, listing),
        [(r.amount, r.reason, r.note, r.created_at) for r in ledger],
        [(r.id, r.reward_name, r.cost, r.status, r.created_at) for r in redemptions],
    )
