"""Campaign settings (shown under /settings): quiet hours, the frequency cap, the holdout share
and reactivation."""

from __future__ import annotations

from core.campaigns.rules import QuietHours, parse_quiet
from core.community.group_settings import GroupSettings
from core.schedule.settings import parse_switch
from core.settings import SettingSpec, SettingsSection, int_spec

QUIET = "campaign_quiet"
CAP = "campaign_cap"
HOLDOUT = "campaign_holdout"
REACTIVATION = "reactivation"
REACTIVATION_BONUS = "reactivation_bonus"

DEFAULT_QUIET = "22:00-08:00"
DEFAULT_CAP = 2  # campaign messages per member per 7 days
DEFAULT_HOLDOUT = 10  # percent of the audience kept as the control group
CAP_DAYS = 7
REACTIVATION_EVERY_DAYS = 30
BONUS_DAYS = 3


def _quiet_text(text: str) -> str:
    found = parse_quiet(text)
    return found.text if found is not None else "off"


CAMPAIGN_SETTINGS = SettingsSection(
    "campaigns",
    (
        # Local hours in which campaign messages wait ("off": none).
        SettingSpec(
            key=QUIET,
            parse=_quiet_text,
            default=DEFAULT_QUIET,
            choices=("22:00-08:00", "21:00-09:00", "off"),
            hint="22:00-08:00, off",
        ),
        # Campaign messages a member gets at most in 7 days (0: no campaign messages).
        int_spec(CAP, 0, 50, DEFAULT_CAP, choices=("1", "2", "3", "5")),
        # Percent of each audience kept as the control group (never messaged).
        int_spec(HOLDOUT, 0, 50, DEFAULT_HOLDOUT, choices=("0", "10", "20")),
        # One friendly private message to members who went dormant.
        SettingSpec(
            key=REACTIVATION,
            parse=parse_switch,
            default="off",
            choices=("on", "off"),
            hint="on, off",
        ),
        # Points for checking in within 3 days of the reactivation message (0: none).
        int_spec(REACTIVATION_BONUS, 0, 10_000, 0, choices=("0", "10", "20", "50")),
    ),
)


def quiet_hours(group: GroupSettings) -> QuietHours | None:
    return parse_quiet(group.values.get(QUIET, DEFAULT_QUIET))


def cap(group: GroupSettings) -> int:
    return int(group.values.get(CAP, DEFAULT_CAP))


def holdout_percent(group: GroupSettings) -> int:
    return int(group.values.get(HOLDOUT, DEFAULT_HOLDOUT))


def reactivation_on(group: GroupSettings) -> bool:
    return group.values.get(REACTIVATION, "off") == "on"


def reactivation_bonus(group: GroupSettings) -> int:
    return int(group.values.get(REACTIVATION_BONUS, 0))
