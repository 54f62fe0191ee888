"""/settings: shown with buttons, changed by buttons or by `/settings <key> <value>`, admins only, audited."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from aiogram.methods import AnswerCallbackQuery, EditMessageText
from sqlmodel import select

from bot.i18n import Locales
from core.community.group_settings import GroupSettings
from core.settings import MAX_KEY_LENGTH
from handlers.community.settings import SettingsButton, choices_keyboard, overview_keyboard
from storage.tables import AuditLog
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.group_service import CATALOGUE, stored_settings

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")


async def stored(bot: Harness) -> tuple[dict[str, str], list[AuditLog]]:
    """The group's stored settings (key -> text) and the audit of setting changes."""
    async with bot.app.session_factory() as s:
        audit = list(
            (await s.exec(select(AuditLog).where(AuditLog.action == "setting_changed"))).all()
        )
    return await stored_settings(bot.app.session_factory, f.GROUP_ID), audit


def button(bot: Harness, label: str) -> str:
    """callback_data of the button with this label in the last keyboard the bot showed."""
    for call in reversed(bot.sent(EditMessageText) + bot.sent()):
        markup = getattr(call, "reply_markup", None)
        for row in markup.inline_keyboard if markup else []:
            for b in row:
                if b.text == label:
                    return b.callback_data
    raise AssertionError(f"no button {label!r}")


async def test_typed_changes_validate_and_audit(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/settings", date=DAY))
        shown = bot.last_text()
        assert (
            "Timezone: <b>Asia/Shanghai</b>" in shown and "Points per check-in: <b>10</b>" in shown
        )
        keyboard = bot.sent()[-1].reply_markup.inline_keyboard
        labels = [b.text for row in keyboard for b in row]
        assert (
            "Timezone" in labels
            and "Streak bonuses" in labels
            and len(labels) == len(CATALOGUE.keys) + 1
        )

        await bot.feed(f.message(ADMIN, "/settings timezone Europe/Berlin", date=DAY))
        assert bot.last_text() == "✅ Saved: Timezone → <b>Europe/Berlin</b>."
        await bot.feed(f.message(ADMIN, "/settings day_start 4", date=DAY))
        await bot.feed(f.message(ADMIN, "/settings milestones 3:5, 7:20", date=DAY))
        assert "3:5,7:20" in bot.last_text()
        group, audit = await stored(bot)
        assert (group["timezone"], group["day_start"], group["milestones"]) == (
            "Europe/Berlin",
            "4",
            "3:5,7:20",
        )
        assert [json.loads(a.details) for a in audit][0] == {
            "key": "timezone",
            "old": "Asia/Shanghai",
            "new": "Europe/Berlin",
        }
        assert {a.actor_id for a in audit} == {100} and len(audit) == 3

        for bad, expected in (
            ("/settings day_start 25", "“25” is not a valid value for day_start. Expected: 0–23."),
            ("/settings timezone Mars/Olympus", "not a valid value for timezone"),
            ("/settings checkin_points -5", "not a valid value for checkin_points"),
            ("/settings colour blue", "There is no setting “colour”"),
        ):
            await bot.feed(f.message(ADMIN, bad, date=DAY))
            assert expected in bot.last_text(), bad
        assert (await stored(bot))[0]["day_start"] == "4" and len((await stored(bot))[1]) == 3

        await bot.feed(f.message(BOB, "/settings day_start 0", date=DAY))
        assert bot.last_text() == "Only group administrators can do that."
        assert (await stored(bot))[0]["day_start"] == "4"

        # The new day start applies at once: 03:30 Berlin time on 3 March still belongs to 2 March.
        late = datetime(2026, 3, 3, 2, 30, tzinfo=UTC)
        await bot.feed(f.message(BOB, "/checkin", date=DAY + timedelta(hours=1)))
        await bot.feed(f.message(BOB, "/checkin", date=late))
        assert "already checked in" in bot.last_text()


async def test_buttons_change_settings_for_admins_only(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/settings", date=DAY))
        panel_id = 1  # the message the buttons belong to (any id: the bot edits it)
        await bot.feed(f.callback(ADMIN, button(bot, "Language"), panel_id))
        edit = bot.sent(EditMessageText)[-1]
        assert "Language: currently <b>English</b>" in edit.text
        assert [b.text for row in edit.reply_markup.inline_keyboard for b in row][:2] == [
            "中文",
            "✓ English",
        ]

        choose_zh = f.callback(ADMIN, button(bot, "中文"), panel_id)
        await bot.feed(choose_zh)
        assert (await stored(bot))[0]["language"] == "zh"
        edit = bot.sent(EditMessageText)[-1]
        assert edit.text.startswith(
            "✅ Saved: Language → <b>中文</b>."
        )  # answered in the language asked in
        assert bot.sent(AnswerCallbackQuery)[-1].text == "✅ Saved: Language → 中文."
        await bot.feed(choose_zh)  # redelivered: applied and audited once
        assert len((await stored(bot))[1]) == 1

        # Bob presses a button he found: refused with an alert, nothing changes.
        data = SettingsButton(
            action="set", key="language", choice=CATALOGUE.spec("language").choices.index("en")
        ).pack()
        await bot.feed(f.callback(BOB, data, panel_id))
        refusal = bot.sent(AnswerCallbackQuery)[-1]
        assert (
            refusal.show_alert and refusal.text == "只有群管理员可以这样做。"
        )  # the group speaks zh now
        assert (await stored(bot))[0]["language"] == "zh"

        # A forged choice index just shows the panel again.
        await bot.feed(
            f.callback(
                ADMIN, SettingsButton(action="set", key="language", choice=9).pack(), panel_id
            )
        )
        assert (await stored(bot))[0]["language"] == "zh" and len((await stored(bot))[1]) == 1

        await bot.feed(f.callback(ADMIN, SettingsButton(action="close").pack(), panel_id))
        assert bot.sent(EditMessageText)[-1].reply_markup is None


async def test_the_panel_shows_one_section_per_area(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/settings", date=DAY))
        shown = bot.last_text()
        order = [
            "🏠 <b>Group</b>",
            "Timezone:",
            "Language:",
            "📅 <b>Check-in</b>",
            "Points per check-in:",
            "Streak bonuses:",
            "💬 <b>Chat activity</b>",
            "Points per message:",
            "Message points per day (max):",
        ]
        positions = [shown.index(part) for part in order]
        assert positions == sorted(positions)
        assert "Keys: timezone, day_start, language, checkin_points, milestones" in shown
        # Buttons: a section's buttons never share a row with another section's.
        rows = [[b.text for b in row] for row in bot.sent()[-1].reply_markup.inline_keyboard]
        assert rows[:2] == [["Timezone", "Day starts at"], ["Language"]]
        assert rows[2] == ["Points per check-in", "Streak bonuses"]

        await bot.feed(f.message(ADMIN, "/settings tz", date=DAY))
        assert bot.last_text().startswith("Timezone: currently <b>Asia/Shanghai</b>.")
        await bot.feed(f.message(ADMIN, "/settings colour", date=DAY))
        assert bot.last_text() == (
            "There is no setting “colour”. Settings: timezone, day_start, language, "
            "checkin_points, milestones, level_thresholds, level_titles, announce_badges, "
            "feedback_points, feedback_points_daily_cap, survey_followup, poll_points, "
            "activity_points, activity_min_length, activity_cooldown, activity_daily_cap, "
            "post_grace_minutes, welcome_delete_minutes, birthday_points, anniversaries, "
            "feed_max_items, holiday_greetings, holiday_country, invites, invite_points, "
            "invite_daily_cap, onboarding, onboarding_approve, segment_new_days, "
            "segment_active_days, segment_dormant_days, segment_churned_days, "
            "segment_returned_days, tier_core_percent, tier_regular_percent, weekly_report, "
            "weekly_report_day, weekly_report_time, campaign_quiet, campaign_cap, "
            "campaign_holdout, reactivation, reactivation_bonus."
        )

        bot.clear()
        await bot.feed(f.message(ADMIN, "/settings", date=DAY))
        await bot.feed(f.callback(ADMIN, button(bot, "Streak bonuses"), 1))
        edit = bot.sent(EditMessageText)[-1]
        assert [len(row) for row in edit.reply_markup.inline_keyboard] == [1, 1, 1, 1, 1]
        await bot.feed(f.callback(ADMIN, button(bot, "3:5,7:20,30:100 (day:bonus)"), 1))
        assert (await stored(bot))[0]["milestones"] == "3:5,7:20,30:100"
        await bot.feed(f.message(BOB, "/checkin", date=DAY))
        await bot.feed(f.message(BOB, "/checkin", date=DAY + timedelta(days=1)))
        await bot.feed(f.message(BOB, "/checkin", date=DAY + timedelta(days=2)))
        assert "Streak bonus for 3 days: +5 points!" in bot.last_text()  # the new bonuses apply


def test_every_button_fits_telegrams_callback_data_limit() -> None:
    t = Locales().get("zh")
    group = GroupSettings(
        f.GROUP_ID, "G", CATALOGUE.defaults({"timezone": "UTC", "language": "zh"})
    )
    markups = [overview_keyboard(t, CATALOGUE)] + [
        choices_keyboard(t, group, CATALOGUE.spec(key)) for key in CATALOGUE.keys
    ]
    data = [b.callback_data for m in markups for row in m.inline_keyboard for b in row]
    assert len(data) > 40 and all(len(d.encode()) <= 64 for d in data)
    # The longest a key may be still fits, with two-digit choice indexes.
    longest = SettingsButton(action="pick", key="k" * MAX_KEY_LENGTH, choice=99).pack()
    assert len(longest.encode()) <= 64


async def test_a_calendar_change_with_the_cache_expired_does_not_wait_for_a_connection(
    db_url: str,
) -> None:
    """With the settings cache expired (here: no cache at all), changing the timezone used to
    read the group's settings through a second session while its own held SQLite's only
    connection: the update hung for the pool's 120 s timeout."""
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(ADMIN, "/settings", date=DAY))
        async with asyncio.timeout(20):
            await bot.feed(f.message(ADMIN, "/settings timezone Europe/Berlin", date=DAY))
            await bot.feed(f.message(ADMIN, "/settings day_start 4", date=DAY))
        values, audit = await stored(bot)
        assert values["timezone"] == "Europe/Berlin" and values["day_start"] == "4"
        assert [json.loads(a.details)["new"] for a in audit][-2:] == ["Europe/Berlin", 4]
