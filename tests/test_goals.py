"""/goal through the real Dispatcher: set, the North Star, delete (by command and button),
progress bars with the trend's outlook, bad input answered with nothing changed, members
refused, audited; the North Star on top of /stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.replies import plain
from storage.tables import AuditLog, GroupGoal
from tests import factories as f
from tests.app_harness import Harness, running_bot

NOW = datetime.now(UTC).replace(microsecond=0)
ADMIN = f.user(100, "Ada", username="ada")
ADMIN_ZH = f.user(101, "阿达", lang="zh-hans")
BOB = f.user(200, "Bob", username="bob")


async def say(bot: Harness, who: dict, text: str) -> SendMessage:
    bot.clear()
    await bot.feed(f.message(who, text, date=NOW))
    return bot.sent(SendMessage)[-1]


async def goals_of(bot: Harness) -> list[tuple[str, float, bool]]:
    async with bot.app.session_factory() as s:
        found = await s.exec(
            sa.select(GroupGoal.metric, GroupGoal.target, GroupGoal.north_star).order_by(
                GroupGoal.metric
            )
        )
        return [(m, t, bool(n)) for m, t, n in found.all()]


async def test_goals_set_star_delete_and_stats(db_url: str) -> None:
    admins = {(f.GROUP_ID, 100), (f.GROUP_ID, 101)}
    async with running_bot(db_url, admins=admins) as bot:
        # Bob checks in and chats on the last ten days; Ada chats the first of them.
        await bot.feed(f.message(ADMIN, "good morning all", date=NOW - timedelta(days=10)))
        for back in range(10, 0, -1):
            await bot.feed(f.message(BOB, "签到", date=NOW - timedelta(days=back)))
        assert "has no goals yet" in plain((await say(bot, ADMIN, "/goal")).text)

        due = (NOW + timedelta(days=30)).date().isoformat()
        sent = await say(bot, ADMIN, f"/goal set dau 5 by {due}")
        text = plain(sent.text)
        assert "Goal set: DAU (7-day average) → 5. It is the North Star." in text
        assert f"⭐ North Star — DAU (7-day average): 1 of 5 by {due}" in text
        assert "░░░░░░░░░░ 0%" in text  # set at 1: no progress yet
        assert "Behind: at" in text and "it needs" in text  # flat at 1 a day: short of 5

        text = plain((await say(bot, ADMIN, "/goal set members 4")).text)
        assert "Goal set: Members → 4." in text and "North Star." not in text.split("\n")[0]
        assert "Members: 2 of 4" in text and "Not getting closer" in text

        # Bad input: a clear answer, nothing changed.
        before = await goals_of(bot)
        for command, expected in (
            ("/goal set dua 5", "did you mean dau?"),
            ("/goal set members -5", "a target must be above 0"),
            ("/goal set members lots", "is not a target"),
            ("/goal set stickiness 150%", "cannot be over 100%"),
            ("/goal set dau 5 by 2020-01-01", "is not in the future"),
            ("/goal set dau 5 by someday", "is not a date"),
            ("/goal set dau", "Usage:"),
            ("/goal frobnicate", "Usage:"),
            ("/goal del wau", "There is no goal for wau"),
        ):
            assert expected in plain((await say(bot, ADMIN, command)).text), command
        assert await goals_of(bot) == before

        # A member: refused, nothing revealed or changed.
        assert (
            plain((await say(bot, BOB, "/goal")).text) == "Only group administrators can do that."
        )
        assert (
            plain((await say(bot, BOB, "/goal set members 9")).text)
            == "Only group administrators can do that."
        )

        # The North Star moves; it is listed first, and shown on top of /stats.
        sent = await say(bot, ADMIN, "/goal star members")
        text = plain(sent.text)
        assert "The North Star is now: Members." in text
        assert text.index("⭐ North Star — Members") < text.index("DAU (7-day average): 1 of 5")
        stats = plain((await say(bot, ADMIN, "/stats")).text)
        # Progress counts from the value the goal was set at (2 members): none yet.
        assert stats.startswith("⭐ North Star — Members: 2 of 4 · ░░░░░░░░░░ 0%\n\n📊")

        # Buttons: 🗑 DAU, pressed by a member (refused) and by an admin (deleted).
        markup = {
            b.text: b.callback_data for row in sent.reply_markup.inline_keyboard for b in row
        }
        assert list(markup) == ["🗑 Members", "⭐ DAU (7-day average)", "🗑 DAU (7-day average)"]
        await bot.feed(f.callback(BOB, markup["🗑 DAU (7-day average)"], 777))
        assert bot.sent(AnswerCallbackQuery)[-1].show_alert
        assert [m for m, _, _ in await goals_of(bot)] == ["dau", "members"]
        await bot.feed(f.callback(ADMIN, markup["🗑 DAU (7-day average)"], 777))
        edit = bot.sent(EditMessageText)[-1]
        assert "DAU" not in plain(edit.text) and "Members" in plain(edit.text)
        assert await goals_of(bot) == [("members", 4.0, True)]

        # Chinese.
        zh = plain((await say(bot, ADMIN_ZH, "/goal set d7 40%")).text)
        assert "目标已设定:新成员 7 日留存 → 40%。" in zh and "⭐ 北极星 — 成员数:2 / 目标 4" in zh
        assert "数据还不够" in zh  # nobody joined on a day whose D7 is over: no trend

        async with bot.app.session_factory() as s:
            actions = (
                await s.exec(
                    sa.select(AuditLog.action)
                    .where(AuditLog.action.like("goal_%"))
                    .order_by(AuditLog.id)
                )
            ).all()
        assert [a for (a,) in actions] == [
            "goal_set",
            "goal_set",
            "goal_north_star",
            "goal_deleted",
            "goal_set",
        ]
