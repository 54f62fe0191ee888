"""The plan of the numbers (core/analytics/recording.py) against the definitions, computed the
slow way: members' activity arriving in any order (late days included, far beyond the bits)
gives the DAU, WAU, MAU, retention and funnel of counting distinct members by hand."""

from __future__ import annotations

import random
from datetime import date, timedelta

from core.analytics.recording import BITS, Activity, Facts, Plan, history_needed, monday, plan

G = -100
START = date(2026, 1, 5)  # a Monday
DAYS = 120


def _apply(activities: list[Activity], facts: dict, stored_days: dict) -> Plan:
    """Record activities one batch at a time as the writers do: plan with the facts as stored
    (and the history they ask for), then keep the plan's facts."""
    wanted = history_needed(activities, facts)
    history = {
        key: {d for d in stored_days.get(key, set()) if lo <= d <= hi}
        for key, (lo, hi) in wanted.items()
    }
    result = plan(activities, facts, history)
    facts.update(result.facts)
    for (g, day, u), row in result.member_days.items():
        if row[0]:
            stored_days.setdefault((g, u), set()).add(day)
    return result


def _sums(plans: list[Plan]) -> dict[date, dict[str, int]]:
    total: dict[date, dict[str, int]] = {}
    for p in plans:
        for (_, day), amounts in p.group_days.items():
            row = total.setdefault(day, {})
            for column, amount in amounts.items():
                row[column] = row.get(column, 0) + amount
    return total


def _running(total: dict[date, dict[str, int]], column: str, day: date) -> int:
    return sum(row.get(column, 0) for d, row in total.items() if d <= day)


def test_random_arrival_orders_match_the_definitions() -> None:
    rng = random.Random(25)
    members = range(1, 41)
    joins = {u: START + timedelta(days=rng.randrange(0, 40)) for u in members if u % 3}
    active: dict[int, set[date]] = {}
    for u in members:
        first = joins.get(u, START)
        rate = rng.choice([0.05, 0.2, 0.5, 0.9])
        active[u] = {
            first + timedelta(days=i)
            for i in range(DAYS)
            if first + timedelta(days=i) < START + timedelta(days=DAYS) and rng.random() < rate
        }
    events = [(u, d) for u, days in active.items() for d in days]
    rng.shuffle(events)  # late days of every size: a day arrives after later ones
    # ...but mostly in order, as in life: sort three quarters of them.
    head = sorted(events[: len(events) * 3 // 4], key=lambda e: e[1])
    events = head + events[len(events) * 3 // 4 :]
    facts = {(G, u): Facts(join_day=joins.get(u)) for u in members}
    stored: dict = {}
    plans = []
    for i in range(0, len(events), 7):  # batches of 7, two of a member's days may share one
        batch = [Activity(G, u, d, 12) for u, d in events[i : i + 7]]
        plans.append(_apply(batch, facts, stored))
    plans.append(_apply([Activity(G, u, d, 12) for u, d in events[:50]], facts, stored))  # again
    total = _sums(plans)
    assert any((max(days) - min(days)).days > BITS for days in active.values() if days)

    for offset in range(DAYS + 31):
        day = START + timedelta(days=offset)
        dau = sum(1 for days in active.values() if day in days)
        wau = sum(
            1 for days in active.values() if any(day - timedelta(days=6) <= d <= day for d in days)
        )
        mau = sum(
            1
            for days in active.values()
            if any(day - timedelta(days=29) <= d <= day for d in days)
        )
        assert total.get(day, {}).get("active", 0) == dau, day
        assert _running(total, "wau_delta", day) == wau, day
        assert _running(total, "mau_delta", day) == mau, day
        for n in (1, 7, 14, 30):
            returned = sum(
                1 for u, j in joins.items() if j == day and day + timedelta(days=n) in active[u]
            )
            assert total.get(day, {}).get(f"ret_d{n}", 0) == returned, (day, n)
        if day == monday(day):
            for n in range(1, 9):
                week = day + timedelta(weeks=n)
                returned = sum(
                    1
                    for u, j in joins.items()
                    if monday(j) == day
                    and any(week <= d < week + timedelta(days=7) for d in active[u])
                )
                assert total.get(day, {}).get(f"ret_w{n}", 0) == returned, (day, n)
    for u, days in active.items():
        f = facts[(G, u)]
        assert f.active_day == (max(days) if days else None)
        today = START + timedelta(days=DAYS)
        expected = sum(1 for d in days if today - timedelta(days=30) < d <= today)
        assert f.active_days_in(today) == expected


def test_firsts_and_the_funnel_count_once_at_the_join_day() -> None:
    joined = date(2026, 3, 2)
    facts = {(G, 1): Facts(join_day=joined), (G, 2): Facts()}
    days = [joined + timedelta(days=i) for i in range(8)]
    activities = [Activity(G, 1, d, 9, checkins=1, streak=i + 1) for i, d in enumerate(days)]
    activities += [Activity(G, 2, days[0], 9, checkins=1, streak=1)]  # never seen joining
    activities += [Activity(G, 1, days[7], 10, redemptions=1, points_spent=50)]
    result = plan(activities, facts)
    f = result.facts[(G, 1)]
    assert (f.first_checkin, f.streak3, f.streak7, f.first_redeem) == (
        days[0],
        days[2],
        days[6],
        days[7],
    )
    assert {k: v for k, v in result.group_days[(G, joined)].items() if k.startswith("fun")} == {
        "fun_checkin": 1,
        "fun_streak3": 1,
        "fun_streak7": 1,
        "fun_redeem": 1,
    }
    again = plan([Activity(G, 1, days[7], 11, checkins=1, streak=8)], result.facts)
    assert not any(k.startswith("fun") for row in again.group_days.values() for k in row)
    # An earlier first check-in arriving late moves the day, and is not counted twice.
    late = plan(
        [Activity(G, 1, joined - timedelta(days=1), 8, checkins=1, streak=1)], result.facts
    )
    assert late.facts[(G, 1)].first_checkin == joined - timedelta(days=1)
    assert not any(k.startswith("fun") for row in late.group_days.values() for k in row)


def test_points_alone_make_nobody_active() -> None:
    result = plan([Activity(G, 1, START, None, False, points_earned=5)], {})
    assert result.member_days[(G, START, 1)] == [0, 0, 0, 0, 0, 0, 0, 0, 5, 0]
    assert result.group_days[(G, START)] == {"points_issued": 5}
    assert result.facts == {}
