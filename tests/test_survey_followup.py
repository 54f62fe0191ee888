"""NPS detractors asked "why?" in private (group setting, off by default): once per survey and
member whatever they answer later, only if they started the bot; their next private text is a
feedback item linked to the survey, shown with the link in the inbox."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select

from handlers.feedback import surveys as survey_handlers
from handlers.feedback.surveys import SurveyButton
from storage.tables import FeedbackDraft, FeedbackItem, Survey
from tests import factories as f
from tests.app_harness import Harness, running_bot

NOW = datetime.now(UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "Eve", username="eve")
POST = 4242


@pytest.fixture(autouse=True)
def quick_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(survey_handlers, "_edits", survey_handlers.CounterEdits(interval=0.1))


def press(user: dict, survey_id: int, score: int) -> object:
    return f.callback(user, SurveyButton(s=survey_id, v=score).pack(), POST)


def asked(bot: Harness, chat_id: int) -> list[str]:
    return [m.text for m in bot.sent(SendMessage) if m.chat_id == chat_id and "survey #" in m.text]


async def the_survey(bot: Harness) -> int:
    async with bot.app.session_factory() as s:
        return (await s.exec(select(Survey.id).order_by(Survey.id.desc()))).scalars().first()


async def items(bot: Harness) -> list[FeedbackItem]:
    async with bot.app.session_factory() as s:
        return list((await s.exec(select(FeedbackItem).order_by(FeedbackItem.id))).scalars())


async def drafts(bot: Harness) -> list[tuple[int, str, int | None]]:
    async with bot.app.session_factory() as s:
        rows = (await s.exec(select(FeedbackDraft))).scalars().all()
    return [(d.user_id, d.purpose, d.survey_id) for d in rows]


async def setup(bot: Harness, *, followup: bool = True) -> int:
    if followup:
        await bot.feed(f.message(ADMIN, "/settings survey_followup on", date=NOW))
    await bot.feed(f.message(ADMIN, "/survey nps Would you recommend us?", date=NOW))
    return await the_survey(bot)


async def test_a_detractor_is_asked_once_and_the_answer_is_linked(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(BOB, "/start", chat_id=200, date=NOW))
        await bot.feed(f.message(ADMIN, "/start", chat_id=100, date=NOW))
        survey_id = await setup(bot)
        await bot.feed(press(BOB, survey_id, 3))
        assert len(asked(bot, 200)) == 1 and "What could we do better?" in asked(bot, 200)[0]
        # Changing the vote (to a promoter and back to a detractor) asks nothing more.
        await bot.feed(press(BOB, survey_id, 9))
        await bot.feed(press(BOB, survey_id, 2))
        assert len(asked(bot, 200)) == 1
        # A promoter is not asked; neither is a detractor who never started the bot.
        await bot.feed(press(ADMIN, survey_id, 10))
        await bot.feed(press(EVE, survey_id, 0))
        assert asked(bot, 100) == [] and asked(bot, 300) == []
        assert await drafts(bot) == [(200, "survey", survey_id)]

        await bot.feed(f.message(BOB, "support never answers on weekends", chat_id=200, date=NOW))
        assert bot.last_text(200).startswith("🙏 Thank you for telling us why.")
        stored = await items(bot)
        assert [(i.user_id, i.survey_id, i.text) for i in stored] == [
            (200, survey_id, "support never answers on weekends")
        ]
        assert await drafts(bot) == []
        # The next private text is no answer to the survey any more.
        await bot.feed(f.message(BOB, "one more thing", chat_id=200, date=NOW))
        assert len(await items(bot)) == 1 and "Nothing is waiting" in bot.last_text(200)

        await bot.feed(f.message(ADMIN, "/inbox", chat_id=100, date=NOW))
        assert "(📊 survey #1)" in bot.last_text(100)


async def test_no_follow_up_unless_the_group_turns_it_on(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(BOB, "/start", chat_id=200, date=NOW))
        survey_id = await setup(bot, followup=False)
        await bot.feed(press(BOB, survey_id, 1))
        assert asked(bot, 200) == [] and await drafts(bot) == []


async def test_csat_and_a_running_flow_are_not_interrupted(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(BOB, "/start", chat_id=200, date=NOW))
        await bot.feed(f.message(ADMIN, "/settings survey_followup on", date=NOW))
        await bot.feed(f.message(ADMIN, "/survey csat How was the event?", date=NOW))
        await bot.feed(press(BOB, await the_survey(bot), 1))
        assert asked(bot, 200) == []
        # Bob is in the middle of a guided /feedback in private: the NPS "why?" waits.
        await bot.feed(f.message(BOB, "hi", date=NOW))
        await bot.feed(f.message(BOB, "/feedback", chat_id=200, date=NOW))
        survey_id = await setup(bot, followup=False)
        await bot.feed(press(BOB, survey_id, 4))
        assert asked(bot, 200) == [] and [d[1] for d in await drafts(bot)] == ["feedback"]
