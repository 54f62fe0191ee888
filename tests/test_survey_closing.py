"""Surveys with a closing time: parsed after a last "|" in the group's timezone, closed by the
leader's scheduler at that time (once), the post edited to the final result without buttons,
answers after it refused; bad times refused with nothing posted."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from core.feedback import closing, surveys
from handlers.feedback import surveys as survey_handlers
from handlers.feedback.surveys import SurveyButton, close_due_surveys
from storage.tables import Survey, SurveyAnswer
from tests import factories as f
from tests.app_harness import Harness, running_bot

ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
SHANGHAI = "Asia/Shanghai"
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 16:00 in Shanghai


@pytest.fixture(autouse=True)
def quick_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(survey_handlers, "_edits", survey_handlers.CounterEdits(interval=0.1))


def test_split_takes_only_what_follows_a_last_bar() -> None:
    assert closing.split("Did you stay up for 24h?") == ("Did you stay up for 24h?", None)
    assert closing.split("A | B? | for 2h") == ("A | B? ", "for 2h")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("for 24h", T0 + timedelta(hours=24)),
        ("for 30m", T0 + timedelta(minutes=30)),
        ("持续 2d", T0 + timedelta(days=2)),
        ("until 18:00", datetime(2026, 12, 1, 10, 0, tzinfo=UTC)),  # today, 18:00 local
        ("until 09:00", datetime(2026, 12, 2, 1, 0, tzinfo=UTC)),  # passed today: tomorrow
        ("截止 2026-12-05 18:00", datetime(2026, 12, 5, 10, 0, tzinfo=UTC)),
        # As people say it (docs/times.md).
        ("until tomorrow 9:00", datetime(2026, 12, 2, 1, 0, tzinfo=UTC)),
        ("截止 明天 18点", datetime(2026, 12, 2, 10, 0, tzinfo=UTC)),
        ("in 2 hours", T0 + timedelta(hours=2)),
        ("2小时后", T0 + timedelta(hours=2)),
        ("下午5点", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
    ],
)
def test_closing_forms_in_the_groups_timezone(text: str, expected: datetime) -> None:
    assert closing.parse(text, T0, SHANGHAI) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("until 2026-11-30 18:00", closing.ClosingInPast),
        ("until 2026-12-01 15:59", closing.ClosingInPast),
        ("until soon", closing.BadClosing),
        ("until 25:00", closing.BadClosing),
        ("until 2026-13-01 10:00", closing.BadClosing),
        ("until daily 18:00", closing.BadClosing),
        ("每天 18:00", closing.BadClosing),  # a survey closes once
        ("today 9am", closing.ClosingInPast),
        ("for ever", closing.BadClosing),
        ("for 0m", closing.BadClosing),
        ("next week", closing.BadClosing),
        ("", closing.BadClosing),
        ("for 200d", closing.ClosingTooFar),
    ],
)
def test_bad_closing_times_are_refused(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        closing.parse(text, T0, SHANGHAI)


async def survey_rows(bot: Harness) -> list[Survey]:
    async with bot.app.session_factory() as s:
        return list((await s.exec(select(Survey).order_by(Survey.id))).scalars())


async def test_bad_closing_time_posts_nothing(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        now = datetime.now(UTC)
        await bot.feed(f.message(ADMIN, "/survey nps Happy? | until 2020-01-01 10:00", date=now))
        assert bot.last_text() == "That closing time has passed already. Nothing was posted."
        await bot.feed(f.message(ADMIN, "/survey csat Happy? | until soon", date=now))
        assert bot.last_text().startswith("I don't understand the closing time “until soon”")
        await bot.feed(f.message(ADMIN, "/survey nps Happy? |", date=now))
        assert "closing time" in bot.last_text()
        assert await survey_rows(bot) == []


async def test_a_survey_closes_at_its_time_once_and_refuses_later_answers(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        now = datetime.now(UTC).replace(microsecond=0)
        await bot.feed(f.message(ADMIN, "/survey nps Would you recommend us? | for 1h", date=now))
        post = bot.sent(SendMessage)[-1]
        tz = (await bot.app.deps["groups"].settings_for(f.GROUP_ID)).timezone
        local = (now + timedelta(hours=1)).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
        assert f"Closes {local} ({tz})" in post.text
        await asyncio.sleep(0.3)  # the post's message id is recorded once sent
        [survey] = await survey_rows(bot)
        assert survey.closes_at == now + timedelta(hours=1) and survey.message_id is not None
        await bot.feed(f.callback(BOB, SurveyButton(s=survey.id, v=8).pack(), survey.message_id))

        def sweep(at: datetime) -> object:
            app = bot.app
            deps = app.deps
            return close_due_surveys(
                app.session_factory, deps["groups"], deps["locales"], app.outbox, lambda: at
            )

        assert await sweep(now + timedelta(minutes=59)) == 0  # not yet
        assert await sweep(now + timedelta(hours=1)) == 1
        assert await sweep(now + timedelta(hours=2)) == 0  # closed once
        await bot.app.outbox.drain(5)
        edit = bot.sent(EditMessageText)[-1]
        assert edit.message_id == survey.message_id and edit.reply_markup is None
        assert "Closed" in edit.text and "1 response" in edit.text and "NPS" in edit.text
        # The same occurrence run again (a second leader): nothing.
        assert (
            await surveys.close_on_time(bot.app.session_factory, survey.id, survey.closes_at)
            is None
        )
        [closed] = await survey_rows(bot)
        assert closed.closed_at == closed.closes_at

        # An answer after closing is refused with an alert and changes nothing.
        await bot.feed(f.callback(BOB, SurveyButton(s=survey.id, v=2).pack(), survey.message_id))
        alert = bot.sent(AnswerCallbackQuery)[-1]
        assert alert.show_alert and alert.text == "This survey is closed."
        async with bot.app.session_factory() as s:
            scores = (await s.exec(select(SurveyAnswer.score))).scalars().all()
        assert scores == [8]


async def test_answers_are_refused_once_the_time_is_up_before_the_sweep(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        now = datetime.now(UTC).replace(microsecond=0)
        await bot.feed(f.message(ADMIN, "/survey csat Event? | for 1m", date=now))
        [survey] = await survey_rows(bot)
        async with bot.app.session_factory() as s:  # its minute is over
            await s.exec(
                sa.update(Survey).values(closes_at=datetime.now(UTC) - timedelta(seconds=1))
            )
            await s.commit()
        await bot.feed(f.callback(BOB, SurveyButton(s=survey.id, v=5).pack(), 1))
        assert bot.sent(AnswerCallbackQuery)[-1].text == "This survey is closed."


async def test_the_leaders_scheduler_closes_it(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        now = datetime.now(UTC).replace(microsecond=0)
        await bot.feed(f.message(ADMIN, "/survey nps Quick one? | for 1m", date=now))
        async with bot.app.session_factory() as s:
            await s.exec(sa.update(Survey).values(closes_at=datetime.now(UTC)))
            await s.commit()
        bot.app.posts.start()  # becomes the leader; its rounds sweep
        for _ in range(100):  # 10 s at most
            if any("Closed" in e.text for e in bot.sent(EditMessageText)):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the survey was not closed")
        assert bot.app.posts.is_leader
        [closed] = await survey_rows(bot)
        assert closed.closed_at is not None


async def test_closing_by_hand_edits_the_post_once(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        now = datetime.now(UTC)
        await bot.feed(f.message(ADMIN, "/survey csat How was the event?", date=now))
        await asyncio.sleep(0.3)  # the post's message id is recorded once sent
        [survey] = await survey_rows(bot)
        await bot.feed(f.message(ADMIN, "/survey close 1", date=now))
        await bot.feed(f.message(ADMIN, "/survey close 1", date=now))  # closed already
        await bot.app.outbox.drain(5)
        edits = [e for e in bot.sent(EditMessageText) if e.message_id == survey.message_id]
        assert len(edits) == 1 and edits[0].reply_markup is None and "Closed" in edits[0].text
        assert "Average" in edits[0].text
