"""Prediction's features and reasons, computed by hand on crafted days (pure, no database)."""

from __future__ import annotations

from datetime import date, timedelta

from core.prediction.features import WINDOW, DayBits, features_at, in_population, label_at
from core.prediction.reasons import reasons
from core.prediction.run import week_end_of

END = date(2026, 11, 29)  # a Sunday: the span's last day


def bits(active_days: list[int], checkin_days: list[int]) -> DayBits:
    """Days given as days before END (0 = END)."""
    b = DayBits(END)
    for d in active_days:
        b.add(END - timedelta(days=d), True, False)
    for d in checkin_days:
        b.add(END - timedelta(days=d), True, True)
    return b


def test_a_member_who_faded_after_a_long_streak() -> None:
    # Checked in every day from 30 days before END to 19 days before (12 days), then came on
    # 3 and 10 days before END only.
    streak_days = list(range(19, 31))
    b = bits([3, 10], streak_days)
    f = features_at(b.active, b.checkins, 0, tenure=200)
    assert f.active_7 == 1  # day 3
    assert f.active_14 == 2  # days 3, 10
    assert f.active_28 == 2 + 9  # days 19..27 of the streak
    assert f.since_active == 3
    assert f.streak == 0 and f.broken_streak == 12
    assert f.since_checkin == 19
    assert f.checkins_7 == 0 and f.checkins_28 == 9
    assert f.tenure == 200
    assert f.habit == 1  # days 3, 10 and 24 (in the streak): one weekday, 3 of 4 weeks
    why = reasons(f, 0.2)
    assert [r.key for r in why] == [
        "predict-reason-quiet",
        "predict-reason-streak-broken",
        "predict-reason-fading",
    ]
    assert why[1].args == {"streak": 12, "days": 19}
    assert why[2].args == {"before": 3, "now": 1}  # (11 - 1) / 3 days a week before


def test_a_regular_with_a_weekday_habit_and_a_streak() -> None:
    # Active every Monday and Wednesday of the last 4 weeks (END is a Sunday: Monday is 6
    # days before it), and checked in on the last 4 days.
    habit_days = [6 + 7 * w for w in range(4)] + [4 + 7 * w for w in range(4)]
    b = bits(habit_days, [0, 1, 2, 3])
    f = features_at(b.active, b.checkins, 0, tenure=5000)
    assert f.habit == 2
    assert f.streak == 4 and f.broken_streak == 0 and f.since_checkin == 0
    assert f.since_active == 0 and f.active_7 == 6 and f.active_28 == 12
    assert f.tenure == 365  # capped
    why = reasons(f, 0.9)
    assert {r.key for r in why} == {
        "predict-reason-streak",
        "predict-reason-growing",
        "predict-reason-habit",
    }
    # The model's weights order them: the pull towards staying, strongest first.
    ordered = reasons(f, 0.9, {"habit": 2.0, "streak": 0.5, "active_7": 0.1})
    assert [r.key for r in ordered][0] == "predict-reason-habit"


def test_an_earlier_day_population_and_labels() -> None:
    b = bits([0, 8, 9], [])
    # As of 7 days before END: active on 8 and 9 days before END (1 and 2 days before it).
    f = features_at(b.active, b.checkins, 7, tenure=30)
    assert f.since_active == 1 and f.active_7 == 2 and f.active_14 == 2
    assert label_at(b.active, 7) == 1  # active on END, in the 7 days after
    assert label_at(b.active, 8) == 0  # the 7 days after it end the day before END
    assert label_at(b.active, 20) == 0  # nothing in days 13..19 before END
    assert label_at(b.active, 6) is None  # the week after is not over
    assert in_population(b.active, 0) and not in_population(b.active, 40)
    nothing = features_at(0, 0, 0, tenure=3)
    assert nothing.since_active == WINDOW and nothing.since_checkin == WINDOW


def test_weeks_end_on_sunday() -> None:
    assert week_end_of(date(2026, 11, 29)) == date(2026, 11, 29)  # Sunday
    assert week_end_of(date(2026, 12, 5)) == date(2026, 11, 29)  # Saturday
    assert week_end_of(date(2026, 11, 30)) == date(2026, 11, 29)  # Monday


def test_a_model_that_does_not_beat_the_baseline_is_not_used() -> None:
    """Next week's activity decided by the quiet days alone: the baseline ranks perfectly, the
    model cannot do better, so the baseline ranks (and the text says so)."""
    import numpy as np

    from core.prediction.features import FEATURES
    from core.prediction.run import _Data, _train

    rng = np.random.default_rng(5)
    n, weeks = 1000, 8
    x = rng.integers(0, 20, (n * weeks, len(FEATURES))).astype(np.int16)
    since = FEATURES.index("since_active")
    y = (x[:, since] <= 6).astype(np.int8)
    week = np.repeat(date(2026, 11, 29).toordinal() - 7 * np.arange(weeks)[::-1], n)
    found = _train(_Data(np.full(n * weeks, -7), week, y, x), [-7])[-7]
    assert found["status"] == "not_better" and not found["use_model"]
    assert found["auc_baseline"] == 1.0 and found["auc_model"] <= 1.0
    assert found["test_weeks"] == 2 and found["test_rows"] == 2 * n and not found["pooled"]

    from bot.i18n import Locales
    from core.prediction.scores import Quality
    from handlers.prediction.atrisk import quality_text

    t = Locales().get("en")
    q = Quality("not_better", False, False, None, None, 0, 6000, 2, 0.4, 0.97, 1.0, 0.05, 0.01)
    text = quality_text(t, q)
    assert "AUC 0.970 (baseline 1.000)" in text
    assert "did not rank better than days since last activity" in text
    short = Quality("short", False, True, None, None, 0, 10, 0, None, None, None, None, None)
    assert "Not enough history yet" in quality_text(t, short)


def test_the_weekly_reports_level_from_a_models_chance() -> None:
    from core.prediction.ranking import level

    assert [level(p) for p in (0.05, 0.3, 0.31, 0.6, 0.61, 0.95)] == [
        "high",
        "high",
        "medium",
        "medium",
        "low",
        "low",
    ]
