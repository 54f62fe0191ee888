"""Goals' rules without a database: metrics, targets and dates as typed (bad input refused
with the reason), the trend's outlook, progress, and when the weekly report is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.community.group_settings import GroupSettings
from core.goals import metrics as m
from core.goals.settings import parse_day, parse_time
from core.goals.trend import (
    BEHIND,
    ETA,
    NO_TREND,
    NOT_CLOSER,
    ON_TRACK,
    REACHED,
    fit,
    outlook,
    progress,
)
from core.goals.weekly import due

TODAY = date(2026, 12, 6)


def test_metrics_by_name_and_alias_and_unknown() -> None:
    assert m.parse_metric("DAU") == "dau"
    assert m.parse_metric("日活") == "dau"
    assert m.parse_metric("checkin-rate") == "checkin_rate"
    assert m.parse_metric("签到率") == "checkin_rate"
    with pytest.raises(m.UnknownMetric) as err:
        m.parse_metric("dua")
    assert err.value.args_map["guess"] == "dau" and "messages" in err.value.args_map["metrics"]
    with pytest.raises(m.UnknownMetric) as err:
        m.parse_metric("<b>zzzzzz</b>")
    assert err.value.args_map["guess"] == "none"


def test_targets() -> None:
    assert m.parse_target("members", "5000") == 5000
    assert m.parse_target("members", "5,000") == 5000
    assert m.parse_target("members", "2k") == 2000
    assert m.parse_target("members", "1.5万") == 15000
    assert m.parse_target("dau", "12.5") == 12.5
    for rate in ("25%", "25", "0.25", "25％"):
        assert m.parse_target("stickiness", rate) == pytest.approx(0.25)
    assert m.parse_target("d7", "100%") == 1.0
    with pytest.raises(m.TargetNotPositive):
        m.parse_target("members", "-5")
    with pytest.raises(m.TargetNotPositive):
        m.parse_target("dau", "0")
    with pytest.raises(m.RateTooHigh):
        m.parse_target("checkin_rate", "150%")
    for bad in ("lots", "5%", "1e9", "nan", "2k%"):
        with pytest.raises(m.BadTarget):
            m.parse_target("members", bad)
    with pytest.raises(m.BadTarget):
        m.parse_target("members", "2000000000")
    with pytest.raises(m.BadTarget):
        m.parse_target("d7", "2k")


def test_due_dates() -> None:
    assert m.parse_due([], TODAY) is None
    assert m.parse_due(["by", "2027-03-31"], TODAY) == date(2027, 3, 31)
    assert m.parse_due(["到", "2027/3/1"], TODAY) == date(2027, 3, 1)
    assert m.parse_due(["2026-12-07"], TODAY) == date(2026, 12, 7)
    with pytest.raises(m.DueInPast):
        m.parse_due(["by", "2026-12-06"], TODAY)  # today is not ahead
    with pytest.raises(m.DueInPast):
        m.parse_due(["by", "2025-01-01"], TODAY)
    with pytest.raises(m.DueTooFar):
        m.parse_due(["by", "2031-01-01"], TODAY)
    for bad in (["by", "tomorrow"], ["by", "2027-02-30"], ["by"], ["by", "2027-01-01", "x"]):
        with pytest.raises(m.BadDueDate):
            m.parse_due(bad, TODAY)


def _days(n: int) -> tuple[date, ...]:
    return tuple(TODAY - timedelta(days=n - i) for i in range(n))


def test_trend_fit_and_outlook() -> None:
    days = _days(14)
    rising = tuple(100.0 + 2 * i for i in range(14))  # +2 a day, 126 yesterday
    trend = fit(days, rising)
    assert trend is not None and trend.points == 14
    assert trend.slope == pytest.approx(2.0) and trend.last_value == pytest.approx(126.0)
    # 150 by 14 days from today: the line gives 126 + 2 * 15 = 156.
    o = outlook(126.0, 150.0, trend, TODAY, TODAY + timedelta(days=14))
    assert o.status == ON_TRACK and o.projected == pytest.approx(156.0)
    # 200 by then: behind; needs (200 - 126) / 14 a day.
    o = outlook(126.0, 200.0, trend, TODAY, TODAY + timedelta(days=14))
    assert o.status == BEHIND and o.needed_per_day == pytest.approx(74 / 14)
    # No due day: 200 is reached 37 days after yesterday.
    o = outlook(126.0, 200.0, trend, TODAY, None)
    assert o.status == ETA and o.eta == days[-1] + timedelta(days=37)
    assert outlook(130.0, 120.0, trend, TODAY, None).status == REACHED
    falling = tuple(100.0 - i for i in range(14))
    assert outlook(87.0, 120.0, fit(days, falling), TODAY, None).status == NOT_CLOSER
    # Too few values (missing days are not values): no trend, never a guess.
    sparse = tuple(v if i % 3 == 0 else None for i, v in enumerate(rising))
    assert fit(days, sparse) is None
    assert outlook(126.0, 200.0, None, TODAY, None).status == NO_TREND


def test_progress_from_start_to_target() -> None:
    assert progress(150, 200, 100) == pytest.approx(0.5)
    assert progress(50, 200, None) == pytest.approx(0.25)
    assert progress(250, 200, 100) == 1.0
    assert progress(90, 200, 100) == 0.0
    assert progress(None, 200, 100) == 0.0
    assert progress(0.3, 0.4, 0.5) == pytest.approx(0.75)  # started above: from 0


def test_weekly_settings_words() -> None:
    assert parse_day("Monday") == "mon" and parse_day("周五") == "fri" and parse_day("7") == "sun"
    assert parse_time("9:00") == "09:00" and parse_time("18：30") == "18:30"
    for bad in ("24:00", "9", "noon"):
        with pytest.raises(ValueError):
            parse_time(bad)
    with pytest.raises(ValueError):
        parse_day("someday")


def _group(**values: str) -> GroupSettings:
    base = {"timezone": "Asia/Shanghai", "day_start": 0, "language": "en"}
    return GroupSettings(1, "G", {**base, **values})


def test_weekly_report_due_in_group_time() -> None:
    g = _group()
    # Monday 2026-12-07 09:00 in Shanghai is 01:00 UTC.
    assert due(g, datetime(2026, 12, 7, 0, 59, tzinfo=UTC)) is None  # last week's is 7 days old
    d = due(g, datetime(2026, 12, 7, 1, 0, tzinfo=UTC))
    assert d is not None and d.key == "weekly:1:2026-W50"
    assert d.due_at == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    assert (d.period.start, d.period.end) == (date(2026, 11, 30), date(2026, 12, 6))
    later = due(g, datetime(2026, 12, 7, 12, 59, tzinfo=UTC))
    assert later is not None and later.key == d.key  # the same week: one key
    assert due(g, datetime(2026, 12, 7, 13, 1, tzinfo=UTC)) is None  # over 12 h late: skipped
    assert due(_group(weekly_report="off"), datetime(2026, 12, 7, 1, 0, tzinfo=UTC)) is None
    fri = due(
        _group(weekly_report_day="fri", weekly_report_time="18:30"),
        datetime(2026, 12, 11, 10, 30, tzinfo=UTC),
    )
    assert fri is not None and fri.key == "weekly:1:2026-W50"
    assert (fri.period.start, fri.period.end) == (date(2026, 12, 4), date(2026, 12, 10))
