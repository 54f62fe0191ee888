"""A detractor's "why?" through the real protocol: an NPS survey with the follow-up on, a low
score asks the member in private (once, though they change their vote), their private answer
becomes feedback linked to the survey, and the admin's inbox shows the link."""

from __future__ import annotations

import asyncio

import pytest

from devtools.emulator import BotAPIEmulator
from tests.e2e.conftest import ALICE, BOB, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

WAIT = 30  # a loaded machine


async def test_a_detractor_is_asked_why_in_private(
    emu: BotAPIEmulator, bot_process: BotProcess
) -> None:
    emu.add_bot_to_group(GROUP, ALICE)
    emu.start_private(BOB)
    emu.start_private(ALICE)
    mark = emu.mark()
    emu.send_private(BOB, "/start")  # Bob has opened a chat with the bot
    emu.send_private(ALICE, "/start")
    await emu.wait_for_message(chat_id=BOB, after=mark, timeout=WAIT)
    emu.send_message(GROUP, ALICE, "/settings survey_followup on")
    await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=WAIT)

    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/survey nps Would you recommend us?")
    await emu.wait_for_message(chat_id=GROUP, contains="Survey #1", after=mark, timeout=WAIT)

    mark = emu.mark()
    emu.press_button_by_label(GROUP, BOB, "3")
    ask = await emu.wait_for_message(
        chat_id=BOB, contains="What could we do better?", after=mark, timeout=WAIT
    )
    assert "survey #1" in ask.plain_text
    # Bob changes his vote: no second question.
    emu.press_button_by_label(GROUP, BOB, "9")
    emu.press_button_by_label(GROUP, BOB, "2")
    await asyncio.sleep(1.5)
    asks = [m for m in emu.sent if m.chat_id == BOB and "do better" in m.plain_text]
    assert len(asks) == 1

    mark = emu.mark()
    emu.send_private(BOB, "Answers take days on weekends.")
    thanks = await emu.wait_for_message(
        chat_id=BOB, contains="telling us why", after=mark, timeout=WAIT
    )
    assert "#1" in thanks.plain_text

    mark = emu.mark()
    emu.send_private(ALICE, "/inbox")
    inbox = await emu.wait_for_message(chat_id=ALICE, contains="#1", after=mark, timeout=WAIT)
    assert "survey #1" in inbox.plain_text and "weekends" in inbox.plain_text
    emu.press_button_by_label(ALICE, ALICE, "#1")
    await emu.wait_for(lambda: "Answer to survey #1" in inbox.plain_text, timeout=WAIT)
    # Every press is answered (the last one's answer may follow its edit).
    await emu.wait_for(
        lambda: len([c for c in emu.calls if c.method == "answerCallbackQuery"]) == 4,
        timeout=WAIT,
    )
