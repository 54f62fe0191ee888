"""Pure rules: the group's day, streaks, milestones, activity credit, parsing of admin input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.services.calendar import day_start_instant, local_day, month_start, week_start
from bot.services.errors import InvalidAmount, InvalidSetting, UnknownSetting
from bot.services.group_settings import parse_setting
from bot.services.points import MAX_AMOUNT, clean_reason, parse_amount
from bot.services.rules import (
    ActivityRule,
    ActivityState,
    activity_credit,
    format_milestones,
    milestone_bonus,
    next_streak,
    ordinal_en,
    parse_milestones,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "tz", "start", "day"),
    [
        (utc(2026, 3, 2, 15, 59), "Asia/Shanghai", 0, date(2026, 3, 2)),  # 23:59 local
        (utc(2026, 3, 2, 16, 0), "Asia/Shanghai", 0, date(2026, 3, 3)),  # midnight local
        (utc(2026, 3, 2, 23, 30), "Asia/Shanghai", 0, date(2026, 3, 3)),
        (
            utc(2026, 3, 2, 19, 59),
            "Asia/Shanghai",
            4,
            date(2026, 3, 2),
        ),  # 03:59 local, day starts at 4
        (utc(2026, 3, 2, 20, 0), "Asia/Shanghai", 4, date(2026, 3, 3)),  # 04:00 local
        (utc(2026, 3, 2, 23, 30), "UTC", 0, date(2026, 3, 2)),
        (utc(2026, 3, 29, 0, 30), "Europe/Berlin", 0, date(2026, 3, 29)),  # DST starts that night
        (utc(2026, 3, 29, 22, 30), "Europe/Berlin", 0, date(2026, 3, 30)),  # 00:30 CEST
        (utc(2026, 3, 2, 8, 0), "America/Los_Angeles", 4, date(2026, 3, 1)),  # 00:00 PST < 4
    ],
)
def test_local_day(instant: datetime, tz: str, start: int, day: date) -> None:
    assert local_day(instant, tz, start) == day


def test_day_start_instant_round_trips() -> None:
    begins = day_start_instant(date(2026, 3, 3), "Asia/Shanghai", 4)
    assert begins == utc(2026, 3, 2, 20, 0)
    assert local_day(begins, "Asia/Shanghai", 4) == date(2026, 3, 3)
    assert local_day(begins - timedelta(seconds=1), "Asia/Shanghai", 4) == date(2026, 3, 2)


def test_week_and_month_start() -> None:
    assert week_start(date(2026, 3, 8)) == date(2026, 3, 2)  # Sunday -> Monday
    assert week_start(date(2026, 3, 2)) == date(2026, 3, 2)
    assert month_start(date(2026, 2, 28)) == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("last", "streak", "today", "expected"),
    [
        (None, 0, date(2026, 3, 2), 1),
        (date(2026, 3, 1), 4, date(2026, 3, 2), 5),
        (date(2026, 2, 28), 4, date(2026, 3, 2), 1),  # a missed day
        (date(2025, 12, 31), 9, date(2026, 1, 1), 10),  # across the year
        (date(2026, 3, 2), 3, date(2026, 3, 2), 1),  # not "yesterday"
    ],
)
def test_next_streak(last: date | None, streak: int, today: date, expected: int) -> None:
    assert next_streak(last, streak, today) == expected


def test_milestones() -> None:
    assert parse_milestones("7:20,30:100") == {7: 20, 30: 100}
    assert parse_milestones(" 30:100， 7:20 ") == {7: 20, 30: 100}  # full-width comma, any order
    assert parse_milestones("none") == {} and format_milestones({}) == "none"
    assert format_milestones({30: 100, 7: 20}) == "7:20,30:100"
    assert milestone_bonus({7: 20}, 7) == 20 and milestone_bonus({7: 20}, 8) == 0


@pytest.mark.parametrize("bad", ["7", "7:x", "0:5", "7:5,7:6", "-1:5", "7:-5", "abc"])
def test_bad_milestones(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_milestones(bad)


RULE = ActivityRule(points=1, min_length=5, cooldown_seconds=60, daily_cap=3)
T0 = utc(2026, 3, 2, 2, 0)
TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("state", "length", "at", "today", "credit"),
    [
        (ActivityState(None, 0, None), 5, T0, TODAY, 1),
        (ActivityState(None, 0, None), 4, T0, TODAY, 0),  # too short
        (ActivityState(TODAY, 1, T0), 20, T0 + timedelta(seconds=59), TODAY, 0),  # cooldown
        (ActivityState(TODAY, 1, T0), 20, T0 + timedelta(seconds=60), TODAY, 1),
        (ActivityState(TODAY, 3, T0), 20, T0 + timedelta(hours=1), TODAY, 0),  # daily cap
        (ActivityState(TODAY, 3, T0), 20, T0 + timedelta(days=1), date(2026, 3, 3), 1),  # new day
    ],
)
def test_activity_credit(
    state: ActivityState, length: int, at: datetime, today: date, credit: int
) -> None:
    assert activity_credit(RULE, state, length, at, today) == credit


def test_activity_off_and_partial_cap() -> None:
    off = ActivityRule(points=0, min_length=0, cooldown_seconds=0, daily_cap=20)
    assert activity_credit(off, ActivityState(None, 0, None), 50, T0, TODAY) == 0
    big = ActivityRule(points=5, min_length=0, cooldown_seconds=0, daily_cap=12)
    assert activity_credit(big, ActivityState(TODAY, 10, None), 50, T0, TODAY) == 2


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_ordinal_en(n: int, text: str) -> None:
    assert ordinal_en(n) == text


def test_parse_amount() -> None:
    assert parse_amount("50") == 50 and parse_amount("+7") == 7
    assert parse_amount(str(MAX_AMOUNT)) == MAX_AMOUNT
    assert parse_amount("１０") == 10  # full-width digits, as Chinese keyboards type them
    for bad in ("0", "-5", "5.5", "abc", "", str(MAX_AMOUNT + 1), "9" * 30, "²", "٣x"):
        with pytest.raises(InvalidAmount):
            parse_amount(bad)


def test_clean_reason() -> None:
    assert clean_reason(["great", "answer"]) == "great answer"
    assert clean_reason([]) is None and clean_reason(["  "]) is None


def test_parse_setting() -> None:
    assert parse_setting("tz", "Europe/Berlin") == ("timezone", "Europe/Berlin")
    assert parse_setting("day_start", "4") == ("day_start_hour", 4)
    assert parse_setting("LANG", "中文") == ("language", "zh")
    assert parse_setting("milestones", "30:100,7:20") == ("milestones", "7:20,30:100")
    for key, value in (
        ("day_start", "24"),
        ("day_start", "-1"),
        ("timezone", "Mars/Base"),
        ("timezone", "EST5EDT"),
        ("checkin_points", "ten"),
        ("language", "fr"),
        ("milestones", "7"),
        ("day_start", "²"),
    ):
        with pytest.raises(InvalidSetting):
            parse_setting(key, value)
    with pytest.raises(UnknownSetting):
        parse_setting("colour", "blue")
