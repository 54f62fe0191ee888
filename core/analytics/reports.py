"""The numbers, as plain data: what /stats, /export daily, charts and later reports read.

Everything here reads running totals (group_day), one range of a period's member days, or the
members' facts; nothing is recomputed from the raw tables. Definitions: docs/analytics.md and
the README's "Numbers" section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics.periods import Period
from core.analytics.recording import Facts, monday
from storage.queries.analytics import reports as rows
from storage.tables.analytics import (
    FUNNEL_STEPS,
    HOURS,
    RETENTION_DAYS,
    RETENTION_WEEKS,
    hour_column,
)

TOP = 10
_DAY_COLUMNS = (
    "members_delta",
    "wau_delta",
    "mau_delta",
    "joins",
    "leaves",
    "active",
    "posters",
    "messages",
    "checkins",
    "presses",
    "reactions",
    "answers",
    "feedback",
    "redemptions",
    "points_issued",
    "points_spent",
)


@dataclass(frozen=True, slots=True)
class DayNumbers:
    """One local day of a group. members, wau, mau: at the end of the day."""

    day: date
    members: int = 0
    joined: int = 0
    left: int = 0
    dau: int = 0
    wau: int = 0
    mau: int = 0
    posters: int = 0
    messages: int = 0
    checkins: int = 0
    presses: int = 0
    reactions: int = 0
    answers: int = 0
    feedback: int = 0
    redemptions: int = 0
    points_issued: int = 0
    points_spent: int = 0

    @property
    def stickiness(self) -> float | None:
        """DAU / MAU (None without anyone active in the 30 days)."""
        return self.dau / self.mau if self.mau else None

    @property
    def checkin_rate(self) -> float | None:
        """Check-ins / members present (None without members)."""
        return self.checkins / self.members if self.members else None

    @property
    def has_data(self) -> bool:
        return bool(self.members or self.dau or self.joined or self.left or self.mau)


async def daily_series(
    session: AsyncSession, group_id: int, start: date, end: date
) -> list[DayNumbers]:
    """Every local day from start to end (days nothing happened included): two statements,
    the running sums before the range and the range's rows."""
    return (await _series(session, group_id, start, end))[1]


async def _series(
    session: AsyncSession, group_id: int, start: date, end: date
) -> tuple[int, list[DayNumbers]]:
    """(members at the end of the day before start, the days)."""
    running = await rows.running_before(session, group_id, start)
    found = {r.day: r for r in await rows.group_days(session, group_id, start, end, _DAY_COLUMNS)}
    members, wau, mau = running["members_delta"], running["wau_delta"], running["mau_delta"]
    series = []
    day = start
    while day <= end:
        r = found.get(day)
        if r is None:
            series.append(DayNumbers(day, members, 0, 0, 0, wau, mau))
        else:
            members += r.members_delta
            wau += r.wau_delta
            mau += r.mau_delta
            series.append(
                DayNumbers(
                    day,
                    members,
                    r.joins,
                    r.leaves,
                    r.active,
                    wau,
                    mau,
                    r.posters,
                    r.messages,
                    r.checkins,
                    r.presses,
                    r.reactions,
                    r.answers,
                    r.feedback,
                    r.redemptions,
                    int(r.points_issued),
                    int(r.points_spent),
                )
            )
        day += timedelta(days=1)
    return running["members_delta"], series


@dataclass(frozen=True, slots=True)
class PeriodNumbers:
    """A period's numbers (definitions: docs/analytics.md)."""

    period: Period
    members: int  # at the end of the period
    members_before: int  # at the end of the day before it
    joined: int
    left: int
    dau: float  # average over the period's days (those since the group had members)
    wau: int  # at the end of the period
    mau: int  # at the end of the period
    stickiness: float | None  # average of the days' DAU / MAU
    checkins: int
    checkin_rate: float | None  # check-ins / member-days present
    messages: int
    posters: int  # distinct members who sent a message in the period
    active_members: int  # distinct members active in the period
    points_issued: int
    points_spent: int
    redemptions: int
    feedback: int  # new feedback items
    presses: int
    reactions: int
    answers: int
    has_data: bool

    @property
    def net(self) -> int:
        return self.members - self.members_before


def _period(
    period: Period, series: list[DayNumbers], members_before: int, distinct: tuple[int, int]
) -> PeriodNumbers:
    days = [d for d in series if period.start <= d.day <= period.end]
    # Averages over the days the community was there (not the days before the bot came).
    lived = [d for d in days if d.members or d.dau] or days
    ratios = [d.stickiness for d in days if d.stickiness is not None]
    present = sum(d.members for d in days)
    checkins = sum(d.checkins for d in days)
    last = days[-1]
    return PeriodNumbers(
        period=period,
        members=last.members,
        members_before=members_before,
        joined=sum(d.joined for d in days),
        left=sum(d.left for d in days),
        dau=sum(d.dau for d in lived) / len(lived),
        wau=last.wau,
        mau=last.mau,
        stickiness=sum(ratios) / len(ratios) if ratios else None,
        checkins=checkins,
        checkin_rate=checkins / present if present else None,
        messages=sum(d.messages for d in days),
        posters=distinct[1],
        active_members=distinct[0],
        points_issued=sum(d.points_issued for d in days),
        points_spent=sum(d.points_spent for d in days),
        redemptions=sum(d.redemptions for d in days),
        feedback=sum(d.feedback for d in days),
        presses=sum(d.presses for d in days),
        reactions=sum(d.reactions for d in days),
        answers=sum(d.answers for d in days),
        has_data=any(d.has_data for d in days),
    )


@dataclass(frozen=True, slots=True)
class Contributor:
    user_id: int
    name: str
    username: str | None
    points: int  # earned in the period
    messages: int
    active_days: int


def _contributors(found: list[Any]) -> list[Contributor]:
    return [
        Contributor(
            int(r.user_id),
            r.display_name or (f"@{r.username}" if r.username else str(r.user_id)),
            r.username,
            int(r.points or 0),
            int(r.messages or 0),
            int(r.days or 0),
        )
        for r in found
        if r.points or r.messages
    ]


async def top_contributors(
    session: AsyncSession, group_id: int, period: Period, limit: int = TOP
) -> list[Contributor]:
    """Who earned the most points in the period (ties: more messages, more active days)."""
    _, _, found = await rows.period_members(session, group_id, period.start, period.end, limit)
    return _contributors(found)


@dataclass(frozen=True, slots=True)
class Summary:
    """A period against the one of the same length before it."""

    current: PeriodNumbers
    previous: PeriodNumbers
    open_feedback: int  # now, not per period
    top: list[Contributor] = field(default_factory=list)
    series: list[DayNumbers] = field(default_factory=list)  # both periods' days, oldest first
    first_day: date | None = None  # the group's first recorded day

    @property
    def has_data(self) -> bool:
        """Something to report: the group was counted for a whole day before the period's
        last one (a group the bot joined today has a day of numbers at most: not enough)."""
        return (
            self.first_day is not None
            and self.first_day < self.current.period.end
            and self.current.has_data
        )


def _running_actives(period: Period, last: DayNumbers) -> int | None:
    """The members active in the period from the running sums, when it is a WAU or MAU window."""
    return {7: last.wau, 30: last.mau}.get(period.days)


async def summary(session: AsyncSession, group_id: int, period: Period) -> Summary:
    """/stats: the period's numbers, the previous period's, the top contributors."""
    before = period.previous()
    start_members, series = await _series(session, group_id, before.start, period.end)
    actives, posters, found = await rows.period_members(
        session, group_id, period.start, period.end, TOP
    )
    current = _period(period, series, series[before.days - 1].members, (actives, posters))
    running = _running_actives(before, series[before.days - 1])
    if running is None:
        actives, posters, _ = await rows.period_members(
            session, group_id, before.start, before.end
        )
    else:  # a week or 30 days: WAU / MAU at its end are its active members, already summed
        actives, posters = (
            running,
            await rows.period_posters(session, group_id, before.start, before.end),
        )
    previous = _period(before, series, start_members, (actives, posters))
    first = await rows.first_day(session, group_id)
    top = _contributors(found) if current.has_data else []
    open_now = await rows.open_feedback(session, group_id)
    return Summary(current, previous, open_now, top, series, first)


async def period_pair(
    session: AsyncSession, group_id: int, period: Period
) -> tuple[PeriodNumbers, PeriodNumbers, list[DayNumbers]]:
    """The period and the one before it from the group's days alone (two statements, no pass
    over the members' days): `summary` without its distinct counts, which are 0 here
    (`posters`, `active_members`), and the days of both periods, oldest first. For pages that
    must answer in milliseconds (the dashboard's Overview)."""
    before = period.previous()
    start_members, series = await _series(session, group_id, before.start, period.end)
    current = _period(period, series, series[before.days - 1].members, (0, 0))
    previous = _period(before, series, start_members, (0, 0))
    return current, previous, series


async def chart_series(session: AsyncSession, group_id: int, period: Period) -> list[DayNumbers]:
    """What the charts of a period draw (members, joins against leaves, DAU/WAU/MAU,
    check-ins): one DayNumbers per local day of the period."""
    return await daily_series(session, group_id, period.start, period.end)


async def hour_matrix(session: AsyncSession, group_id: int, period: Period) -> list[list[int]]:
    """Activity events by weekday (0 Monday .. 6 Sunday, of the group's local day) and
    wall-clock hour (0..23) over the period: [weekday][hour]."""
    columns = [hour_column(h) for h in HOURS]
    matrix = [[0] * len(HOURS) for _ in range(7)]
    for r in await rows.group_days(session, group_id, period.start, period.end, columns):
        row = matrix[r.day.weekday()]
        for h, column in enumerate(columns):
            row[h] += getattr(r, column)
    return matrix


@dataclass(frozen=True, slots=True)
class Cohort:
    """Members who joined on a day (or in a week starting on `start`), and how many of them
    were active n days (weeks) later: None where that day (week) has not come yet."""

    start: date
    size: int
    active: dict[int, int | None]

    def rate(self, n: int) -> float | None:
        count = self.active.get(n)
        return None if count is None or not self.size else count / self.size


async def retention_days(
    session: AsyncSession, group_id: int, period: Period, today: date
) -> list[Cohort]:
    """D1/D7/D14/D30 of each day's joiners in the period (days nobody joined left out)."""
    columns = ["joins", *(f"ret_d{n}" for n in RETENTION_DAYS)]
    cohorts = []
    for r in await rows.group_days(session, group_id, period.start, period.end, columns):
        if not r.joins:
            continue
        active = {
            n: (getattr(r, f"ret_d{n}") if r.day + timedelta(days=n) <= today else None)
            for n in RETENTION_DAYS
        }
        cohorts.append(Cohort(r.day, r.joins, active))
    return cohorts


async def retention_weeks(
    session: AsyncSession, group_id: int, period: Period, today: date
) -> list[Cohort]:
    """W1..W8 of each week's joiners (weeks Monday to Sunday of local days) whose Monday is
    in the period: the week's joins from its seven days, the returns from its Monday's row."""
    first, last = monday(period.start), monday(period.end)
    columns = ["joins", *(f"ret_w{n}" for n in RETENTION_WEEKS)]
    found = await rows.group_days(session, group_id, first, last + timedelta(days=6), columns)
    sizes: dict[date, int] = {}
    returns: dict[date, Any] = {}
    for r in found:
        week = monday(r.day)
        sizes[week] = sizes.get(week, 0) + r.joins
        if r.day == week:
            returns[week] = r
    cohorts = []
    for week in sorted(sizes):
        if week < first or not sizes[week]:
            continue
        r = returns.get(week)
        active = {
            n: (
                (getattr(r, f"ret_w{n}") if r is not None else 0)
                if week + timedelta(weeks=n) <= today
                else None
            )
            for n in RETENTION_WEEKS
        }
        cohorts.append(Cohort(week, sizes[week], active))
    return cohorts


@dataclass(frozen=True, slots=True)
class Funnel:
    """Members who joined in the period, and how many of them reached each step (ever)."""

    joined: int
    first_checkin: int
    streak3: int
    streak7: int
    first_redeem: int

    def steps(self) -> list[tuple[str, int]]:
        return [
            ("joined", self.joined),
            ("checkin", self.first_checkin),
            ("streak3", self.streak3),
            ("streak7", self.streak7),
            ("redeem", self.first_redeem),
        ]


async def funnel(session: AsyncSession, group_id: int, period: Period) -> Funnel:
    columns = ["joins", *(f"fun_{step}" for step in FUNNEL_STEPS)]
    totals = dict.fromkeys(columns, 0)
    for r in await rows.group_days(session, group_id, period.start, period.end, columns):
        for column in columns:
            totals[column] += getattr(r, column)
    return Funnel(*(totals[c] for c in columns))


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the numbers know of one member."""

    user_id: int
    last_active_day: date | None
    active_days_30: int  # of the 30 local days ending today
    first_checkin_day: date | None
    streak3_day: date | None
    streak7_day: date | None
    first_redeem_day: date | None
    present: bool


def _facts(r: Any, today: date) -> MemberFacts:
    f = Facts(active_day=r.active_day, bits=int(r.active_bits or 0))
    return MemberFacts(
        int(r.user_id),
        r.active_day,
        f.active_days_in(today, 30),
        r.first_checkin_day,
        r.streak3_day,
        r.streak7_day,
        r.first_redeem_day,
        r.left_at is None,
    )


async def member_facts(
    session: AsyncSession, group_id: int, user_id: int, today: date
) -> MemberFacts | None:
    """One member's facts (one row: no day is read)."""
    found = await rows.member_facts(session, group_id, user_id)
    return None if found is None else _facts(found, today)


async def members_facts(
    session: AsyncSession, group_id: int, today: date, user_ids: list[int] | None = None
) -> dict[int, MemberFacts]:
    """Facts of the group's members (or of these): one pass of the group's member rows."""
    found = await rows.members_facts(session, group_id, user_ids)
    return {int(r.user_id): _facts(r, today) for r in found}
