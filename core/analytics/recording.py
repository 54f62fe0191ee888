"""What activity does to the numbers: a plan without I/O, shared by the check-in batch and the
recorder every other use case calls.

Given what members did (activities, each on a local day) and what is known of them (their
facts: the latest active day and the 62 days before it as bits, their join day, their firsts),
the plan says what to add to each member's day (member_day), to each group's days (group_day:
counts, DAU, the WAU/MAU difference arrays, retention and funnel cohorts, the hour matrix) and
which facts change. Adding is all the writes do, so concurrent writers commute; each member's
facts are read under the member row's lock (the upsert that touches it), so two transactions
never both count the same member's first activity of a day.

WAU and MAU (members active in the 7 / 30 days ending a day) are difference arrays: a member
active on day d covers [d, d+7); when they become active on d, only the part of that interval
no other active day of theirs covers is added: +1 at max(d, a+7), -1 at min(d+7, n), where a
is their nearest active day before d and n the nearest after (the common case has no n:
+1 at max(d, p+7), -1 at d+7). The sum of the deltas up to D is WAU(D).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from storage.tables.analytics import (
    MEMBER_DAY_COUNTS,
    RETENTION_DAYS,
    RETENTION_WEEKS,
    hour_column,
)

BITS = 62  # active days remembered on the member row: bit i is active_day - i
_MASK = (1 << BITS) - 1
SPANS = {"wau_delta": 7, "mau_delta": 30}
WINDOW = max(SPANS.values())
# A late day this close to active_day is planned from the bits alone: every active day within
# WINDOW of it on either side is in them. Further back, the caller reads the member's days.
BITS_REACH = BITS - 1 - WINDOW
_RETENTION_DAYS = frozenset(RETENTION_DAYS)
_LAST_WEEK = RETENTION_WEEKS[-1]

MemberKey = tuple[int, int]  # (group_id, user_id)


@dataclass(slots=True)
class Facts:
    """What the numbers need to know about a member (columns of `member`)."""

    active_day: date | None = None
    bits: int = 0
    join_day: date | None = None  # local day of joined_at (the cohort); None: never seen joining
    first_checkin: date | None = None
    streak3: date | None = None
    streak7: date | None = None
    first_redeem: date | None = None

    def active_days(self) -> set[date]:
        if self.active_day is None:
            return set()
        day, bits = self.active_day, self.bits
        return {day - timedelta(days=i) for i in range(BITS) if bits >> i & 1}

    def active_days_in(self, today: date, days: int = 30) -> int:
        """Days with activity among the `days` local days ending today."""
        if self.active_day is None:
            return 0
        shift = (today - self.active_day).days
        if shift >= days:
            return 0
        if shift < 0:  # today is before the latest activity (a report on a past day)
            return sum(1 for d in self.active_days() if today - timedelta(days=days) < d <= today)
        return (self.bits & ((1 << (days - shift)) - 1)).bit_count()


@dataclass(slots=True)
class Activity:
    """Something a member did (active) or points that moved for them, on a local day.

    hour: the wall-clock hour of an event for the weekday x hour matrix, None when the event
    must not be counted there (one that is not tied to an update, which a redelivery could
    count twice)."""

    group_id: int
    user_id: int
    day: date
    hour: int | None = None
    active: bool = True
    messages: int = 0
    checkins: int = 0
    presses: int = 0
    reactions: int = 0
    answers: int = 0
    feedback: int = 0
    redemptions: int = 0
    points_earned: int = 0
    points_spent: int = 0
    streak: int = 0  # the streak a check-in reached


@dataclass(slots=True)
class Plan:
    # (group_id, day, user_id) -> [active, *MEMBER_DAY_COUNTS]
    member_days: dict[tuple[int, date, int], list[int]] = field(default_factory=dict)
    # (group_id, day) -> column -> amount to add
    group_days: dict[tuple[int, date], dict[str, int]] = field(default_factory=dict)
    facts: dict[MemberKey, Facts] = field(default_factory=dict)  # members whose facts changed

    def add(self, group_id: int, day: date, **amounts: int) -> None:
        row = self.group_days.get((group_id, day))
        if row is None:
            row = self.group_days[(group_id, day)] = {}
        for column, amount in amounts.items():
            if amount:
                row[column] = row.get(column, 0) + amount

    def _bump(self, group_id: int, day: date, column: str, amount: int = 1) -> None:
        row = self.group_days.get((group_id, day))
        if row is None:
            row = self.group_days[(group_id, day)] = {}
        row[column] = row.get(column, 0) + amount


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def history_needed(
    activities: Iterable[Activity], facts: Mapping[MemberKey, Facts]
) -> dict[MemberKey, tuple[date, date]]:
    """Members with activity further before their latest active day than the bits reach:
    the range of their active days the plan must be given (rare: a late update)."""
    wanted: dict[MemberKey, tuple[date, date]] = {}
    for a in activities:
        if not a.active:
            continue
        f = facts.get((a.group_id, a.user_id))
        if f is None or f.active_day is None or (f.active_day - a.day).days <= BITS_REACH:
            continue
        low, high = a.day - timedelta(days=WINDOW), a.day + timedelta(days=WINDOW)
        key = (a.group_id, a.user_id)
        if key in wanted:
            low, high = min(low, wanted[key][0]), max(high, wanted[key][1])
        wanted[key] = (low, high)
    return wanted


def plan(
    activities: Iterable[Activity],
    facts: Mapping[MemberKey, Facts],
    history: Mapping[MemberKey, Iterable[date]] | None = None,
    into: Plan | None = None,
) -> Plan:
    """The writes for these activities. `facts`: each member's as read (a member without an
    entry has none yet); `history`: active days read for the members history_needed named."""
    result = into if into is not None else Plan()
    by_member: dict[MemberKey, list[Activity]] = {}
    for a in activities:
        by_member.setdefault((a.group_id, a.user_id), []).append(a)
    for key, acts in by_member.items():
        before = facts.get(key) or Facts()
        f = replace(before)
        # Active days the bits cannot hold: read ones (history) and late ones marked here.
        beyond: set[date] = set(history[key]) if history is not None and key in history else set()
        if len(acts) > 1:
            acts.sort(key=lambda a: a.day)
        for a in acts:
            _count(result, a)
            if a.active:
                _mark_active(result, a.group_id, a.day, f, beyond)
            if a.checkins or a.redemptions:
                _firsts(result, a, f)
        if f != before:
            result.facts[key] = f
    return result


def _mark_active(result: Plan, group_id: int, day: date, f: Facts, beyond: set[date]) -> None:
    """The member was active on `day`: if it is a new active day of theirs, it counts."""
    top = f.active_day
    if top is None or day > top:
        # The usual case: a day after every active day so far (the latest is the nearest).
        f.bits = 1 if top is None else (f.bits << (day - top).days | 1) & _MASK
        f.active_day = day
        _became_active(result, group_id, day, f, top, None, top is not None and top >= monday(day))
        return
    offset = (top - day).days
    if offset == 0 or (offset < BITS and f.bits >> offset & 1) or day in beyond:
        return  # active that day already
    # A late day: its neighbours among every active day of the member within WINDOW of it.
    known = f.active_days() | beyond
    reach = timedelta(days=WINDOW)
    prev = max((d for d in known if day - reach <= d < day), default=None)
    nxt = min((d for d in known if day < d <= day + reach), default=None)
    week = monday(day)
    same_week = any(monday(d) == week for d in known)
    if offset < BITS:
        f.bits |= 1 << offset
    else:
        beyond.add(day)
    _became_active(result, group_id, day, f, prev, nxt, same_week)


def _count(result: Plan, a: Activity) -> None:
    key = (a.group_id, a.day, a.user_id)
    row = result.member_days.get(key)
    if row is None:
        row = result.member_days[key] = [0] * (1 + len(MEMBER_DAY_COUNTS))
    if a.active:
        row[0] = 1
    values = (
        a.messages,
        a.checkins,
        a.presses,
        a.reactions,
        a.answers,
        a.feedback,
        a.redemptions,
        a.points_earned,
        a.points_spent,
    )
    for index, value in enumerate(values, 1):
        row[index] += value
    amounts = dict(zip(MEMBER_DAY_COUNTS, values, strict=True))
    amounts["points_issued"] = amounts.pop("points_earned")
    if a.active and a.hour is not None:
        amounts[hour_column(a.hour)] = 1
    result.add(a.group_id, a.day, **amounts)


def _became_active(
    result: Plan,
    group_id: int,
    day: date,
    f: Facts,
    prev: date | None,
    nxt: date | None,
    same_week: bool,
) -> None:
    """A new active day of the member: prev / nxt are their nearest active days before and
    after it (None: none within WINDOW), same_week whether they were active that week before."""
    result._bump(group_id, day, "active")
    for column, span in SPANS.items():
        start = day if prev is None else max(day, prev + timedelta(days=span))
        end = day + timedelta(days=span)
        if nxt is not None:
            end = min(end, nxt)
        if start < end:
            result._bump(group_id, start, column)
            result._bump(group_id, end, column, -1)
    join = f.join_day
    if join is not None and day > join:
        offset = (day - join).days
        if offset in _RETENTION_DAYS:
            result._bump(group_id, join, f"ret_d{offset}")
        weeks = (monday(day) - monday(join)).days // 7
        if 1 <= weeks <= _LAST_WEEK and not same_week:
            result._bump(group_id, monday(join), f"ret_w{weeks}")


def _firsts(result: Plan, a: Activity, f: Facts) -> None:
    """First check-in, 3- and 7-day streak, first redemption: the earliest day wins; a member
    who joined is counted once in their join day's funnel when a step is first reached."""
    join = f.join_day
    if a.checkins:
        if f.first_checkin is None or a.day < f.first_checkin:
            if f.first_checkin is None and join is not None:
                result._bump(a.group_id, join, "fun_checkin")
            f.first_checkin = a.day
        for length, name in ((3, "streak3"), (7, "streak7")):
            if a.streak >= length:
                reached = getattr(f, name)
                if reached is None or a.day < reached:
                    if reached is None and join is not None:
                        result._bump(a.group_id, join, f"fun_{name}")
                    setattr(f, name, a.day)
    if a.redemptions and (f.first_redeem is None or a.day < f.first_redeem):
        if f.first_redeem is None and join is not None:
            result._bump(a.group_id, join, "fun_redeem")
        f.first_redeem = a.day
