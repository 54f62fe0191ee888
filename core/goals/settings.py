"""The weekly report's settings (shown under /settings): on or off, the weekday and the time
(group time) it is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.community.group_settings import GroupSettings
from core.schedule.settings import parse_switch
from core.settings import SettingSpec, SettingsSection

WEEKLY_REPORT = "weekly_report"
WEEKLY_REPORT_DAY = "weekly_report_day"
WEEKLY_REPORT_TIME = "weekly_report_time"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_WORDS = {
    **{d: i for i, d in enumerate(DAYS)},
    **{name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday"))},
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    **{f"周{c}": i for i, c in enumerate("一二三四五六日")},
    **{f"星期{c}": i for i, c in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
    **{str(i + 1): i for i in range(7)},
}
_TIME = re.compile(r"^(\d{1,2})[:：.](\d{2})$")


def parse_day(text: str) -> str:
    found = _DAY_WORDS.get(text.strip().lower())
    if found is None:
        raise ValueError(text)
    return DAYS[found]


def parse_time(text: str) -> str:
    found = _TIME.match(text.strip())
    if found is None:
        raise ValueError(text)
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(text)
    return f"{hour:02d}:{minute:02d}"


WEEKLY_SETTINGS = SettingsSection(
    "weekly",
    (
        # Each administrator who started the bot gets the weekly report in private.
        SettingSpec(
            key=WEEKLY_REPORT,
            parse=parse_switch,
            default="on",
            choices=("on", "off"),
            hint="on, off",
        ),
        # The weekday it comes (group time).
        SettingSpec(
            key=WEEKLY_REPORT_DAY,
            parse=parse_day,
            default="mon",
            choices=("mon", "fri", "sun"),
            hint="mon … sun",
        ),
        # The time of day it comes (group time).
        SettingSpec(
            key=WEEKLY_REPORT_TIME,
            parse=parse_time,
            default="09:00",
            choices=("08:00", "09:00", "18:00"),
            hint="HH:MM",
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class WeeklyWhen:
    on: bool
    weekday: int  # 0 Monday
    hour: int
    minute: int


def weekly_when(group: GroupSettings) -> WeeklyWhen:
    values = group.values
    hour, minute = (int(x) for x in str(values.get(WEEKLY_REPORT_TIME, "09:00")).split(":"))
    return WeeklyWhen(
        values.get(WEEKLY_REPORT, "on") == "on",
        DAYS.index(str(values.get(WEEKLY_REPORT_DAY, "mon"))),
        hour,
        minute,
    )
