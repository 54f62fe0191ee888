"""The bench's generated community keeps the numbers as the bot does: its group days equal
what the bot's own plan (core/analytics/recording.py) makes of the same members' days."""

from __future__ import annotations

from bench.analytics_data import GROUP, build, simulate
from core.analytics.recording import Activity, Facts, plan


def test_generated_group_days_are_the_bots() -> None:
    lives = list(simulate(300, 120, seed=7))
    built = build(iter(lives))
    assert built.totals["checkins"] > 1000 and built.totals["messages"] > 1000
    facts = {
        (GROUP, life.user_id): Facts(join_day=life.first_day if life.joined else None)
        for life in lives
    }
    activities = [
        Activity(
            GROUP,
            life.user_id,
            day,
            hour,
            messages=messages,
            checkins=int(checked),
            reactions=reactions,
            redemptions=int(bool(spent)),
            points_spent=spent,
            streak=streak,
        )
        for life in lives
        for day, checked, messages, reactions, spent, hour, streak in life.days
    ]
    result = plan(activities, facts)
    ours = built.group_days
    skip = {"members_delta", "joins", "leaves", "posters", "points_issued"}  # not in the plan
    for (_, day), amounts in result.group_days.items():
        for column, amount in amounts.items():
            if column in skip or column.startswith("h"):
                continue
            assert ours.get(day, {}).get(column, 0) == amount, (day, column)
    for day, amounts in ours.items():
        for column, amount in amounts.items():
            if column in skip or column.startswith("h") or column == "points_spent":
                continue
            assert result.group_days.get((GROUP, day), {}).get(column, 0) == amount, (day, column)
    by_user = {u: f for (_, u), f in result.facts.items()}
    for row in built.members:
        user, active_day, bits = row[1], row[14], row[15]
        f = by_user.get(user)
        assert (f.active_day, f.bits) == (active_day, bits) if f else active_day is None
