"""What other use cases record, through the real handlers: button presses (a redelivered one
once), a redemption and its refund, points granted, feedback, survey and poll answers."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.methods import EditMessageText, SendMessage
from sqlmodel import select

from core.calendar import local_day
from handlers.feedback.surveys import SurveyButton
from storage.tables import GroupDay, MemberDay, Survey
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.test_poll_points import posted_poll, vote

NOW = datetime.now(UTC)  # presses carry no date: they happen now
TODAY = local_day(NOW, "Asia/Shanghai")
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "Eve", username="eve")


def buttons(bot: Harness) -> dict[str, str]:
    for call in reversed(bot.session.calls):
        if isinstance(call, (SendMessage, EditMessageText)) and call.reply_markup is not None:
            return {
                b.text: b.callback_data for row in call.reply_markup.inline_keyboard for b in row
            }
    raise AssertionError("no buttons")


async def test_use_cases_record_what_members_did(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(BOB, "hello everyone", date=NOW))
        await bot.feed(f.message(EVE, "hi all of you", date=NOW))
        await bot.feed(f.message(ADMIN, "/grant @bob 99", date=NOW))
        await bot.feed(f.message(ADMIN, "/start", chat_id=100, date=NOW))
        await bot.feed(f.message(ADMIN, "/reward_add 40 3 Hoodie mode=manual", date=NOW))
        await bot.feed(f.message(BOB, "/redeem 1", date=NOW))
        await bot.feed(f.callback(BOB, buttons(bot)["✅ Confirm"], 8))
        await bot.feed(f.message(ADMIN, "/redemptions", chat_id=100, date=NOW))
        reject = next(v for k, v in buttons(bot).items() if k.startswith("❌"))
        await bot.feed(f.callback(ADMIN, reject, 9, chat_id=100))  # refunded
        await bot.feed(f.message(ADMIN, "/survey nps Would you recommend us?", date=NOW))
        async with bot.app.session_factory() as s:
            survey_id = (await s.exec(select(Survey.id))).first()
        await bot.feed(f.callback(EVE, SurveyButton(s=survey_id, v=9).pack(), 4242))
        stale = f.callback(EVE, "no-such-button", 5)  # a button no feature knows: still pressed
        await bot.feed(stale)
        await bot.feed(stale)  # delivered again
        await bot.feed(f.message(ADMIN, "/poll Where? | Café | Park", date=NOW))
        await posted_poll(bot, "tg-1")
        await bot.feed(vote(BOB, "tg-1", [1]))
        await bot.feed(f.message(EVE, "/feedback the shop page crashes every time", date=NOW))

        async with bot.app.session_factory() as s:
            rows = {
                r.user_id: r
                for r in (await s.exec(select(MemberDay).where(MemberDay.day == TODAY))).all()
            }
            group = await s.get(GroupDay, (f.GROUP_ID, TODAY))
        counted = (
            "presses",
            "redemptions",
            "answers",
            "feedback",
            "points_earned",
            "points_spent",
        )

        def row(user_id: int) -> tuple[int, ...]:
            return tuple(getattr(rows[user_id], name) for name in counted)

        # Bob: the confirm button, the redemption (40 spent, refunded: net 0), the poll vote;
        # 99 granted + 1 for his message. Eve: the survey button and the stale one (once),
        # her answer, her feedback; 1 for her message.
        assert row(200) == (1, 1, 1, 0, 100, 0)
        assert row(300) == (2, 0, 1, 1, 1, 0)
        assert rows[200].active == rows[300].active == 1
        assert (group.presses, group.redemptions, group.answers, group.feedback) == (3, 1, 2, 1)
        assert (group.points_issued, group.points_spent) == (101, 0)
        assert group.members_delta == 3 and group.active == 3  # Ada is active by her commands
