"""Times as people type them, English and Chinese: each form and what it means (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.schedule import when
from core.schedule.natural import clock_words, cn_number
from core.shop import flash
from core.shop.errors import InvalidReward

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
TZ = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("typed", "rule", "used"),
    [
        # from now
        ("in 10 minutes Hello", "once 2026-03-02T02:10:00Z", 3),
        ("in 1m Hello", "once 2026-03-02T02:01:00Z", 2),
        ("in an hour", "once 2026-03-02T03:00:00Z", 3),
        ("in 2 days", "once 2026-03-04T02:00:00Z", 3),
        ("30分钟后 提醒大家", "once 2026-03-02T02:30:00Z", 1),
        ("30 分钟后", "once 2026-03-02T02:30:00Z", 2),
        ("半小时后", "once 2026-03-02T02:30:00Z", 1),
        ("两个小时后", "once 2026-03-02T04:00:00Z", 1),
        ("3天后", "once 2026-03-05T02:00:00Z", 1),
        # a day and a time
        ("tomorrow 9:00 Hello", "once 2026-03-03T01:00:00Z", 2),
        ("tomorrow at 9am", "once 2026-03-03T01:00:00Z", 3),
        ("today 6pm", "once 2026-03-02T10:00:00Z", 2),
        ("tonight 8pm", "once 2026-03-02T12:00:00Z", 2),
        ("明天 9点 早上好", "once 2026-03-03T01:00:00Z", 2),
        ("明天9点", "once 2026-03-03T01:00:00Z", 1),
        ("明天上午9点半", "once 2026-03-03T01:30:00Z", 1),
        ("今晚8点", "once 2026-03-02T12:00:00Z", 1),
        ("后天 10:00", "once 2026-03-04T02:00:00Z", 2),
        # a time: the next time it comes
        ("下午3点 开会", "once 2026-03-02T07:00:00Z", 1),
        ("晚上8点15分", "once 2026-03-02T12:15:00Z", 1),
        ("9点半", "once 2026-03-03T01:30:00Z", 1),  # passed today: tomorrow
        ("中午12点", "once 2026-03-02T04:00:00Z", 1),
        ("3pm", "once 2026-03-02T07:00:00Z", 1),
        ("3 pm", "once 2026-03-02T07:00:00Z", 2),
        ("9:30am", "once 2026-03-03T01:30:00Z", 1),
        ("12am", "once 2026-03-02T16:00:00Z", 1),
        # every day / week / month, every N minutes
        ("每天 8:00 早安", "daily 08:00", 2),
        ("每天早上8点", "daily 08:00", 1),
        ("every day 8:00", "daily 08:00", 3),
        ("daily 8am", "daily 08:00", 2),
        ("every monday 19:00 Weekly call", "weekly mon 19:00", 3),
        ("every mon, thu 7pm", "weekly mon,thu 19:00", 4),
        ("every weekday 9:00", "weekly mon,tue,wed,thu,fri 09:00", 3),
        ("每周一 19:00", "weekly mon 19:00", 2),
        ("每周一19:00", "weekly mon 19:00", 1),
        ("每周一、四 19点", "weekly mon,thu 19:00", 2),
        ("每周一到五 9点", "weekly mon,tue,wed,thu,fri 09:00", 2),
        ("工作日 9:00", "weekly mon,tue,wed,thu,fri 09:00", 2),
        ("每个工作日 9点", "weekly mon,tue,wed,thu,fri 09:00", 2),
        ("周末 10点", "weekly sat,sun 10:00", 2),
        ("每月1号 10:00", "monthly 1 10:00", 2),
        ("每月最后一天 18:00", "monthly last 18:00", 2),
        ("every 30 minutes", "every 1800", 3),
        ("每2小时", "every 7200", 1),
        # the canonical forms still mean what they meant
        ("daily 08:00", "daily 08:00", 2),
        ("weekly mon,thu 19:00", "weekly mon,thu 19:00", 3),
        ("+30m", "once 2026-03-02T02:30:00Z", 1),
        ("08:00", "once 2026-03-03T00:00:00Z", 1),
        ("2026-12-01 09:30", "once 2026-12-01T01:30:00Z", 2),
        ("every 2h", "every 7200", 2),
    ],
)
def test_times_as_people_say_them(typed: str, rule: str, used: int) -> None:
    parsed, words = when.parse_when(typed.split(), NOW, TZ)
    assert (parsed.text, words) == (rule, used)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("soon Hello", when.InvalidWhen),
        ("明天 Hello", when.InvalidWhen),
        ("in 0 minutes", when.InvalidWhen),
        ("today 9am", when.PastTime),
        ("every 1 minute", when.IntervalTooShort),
        ("每月32号 10:00", when.InvalidMonthDay),
        ("25点", when.InvalidWhen),
    ],
)
def test_what_is_not_a_time_is_refused(typed: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        when.parse_when(typed.split(), NOW, TZ)


def test_clocks_and_numbers() -> None:
    assert clock_words(["7", "am", "Good", "morning"]) == (7, 0, 2)
    assert clock_words(["早上7点半", "早安"]) == (7, 30, 1)
    assert clock_words(["19:30"]) == (19, 30, 1)
    assert clock_words(["hello"]) is None
    assert [cn_number(s) for s in ("十", "十二", "二十五", "两", "9", "百")] == [
        10,
        12,
        25,
        2,
        9,
        None,
    ]


def test_a_flash_sale_opens_at_a_time_as_people_say_it() -> None:
    assert flash.opening([], NOW, TZ) == NOW
    assert flash.opening(["20:00"], NOW, TZ) == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert flash.opening("in 10 minutes".split(), NOW, TZ) == datetime(
        2026, 3, 2, 2, 10, tzinfo=UTC
    )
    assert flash.opening(["下午3点"], NOW, TZ) == datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
    assert flash.opening(["明天", "9点"], NOW, TZ) == datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    for refused in (["每天", "8:00"], ["soon"], ["20:00", "extra"]):
        with pytest.raises(InvalidReward):
            flash.opening(refused, NOW, TZ)
