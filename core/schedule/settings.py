"""Settings of scheduled posts and welcome messages (shown under /settings)."""

from __future__ import annotations

from core.schedule.festivals import supported_country
from core.settings import SettingSpec, SettingsSection, int_spec

POST_GRACE_MINUTES = "post_grace_minutes"
DEFAULT_GRACE_MINUTES = 10
WELCOME_DELETE_MINUTES = "welcome_delete_minutes"
ANNIVERSARIES = "anniversaries"
BIRTHDAY_POINTS = "birthday_points"
FEED_MAX_ITEMS = "feed_max_items"
DEFAULT_FEED_ITEMS = 5
HOLIDAY_GREETINGS = "holiday_greetings"
HOLIDAY_COUNTRY = "holiday_country"
DEFAULT_COUNTRY = "CN"


def parse_switch(text: str) -> str:
    value = text.strip().lower()
    if value in ("on", "yes", "1", "true", "开", "开启"):
        return "on"
    if value in ("off", "no", "0", "false", "关", "关闭"):
        return "off"
    raise ValueError(text)


SCHEDULE_SETTINGS = SettingsSection(
    "schedule",
    (
        # A post due while the bot was down is still sent if at most this late.
        int_spec(
            POST_GRACE_MINUTES,
            0,
            1440,
            DEFAULT_GRACE_MINUTES,
            aliases=("grace",),
            choices=("0", "10", "30", "60"),
        ),
        # The welcome message is deleted after this many minutes (0: it stays).
        int_spec(WELCOME_DELETE_MINUTES, 0, 1440, 0, choices=("0", "5", "30", "60")),
        # Points for each member congratulated on their birthday (once a year; 0: none).
        int_spec(BIRTHDAY_POINTS, 0, 10_000, 0, choices=("0", "10", "50", "100")),
        # Join anniversaries congratulated after the morning greeting.
        SettingSpec(
            key=ANNIVERSARIES,
            parse=parse_switch,
            default="off",
            choices=("on", "off"),
            hint="on, off",
        ),
        # Items a content feed (/feed) posts at most per fetch.
        int_spec(FEED_MAX_ITEMS, 1, 20, DEFAULT_FEED_ITEMS, choices=("1", "3", "5", "10")),
        # Public holidays and festivals greeted after the morning greeting (/greeting holiday).
        SettingSpec(
            key=HOLIDAY_GREETINGS,
            parse=parse_switch,
            default="on",
            choices=("on", "off"),
            hint="on, off",
        ),
        # Whose holidays: an ISO 3166 country code the holidays package knows (CN, US, DE…).
        SettingSpec(
            key=HOLIDAY_COUNTRY,
            parse=supported_country,
            default=DEFAULT_COUNTRY,
            choices=("CN", "HK", "TW", "SG", "US", "GB"),
            hint="CN, HK, TW, SG, US, GB, DE, JP…",
        ),
    ),
)
