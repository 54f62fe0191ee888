"""Referral invites on SQLite and PostgreSQL: joins through a member's link are attributed,
counted and paid by the rules (first check-in and 3 days, once per newcomer, the daily cap),
never twice (also by two processes at once), and read back as the board and the export."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from core.community.members import MemberService, user_row
from core.engagement.member_events import MemberEvent, MemberEventBatcher, UserInfo
from core.events import EventBus
from core.growth.invites import InviteService
from core.growth.sources import joins_by_source
from core.uow import UnitOfWork
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.tables import InviteTally, InviteValueCount, LedgerEntry, Member, Referral
from tests.group_service import group_service

GROUP = -1001000000077
JOIN = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai
ADA, BOB, CAT, DAN, EVE = 100, 200, 300, 400, 500


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class World:
    """The services a join, a check-in and the sweep go through, on one database."""

    def __init__(self, session_factory: SessionFactory, clock: Clock) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.groups = group_service(session_factory)
        self.bus = EventBus()
        self.invites = InviteService(session_factory, self.groups, clock=clock, bus=self.bus)
        self.invites.subscribe(self.bus)
        self.members = MemberService(session_factory)
        self.batcher = MemberEventBatcher(session_factory, self.groups, bus=self.bus)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(None, factory=self.session_factory, bus=self.bus)

    async def run(self, work: Any) -> Any:
        uow = self.uow()
        try:
            return await work(uow)
        finally:
            await uow.close()

    async def setup(self, **settings: str) -> None:
        await self.run(lambda uow: self.groups.register(uow, GROUP, "Tea House", ADA, JOIN))
        for key, value in settings.items():
            await self.run(
                lambda uow, k=key, v=value: self.groups.change(uow, GROUP, ADA, k, v, JOIN)
            )

    async def link_of(self, user_id: int, link: str | None = None) -> str:
        link = link or f"https://t.me/+link{user_id}"
        await self.run(
            lambda uow: self.invites.save_link(
                uow,
                GROUP,
                user_id,
                link=link,
                name=f"User{user_id}",
                creates_join_request=False,
                at=JOIN,
            )
        )
        return link

    async def join(self, user_id: int, at: datetime, link: str | None = None) -> None:
        """Telegram's two reports of one join: the service message, then chat_member."""
        row = user_row(user_id, None, f"User{user_id}", "en")
        await self.run(lambda uow: self.members.record_joins(uow, GROUP, [row], at))
        if link is not None:
            await self.run(
                lambda uow: self.members.record_joins(uow, GROUP, [row], at, invite_link=link)
            )

    async def leave(self, user_id: int, at: datetime) -> None:
        await self.run(lambda uow: self.members.record_leave(uow, GROUP, user_id, at))

    async def check_in(self, user_id: int, at: datetime) -> None:
        user = UserInfo(user_id, None, f"User{user_id}", "en")
        await self.batcher.submit(MemberEvent("checkin", None, GROUP, user, at))

    async def pay(self, at: datetime) -> list[Any]:
        self.clock.now = at
        return await self.invites.pay_due()

    async def referral(self, invitee: int) -> Referral | None:
        async with self.session_factory() as s:
            return await s.get(Referral, (GROUP, invitee))

    async def ledger(self, user_id: int) -> list[tuple[int, str, str]]:
        async with self.session_factory() as s:
            rows = await s.exec(
                select(LedgerEntry.amount, LedgerEntry.reason, LedgerEntry.idempotency_key)
                .where(LedgerEntry.user_id == user_id, LedgerEntry.reason.like("invite%"))
                .order_by(LedgerEntry.id)
            )
            return [tuple(r) for r in rows.all()]

    async def points(self, user_id: int) -> int:
        async with self.session_factory() as s:
            member = await s.get(Member, (GROUP, user_id))
            return member.points if member else 0

    async def tally(self, user_id: int) -> int:
        async with self.session_factory() as s:
            found = await s.get(InviteTally, (GROUP, user_id))
            return found.invites if found else 0


async def test_a_newcomer_through_a_link_pays_both_once_after_check_in_and_three_days(
    session_factory: SessionFactory,
) -> None:
    w = World(session_factory, Clock(JOIN))
    await w.setup()
    await w.check_in(ADA, JOIN - timedelta(days=10))  # Ada has been around
    link = await w.link_of(ADA)
    await w.join(BOB, JOIN, link)
    referral = await w.referral(BOB)
    assert referral is not None and (referral.inviter_id, referral.status) == (ADA, "joined")
    assert referral.due_at == JOIN + timedelta(days=3)

    # Three days, but no check-in yet: nothing.
    assert await w.pay(JOIN + timedelta(days=4)) == []
    await w.check_in(BOB, JOIN + timedelta(days=4, hours=1))
    assert (await w.referral(BOB)).status == "checked_in"  # type: ignore[union-attr]
    paid = await w.pay(JOIN + timedelta(days=4, hours=1, seconds=5))
    assert len(paid) == 1
    payment = paid[0]
    assert (payment.inviter.user_id, payment.newcomer.user_id) == (ADA, BOB)
    assert (payment.inviter_points, payment.newcomer_points, payment.reward) == (50, 50, "paid")
    assert payment.invites == 1 and payment.language == "en"

    assert await w.ledger(ADA) == [(50, "invite_reward", f"invite:{GROUP}:{BOB}:inviter")]
    assert await w.ledger(BOB) == [(50, "invite_bonus", f"invite:{GROUP}:{BOB}:newcomer")]
    assert await w.points(BOB) == 50 + 10  # the bonus and the check-in
    assert await w.tally(ADA) == 1
    # Again, later: nothing more. Leaving and rejoining, through another link: nothing.
    assert await w.pay(JOIN + timedelta(days=9)) == []
    await w.leave(BOB, JOIN + timedelta(days=10))
    cat_link = await w.link_of(CAT)
    await w.join(BOB, JOIN + timedelta(days=11), cat_link)
    await w.check_in(BOB, JOIN + timedelta(days=11, hours=1))
    assert await w.pay(JOIN + timedelta(days=20)) == []
    assert (await w.referral(BOB)).inviter_id == ADA  # type: ignore[union-attr]
    assert len(await w.ledger(BOB)) == 1 and await w.tally(CAT) == 0


async def test_a_check_in_before_the_three_days_pays_on_the_third_day(
    session_factory: SessionFactory,
) -> None:
    w = World(session_factory, Clock(JOIN))
    await w.setup()
    link = await w.link_of(ADA)
    await w.join(BOB, JOIN, link)
    await w.check_in(BOB, JOIN + timedelta(hours=2))
    assert await w.pay(JOIN + timedelta(days=2, hours=23)) == []
    assert len(await w.pay(JOIN + timedelta(days=3))) == 1


async def test_leaving_within_three_days_never_counts(session_factory: SessionFactory) -> None:
    w = World(session_factory, Clock(JOIN))
    await w.setup()
    link = await w.link_of(ADA)
    await w.join(BOB, JOIN, link)
    await w.check_in(BOB, JOIN + timedelta(hours=1))
    await w.leave(BOB, JOIN + timedelta(days=2))
    await w.join(BOB, JOIN + timedelta(days=2, hours=1), link)  # and back: still nothing
    assert await w.pay(JOIN + timedelta(days=10)) == []
    referral = await w.referral(BOB)
    assert referral is not None and referral.status == "left"
    assert referral.left_at == JOIN + timedelta(days=2)
    assert await w.ledger(ADA) == [] and await w.ledger(BOB) == []

    # Leaving after the three days is fine: it counted already, nothing is taken back.
    await w.join(CAT, JOIN, link)
    await w.check_in(CAT, JOIN + timedelta(hours=1))
    assert len(await w.pay(JOIN + timedelta(days=3))) == 1
    await w.leave(CAT, JOIN + timedelta(days=3, hours=1))
    assert (await w.referral(CAT)).status == "counted"  # type: ignore[union-attr]
    assert len(await w.ledger(CAT)) == 1


async def test_old_members_and_own_links_are_not_attributed(
    session_factory: SessionFactory,
) -> None:
    w = World(session_factory, Clock(JOIN))
    await w.setup()
    link = await w.link_of(ADA)
    await w.check_in(BOB, JOIN - timedelta(days=30))  # Bob was here a month ago
    await w.leave(BOB, JOIN - timedelta(days=20))
    await w.join(BOB, JOIN, link)
    await w.join(ADA, JOIN, link)  # Ada through her own link
    assert await w.referral(BOB) is None and await w.referral(ADA) is None
    async with session_factory() as s:
        sources = await joins_by_source(s, GROUP, JOIN.date(), JOIN.date())
    # Each join once, from its sharper report (the chat_member one with the link).
    assert sources == {"invite": 2, "request": 0, "link": 0, "other": 0}


async def test_the_inviters_daily_cap(session_factory: SessionFactory) -> None:
    w = World(session_factory, Clock(JOIN))
    await w.setup(invite_daily_cap="1", invite_points="20")
    link = await w.link_of(ADA)
    for newcomer in (BOB, CAT):
        await w.join(newcomer, JOIN, link)
        await w.check_in(newcomer, JOIN + timedelta(hours=1))
    paid = await w.pay(JOIN + timedelta(days=3))
    assert [(p.inviter_points, p.newcomer_points, p.reward) for p in paid] == [
        (20, 20, "paid"),
        (0, 20, "capped"),
    ]
    assert await w.tally(ADA) == 2  # both count as invites
    assert await w.points(ADA) == 20
    # The next local day, the cap starts again.
    await w.join(DAN, JOIN + timedelta(days=1), link)
    await w.check_in(DAN, JOIN + timedelta(days=1, hours=1))
    paid = await w.pay(JOIN + timedelta(days=4, hours=1))
    assert [(p.inviter_points, p.reward) for p in paid] == [(20, "paid")]


async def test_invites_off_counts_without_points_and_attributes_nothing_new(
    session_factory: SessionFactory,
) -> None:
    w = World(session_factory, Clock(JOIN))
    await w.setup()
    link = await w.link_of(ADA)
    await w.join(BOB, JOIN, link)
    await w.check_in(BOB, JOIN + timedelta(hours=1))
    await w.run(lambda uow: w.groups.change(uow, GROUP, ADA, "invites", "off", JOIN))
    await w.join(CAT, JOIN, link)
    assert await w.referral(CAT) is None
    paid = await w.pay(JOIN + timedelta(days=3))
    assert [(p.inviter_points, p.newcomer_points, p.reward) for p in paid] == [(0, 0, "off")]
    assert await w.ledger(ADA) == [] and await w.tally(ADA) == 1


async def test_two_processes_paying_at_once_pay_once(db_url: str) -> None:
    """Two bot processes' sweeps (their own engines and connections) race for the same due
    invites: every invite is counted once, every ledger row written once."""
    engines = [create_engine(db_url) for _ in range(2)]
    try:
        factories = [create_session_factory(e) for e in engines]
        clock = Clock(JOIN)
        first, second = World(factories[0], clock), World(factories[1], clock)
        await first.setup()
        link = await first.link_of(ADA)
        newcomers = [1000 + i for i in range(12)]
        for user_id in newcomers:
            await first.join(user_id, JOIN, link)
            await first.check_in(user_id, JOIN + timedelta(hours=1))
        await first.run(
            lambda uow: first.groups.change(uow, GROUP, ADA, "invite_daily_cap", "100", JOIN)
        )
        clock.now = JOIN + timedelta(days=3)
        results = await asyncio.gather(
            *(w.invites.pay_due() for w in (first, second, first, second))
        )
        assert sum(len(r) for r in results) == len(newcomers)
        async with factories[0]() as s:
            count = (
                await s.exec(
                    select(func.count())
                    .select_from(LedgerEntry)
                    .where(LedgerEntry.reason.like("invite%"))
                )
            ).one()
        assert count == 2 * len(newcomers)
        assert await first.tally(ADA) == len(newcomers)
        assert await first.points(ADA) == 50 * len(newcomers)
    finally:
        for engine in engines:
            await engine.dispose()


async def test_the_invites_board_and_the_export(session_factory: SessionFactory) -> None:
    w = World(session_factory, Clock(JOIN))
    await w.setup()
    links = {user_id: await w.link_of(user_id) for user_id in (ADA, BOB, CAT, DAN)}
    newcomer = iter(range(2000, 3000))
    for inviter, count in ((ADA, 3), (BOB, 1), (CAT, 3), (DAN, 2)):
        await w.check_in(inviter, JOIN - timedelta(days=5))
        for _ in range(count):
            user_id = next(newcomer)
            await w.join(user_id, JOIN, links[inviter])
            await w.check_in(user_id, JOIN + timedelta(hours=1))
    late = next(newcomer)
    await w.join(late, JOIN, links[BOB])  # never checks in: pending
    await w.pay(JOIN + timedelta(days=3))
    await w.leave(DAN, JOIN + timedelta(days=4))  # off the board
    group = await w.groups.settings_for(GROUP)
    async with session_factory() as s:
        board = await w.invites.board(s, group, EVE, JOIN, limit=2)
        assert [(e.rank, e.user_id, e.value) for e in board.entries] == [(1, ADA, 3), (1, CAT, 3)]
        assert board.viewer is None  # Eve brought nobody
        mine = await w.invites.board(s, group, BOB, JOIN, limit=2)
        assert mine.viewer is not None and (mine.viewer.rank, mine.viewer.value) == (3, 1)
        data, count = await w.invites.invites_csv(s, GROUP)
        # The members-per-value counts ranks come from agree with the tally.
        counts = (
            await s.exec(
                select(InviteValueCount.invites, InviteValueCount.members).where(
                    InviteValueCount.members != 0
                )
            )
        ).all()
        present = (
            await s.exec(
                select(InviteTally.invites, func.count())
                .where(InviteTally.present == True)  # noqa: E712
                .group_by(InviteTally.invites)
            )
        ).all()
    assert sorted(counts) == sorted(present) == [(1, 1), (3, 2)]
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert count == 10 and list(rows[0]) == [
        "inviter_id",
        "invitee_id",
        "joined_at",
        "first_checkin_at",
        "rewarded",
    ]
    by_invitee = {int(r["invitee_id"]): r for r in rows}
    assert by_invitee[2000] == {
        "inviter_id": str(ADA),
        "invitee_id": "2000",
        "joined_at": "2026-03-02T02:00:00Z",
        "first_checkin_at": "2026-03-02T03:00:00Z",
        "rewarded": "yes",
    }
    assert by_invitee[late]["rewarded"] == "pending" and by_invitee[late]["first_checkin_at"] == ""
