"""Pure rules: the group's day, streaks, milestones, activity credit, parsing of admin input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.calendar import day_start_instant, local_day, month_start, week_start
from core.community.group_settings import GroupSettings
from core.engagement.points import MAX_AMOUNT, MAX_REASON, clean_reason, parse_amount
from core.engagement.rules import (
    MAX_BONUS,
    MAX_MILESTONES,
    MAX_STREAK_MILESTONE,
    ActivityRule,
    ActivityState,
    activity_credit,
    format_milestones,
    milestone_bonus,
    next_streak,
    ordinal_en,
    parse_milestones,
)
from core.engagement.settings import activity_rule, checkin_points, checkin_rule, milestone_map
from core.errors import InvalidAmount, InvalidSetting, UnknownSetting
from tests.group_service import CATALOGUE


def parse_setting(word: str, text: str) -> tuple[str, object]:
    spec, value = CATALOGUE.parse(word, text)
    return spec.key, value


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---- the group's day -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "tz", "start", "day"),
    [
        (utc(2026, 3, 2, 15, 59), "Asia/Shanghai", 0, date(2026, 3, 2)),  # 23:59 local
        (utc(2026, 3, 2, 16, 0), "Asia/Shanghai", 0, date(2026, 3, 3)),  # midnight local
        (utc(2026, 3, 2, 23, 30), "Asia/Shanghai", 0, date(2026, 3, 3)),  # 07:30 next day
        (utc(2026, 3, 2, 19, 59), "Asia/Shanghai", 4, date(2026, 3, 2)),  # 03:59, day starts at 4
        (utc(2026, 3, 2, 20, 0), "Asia/Shanghai", 4, date(2026, 3, 3)),  # 04:00 local
        (utc(2026, 3, 2, 23, 30), "UTC", 0, date(2026, 3, 2)),
        (utc(2026, 3, 2, 23, 30), "UTC", 23, date(2026, 3, 2)),  # day starts at 23:00
        (utc(2026, 3, 2, 22, 59), "UTC", 23, date(2026, 3, 1)),
        (utc(2025, 12, 31, 16, 0), "Asia/Shanghai", 0, date(2026, 1, 1)),  # new year, locally
        # Europe/Berlin springs forward 2026-03-29 02:00 CET -> 03:00 CEST (01:00 UTC).
        (utc(2026, 3, 29, 0, 30), "Europe/Berlin", 0, date(2026, 3, 29)),  # 01:30 CET
        (utc(2026, 3, 29, 22, 30), "Europe/Berlin", 0, date(2026, 3, 30)),  # 00:30 CEST
        (utc(2026, 3, 29, 21, 59), "Europe/Berlin", 0, date(2026, 3, 29)),  # 23:59 CEST
        (utc(2026, 3, 29, 0, 59), "Europe/Berlin", 2, date(2026, 3, 28)),  # 01:59 CET
        (utc(2026, 3, 29, 1, 0), "Europe/Berlin", 2, date(2026, 3, 29)),  # 03:00 CEST
        # ... and falls back 2026-10-25 03:00 CEST -> 02:00 CET (01:00 UTC): 02:xx happens twice.
        (utc(2026, 10, 24, 23, 59), "Europe/Berlin", 2, date(2026, 10, 24)),  # 01:59 CEST
        (utc(2026, 10, 25, 0, 0), "Europe/Berlin", 2, date(2026, 10, 25)),  # 02:00 CEST
        (utc(2026, 10, 25, 1, 30), "Europe/Berlin", 2, date(2026, 10, 25)),  # 02:30 CET again
        (utc(2026, 10, 25, 22, 59), "Europe/Berlin", 0, date(2026, 10, 25)),  # 23:59 CET
        (utc(2026, 3, 2, 8, 0), "America/Los_Angeles", 4, date(2026, 3, 1)),  # 00:00 PST < 4
        (utc(2026, 3, 2, 12, 0), "America/Los_Angeles", 4, date(2026, 3, 2)),  # 04:00 PST
    ],
)
def test_local_day(instant: datetime, tz: str, start: int, day: date) -> None:
    assert local_day(instant, tz, start) == day


def test_local_day_does_not_depend_on_the_instants_own_zone() -> None:
    instant = utc(2026, 3, 2, 19, 59)
    in_tokyo = instant.astimezone(ZoneInfo("Asia/Tokyo"))
    assert local_day(in_tokyo, "Asia/Shanghai", 4) == local_day(instant, "Asia/Shanghai", 4)


def test_day_start_instant_round_trips() -> None:
    begins = day_start_instant(date(2026, 3, 3), "Asia/Shanghai", 4)
    assert begins == utc(2026, 3, 2, 20, 0)
    assert local_day(begins, "Asia/Shanghai", 4) == date(2026, 3, 3)
    assert local_day(begins - timedelta(seconds=1), "Asia/Shanghai", 4) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("tz", "day"),
    [
        ("Asia/Shanghai", date(2026, 3, 3)),
        ("UTC", date(2026, 2, 28)),
        ("Europe/Berlin", date(2026, 3, 29)),  # spring forward: 02:00 does not exist
        ("Europe/Berlin", date(2026, 3, 30)),
        ("Europe/Berlin", date(2026, 10, 25)),  # fall back: 02:00 happens twice
        ("Europe/Berlin", date(2026, 10, 26)),
        ("America/Los_Angeles", date(2026, 3, 8)),
        ("America/Los_Angeles", date(2026, 11, 1)),
        ("America/Santiago", date(2026, 9, 6)),  # DST starts at midnight: 00:00 does not exist
        ("Australia/Lord_Howe", date(2026, 10, 4)),  # a half-hour DST shift
    ],
)
@pytest.mark.parametrize("start", range(24))
def test_every_day_start_belongs_to_its_day(tz: str, day: date, start: int) -> None:
    """The first second of a group's day is in that day, the second before it in the day before."""
    begins = day_start_instant(day, tz, start)
    assert begins.utcoffset() == timedelta(0)
    assert local_day(begins, tz, start) == day
    assert local_day(begins - timedelta(seconds=1), tz, start) == day - timedelta(days=1)


def test_day_start_in_a_dst_gap_is_the_first_existing_instant() -> None:
    # 02:00 on 2026-03-29 does not exist in Berlin; the day starts when clocks show 03:00 CEST.
    assert day_start_instant(date(2026, 3, 29), "Europe/Berlin", 2) == utc(2026, 3, 29, 1, 0)
    # 02:00 on 2026-10-25 happens twice; the day starts at the first one (CEST).
    assert day_start_instant(date(2026, 10, 25), "Europe/Berlin", 2) == utc(2026, 10, 25, 0, 0)


def test_week_and_month_start() -> None:
    assert week_start(date(2026, 3, 8)) == date(2026, 3, 2)  # Sunday -> Monday
    assert week_start(date(2026, 3, 2)) == date(2026, 3, 2)
    assert week_start(date(2026, 1, 1)) == date(2025, 12, 29)  # across the year
    assert month_start(date(2026, 2, 28)) == date(2026, 2, 1)
    assert month_start(date(2026, 3, 1)) == date(2026, 3, 1)


# ---- streaks and milestones ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "streak", "today", "expected"),
    [
        (None, 0, date(2026, 3, 2), 1),
        (date(2026, 3, 1), 4, date(2026, 3, 2), 5),
        (date(2026, 2, 28), 4, date(2026, 3, 2), 1),  # a missed day
        (date(2026, 2, 28), 4, date(2026, 3, 1), 5),  # end of February is "yesterday"
        (date(2024, 2, 28), 4, date(2024, 3, 1), 1),  # ... but not in a leap year
        (date(2025, 12, 31), 9, date(2026, 1, 1), 10),  # across the year
        (date(2026, 3, 2), 3, date(2026, 3, 2), 1),  # not "yesterday"
        (date(2026, 3, 3), 3, date(2026, 3, 2), 1),  # a later day than today
    ],
)
def test_next_streak(last: date | None, streak: int, today: date, expected: int) -> None:
    assert next_streak(last, streak, today) == expected


def test_streak_and_best_streak_over_a_month() -> None:
    """Streaks as check-ins compute them: the best is the longest run, kept after a reset."""
    first = date(2026, 3, 1)
    checked_in = [1, 2, 3, 5, 6, 7, 8, 9, 11, 12]  # days of March
    last: date | None = None
    streak = best = 0
    history = []
    for n in checked_in:
        today = first + timedelta(days=n - 1)
        streak = next_streak(last, streak, today)
        best = max(best, streak)
        last = today
        history.append(streak)
    assert history == [1, 2, 3, 1, 2, 3, 4, 5, 1, 2]
    assert (streak, best) == (2, 5)


def test_milestones() -> None:
    assert parse_milestones("7:20,30:100") == {7: 20, 30: 100}
    assert parse_milestones(" 30:100， 7:20 ") == {7: 20, 30: 100}  # full-width comma, any order
    assert list(parse_milestones("30:100,7:20")) == [7, 30]  # sorted by day
    assert parse_milestones("7:20,") == {7: 20}  # a trailing comma is harmless
    assert parse_milestones("７:２０") == {7: 20}  # full-width digits
    assert parse_milestones("1:0") == {1: 0}  # a zero bonus is allowed
    assert parse_milestones(f"{MAX_STREAK_MILESTONE}:{MAX_BONUS}") == {
        MAX_STREAK_MILESTONE: MAX_BONUS
    }
    for empty in ("", "  ", "-", "none", "off"):
        assert parse_milestones(empty) == {}
    assert format_milestones({}) == "none"
    assert format_milestones({30: 100, 7: 20}) == "7:20,30:100"
    many = {day: day for day in range(1, MAX_MILESTONES + 1)}
    assert parse_milestones(format_milestones(many)) == many  # exactly the maximum count


@pytest.mark.parametrize(
    "milestones", [{}, {7: 20}, {30: 100, 7: 20}, {1: 0, 3650: 100_000}, {2: 5, 3: 5, 4: 5}]
)
def test_milestones_round_trip(milestones: dict[int, int]) -> None:
    assert parse_milestones(format_milestones(milestones)) == milestones


@pytest.mark.parametrize(
    ("streak", "bonus"), [(0, 0), (1, 0), (6, 0), (7, 20), (8, 0), (30, 100), (31, 0), (60, 0)]
)
def test_milestone_bonus(streak: int, bonus: int) -> None:
    assert milestone_bonus(parse_milestones("7:20,30:100"), streak) == bonus


@pytest.mark.parametrize(
    "bad",
    [
        "7",
        "7:",
        ":5",
        "7:x",
        "0:5",  # day 0
        "7:5,7:6",  # the same day twice
        "-1:5",
        "7:-5",
        "7:5.5",
        "7:20:30",
        "abc",
        "on",
        "²:5",  # a digit to Unicode, not a decimal
        f"{MAX_STREAK_MILESTONE + 1}:5",
        f"7:{MAX_BONUS + 1}",
        ",".join(f"{day}:1" for day in range(1, MAX_MILESTONES + 2)),  # too many
    ],
)
def test_bad_milestones(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_milestones(bad)


# ---- activity points -----------------------------------------------------------------------

RULE = ActivityRule(points=1, min_length=5, cooldown_seconds=60, daily_cap=3)
T0 = utc(2026, 3, 2, 2, 0)
TODAY = date(2026, 3, 2)
TOMORROW = date(2026, 3, 3)


@pytest.mark.parametrize(
    ("state", "length", "at", "today", "credit"),
    [
        (ActivityState(None, 0, None), 5, T0, TODAY, 1),  # exactly the minimum length
        (ActivityState(None, 0, None), 4, T0, TODAY, 0),  # too short
        (ActivityState(None, 0, None), 0, T0, TODAY, 0),
        (ActivityState(TODAY, 1, T0), 20, T0 + timedelta(seconds=59), TODAY, 0),  # cooldown
        (ActivityState(TODAY, 1, T0), 20, T0 + timedelta(seconds=60), TODAY, 1),  # cooldown over
        (ActivityState(TODAY, 1, T0), 20, T0 - timedelta(seconds=5), TODAY, 0),  # out of order
        (ActivityState(TODAY, 2, T0), 20, T0 + timedelta(hours=1), TODAY, 1),  # the last one
        (ActivityState(TODAY, 3, T0), 20, T0 + timedelta(hours=1), TODAY, 0),  # daily cap
        (ActivityState(TODAY, 3, T0), 20, T0 + timedelta(days=1), TOMORROW, 1),  # new day
        (ActivityState(TODAY, 3, None), 20, T0, TOMORROW, 1),  # yesterday's count is forgotten
        (ActivityState(TODAY, 0, None), 20, T0, TODAY, 1),
        # The cooldown runs across the start of a new day.
        (ActivityState(TODAY, 3, T0), 20, T0 + timedelta(seconds=30), TOMORROW, 0),
    ],
)
def test_activity_credit(
    state: ActivityState, length: int, at: datetime, today: date, credit: int
) -> None:
    assert activity_credit(RULE, state, length, at, today) == credit


@pytest.mark.parametrize(
    ("rule", "state", "credit"),
    [
        (ActivityRule(0, 0, 0, 20), ActivityState(None, 0, None), 0),  # activity points off
        (ActivityRule(-3, 0, 0, 20), ActivityState(None, 0, None), 0),
        (ActivityRule(5, 0, 0, 12), ActivityState(TODAY, 10, None), 2),  # only up to the cap
        (ActivityRule(5, 0, 0, 12), ActivityState(TODAY, 15, None), 0),  # above a lowered cap
        (ActivityRule(5, 0, 0, 0), ActivityState(None, 0, None), 0),  # cap 0
        (ActivityRule(5, 0, 0, 100), ActivityState(TODAY, 10, T0), 5),  # no cooldown
    ],
)
def test_activity_rule_settings(rule: ActivityRule, state: ActivityState, credit: int) -> None:
    assert activity_credit(rule, state, 1, T0, TODAY) == credit


def test_a_day_of_messages_never_passes_the_cap() -> None:
    """Messages every 30 s for two days, applied the way member events apply the credit."""
    rule = ActivityRule(points=2, min_length=3, cooldown_seconds=60, daily_cap=7)
    state = ActivityState(None, 0, None)
    per_day: dict[date, int] = {}
    at = utc(2026, 3, 2, 0, 0)
    while at < utc(2026, 3, 4, 0, 0):
        today = local_day(at, "Asia/Shanghai", 4)
        credit = activity_credit(rule, state, 10, at, today)
        if credit:
            earned = (state.today if state.day == today else 0) + credit
            state = ActivityState(today, earned, at)
            per_day[today] = per_day.get(today, 0) + credit
        at += timedelta(seconds=30)
    # 08:00 local on the 2nd to 08:00 on the 4th: three group days, each reaching the cap (7 =
    # 2 + 2 + 2 + 1), the 4th in the four hours after its 04:00 start.
    assert per_day == {date(2026, 3, 2): 7, date(2026, 3, 3): 7, date(2026, 3, 4): 7}


# ---- ordinals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0th"),
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (20, "20th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (100, "100th"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (121, "121st"),
        (1002, "1002nd"),
        (1013, "1013th"),
    ],
)
def test_ordinal_en(n: int, text: str) -> None:
    assert ordinal_en(n) == text


# ---- admin input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("50", 50),
        ("+7", 7),
        (" 12 ", 12),
        ("007", 7),
        ("1", 1),
        (str(MAX_AMOUNT), MAX_AMOUNT),
        ("１０", 10),  # full-width digits, as Chinese keyboards type them
    ],
)
def test_parse_amount(text: str, amount: int) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    "bad",
    [
        "0",
        "+0",
        "000",
        "-5",
        "-0",
        "5.5",
        "1e3",
        "1_000",
        "1,000",
        "abc",
        "",
        " ",
        "+",
        str(MAX_AMOUNT + 1),
        "9" * 30,
        "²",  # Unicode calls it a digit, int() refuses it
        "٣x",
        "0x10",
    ],
)
def test_parse_amount_rejects(bad: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount(bad)
    assert caught.value.args_map == {"max": MAX_AMOUNT}


def test_clean_reason() -> None:
    assert clean_reason(["great", "answer"]) == "great answer"
    assert clean_reason(["", "spam", " "]) == "spam"
    assert clean_reason([]) is None and clean_reason(["  "]) is None
    assert clean_reason(["x" * 500]) == "x" * MAX_REASON


@pytest.mark.parametrize(
    ("key", "value", "parsed"),
    [
        ("timezone", "Europe/Berlin", ("timezone", "Europe/Berlin")),
        ("tz", " Asia/Tokyo ", ("timezone", "Asia/Tokyo")),
        ("TZ", "UTC", ("timezone", "UTC")),
        ("day_start", "4", ("day_start", 4)),
        ("daystart", "0", ("day_start", 0)),
        ("Day_Start", "23", ("day_start", 23)),
        ("day_start", "４", ("day_start", 4)),  # full-width digit
        ("language", "en", ("language", "en")),
        ("LANG", "中文", ("language", "zh")),
        ("lang", "ZH-CN", ("language", "zh")),
        ("lang", "English", ("language", "en")),
        ("points", "10", ("checkin_points", 10)),
        ("checkin_points", "0", ("checkin_points", 0)),
        ("checkin_points", "10000", ("checkin_points", 10_000)),
        ("milestones", "30:100,7:20", ("milestones", "7:20,30:100")),
        ("milestones", "off", ("milestones", "none")),
        ("milestones", " ", ("milestones", "none")),
        ("activity_points", "100", ("activity_points", 100)),
        ("activity_min_length", "1000", ("activity_min_length", 1000)),
        ("activity_cooldown", "86400", ("activity_cooldown", 86_400)),
        ("activity_daily_cap", "0", ("activity_daily_cap", 0)),
    ],
)
def test_parse_setting(key: str, value: str, parsed: tuple[str, object]) -> None:
    assert parse_setting(key, value) == parsed


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("day_start", "24"),
        ("day_start", "-1"),
        ("day_start", "4.5"),
        ("day_start", "+4"),
        ("day_start", ""),
        ("day_start", "²"),
        ("timezone", "Mars/Base"),
        ("timezone", "EST5EDT"),  # no region: rejected on purpose
        ("timezone", "GMT"),
        ("timezone", "asia/shanghai"),
        ("timezone", "../../etc/passwd"),
        ("timezone", "/etc/localtime"),
        ("timezone", ""),
        ("checkin_points", "ten"),
        ("checkin_points", "10001"),
        ("checkin_points", "9" * 12),
        ("points", "-5"),
        ("language", "fr"),
        ("language", ""),
        ("milestones", "7"),
        ("milestones", "0:5"),
        ("activity_points", "101"),
        ("activity_cooldown", "86401"),
        ("activity_min_length", "1001"),
        ("activity_daily_cap", "10001"),
    ],
)
def test_parse_setting_rejects(key: str, value: str) -> None:
    with pytest.raises(InvalidSetting) as caught:
        parse_setting(key, value)
    spec = CATALOGUE.resolve(key)
    assert spec.key == {"points": "checkin_points"}.get(key.lower(), key.lower())
    assert caught.value.args_map == {"key": spec.key, "value": value, "hint": spec.hint}
    assert spec.hint  # every rejection says what is expected


def test_invalid_setting_value_is_shortened() -> None:
    with pytest.raises(InvalidSetting) as caught:
        parse_setting("timezone", "x" * 500)
    assert caught.value.args_map["value"] == "x" * 64


@pytest.mark.parametrize("key", ["colour", "", "timezone_", "points2", "day start", "x" * 100])
def test_unknown_setting(key: str) -> None:
    with pytest.raises(UnknownSetting) as caught:
        parse_setting(key, "1")
    assert caught.value.args_map["key"] == key.lower()[:32]
    assert caught.value.args_map["keys"].split(", ") == list(CATALOGUE.keys)


def test_the_bot_declares_the_same_keys_and_aliases_as_before() -> None:
    assert CATALOGUE.keys == (
        "timezone",
        "day_start",
        "language",
        "checkin_points",
        "milestones",
        "level_thresholds",
        "level_titles",
        "announce_badges",
        "feedback_points",
        "feedback_points_daily_cap",
        "survey_followup",
        "poll_points",
        "activity_points",
        "activity_min_length",
        "activity_cooldown",
        "activity_daily_cap",
        "post_grace_minutes",
        "welcome_delete_minutes",
        "birthday_points",
        "anniversaries",
        "feed_max_items",
        "holiday_greetings",
        "holiday_country",
        "invites",
        "invite_points",
        "invite_daily_cap",
        "onboarding",
        "onboarding_approve",
        "segment_new_days",
        "segment_active_days",
        "segment_dormant_days",
        "segment_churned_days",
        "segment_returned_days",
        "tier_core_percent",
        "tier_regular_percent",
        "weekly_report",
        "weekly_report_day",
        "weekly_report_time",
        "campaign_quiet",
        "campaign_cap",
        "campaign_holdout",
        "reactivation",
        "reactivation_bonus",
    )
    assert [s.name for s in CATALOGUE.sections] == [
        "community",
        "checkin",
        "shop",
        "feedback",
        "activity",
        "schedule",
        "invites",
        "onboarding",
        "segments",
        "weekly",
        "campaigns",
    ]
    aliases = {a: s.key for s in map(CATALOGUE.spec, CATALOGUE.keys) for a in s.aliases}
    assert aliases == {
        "tz": "timezone",
        "daystart": "day_start",
        "lang": "language",
        "points": "checkin_points",
        "levels": "level_thresholds",
        "titles": "level_titles",
        "grace": "post_grace_minutes",
    }
    assert all(CATALOGUE.spec(key).choices for key in CATALOGUE.keys)


@pytest.mark.parametrize(
    ("key", "choice"),
    [(key, choice) for key in CATALOGUE.keys for choice in CATALOGUE.spec(key).choices],
)
def test_every_offered_choice_is_valid(key: str, choice: str) -> None:
    """The /settings buttons only offer values that `/settings <key> <value>` accepts."""
    parsed_key, value = parse_setting(key, choice)
    assert parsed_key == key
    assert CATALOGUE.spec(key).text(value) == choice


@pytest.mark.parametrize("key", CATALOGUE.keys)
def test_defaults_survive_their_canonical_text(key: str) -> None:
    """Stored text is parsed on load: every default, as text, reads back as itself."""
    spec = CATALOGUE.spec(key)
    default = spec.default_for({"timezone": "Asia/Shanghai", "language": "en"})
    assert spec.parse(spec.text(default)) == default


def test_group_settings_derived_rules() -> None:
    values = CATALOGUE.load(
        {"day_start": "4", "language": "zh", "activity_points": "2"},
        {"timezone": "Asia/Shanghai", "language": "en"},
    )
    settings = GroupSettings(-100, "G", values)
    assert (settings.timezone, settings.day_start_hour, settings.language) == (
        "Asia/Shanghai",
        4,
        "zh",
    )
    assert milestone_map(settings) == {7: 20, 30: 100} and checkin_points(settings) == 10
    assert activity_rule(settings) == ActivityRule(
        points=2, min_length=5, cooldown_seconds=60, daily_cap=20
    )
    # Built once per settings object; a changed copy builds its own.
    assert checkin_rule(settings) is checkin_rule(settings)
    changed = settings.with_value("milestones", "3:5")
    assert milestone_map(changed) == {3: 5} and milestone_map(settings) == {7: 20, 30: 100}
    assert changed.value("milestones") == "3:5" and changed != settings
    with pytest.raises(AttributeError):
        settings.timezone = "UTC"  # type: ignore[misc]


def test_milestones_typed_on_a_chinese_keyboard() -> None:
    assert parse_milestones("7：20，30：100") == {7: 20, 30: 100}
