"""The community's own settings: where the group lives (timezone, when its day starts) and its
language. Every group has them; GroupSettings offers them as typed attributes."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.settings import DeploymentDefaults, SettingSpec, SettingsSection, int_spec

TIMEZONE = "timezone"
DAY_START = "day_start"
LANGUAGE = "language"


def parse_timezone(text: str) -> str:
    text = text.strip()
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(text) from exc
    if "/" not in text and text not in ("UTC",):
        raise ValueError(text)
    return text


def parse_language(text: str) -> str:
    value = text.strip().lower()
    if value in ("zh", "cn", "中文", "zh-hans", "zh-cn"):
        return "zh"
    if value in ("en", "english"):
        return "en"
    raise ValueError(text)


def _deployment_timezone(deployment: DeploymentDefaults) -> str:
    return str(deployment["timezone"])


def _deployment_language(deployment: DeploymentDefaults) -> str:
    return str(deployment["language"])


COMMUNITY_SETTINGS = SettingsSection(
    "community",
    (
        SettingSpec(
            key=TIMEZONE,
            parse=parse_timezone,
            default=_deployment_timezone,  # DEFAULT_TIMEZONE when the group was added
            aliases=("tz",),
            choices=(
                "Asia/Shanghai",
                "Asia/Hong_Kong",
                "Asia/Taipei",
                "Asia/Singapore",
                "Asia/Tokyo",
                "Europe/London",
                "Europe/Berlin",
                "America/New_York",
                "America/Los_Angeles",
                "UTC",
            ),
            hint="Asia/Shanghai, Europe/Berlin, UTC",
        ),
        int_spec(DAY_START, 0, 23, 0, aliases=("daystart",), choices=("0", "2", "4", "5", "6")),
        SettingSpec(
            key=LANGUAGE,
            parse=parse_language,
            default=_deployment_language,  # DEFAULT_LANGUAGE when the group was added
            aliases=("lang",),
            choices=("zh", "en"),
            hint="zh, en",
        ),
    ),
)
