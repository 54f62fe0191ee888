"""The rules of referral invites, as plain functions of ids, times and numbers (no I/O).

A join through a member's personal link is *attributed* to that member when the person is a
newcomer: the bot never saw them in the group before (beyond the few minutes in which
Telegram reports one join twice). Each newcomer is attributed once per group, ever: a later
join, through any link, changes nothing.

An attributed join becomes a *successful invite* (and both are paid) when the newcomer has
checked in at least once since joining **and** three days have passed since the join, without
the newcomer leaving in those three days. The leader's sweep pays it within seconds of the
later of the two moments; a leave before the three days are up marks it `left`, so nothing is
ever paid that would have to be taken back from the append-only ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# A newcomer must stay this long (and check in) for the invite to count.
QUALIFYING_STAY = timedelta(days=3)
# Telegram reports one join twice (service message and chat_member), seconds apart: a member
# first seen this shortly before the join is still a newcomer.
SAME_JOIN = timedelta(minutes=10)
# Telegram's limit for an invite link's name.
MAX_LINK_NAME = 32

JOINED, CHECKED_IN, COUNTED, LEFT = "joined", "checked_in", "counted", "left"
OPEN = (JOINED, CHECKED_IN)
# How the points of a counted invite went.
PAID, CAPPED, OFF = "paid", "capped", "off"

# Where a join came from, least telling first (a later report may only sharpen it).
OTHER, LINK, REQUEST, INVITE = "other", "link", "request", "invite"
SOURCES = (OTHER, LINK, REQUEST, INVITE)


def is_newcomer(first_seen_at: datetime | None, joined_at: datetime) -> bool:
    """Never seen in the group before this join (None: no trace of them at all)."""
    return first_seen_at is None or first_seen_at >= joined_at - SAME_JOIN


def attributed_to(
    owner_id: int | None, invitee_id: int, first_seen_at: datetime | None, joined_at: datetime
) -> int | None:
    """The member a join is credited to: the link's owner, if the link is a personal one, the
    person is a newcomer and did not use their own link."""
    if owner_id is None or owner_id == invitee_id:
        return None
    return owner_id if is_newcomer(first_seen_at, joined_at) else None


def join_source(*, personal_link: bool, any_link: bool, join_request: bool) -> str:
    if personal_link:
        return INVITE
    if join_request:
        return REQUEST
    return LINK if any_link else OTHER


def sharper(old: str, new: str) -> bool:
    """Whether a second report of the same join says more about where it came from."""
    return SOURCES.index(new) > SOURCES.index(old)


def due_at(joined_at: datetime) -> datetime:
    return joined_at + QUALIFYING_STAY


def voided_by_leave(status: str, due: datetime, left_at: datetime) -> bool:
    """A newcomer leaving before the three days are up does not count (ever)."""
    return status in OPEN and left_at < due


def payable(status: str, due: datetime, now: datetime) -> bool:
    return status == CHECKED_IN and due <= now


@dataclass(frozen=True, slots=True)
class Shares:
    inviter: int
    invitee: int
    reward: str  # PAID | CAPPED | OFF


def shares(points: int, inviter_paid_today: int, daily_cap: int) -> Shares:
    """What a successful invite pays: `points` each; the inviter's share only while they are
    under the group's cap of paid invites for the local day (the newcomer is paid anyway)."""
    if points <= 0:
        return Shares(0, 0, OFF)
    if inviter_paid_today >= daily_cap:
        return Shares(0, points, CAPPED)
    return Shares(points, points, PAID)


def link_name(display_name: str, username: str | None, user_id: int) -> str:
    """The link's name in the group's list of links: the member's name (Telegram allows 32)."""
    name = " ".join(display_name.split()) or (f"@{username}" if username else str(user_id))
    return name if len(name) <= MAX_LINK_NAME else name[: MAX_LINK_NAME - 1] + "…"
