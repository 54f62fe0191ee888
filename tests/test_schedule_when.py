"""Parsing `/schedule <when>` (pure) and the times the runtime's triggers give (DST included)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduler import plan_next
from core.schedule import when as w
from core.schedule.when import Rule, parse_rule, parse_when

SH = "Asia/Shanghai"
BERLIN = "Europe/Berlin"
NY = "America/New_York"
# Tuesday 2026-12-01 10:00 in Shanghai
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def parse(text: str, tz: str = SH, now: datetime = NOW) -> tuple[Rule, int]:
    return parse_when(text.split(), now, tz)


def test_date_and_time_in_the_groups_timezone() -> None:
    rule, used = parse("2026-12-01 09:30 hello", tz=BERLIN)
    assert used == 2 and rule.kind == w.ONCE
    assert rule.at == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)  # CET = UTC+1


def test_a_time_is_its_next_occurrence() -> None:
    assert parse("11:00")[0].at == datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # later today
    assert parse("08:00")[0].at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # tomorrow
    assert parse("10:00")[0].at == datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # now is not ahead


@pytest.mark.parametrize(
    ("word", "delta"),
    [
        ("+30m", timedelta(minutes=30)),
        ("+2h", timedelta(hours=2)),
        ("+45s", timedelta(seconds=45)),
        ("+1d", timedelta(days=1)),
    ],
)
def test_relative(word: str, delta: timedelta) -> None:
    rule, used = parse(f"{word} text")
    assert used == 1 and rule.at == NOW + delta


def test_recurring_forms() -> None:
    assert parse("daily 08:00 x") == (Rule(w.DAILY, 8, 0), 2)
    assert parse("weekly mon,thu 19:00 x") == (Rule(w.WEEKLY, 19, 0, weekdays=(0, 3)), 3)
    assert parse("weekly 周一,周四 19:00")[0].weekdays == (0, 3)
    assert parse("weekly mon-fri 9:05")[0] == Rule(w.WEEKLY, 9, 5, weekdays=(0, 1, 2, 3, 4))
    assert parse("monthly 1 10:00") == (Rule(w.MONTHLY, 10, 0, month_day=1), 3)
    assert parse("monthly last 23:00")[0].month_day == -1
    rule, used = parse('cron "0 8 * * 1-5" good morning')
    assert used == 6 and rule.cron == "0 8 * * mon,tue,wed,thu,fri"
    assert rule.cron_text == "0 8 * * 1-5"
    assert parse("cron “30 7 * * 0,6” hi")[0].cron == "30 7 * * sat,sun"
    assert parse("every 30m x") == (Rule(w.EVERY, seconds=1800), 2)


def test_canonical_text_round_trips() -> None:
    for text in (
        "2026-12-24 18:00",
        "daily 08:00",
        "weekly sat,sun 9:30",
        "monthly last 23:00",
        'cron "*/15 9-17 * jan,dec mon-fri"',
        "every 2h",
    ):
        rule = parse(text)[0]
        assert parse_rule(rule.text) == rule


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("25:99 hi", w.InvalidTime),
        ("daily 24:00", w.InvalidTime),
        ("2026-11-30 09:00 too late", w.PastTime),
        ("2026-02-30 09:00", w.InvalidDate),
        ("2026-12-01", w.InvalidTime),
        ("2040-01-01 00:00", w.TooFarAhead),
        ('cron "61 * * * *"', w.InvalidCron),
        ('cron "0 8 * *"', w.InvalidCron),
        ('cron "0 8 * * 8"', w.InvalidCron),
        ('cron "5-1 * * * *"', w.InvalidCron),
        ('cron "0 8 * * 1', w.InvalidCron),
        ("weekly funday 10:00", w.InvalidWeekdays),
        ("weekly mon", w.InvalidWeekdays),
        ("monthly 32 10:00", w.InvalidMonthDay),
        ("every 10s", w.IntervalTooShort),
        ("+0m", w.InvalidWhen),
        ("+400d", w.TooFarAhead),
        ("tomorrow hello", w.InvalidWhen),
    ],
)
def test_bad_input_is_refused(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse(text)


def test_empty_when() -> None:
    with pytest.raises(w.InvalidWhen):
        parse_when([], NOW, SH)


# ---- the runtime's triggers ----------------------------------------------------------------


def test_daily_follows_dst_in_local_time() -> None:
    rule = Rule(w.DAILY, 8, 0)
    anchor = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    first = plan_next(rule, BERLIN, anchor, anchor)
    second = plan_next(rule, BERLIN, anchor, first)
    third = plan_next(rule, BERLIN, anchor, second)
    # 28 March 08:00 CET (UTC+1), then 29 and 30 March 08:00 CEST (UTC+2): 23 h apart once.
    assert first == datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
    assert second == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert third == datetime(2026, 3, 30, 6, 0, tzinfo=UTC)


def test_a_time_in_the_dst_gap_still_runs_that_day() -> None:
    rule = Rule(w.DAILY, 2, 30)  # 02:30 does not exist in New York on 8 March 2026
    anchor = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    first = plan_next(rule, NY, anchor, anchor)
    second = plan_next(rule, NY, anchor, first)
    assert first == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT
    assert second == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # 02:30 EDT


def test_cron_weekdays_are_crontab_weekdays() -> None:
    rule = parse('cron "0 8 * * 1-5"')[0]
    saturday = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    # Not Tuesday (APScheduler 3 alone would read 1-5 as Tuesday..Saturday): Monday 7 Dec.
    assert plan_next(rule, SH, saturday, saturday) == datetime(2026, 12, 7, 0, 0, tzinfo=UTC)


def test_weekly_monthly_and_every() -> None:
    anchor = NOW  # Tuesday
    weekly = plan_next(Rule(w.WEEKLY, 19, 0, weekdays=(0, 3)), SH, anchor, anchor)
    assert weekly == datetime(2026, 12, 3, 11, 0, tzinfo=UTC)  # Thursday 19:00
    monthly = plan_next(Rule(w.MONTHLY, 10, 0, month_day=-1), SH, anchor, anchor)
    assert monthly == datetime(2026, 12, 31, 2, 0, tzinfo=UTC)
    every = Rule(w.EVERY, seconds=2)
    assert plan_next(every, SH, anchor, anchor) == anchor + timedelta(seconds=2)
    assert plan_next(every, SH, anchor, anchor + timedelta(seconds=3)) == anchor + timedelta(
        seconds=4
    )
    once = Rule(w.ONCE, at=anchor + timedelta(hours=1))
    assert plan_next(once, SH, anchor, anchor) == anchor + timedelta(hours=1)
    assert plan_next(once, SH, anchor, anchor + timedelta(hours=1)) is None


def test_a_month_day_some_months_lack_is_skipped() -> None:
    rule = Rule(w.MONTHLY, 10, 0, month_day=31)
    anchor = datetime(2026, 4, 1, tzinfo=UTC)
    assert plan_next(rule, SH, anchor, anchor) == datetime(2026, 5, 31, 2, 0, tzinfo=UTC)
