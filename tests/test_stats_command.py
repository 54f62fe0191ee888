"""/stats and /export daily through the real Dispatcher: both languages, period buttons that
redraw the message, the private chooser, bad input, refusals that reveal nothing, the notes
on what the bot cannot see."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.replies import plain
from core.calendar import local_day
from devtools.inprocess import BOT_USER
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.inline_worker import SketchWorker

NOW = datetime.now(UTC).replace(microsecond=0)
OTHER = -1009876543210
ADMIN = f.user(100, "Ada", username="ada")
ADMIN_ZH = f.user(101, "阿达", lang="zh-hans")
BOB = f.user(200, "Bob", username="bob")


def buttons(call: SendMessage | EditMessageText) -> dict[str, str]:
    assert call.reply_markup is not None
    return {b.text: b.callback_data for row in call.reply_markup.inline_keyboard for b in row}


def last_sent(bot: Harness) -> SendMessage:
    return bot.sent(SendMessage)[-1]


async def _history(bot: Harness) -> None:
    """Bob checks in and chats on the last ten days; Ada (the admin) chats the first day."""
    await bot.feed(f.message(ADMIN, "good morning all", date=NOW - timedelta(days=10)))
    for back in range(10, 0, -1):
        at = NOW - timedelta(days=back)
        await bot.feed(f.message(BOB, "签到", date=at))
        await bot.feed(f.message(BOB, "a message long enough", date=at + timedelta(minutes=5)))


async def test_stats_in_the_group_with_period_buttons(db_url: str) -> None:
    admins = {(f.GROUP_ID, 100), (f.GROUP_ID, 101)}
    async with running_bot(db_url, admins=admins) as bot:
        bot.app.deps["worker"] = worker = SketchWorker()
        bot.session.bot_not_admin.add(f.GROUP_ID)  # reactions unseen: the note says so
        await _history(bot)
        await bot.feed(f.message(ADMIN, "/stats", date=NOW))
        post = last_sent(bot)
        text = plain(post.text)
        assert "last 30 days" in text and "Changes against the 30 days before" in text
        assert "Members: 2" in text and "Check-ins: 10" in text and "Messages: 11" in text
        assert "Points issued 131" in text  # 10 check-ins, a 7-day streak bonus of 20, 11 messages
        assert "1. Bob — 130 pts · 10 messages · active 10 d" in text
        assert "Only what I see is counted" in text and "administrator" in text
        assert list(buttons(post)) == ["7 days", "✓ 30 days", "90 days", "📈 Charts"]
        assert all(len(data.encode()) <= 64 for data in buttons(post).values())
        assert worker.calls == [("render_all", 7)]  # the album follows (tests/test_reports_…)

        message_id = 555
        await bot.feed(f.callback(ADMIN, buttons(post)["7 days"], message_id))
        edit = bot.sent(EditMessageText)[-1]
        assert edit.message_id == message_id and "last 7 days" in plain(edit.text)
        assert "Check-ins: 6" in plain(edit.text) and "✓ 7 days" in buttons(edit)

        # Chinese, and a range typed as dates.
        start = local_day(NOW - timedelta(days=10), "Asia/Shanghai")
        end = local_day(NOW - timedelta(days=9), "Asia/Shanghai")
        await bot.feed(f.message(ADMIN_ZH, f"/stats {start}..{end}", date=NOW))
        zh = plain(last_sent(bot).text)
        assert "签到:2" in zh and "共 2 天" in zh and "贡献榜" in zh

        # A member: refused, nothing revealed; their press of the buttons too.
        calls = len(bot.session.calls)
        await bot.feed(f.message(BOB, "/stats", date=NOW))
        assert plain(bot.last_text()) == "Only group administrators can do that."
        await bot.feed(f.callback(BOB, buttons(post)["90 days"], message_id))
        answer = bot.sent(AnswerCallbackQuery)[-1]
        assert answer.show_alert and "administrators" in answer.text
        new = bot.session.calls[calls:]
        assert not any(isinstance(c, EditMessageText) for c in new)
        assert not any("Check-ins" in (getattr(c, "text", "") or "") for c in new)

        # Bad input: a clear answer in the asker's language.
        for words, expected in (
            ("yesterday", "Unknown period “yesterday”"),
            ("400d", "That is 400 days; a report covers at most 366 days."),
            ("2026-02-30..2026-03-01", "“2026-02-30” is not a date"),
            ("2026-03-05..2026-03-01", "starts after it ends"),
            (f"{NOW.date()}..{NOW.date() + timedelta(days=3)}", "ends in the future"),
            ("2024-01-01..2025-06-01", "at most 366 days"),
        ):
            await bot.feed(f.message(ADMIN, f"/stats {words}", date=NOW))
            assert expected in plain(bot.last_text()), words
        await bot.feed(f.message(ADMIN_ZH, "/stats 明天", date=NOW))
        assert "无法识别的时段" in plain(bot.last_text())

        # A period before the bot came: nothing to show, said so.
        await bot.feed(f.message(ADMIN, "/stats 2025-01-01..2025-01-31", date=NOW))
        assert "not enough data yet" in plain(bot.last_text())


async def test_stats_in_private_picks_the_group(db_url: str) -> None:
    admins = {(f.GROUP_ID, 100), (OTHER, 100)}
    async with running_bot(db_url, admins=admins) as bot:
        await _history(bot)
        await bot.feed(
            f.message(ADMIN, "hello there", chat_id=OTHER, date=NOW, title="Other Group")
        )
        await bot.feed(f.message(BOB, "/stats", chat_id=200, date=NOW))
        assert "You administer no group" in plain(bot.last_text())

        await bot.feed(f.message(ADMIN, "/stats 7d", chat_id=100, date=NOW))
        chooser = last_sent(bot)
        assert "Which group?" in plain(chooser.text)
        choices = buttons(chooser)
        assert set(choices) == {"Test Group", "Other Group"}
        await bot.feed(f.callback(ADMIN, choices["Test Group"], 31, chat_id=100))
        shown = bot.sent(EditMessageText)[-1]
        assert "Test Group" in plain(shown.text) and "last 7 days" in plain(shown.text)
        assert "« Groups" in buttons(shown)
        await bot.feed(f.callback(ADMIN, buttons(shown)["« Groups"], 31, chat_id=100))
        assert "Which group?" in plain(bot.sent(EditMessageText)[-1].text)

        # Rights checked at the press: Bob cannot read a group's numbers with a forged button.
        await bot.feed(f.callback(BOB, choices["Test Group"], 32, chat_id=200))
        assert bot.sent(AnswerCallbackQuery)[-1].show_alert


async def test_partial_numbers_are_said_to_be_partial(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        bot.app.deps["worker"] = SketchWorker()
        bot.session.me = BOT_USER.model_copy(update={"can_read_all_group_messages": False})
        bot.session.bot_not_admin.add(f.GROUP_ID)
        await _history(bot)
        await bot.feed(f.message(ADMIN, "/stats", date=NOW))
        assert "Partial numbers: privacy mode is on" in plain(bot.last_text())
        bot.session.bot_not_admin.discard(f.GROUP_ID)  # made an administrator
        bot.app.deps["admins"].forget(f.GROUP_ID, BOT_USER.id)
        await bot.feed(f.message(ADMIN, "/stats", date=NOW))
        text = plain(bot.last_text())
        assert "Partial" not in text and "Reactions are counted only" not in text


async def test_a_group_counted_since_today_has_not_enough_data(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/stats", date=NOW))
        text = plain(bot.last_text())
        assert "not enough data yet" in text and "Members" not in text
        assert list(buttons(last_sent(bot))) == ["7 days", "✓ 30 days", "90 days"]


async def test_export_daily(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await _history(bot)
        await bot.feed(f.message(ADMIN, "/export daily", date=NOW))
        doc = bot.documents()[-1]
        data = doc.document.data.decode()
        assert data.splitlines()[0] == (
            "date,members,joined,left,dau,wau,mau,stickiness,checkins,checkin_rate,messages,"
            "points_issued,points_spent,redemptions,feedback"
        )
        rows = list(csv.DictReader(io.StringIO(data)))
        assert len(rows) == 11 and "Daily numbers: 11 days" in doc.caption
        first, second = rows[0], rows[1]
        assert (first["members"], first["dau"], first["checkins"], first["messages"]) == (
            "2",
            "2",
            "1",
            "2",
        )
        assert first["stickiness"] == "1.0000" and first["checkin_rate"] == "0.5000"
        assert (second["dau"], second["mau"], second["stickiness"]) == ("1", "2", "0.5000")
        await bot.feed(f.message(ADMIN, "/export daily 7d", date=NOW))
        assert (
            len(list(csv.DictReader(io.StringIO(bot.documents()[-1].document.data.decode())))) == 7
        )
        await bot.feed(f.message(ADMIN, "/export daily 500d", date=NOW))
        assert "at most 366 days" in plain(bot.last_text())
        await bot.feed(f.message(ADMIN, "/export members", date=NOW))
        members = list(csv.DictReader(io.StringIO(bot.documents()[-1].document.data.decode())))
        assert {r["user_id"]: r["active_days_30"] for r in members} == {"100": "2", "200": "10"}
