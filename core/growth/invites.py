"""Referral invites: personal links, attribution of joins, payment once an invite counts,
the /top invites board and /invite's numbers. The rules are in core/growth/rules.py.

- A join (MemberJoined, in the join's transaction) is recorded with its source; a join
  through a member's personal link by a newcomer creates the newcomer's referral (once per
  group, ever).
- The newcomer's first check-in (CheckedIn with checkins == 1, one statement per check-in
  batch) moves the referral to `checked_in`; a leave within three days of the join
  (MemberLeft) to `left`.
- The leader's sweep (`pay_due`, every few seconds) counts each referral that has checked in
  and whose three days are up: one transaction per referral that marks it counted (a
  conditional UPDATE, so two processes never both do), appends both ledger rows (keys
  `invite:<group>:<newcomer>:inviter|newcomer`, unique) and adds one to the inviter's tally.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.csv_export import iso, write_csv
from core.engagement.leaderboard import Board, Entry, ranks
from core.events import CheckedIn, DomainEvent, EventBus, MemberJoined, MemberLeft, Transaction
from core.growth import rules
from core.growth.settings import invite_points, invites_on
from core.text import shorten
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import members as member_rows
from storage.queries.engagement import ledger
from storage.queries.growth import invites as q
from storage.queries.growth import joins

logger = logging.getLogger(__name__)

INVITER_REASON = "invite_reward"  # the member whose link brought the newcomer
NEWCOMER_REASON = "invite_bonus"  # the newcomer
EXPORT_COLUMNS = ["inviter_id", "invitee_id", "joined_at", "first_checkin_at", "rewarded"]
SWEEP_BATCH = 200


@dataclass(frozen=True, slots=True)
class LinkState:
    """What /invite needs: the member's current link (if any) and their numbers."""

    link: str | None
    name: str
    creates_join_request: bool
    counted: int  # successful invites
    waiting: int  # newcomers who joined through the link and have not counted yet


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    name: str
    reachable: bool  # started the bot and did not block it: a private message arrives


@dataclass(frozen=True, slots=True)
class Payment:
    """A counted invite, for the notices sent after its commit."""

    group_id: int
    language: str
    day: Any  # the group's local day (digest lines go to that day's fold)
    inviter: Person
    newcomer: Person
    inviter_points: int
    newcomer_points: int
    reward: str
    invites: int  # the inviter's successful invites now
    cap: int  # the group's daily cap of paid invites per inviter


@dataclass(frozen=True, slots=True)
class _FirstCheckinsPending(DomainEvent):
    """Collected first check-ins are written when this one is handled (the next round)."""


class InviteService:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        *,
        clock: Callable[[], datetime],
        bus: EventBus | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self._clock = clock
        self._bus = bus
        self._firsts: weakref.WeakKeyDictionary[object, list[dict[str, Any]]] = (
            weakref.WeakKeyDictionary()
        )

    def subscribe(self, bus: EventBus) -> None:
        bus.subscribe(MemberJoined, self.on_member_joined)
        bus.subscribe(MemberLeft, self.on_member_left)
        bus.subscribe(CheckedIn, self.on_checked_in)
        bus.subscribe(_FirstCheckinsPending, self._write_first_checkins)

    # ---- links ---------------------------------------------------------------------------

    async def link_state(self, group_id: int, user_id: int) -> LinkState:
        """Read in a short session of its own: the caller asks Telegram next, and must not
        hold a transaction open meanwhile."""
        async with self._session_factory() as session:
            found = await q.current_link(session, group_id, user_id)
            counted = await q.tally(session, group_id, user_id)
            waiting = await q.open_count(session, group_id, user_id, rules.OPEN)
        if found is None:
            return LinkState(None, "", False, counted, waiting)
        return LinkState(found.link, found.name, found.creates_join_request, counted, waiting)

    async def save_link(
        self,
        uow: UnitOfWork,
        group_id: int,
        user_id: int,
        *,
        link: str,
        name: str,
        creates_join_request: bool,
        at: datetime,
        replaces: str | None = None,
    ) -> None:
        """The link Telegram made (or kept) for the member; `replaces`: their link that
        Telegram no longer accepts (revoked or expired)."""
        session = uow.session
        if replaces is not None and replaces != link:
            await q.revoke_link(session, replaces, at)
        await q.add_link(
            session,
            link=link,
            group_id=group_id,
            user_id=user_id,
            name=name,
            creates_join_request=creates_join_request,
            at=at,
        )
        await q.update_link(session, link, name=name, creates_join_request=creates_join_request)
        await uow.commit()

    async def links_to_sync(
        self, session: AsyncSession, group_id: int, join_request: bool
    ) -> list[tuple[str, str]]:
        """The group's personal links whose approval mode is not `join_request` (after
        onboarding was turned on or off), as (link, name)."""
        return await q.active_links(session, group_id, creates_join_request=join_request)

    async def link_synced(self, link: str, name: str, join_request: bool) -> None:
        async with self._session_factory() as session:
            await q.update_link(session, link, name=name, creates_join_request=join_request)
            await session.commit()

    async def link_dead(self, link: str) -> None:
        async with self._session_factory() as session:
            await q.revoke_link(session, link, self._clock())
            await session.commit()

    # ---- reacting to joins, leaves and check-ins (in their transactions) -------------------

    async def on_member_joined(self, tx: Transaction, event: MemberJoined) -> None:
        session = tx.session
        found = (await self._groups.settings_in(session, [event.group_id])).get(event.group_id)
        if found is None:
            return
        group, g, u = found, event.group_id, event.user_id
        owner = await q.owner_of(session, g, event.invite_link) if event.invite_link else None
        await self._record_source(session, group, event, owner is not None)
        await q.set_present(session, g, u, True)  # back on the invites board, if they are on it
        if not invites_on(group):
            return
        inviter = rules.attributed_to(owner, u, await q.first_seen(session, g, u), event.at)
        if inviter is None:
            return
        checked_in = await q.first_checkin_since(session, g, u, event.at - rules.SAME_JOIN)
        await q.add_referral(
            session,
            group_id=g,
            invitee_id=u,
            inviter_id=inviter,
            link=event.invite_link,
            joined_at=event.at,
            due_at=rules.due_at(event.at),
            status=rules.CHECKED_IN if checked_in else rules.JOINED,
            first_checkin_at=checked_in,
            inviter_points=0,
            invitee_points=0,
        )

    async def _record_source(
        self, session: AsyncSession, group: GroupSettings, event: MemberJoined, personal: bool
    ) -> None:
        source = rules.join_source(
            personal_link=personal,
            any_link=event.invite_link is not None,
            join_request=event.via_join_request,
        )
        g, u = event.group_id, event.user_id
        day = local_day(event.at, group.timezone, group.day_start_hour)
        before = await joins.record(session, g, u, day, source, event.at)
        if before == "":
            await joins.add_to_day(session, g, day, source, 1)
        elif rules.sharper(before, source) and await joins.change(
            session, g, u, day, before, source
        ):
            await joins.add_to_day(session, g, day, before, -1)
            await joins.add_to_day(session, g, day, source, 1)

    async def on_member_left(self, tx: Transaction, event: MemberLeft) -> None:
        session = tx.session
        await q.void_on_leave(session, event.group_id, event.user_id, event.at, rules.OPEN)
        await q.set_present(session, event.group_id, event.user_id, False)

    async def on_checked_in(self, tx: Transaction, event: CheckedIn) -> None:
        """Only a member's very first check-in in the group can be a newcomer's: collected,
        and written with one statement for the whole check-in batch."""
        if event.checkins != 1:
            return
        rows = self._firsts.get(tx)
        if rows is None:
            rows = self._firsts[tx] = []
            tx.publish(_FirstCheckinsPending())
        rows.append({"g": event.group_id, "u": event.user_id, "at": event.at})

    async def _write_first_checkins(self, tx: Transaction, _event: _FirstCheckinsPending) -> None:
        rows = self._firsts.pop(tx, None)
        if rows:
            await q.mark_checked_in(tx.session, rows)

    # ---- counting and paying (the leader's sweep) ----------------------------------------

    async def pay_due(self, limit: int = SWEEP_BATCH) -> list[Payment]:
        """Count every referral that is ready; each in its own transaction."""
        now = self._clock()
        async with self._session_factory() as session:
            ready = await q.due(session, now, limit)
        payments = []
        for group_id, invitee_id in ready:
            try:
                payment = await self._count(group_id, invitee_id, now)
            except Exception:  # noqa: BLE001  (one bad row must not stop the others)
                logger.exception("invite of %s in %s could not be counted", invitee_id, group_id)
                continue
            if payment is not None:
                payments.append(payment)
        return payments

    async def _count(self, group_id: int, invitee_id: int, now: datetime) -> Payment | None:
        async with self._session_factory() as session:
            uow = UnitOfWork(session, bus=self._bus)
            payment = await self.count(uow, group_id, invitee_id, now)
            if payment is None:
                await uow.rollback()
                return None
            await uow.commit()
            return payment

    async def count(
        self, uow: UnitOfWork, group_id: int, invitee_id: int, now: datetime
    ) -> Payment | None:
        """Count one ready referral and pay both (in the caller's transaction; it commits)."""
        session = uow.session
        row = await q.claim_count(session, group_id, invitee_id, now)
        if row is None:
            return None  # not ready, or counted by someone else
        inviter_id = int(row.inviter_id)
        group = (await self._groups.settings_in(session, [group_id]))[group_id]
        points, cap = invite_points(group) if invites_on(group) else (0, 0)
        day = local_day(now, group.timezone, group.day_start_hour)
        paid_today = 0
        if points > 0:
            since = day_start_instant(day, group.timezone, group.day_start_hour)
            paid_today = await q.paid_since(session, group_id, inviter_id, since)
        share = rules.shares(points, paid_today, cap)
        await q.set_reward(
            session, group_id, invitee_id, share.reward, share.inviter, share.invitee
        )
        entries = []
        for user_id, amount, reason, role in (
            (inviter_id, share.inviter, INVITER_REASON, "inviter"),
            (invitee_id, share.invitee, NEWCOMER_REASON, "newcomer"),
        ):
            if amount <= 0:
                continue
            await q.ensure_member(session, group_id, user_id, now)
            await member_rows.credit(session, group_id, user_id, amount)
            entries.append(
                {
                    "group_id": group_id,
                    "user_id": user_id,
                    "amount": amount,
                    "reason": reason,
                    "note": None,
                    "source": "invite",
                    "actor_id": None,
                    "idempotency_key": f"invite:{group_id}:{invitee_id}:{role}",
                    "created_at": now,
                }
            )
        await ledger.append(session, entries)
        inviter_row = await member_rows.get_member(session, group_id, inviter_id)
        present = inviter_row is not None and inviter_row.left_at is None
        invites = await q.bump_tally(session, group_id, inviter_id, present)
        people = await self._people(session, [inviter_id, invitee_id])
        return Payment(
            group_id,
            group.language,
            day,
            people[inviter_id],
            people[invitee_id],
            share.inviter,
            share.invitee,
            share.reward,
            invites,
            cap,
        )

    async def _people(self, session: AsyncSession, user_ids: list[int]) -> dict[int, Person]:
        found = {}
        for user_id in user_ids:
            user = await member_rows.get_user(session, user_id)
            name = shorten((user.display_name if user else "") or str(user_id), 40)
            reachable = user is not None and user.started_at is not None and not user.blocked_at
            found[user_id] = Person(user_id, name, reachable)
        return found

    # ---- reading -------------------------------------------------------------------------

    async def board(
        self,
        session: AsyncSession,
        group: GroupSettings,
        viewer_id: int,
        now: datetime,
        limit: int = 10,
    ) -> Board:
        """/top invites: successful invites of the group's present members."""
        top = await q.top(session, group.group_id, limit)
        viewer_value = 0
        if all(user_id != viewer_id for user_id, _ in top):
            viewer_value = await q.tally(session, group.group_id, viewer_id)
            member = await member_rows.get_member(session, group.group_id, viewer_id)
            if member is None or member.left_at is not None:
                viewer_value = 0
        known = await q.names(session, [u for u, _ in top] + ([viewer_id] if viewer_value else []))
        entries = [
            Entry(rank, user_id, _name(user_id, known.get(user_id)), value)
            for rank, (user_id, value) in zip(ranks([v for _, v in top]), top, strict=True)
        ]
        viewer = None
        if viewer_value > 0:
            above = await q.count_above(session, group.group_id, viewer_value)
            viewer = Entry(
                above + 1, viewer_id, _name(viewer_id, known.get(viewer_id)), viewer_value
            )
        return Board("invites", entries, viewer)

    async def invites_csv(self, session: AsyncSession, group_id: int) -> tuple[bytes, int]:
        return await write_csv(
            EXPORT_COLUMNS,
            q.export_rows(session, group_id),
            lambda r: (
                r.inviter_id,
                r.invitee_id,
                iso(r.joined_at),
                iso(r.first_checkin_at),
                rewarded(r.status, r.reward),
            ),
        )


def rewarded(status: str, reward: str | None) -> str:
    """The export's `rewarded`: yes (both paid), capped (only the newcomer: the inviter's daily
    cap), off (counted without points), pending (not counted yet), left (left within 3 days)."""
    if status == rules.COUNTED:
        return {rules.PAID: "yes", rules.CAPPED: "capped"}.get(reward or "", "off")
    return "left" if status == rules.LEFT else "pending"


def _name(user_id: int, known: tuple[str, str | None] | None) -> str:
    display_name, username = known or ("", None)
    return shorten(display_name or (f"@{username}" if username else f"User {user_id}"))
