"""/retention, /funnel, /compare and /stats' album through the real Dispatcher, on SQLite and
PostgreSQL, against values worked out by hand; the pictures decoded (real PNGs).

The group is in Asia/Shanghai (UTC+8). Local days of March 2026 (the reports are asked on
03-20, a Friday):

    03-02 Mon  A and B join (A: chat_member and the service message: one join); A checks in
    03-03 Tue  A and B check in; C joins
    03-04 Wed  A checks in (a 3-day streak); C writes
    03-09 Mon  A checks in; D joins
    03-10 Tue  D checks in at 00:30 local (16:30 UTC on 03-09: the UTC day before)
    03-17 Tue  B writes

By join day (size; D1, D7, D14, D30 — None: not come by 03-20):
    03-02 (2; 2, 1, 0, None)   03-03 (1; 1, 0, 0, None)   03-09 (1; 1, 0, None, None)
    average: D1 4/4 = 100%, D7 1/4 = 25%, D14 0/3 = 0%, D30 none yet
By join week (Monday), asked on Monday 03-30 (weeks that are over: to 03-29):
    03-02 (3: A, B, C; W1 = A = 1, W2 = B = 1, W3 = 0)   03-09 (1: D; W1 = 0, W2 = 0, W3 not over)
    average: W1 1/4 = 25%, W2 1/4 = 25%, W3 0/3 = 0%
A day or a week counts once it is over (today is not): asked on 03-20, D1 of a 03-19 cohort
would be "not yet".
Funnel of 03-01..03-20: joined 4, first check-in 3 (A, B, D), 3-day streak 1 (A), 7-day 0,
redemption 0.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.methods import EditMessageText, SendMediaGroup, SendMessage, SendPhoto
from aiogram.types import Update
from PIL import Image

from bot.replies import plain
from core.analytics.cohorts import average
from core.analytics.compare import (
    CompareBadDays,
    CompareNotOver,
    CompareTooOld,
    CompareUsage,
    parse_compare,
)
from core.analytics.periods import BadDate, PeriodInFuture
from core.analytics.reports import Cohort
from devtools.inprocess import BOT_USER
from handlers.numbers import reports as reports_handlers
from storage.tables import GroupDay
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.inline_worker import InlineWorker, SketchWorker

A, B, C, D = (f.user(n, name) for n, name in ((1, "Ann"), (2, "Bob"), (3, "Cy"), (4, "Dee")))
ADMIN = f.user(100, "Ada")
ADMIN_ZH = f.user(101, "阿达", lang="zh-hans")
OTHER = -1009876543210
LONG = "a message long enough to earn"


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A Shanghai wall-clock time as UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


ASKED = local(20, 12)  # the reports are asked on Friday 03-20 at noon


async def _join(bot: Harness, who: dict, at: datetime) -> None:
    await bot.feed(f.member_update(who, "left", "member", date=at))
    await bot.feed(f.service_message(who, date=at, new_chat_members=[who]))


async def _play(bot: Harness) -> None:
    await _join(bot, A, local(2, 9))
    await _join(bot, B, local(2, 10))
    await bot.feed(f.message(A, "签到", date=local(2, 9, 5)))
    await bot.feed(f.message(A, "签到", date=local(3, 8)))
    await bot.feed(f.message(B, "/checkin", date=local(3, 8, 30)))
    await _join(bot, C, local(3, 20))
    await bot.feed(f.message(A, "打卡", date=local(4, 7)))
    await bot.feed(f.message(C, LONG, date=local(4, 21)))
    await bot.feed(f.message(A, "签到", date=local(9, 8)))
    await _join(bot, D, local(9, 19))
    await bot.feed(f.message(D, "签到", date=local(10, 0, 30)))
    await bot.feed(f.message(B, LONG, date=local(17, 12)))


def _pngs(bot: Harness) -> list[bytes]:
    found: list[bytes] = []
    for call in bot.session.calls:
        if isinstance(call, SendPhoto):
            found.append(call.photo.data)
        elif isinstance(call, SendMediaGroup):
            found += [item.media.data for item in call.media]
    return found


def _real_png(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(data)) as image:
        image.load()  # decodes every pixel: a broken file raises
        assert image.format == "PNG"
        return image.size


async def test_retention_and_funnel_by_hand(db_url: str) -> None:
    admins = {(f.GROUP_ID, 100), (f.GROUP_ID, 101)}
    async with running_bot(db_url, admins=admins) as bot:
        bot.app.deps["worker"] = worker = InlineWorker()
        await _play(bot)

        bot.clear()
        await bot.feed(f.message(ADMIN, "/retention days 2026-03-01..2026-03-20", date=ASKED))
        text = plain(bot.sent(SendMessage)[0].text)
        assert "Retention by join day · Test Group · 2026-03-01 – 2026-03-20" in text
        assert "3 cohorts, 4 members joined." in text
        assert "Average: D1 100% · D7 25% · D14 0% · D30 —" in text
        table = text.split("(· not yet):\n", 1)[1].splitlines()
        assert table[:4] == [
            "          D1   D7  D14  D30",
            "03-02 2 100%  50%   0%    ·",
            "03-03 1 100%   0%   0%    ·",
            "03-09 1 100%   0%    ·    ·",
        ]
        assert "try /retention days 2026-01-18..2026-02-17." in text  # a month with its D30
        assert bot.sent(SendPhoto)[0].caption == (
            "📈 Test Group · 2026-03-01 – 2026-03-20 (20 days)"
        )
        [heat_map] = _pngs(bot)  # one picture: sendPhoto
        assert _real_png(heat_map)[0] == 1080 and worker.calls == ["render_all"]

        # Asked on 03-10: D checked in at 00:30 today, but today is not over — not yet.
        bot.clear()
        await bot.feed(
            f.message(ADMIN, "/retention days 2026-03-09..2026-03-10", date=local(10, 12))
        )
        text = plain(bot.sent(SendMessage)[0].text)
        assert "Average: D1 — · D7 — · D14 — · D30 —" in text
        assert "03-09 1    ·    ·    ·    ·" in text
        assert plain(bot.last_text()) == "📉 Not enough data yet for charts." and not _pngs(bot)

        bot.app.deps["worker"] = sketch = SketchWorker()  # drawn once is enough
        bot.clear()
        await bot.feed(f.message(ADMIN, "/retention", date=local(30, 12)))  # by week, 12 weeks
        text = plain(bot.sent(SendMessage)[0].text)
        assert "weeks from 2026-01-12 to 2026-03-30" in text
        assert "2 cohorts, 4 members joined." in text
        assert "Average: W1 25% · W2 25% · W3 0% · W4 — ·" in text
        table = text.split("(· not yet):\n", 1)[1].splitlines()
        assert table[:3] == [
            "          W1   W2   W4   W8",
            "03-02 3  33%  33%    ·    ·",
            "03-09 1   0%   0%    ·    ·",
        ]
        assert sketch.calls == [("render_all", 1)]

        bot.app.deps["worker"] = worker
        bot.clear()
        await bot.feed(f.message(ADMIN, "/funnel 2026-03-01..2026-03-20", date=ASKED))
        text = plain(bot.sent(SendMessage)[0].text)
        assert "joined 2026-03-01 – 2026-03-20 (20 days)" in text
        assert "👋 Joined: 4" in text
        assert "✅ First check-in: 3 · 75% of those who joined (75% of the step above)" in text
        assert "🔥 3-day streak: 1 · 25% (33%)" in text
        assert "🏅 7-day streak: 0 · 0% (0%)" in text
        assert "🎁 First redemption: 0 · 0% (—)" in text
        [funnel] = _pngs(bot)
        assert _real_png(funnel)[0] == 1080

        bot.app.deps["worker"] = sketch
        await bot.feed(f.message(ADMIN_ZH, "/funnel 2026-03-01..2026-03-20", date=ASKED))
        zh = plain(bot.sent(SendMessage)[-1].text)
        assert "从加入到兑换" in zh and "✅ 首次签到：3 · 占加入人数 75%" in zh

        # The period's album from /stats: seven charts, one sendMediaGroup, each a real PNG.
        bot.app.deps["worker"] = worker
        bot.clear()
        await bot.feed(f.message(ADMIN, "/stats 2026-03-01..2026-03-20", date=ASKED))
        albums = bot.sent(SendMediaGroup)
        assert len(albums) == 1 and len(albums[0].media) == 7
        assert albums[0].media[0].caption.startswith("📈 Test Group · 2026-03-01 – 2026-03-20")
        assert all(_real_png(png)[0] == 1080 for png in _pngs(bot))
        stats = bot.sent(SendMessage)[0]
        charts_button = {
            b.text: b.callback_data for row in stats.reply_markup.inline_keyboard for b in row
        }
        assert "📈 Charts" in charts_button
        bot.app.deps["worker"] = sketch
        bot.clear()
        await bot.feed(f.callback(ADMIN, charts_button["📈 Charts"], 77))
        assert [len(a.media) for a in bot.sent(SendMediaGroup)] == [7]
        await bot.feed(f.callback(B, charts_button["📈 Charts"], 77))  # a member: refused
        assert [len(a.media) for a in bot.sent(SendMediaGroup)] == [7]

        # Nobody joined: said so, no picture; a member asking is refused.
        bot.clear()
        await bot.feed(f.message(ADMIN, "/funnel 2026-03-11..2026-03-20", date=ASKED))
        assert "Not enough data yet: no member I saw joined" in plain(bot.last_text())
        await bot.feed(f.message(ADMIN, "/retention days 2026-03-11..2026-03-20", date=ASKED))
        assert "Not enough data yet: no member I saw joined" in plain(bot.last_text())
        assert _pngs(bot) == []
        await bot.feed(f.message(B, "/retention", date=ASKED))
        assert plain(bot.last_text()) == "Only group administrators can do that."

        # Bad input: a clear answer, nothing else.
        for words, expected in (
            ("/retention monthly", "Unknown “monthly”. Try /retention weeks"),
            ("/retention days 400d", "at most 366 days"),
            ("/funnel 2026-03-01..2026-04-01", "ends in the future"),
            ("/funnel yesterday", "Unknown period “yesterday”"),
        ):
            await bot.feed(f.message(ADMIN, words, date=ASKED))
            assert expected in plain(bot.last_text()), words


def _day(n: int) -> date:
    return date(2026, 1, 5) + timedelta(days=n)  # day 0: Monday 2026-01-05


# docs/statistics.md's worked example: messages a day for four weeks, then the week after.
MESSAGES = [52, 48, 55, 50, 47, 30, 28, 54, 50, 51, 49, 52, 33, 29, 50, 53, 49, 55, 48, 31, 26]
MESSAGES += [55, 49, 52, 50, 51, 29, 30, 63, 60, 66, 58, 61, 40, 37]


async def _crafted_days(bot: Harness) -> None:
    """35 days from 2026-01-05: the messages above, 10 active members a day, and 20 actions
    at 20:00 plus 2 at 09:00 every day (the hours' matrix)."""
    await bot.feed(f.message(ADMIN, "/help", date=local(15, 12, month=2)))  # the group exists
    async with bot.app.session_factory() as session:
        for n, messages in enumerate(MESSAGES):
            session.add(
                GroupDay(
                    group_id=f.GROUP_ID,
                    day=_day(n),
                    members_delta=20 if n == 0 else 0,
                    active=10,
                    messages=messages,
                    checkins=5,
                    h20=20,
                    h09=2,
                )
            )
        await session.commit()


async def test_compare_and_best_hours_on_crafted_days(db_url: str) -> None:
    asked = local(15, 12, month=2)  # 2026-02-15: the after window (02-02 .. 02-08) is over
    async with running_bot(db_url, admins={(f.GROUP_ID, 100), (OTHER, 100)}) as bot:
        bot.app.deps["worker"] = SketchWorker()
        await _crafted_days(bot)
        await bot.feed(f.message(ADMIN, "/compare 2026-02-02", date=asked))
        text = plain(bot.last_text())
        assert "Before and after 2026-02-02 · Test Group" in text
        assert (
            "(2026-01-26 – 2026-02-01) against the 7 days from it (2026-02-02 – 2026-02-08)"
            in text
        )
        assert (
            "💬 Messages: 45.1 → 55.0 (+9.9, +22%) · usual +0.3 ± 1.7 — 📈 a clear increase"
            in text
        )
        assert "🔥 Active members: 10.0 → 10.0 (±0) · usual ±0 ± 0 — no clear change" in text
        assert "Reactions are counted only" not in text  # the bot is an administrator
        bot.session.bot_not_admin.add(f.GROUP_ID)  # no longer: reactions are not seen
        bot.app.deps["admins"].forget(f.GROUP_ID, BOT_USER.id)
        await bot.feed(f.message(ADMIN, "/compare 2026-02-02", date=asked))
        assert "ℹ️ Reactions are counted only where I am an administrator." in bot.last_text()
        bot.session.bot_not_admin.discard(f.GROUP_ID)
        bot.app.deps["admins"].forget(f.GROUP_ID, BOT_USER.id)
        # 14 days: fewer than 14 pairs of windows in the 35 days — not enough history.
        await bot.feed(f.message(ADMIN, "/compare 2026-01-26 14", date=asked))
        # (318 + 312) / 14 = 45.0 before, (316 + 385) / 14 = 50.07 after
        assert "💬 Messages: 45.0 → 50.1 (+5.1, +11%)" in plain(bot.last_text())
        assert "not enough history to judge" in plain(bot.last_text())
        # Before the bot came.
        await bot.feed(f.message(ADMIN, "/compare 2026-01-06 7", date=asked))
        assert "I have counted this group since 2026-01-05" in plain(bot.last_text())

        # Best hours from the same days (28 complete days before 02-15: 01-18 .. 02-14, of
        # which 01-18 .. 02-08 have rows: 22 days x 22 actions).
        bot.clear()
        await bot.feed(f.message(ADMIN, "/stats 2026-01-05..2026-02-08", date=asked))
        stats = plain(bot.sent(SendMessage)[0].text)
        assert (
            "🕒 Members are most active 20:00–21:00, 09:00–10:00; the busiest hour of the week:"
            " Sun 20:00 (Asia/Shanghai; 484 messages and actions in 28 days)"  # 4 Sundays of 22
        ) in stats
        await bot.feed(f.message(ADMIN, "/schedule", date=asked))
        markup = bot.sent(SendMessage)[-1].reply_markup
        stars = [b.text for row in markup.inline_keyboard for b in row if b.text.startswith("⭐")]
        assert stars == ["⭐ 20:00", "⭐ 09:00", "⭐ Daily 20:00", "⭐ Sun 20:00"]

        # In private with two groups: the chooser, then the report in place of the question.
        await bot.feed(f.message(ADMIN, "hello", chat_id=OTHER, date=asked, title="Other"))
        await bot.feed(f.message(ADMIN, "/compare 2026-02-02", chat_id=100, date=asked))
        chooser = bot.sent(SendMessage)[-1]
        assert "Which group?" in plain(chooser.text)
        choices = {
            b.text: b.callback_data for row in chooser.reply_markup.inline_keyboard for b in row
        }
        assert choices["Test Group"] == f"rg:compare:{f.GROUP_ID}:2026-02-02 7"
        await bot.feed(f.callback(ADMIN, choices["Test Group"], 40, chat_id=100))
        assert "📈 a clear increase" in plain(bot.sent(EditMessageText)[-1].text)
        # The same choice on a chooser days old (Telegram no longer lets it be edited): the
        # report comes as a new message.
        stale = f.callback(ADMIN, choices["Test Group"], 41, chat_id=100)
        payload = stale.model_dump(mode="json", by_alias=True, exclude_none=True)
        sent_at = datetime.now(UTC) - timedelta(days=3)
        payload["callback_query"]["message"]["date"] = int(sent_at.timestamp())
        bot.clear()
        await bot.feed(Update.model_validate(payload))
        assert not bot.sent(EditMessageText)
        assert "📈 a clear increase" in plain(bot.sent(SendMessage)[0].text)


@pytest.mark.parametrize(
    ("words", "error"),
    [
        ([], CompareUsage),
        (["2026-02-30"], BadDate),
        (["2026-03-21"], PeriodInFuture),
        (["2026-03-01", "29"], CompareBadDays),
        (["2026-03-01", "0"], CompareBadDays),
        (["2025-03-01"], CompareTooOld),
        (["2026-03-14"], CompareNotOver),  # 03-14 .. 03-20: today is not over
    ],
)
def test_compare_refuses_what_it_cannot_judge(words: list[str], error: type) -> None:
    with pytest.raises(error):
        parse_compare(words, date(2026, 3, 20))


def test_compare_arguments() -> None:
    assert parse_compare(["2026-03-13"], date(2026, 3, 20)) == (date(2026, 3, 13), 7)
    assert parse_compare(["2026/3/1", "14天"], date(2026, 3, 20)) == (date(2026, 3, 1), 14)
    with pytest.raises(CompareNotOver) as found:
        parse_compare(["2026-03-17", "7"], date(2026, 3, 20))
    assert found.value.args_map["fits"] == 3


def test_the_average_leaves_out_cohorts_still_waiting() -> None:
    cohorts = [
        Cohort(date(2026, 3, 2), 10, {1: 5, 7: 2}),
        Cohort(date(2026, 3, 9), 30, {1: 6, 7: None}),
        Cohort(date(2026, 3, 10), 0, {1: 0, 7: None}),
    ]
    found = average(cohorts, (1, 7, 14))
    assert (found[1].active, found[1].size, found[1].rate) == (11, 40, 11 / 40)
    assert (found[7].active, found[7].size) == (2, 10)
    assert found[14] is None


@pytest.mark.parametrize(
    ("report", "words", "kept"),
    [
        ("retention", [], "weeks"),
        ("retention", ["按天"], "days"),
        ("retention", ["Days", "90d"], "days 90d"),
        ("retention", ["周", "2026/1/5", "~", "2026/3/1"], "weeks 2026-01-05..2026-03-01"),
        ("retention", ["45天"], "weeks 2026-02-04..2026-03-20"),
        ("funnel", [], "30d"),
        ("funnel", ["2026-03-01..2026-03-20"], "2026-03-01..2026-03-20"),
        ("compare", ["2026/3/2", "14d"], "2026-03-02 14"),
    ],
)
def test_the_chooser_keeps_the_arguments_as_the_parser_reads_them_back(
    report: str, words: list[str], kept: str
) -> None:
    today = date(2026, 3, 20)
    assert reports_handlers._normalise(report, words, today) == kept
    data = reports_handlers.ReportGroup(r=report, g=-1001234567890123, a=kept).pack()
    assert len(data.encode()) <= 64
