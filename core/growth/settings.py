"""Growth settings (shown under /settings): the invite rewards and onboarding of join requests."""

from __future__ import annotations

from core.community.group_settings import GroupSettings
from core.schedule.settings import parse_switch
from core.settings import SettingSpec, SettingsSection, int_spec

INVITES = "invites"
INVITE_POINTS = "invite_points"
INVITE_DAILY_CAP = "invite_daily_cap"
ONBOARDING = "onboarding"
ONBOARDING_APPROVE = "onboarding_approve"

DEFAULT_INVITE_POINTS = 50
DEFAULT_DAILY_CAP = 10
AUTO, ADMINS = "auto", "admins"


def parse_approval(text: str) -> str:
    value = text.strip().lower()
    if value in (AUTO, "automatic", "自动"):
        return AUTO
    if value in (ADMINS, "admin", "manual", "管理员", "人工"):
        return ADMINS
    raise ValueError(text)


INVITE_SETTINGS = SettingsSection(
    "invites",
    (
        # /invite links and their rewards.
        SettingSpec(
            key=INVITES, parse=parse_switch, default="on", choices=("on", "off"), hint="on, off"
        ),
        # Points for the inviter and for the newcomer each, once the invite counts (0: none).
        int_spec(
            INVITE_POINTS, 0, 10_000, DEFAULT_INVITE_POINTS, choices=("0", "20", "50", "100")
        ),
        # Counted invites an inviter is paid for per local day (the newcomer is paid anyway).
        int_spec(INVITE_DAILY_CAP, 0, 1000, DEFAULT_DAILY_CAP, choices=("3", "10", "20", "50")),
    ),
)

ONBOARDING_SETTINGS = SettingsSection(
    "onboarding",
    (
        # Join requests get the questionnaire (the group's links must require admin approval).
        SettingSpec(
            key=ONBOARDING,
            parse=parse_switch,
            default="off",
            choices=("on", "off"),
            hint="on, off",
        ),
        # After the questionnaire: approve at once, or leave it to the admins with the answers.
        SettingSpec(
            key=ONBOARDING_APPROVE,
            parse=parse_approval,
            default=AUTO,
            choices=(AUTO, ADMINS),
            hint="auto, admins",
        ),
    ),
)


def invites_on(group: GroupSettings) -> bool:
    return group.values.get(INVITES, "on") == "on"


def invite_points(group: GroupSettings) -> tuple[int, int]:
    """(points each, the inviter's daily cap of paid invites)."""
    values = group.values
    return (
        int(values.get(INVITE_POINTS, DEFAULT_INVITE_POINTS)),
        int(values.get(INVITE_DAILY_CAP, DEFAULT_DAILY_CAP)),
    )


def onboarding_on(group: GroupSettings) -> bool:
    return group.values.get(ONBOARDING, "off") == "on"


def approves_automatically(group: GroupSettings) -> bool:
    return group.values.get(ONBOARDING_APPROVE, AUTO) == AUTO
