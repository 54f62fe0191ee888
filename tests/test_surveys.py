"""Surveys through the real Dispatcher on both databases: answers, changes, results, refusals."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from handlers.feedback import surveys as survey_handlers
from handlers.feedback.surveys import SurveyButton
from storage.tables import Survey, SurveyAnswer
from tests import factories as f
from tests.app_harness import Harness, running_bot

NOW = datetime.now(UTC)
ADMIN = f.user(100, "Ada", username="ada")
MEMBERS = [f.user(200 + i, f"M{i}") for i in range(10)]
POST = 4242  # the survey post's message id in the presses


@pytest.fixture(autouse=True)
def quick_edits(monkeypatch: pytest.MonkeyPatch) -> survey_handlers.CounterEdits:
    edits = survey_handlers.CounterEdits(interval=0.3)
    monkeypatch.setattr(survey_handlers, "_edits", edits)
    return edits


async def answers(bot: Harness) -> dict[int, int]:
    async with bot.app.session_factory() as s:
        rows = (await s.exec(select(SurveyAnswer.user_id, SurveyAnswer.score))).all()
    return {r.user_id: r.score for r in rows}


async def the_survey(bot: Harness) -> int:
    async with bot.app.session_factory() as s:
        return (await s.exec(select(Survey.id).order_by(Survey.id.desc()))).scalars().first()


def press(user: dict, survey_id: int, score: int) -> object:
    return f.callback(user, SurveyButton(s=survey_id, v=score).pack(), POST)


async def test_nps_answers_changes_and_a_hand_counted_score(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(MEMBERS[0], "/survey nps Would you recommend us?", date=NOW))
        assert "administrators" in bot.last_text()  # members cannot post one
        await bot.feed(f.message(ADMIN, "/survey nps Would you recommend us?", date=NOW))
        post = bot.sent(SendMessage)[-1]
        assert "Survey #1" in post.text and "Responses: 0" in post.text
        labels = [b.text for row in post.reply_markup.inline_keyboard for b in row]
        assert labels == [str(v) for v in range(11)]
        survey_id = await the_survey(bot)
        sends_before = len(bot.sent(SendMessage))

        # Hand count: promoters 10,10,9,9,10 (5); passives 8,7 (2); detractors 6,3,0 (3).
        # NPS = (5 - 3) / 10 = 20. Member 0 first says 2, then changes to 10.
        await bot.feed(press(MEMBERS[0], survey_id, 2))
        scores = [10, 10, 9, 9, 8, 7, 6, 3, 0, 10]
        for member, score in zip(MEMBERS, scores, strict=True):
            await bot.feed(press(member, survey_id, score))
        redelivered = press(MEMBERS[1], survey_id, 0)
        await bot.feed(redelivered)
        await bot.feed(redelivered)  # the same update again: stored once
        await bot.feed(press(MEMBERS[1], survey_id, 10))  # and back to 10
        assert await answers(bot) == {m["id"]: s for m, s in zip(MEMBERS, scores, strict=True)}
        # Every press answered; the post edited, no message sent for answers.
        assert len(bot.sent(AnswerCallbackQuery)) == 13
        assert len(bot.sent(SendMessage)) == sends_before
        await asyncio.sleep(0.5)
        await bot.app.outbox.drain(5)
        edits = bot.sent(EditMessageText)
        assert 1 <= len(edits) < 13  # throttled
        assert "Responses: 10" in edits[-1].text and edits[-1].message_id == POST

        await bot.feed(f.message(ADMIN, "/survey results 1", date=NOW))
        text = bot.last_text()
        assert "10 responses" in text and "NPS: <b>20</b>" in text
        assert "promoters 5, passives 2, detractors 3" in text
        assert "10: 3 ▇▇▇▇▇▇▇▇▇▇" in text and " 1: 0" in text

        # Forged buttons: a score off the scale, a survey that does not exist.
        await bot.feed(press(MEMBERS[2], survey_id, 11))
        assert bot.sent(AnswerCallbackQuery)[-1].show_alert
        await bot.feed(press(MEMBERS[2], survey_id + 100, 5))
        assert "does not exist" in bot.sent(AnswerCallbackQuery)[-1].text
        assert (await answers(bot))[MEMBERS[2]["id"]] == 9

        # Closed: presses are refused, results still shown.
        await bot.feed(f.message(ADMIN, "/survey close 1", date=NOW))
        assert "closed" in bot.last_text()
        await bot.feed(press(MEMBERS[2], survey_id, 0))
        assert bot.sent(AnswerCallbackQuery)[-1].text == "This survey is closed."
        assert (await answers(bot))[MEMBERS[2]["id"]] == 9


async def test_csat_average_and_bad_input(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/survey csat", date=NOW))
        assert "Please add a question" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/survey results 7", date=NOW))
        assert "does not exist" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/survey csat How was the event?", date=NOW))
        post = bot.sent(SendMessage)[-1]
        assert [b.text for row in post.reply_markup.inline_keyboard for b in row] == [
            "1",
            "2",
            "3",
            "4",
            "5",
        ]
        survey_id = await the_survey(bot)
        await bot.feed(press(MEMBERS[0], survey_id, 0))  # not on a 1-5 scale
        assert bot.sent(AnswerCallbackQuery)[-1].show_alert
        for member, score in zip(MEMBERS, (5, 4, 2), strict=False):
            await bot.feed(press(member, survey_id, score))
        await bot.feed(f.message(ADMIN, "/survey results #1", date=NOW))
        assert "Average: <b>3.67</b> of 5 (67% satisfied" in bot.last_text()


async def test_export_survey_csv(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/survey nps Recommend us?", date=NOW))
        survey_id = await the_survey(bot)
        await bot.feed(press(MEMBERS[1], survey_id, 9), press(MEMBERS[0], survey_id, 4))
        await bot.feed(f.message(ADMIN, "/export survey 2", date=NOW))
        assert "does not exist" in bot.last_text() and not bot.documents()
        await bot.feed(f.message(ADMIN, "/export survey 1", date=NOW))
        doc = bot.documents()[-1]
        assert doc.caption == "📄 Survey answers: 2 rows (UTF-8 CSV, times in UTC)."
        lines = doc.document.data.decode("utf-8").splitlines()
        assert lines[0] == "user_id,score,answered_at"
        assert [line.split(",")[:2] for line in lines[1:]] == [["200", "4"], ["201", "9"]]
        assert lines[1].endswith("Z")
