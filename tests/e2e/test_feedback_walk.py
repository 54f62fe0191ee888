"""The feedback loop through the real protocol: a member's /feedback reaches an admin's /inbox,
the admin's reply reaches the member by DM (or in the group when Telegram refuses the DM), the
member's answer reaches the admin, and the member hears when it is resolved."""

from __future__ import annotations

import asyncio

import pytest

from devtools.emulator import BotAPIEmulator
from tests.e2e.conftest import ALICE, BOB, CAROL, GROUP, XIAOMING
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

WAIT = 30  # a loaded machine


async def test_feedback_thread_member_to_manager_and_back(
    emu: BotAPIEmulator, bot_process: BotProcess
) -> None:
    emu.add_bot_to_group(GROUP, ALICE)
    emu.start_private(BOB)  # Bob has opened a chat with the bot; 小明 never has

    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/feedback the app crashes on the shop page")
    saved = await emu.wait_for_message(
        chat_id=GROUP, contains="saved as #1", after=mark, timeout=WAIT
    )
    assert "Bug" in saved.plain_text

    # A member's /inbox is refused; the admin's lists the item.
    mark = emu.mark()
    emu.send_private(CAROL, "/inbox")
    refusal = await emu.wait_for_message(chat_id=CAROL, after=mark, timeout=WAIT)
    assert "Only administrators" in refusal.plain_text
    mark = emu.mark()
    emu.send_private(ALICE, "/inbox")
    inbox = await emu.wait_for_message(chat_id=ALICE, contains="#1", after=mark, timeout=WAIT)
    assert "Bob" in inbox.plain_text and "crashes" in inbox.plain_text

    emu.press_button_by_label(ALICE, ALICE, "#1")
    await emu.wait_for(lambda: "From Bob" in inbox.plain_text, timeout=WAIT)
    mark = emu.mark()
    emu.press_button_by_label(ALICE, ALICE, "✉️ Reply")
    await emu.wait_for_message(chat_id=ALICE, contains="Send your reply", after=mark, timeout=WAIT)
    mark = emu.mark()
    emu.send_private(ALICE, "Thanks Bob, a fix ships tomorrow.")
    dm = await emu.wait_for_message(chat_id=BOB, after=mark, timeout=WAIT)
    assert "answered your feedback #1" in dm.plain_text
    assert "a fix ships tomorrow" in dm.plain_text
    await emu.wait_for_message(chat_id=ALICE, contains="sent to Bob", after=mark, timeout=WAIT)

    # Bob answers in private: Alice hears of it.
    mark = emu.mark()
    emu.send_private(BOB, "Great, thank you!")
    await emu.wait_for_message(
        chat_id=BOB, contains="Added to your feedback #1", after=mark, timeout=WAIT
    )
    note = await emu.wait_for_message(
        chat_id=ALICE, contains="Bob answered", after=mark, timeout=WAIT
    )
    assert "Great, thank you!" in note.plain_text

    # Resolved from the item's buttons: Bob is told.
    mark = emu.mark()
    emu.press_button_by_label(ALICE, ALICE, "Resolved")
    told = await emu.wait_for_message(chat_id=BOB, contains="resolved", after=mark, timeout=WAIT)
    assert "#1" in told.plain_text

    # 小明 never started the bot: the reply goes to the group, as a reply to his feedback.
    mark = emu.mark()
    xiaoming = emu.send_message(GROUP, XIAOMING, "/feedback 客服回复太慢了")
    await emu.wait_for_message(chat_id=GROUP, contains="#2", after=mark, timeout=WAIT)
    mark = emu.mark()
    emu.send_private(ALICE, "/inbox")
    second = await emu.wait_for_message(chat_id=ALICE, contains="#2", after=mark, timeout=WAIT)
    emu.press_button_by_label(ALICE, ALICE, "#2")
    await emu.wait_for(lambda: "From 小明" in second.plain_text, timeout=WAIT)
    mark = emu.mark()
    emu.press_button_by_label(ALICE, ALICE, "✉️ Reply")
    await emu.wait_for_message(chat_id=ALICE, contains="Send your reply", after=mark, timeout=WAIT)
    mark = emu.mark()
    emu.send_private(ALICE, "Sorry, we are adding staff.")
    posted = await emu.wait_for_message(
        chat_id=GROUP, contains="adding staff", after=mark, timeout=WAIT
    )
    assert posted.reply_to_message_id == xiaoming["message"]["message_id"]
    # Every press was answered.
    presses = [c for c in emu.calls if c.method == "answerCallbackQuery"]
    assert len(presses) == 5


STAFF = -1001500000099


async def test_feedback_through_a_staff_forum_topic(
    emu: BotAPIEmulator, bot_process: BotProcess
) -> None:
    emu.add_group(STAFF, "E2E Staff", is_forum=True)
    emu.set_member_status(STAFF, ALICE, "creator")
    emu.add_bot_to_group(GROUP, ALICE)
    emu.add_bot_to_group(STAFF, ALICE)
    emu.start_private(BOB)
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "hello everyone")  # the bot now knows Alice is in GROUP
    emu.send_message(GROUP, CAROL, "/feedback staff")  # not in a forum: refused
    await emu.wait_for_message(
        chat_id=GROUP, contains="forum supergroup", after=mark, timeout=WAIT
    )

    mark = emu.mark()
    emu.send_message(STAFF, ALICE, "/feedback staff")
    await emu.wait_for_message(
        chat_id=STAFF, contains="staff chat of E2E Community", after=mark, timeout=WAIT
    )

    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/feedback please add a dark mode")
    head = await emu.wait_for_message(chat_id=STAFF, contains="#1", after=mark, timeout=WAIT)
    assert head.thread_id is not None and "please add a dark mode" in head.plain_text
    assert emu.topics[(STAFF, head.thread_id)] == "#1 · Bob · 💡 Feature"

    # Alice answers in the topic: Bob gets it by DM; Bob's answer comes back to the topic.
    mark = emu.mark()
    emu.send_message(STAFF, ALICE, "Planned for next month!", thread_id=head.thread_id)
    dm = await emu.wait_for_message(chat_id=BOB, after=mark, timeout=WAIT)
    assert "Planned for next month!" in dm.plain_text
    mark = emu.mark()
    emu.send_private(BOB, "Thank you!")
    back = await emu.wait_for_message(
        chat_id=STAFF, contains="Thank you!", after=mark, timeout=WAIT
    )
    assert back.thread_id == head.thread_id and "Bob" in back.plain_text


async def test_poll_votes_stored_changed_and_retracted(
    emu: BotAPIEmulator, bot_process: BotProcess
) -> None:
    emu.add_bot_to_group(GROUP, ALICE)
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/poll Where? | Café | Park")
    refusal = await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=WAIT)
    assert "administrators" in refusal.plain_text
    emu.send_message(GROUP, ALICE, "/poll Where shall we meet? | Café")
    await emu.wait_for_message(chat_id=GROUP, contains="Usage: /poll", after=mark, timeout=WAIT)
    emu.send_message(GROUP, ALICE, "/poll Where shall we meet? | Café | Park")
    poll = await emu.wait_for(lambda: next(iter(emu.polls.values()), None), timeout=WAIT)
    assert poll["anonymous"] is False and poll["options"] == ["Café", "Park"]
    await asyncio.sleep(1.0)  # the bot records the poll's id once sendPoll answered

    emu.vote(poll["id"], BOB, [0])
    emu.vote(poll["id"], CAROL, [1])
    changed = emu.vote(poll["id"], BOB, [1])  # Bob changes his mind
    assert changed is not None
    emu.redeliver(changed)  # the same update again: stored once
    emu.vote(poll["id"], CAROL, [])  # Carol retracts
    await asyncio.sleep(1.0)
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/poll results 1")
    results = await emu.wait_for_message(
        chat_id=GROUP, contains="Poll #1", after=mark, timeout=WAIT
    )
    assert "1 vote" in results.plain_text
    assert "• Café — 0" in results.plain_text and "• Park — 1" in results.plain_text

    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/poll close 1")
    closed = await emu.wait_for_message(chat_id=GROUP, contains="closed", after=mark, timeout=WAIT)
    assert "• Park — 1" in closed.plain_text
    await emu.wait_for(lambda: poll["closed"], timeout=WAIT)
    assert emu.vote(poll["id"], CAROL, [0]) is None  # Telegram sends nothing for a closed poll
