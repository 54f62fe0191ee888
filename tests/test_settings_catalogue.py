"""Settings declared by the features: the catalogue checks them at start-up and reads stored text."""

from __future__ import annotations

import logging

import pytest

from core.errors import InvalidSetting, UnknownSetting
from core.settings import SettingsCatalogue, SettingSpec, SettingsSection, int_spec
from tests.group_service import CATALOGUE

DEPLOYMENT = {"timezone": "Europe/Berlin", "language": "zh"}


def shop(*specs: SettingSpec, name: str = "shop") -> SettingsSection:
    return SettingsSection(name, specs)


def test_sections_keep_their_order_and_keys_their_declaration_order() -> None:
    catalogue = SettingsCatalogue(
        [shop(int_spec("price", 0, 9, 1)), shop(int_spec("stock", 0, 9, 2), name="store")]
    )
    assert [s.name for s in catalogue.sections] == ["shop", "store"]
    assert catalogue.keys == ("price", "stock")
    assert "price" in catalogue and "nothing" not in catalogue


@pytest.mark.parametrize(
    "sections",
    [
        # a key declared by a second feature
        [shop(int_spec("points", 0, 9, 1))],
        # an alias that is another setting's key, or another setting's alias
        [shop(int_spec("price", 0, 9, 1, aliases=("timezone",)))],
        [shop(int_spec("price", 0, 9, 1, aliases=("tz",)))],
        # the same section twice
        [shop(int_spec("price", 0, 9, 1), name="checkin")],
    ],
)
def test_a_clash_with_the_bots_settings_fails_at_start_up(
    sections: list[SettingsSection],
) -> None:
    with pytest.raises(ValueError, match="declared"):
        SettingsCatalogue([*CATALOGUE.sections, *sections])


def test_a_key_repeated_inside_one_section_fails_too() -> None:
    with pytest.raises(ValueError, match="already declared"):
        SettingsCatalogue([shop(int_spec("price", 0, 9, 1), int_spec("price", 0, 5, 1))])


@pytest.mark.parametrize("word", ["Price", "price tag", "", "9lives", "a:b", "x" * 33])
def test_keys_and_aliases_are_short_lower_case_words(word: str) -> None:
    """They travel in callback data (64 bytes) and are typed by admins."""
    with pytest.raises(ValueError, match="a-z"):
        SettingsCatalogue([shop(int_spec(word, 0, 9, 1))])
    with pytest.raises(ValueError, match="a-z"):
        SettingsCatalogue([shop(int_spec("price", 0, 9, 1, aliases=(word,)))])


def test_resolve_and_parse() -> None:
    catalogue = SettingsCatalogue([shop(int_spec("price", 1, 99, 5, aliases=("cost",)))])
    assert catalogue.resolve("COST").key == "price"
    spec, value = catalogue.parse("Cost", " 42 ")
    assert (spec.key, value) == ("price", 42)
    with pytest.raises(InvalidSetting) as caught:
        catalogue.parse("price", "100")
    assert caught.value.args_map == {"key": "price", "value": "100", "hint": "1–99"}
    with pytest.raises(UnknownSetting) as unknown:
        catalogue.resolve("colour")
    assert unknown.value.args_map == {"key": "colour", "keys": "price"}


def test_a_value_too_long_to_store_is_refused() -> None:
    catalogue = SettingsCatalogue([shop(SettingSpec("motto", str.strip, default=""))])
    assert catalogue.parse("motto", "x" * 2000)[1] == "x" * 2000
    with pytest.raises(InvalidSetting):
        catalogue.parse("motto", "x" * 2001)


def test_defaults_from_values_and_from_the_deployment() -> None:
    assert CATALOGUE.defaults(DEPLOYMENT) == {
        "timezone": "Europe/Berlin",
        "day_start": 0,
        "language": "zh",
        "checkin_points": 10,
        "milestones": "7:20,30:100",
        "level_thresholds": "0,70,300,1000,3000",
        "level_titles": "default",
        "announce_badges": "group",
        "feedback_points": 0,
        "feedback_points_daily_cap": 10,
        "survey_followup": "off",
        "poll_points": 0,
        "activity_points": 1,
        "activity_min_length": 5,
        "activity_cooldown": 60,
        "activity_daily_cap": 20,
        "post_grace_minutes": 10,
        "welcome_delete_minutes": 0,
        "birthday_points": 0,
        "anniversaries": "off",
        "feed_max_items": 5,
        "holiday_greetings": "on",
        "holiday_country": "CN",
        "invites": "on",
        "invite_points": 50,
        "invite_daily_cap": 10,
        "onboarding": "off",
        "onboarding_approve": "auto",
        "segment_new_days": 7,
        "segment_active_days": 7,
        "segment_dormant_days": 14,
        "segment_churned_days": 30,
        "segment_returned_days": 14,
        "tier_core_percent": 10,
        "tier_regular_percent": 30,
        "weekly_report": "on",
        "weekly_report_day": "mon",
        "weekly_report_time": "09:00",
        "campaign_quiet": "22:00-08:00",
        "campaign_cap": 2,
        "campaign_holdout": 10,
        "reactivation": "off",
        "reactivation_bonus": 0,
    }
    # Those from the deployment are stored when a group is registered (a later change of
    # DEFAULT_TIMEZONE must not move existing groups to another timezone).
    assert CATALOGUE.pinned_defaults(DEPLOYMENT) == {"timezone": "Europe/Berlin", "language": "zh"}


def test_load_parses_stored_text_and_fills_in_defaults() -> None:
    values = CATALOGUE.load(
        {"day_start": "4", "milestones": "none", "timezone": "UTC", "shop_price": "7"},
        DEPLOYMENT,
    )
    assert values["day_start"] == 4 and values["milestones"] == "none"
    assert values["timezone"] == "UTC" and values["language"] == "zh"
    assert "shop_price" not in values  # a key no section declares (a feature removed) is ignored


def test_a_stored_value_no_longer_valid_falls_back_to_its_default(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="core.settings"):
        values = CATALOGUE.load({"activity_points": "500", "day_start": "x"}, DEPLOYMENT)
    assert values["activity_points"] == 1 and values["day_start"] == 0
    assert "activity_points" in caplog.text and "day_start" in caplog.text


def test_a_deployment_default_the_parser_is_stricter_about_loads_quietly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """DEFAULT_TIMEZONE=GMT is a valid IANA zone, but admins must name a region: the pinned
    value of such a group stays what it is."""
    deployment = {"timezone": "GMT", "language": "en"}
    with caplog.at_level(logging.WARNING, logger="core.settings"):
        values = CATALOGUE.load(CATALOGUE.pinned_defaults(deployment), deployment)
    assert values["timezone"] == "GMT" and caplog.text == ""
