"""Reward photos and levels reached, through the real protocol (the bot as a process, the
emulator as Telegram): /reward_add as a photo's caption, the guided flow's photo step, the item
shown with sendPhoto by the photo's file id and its caption edited on Confirm; a level reached
by a check-in and by a grant announced in the group with its title."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from devtools.emulator import BotAPIEmulator
from storage.tables import Member, Redemption, Reward
from tests.e2e.conftest import ALICE, BOB, GROUP
from tests.e2e.harness import BotProcess
from tests.e2e.test_shop_walk import DAY1, query, say, shop_bot, shop_emu  # noqa: F401

pytestmark = pytest.mark.e2e


def sent_photos(emu: BotAPIEmulator, after: int) -> list:  # type: ignore[type-arg]
    return [s for s in emu.sent[after:] if s.method == "sendPhoto"]


async def test_reward_photos_from_caption_and_guided_step(
    shop_emu: BotAPIEmulator,  # noqa: F811
    shop_bot: BotProcess,  # noqa: F811
    db_url: str,
) -> None:
    emu = shop_emu
    emu.add_bot_to_group(GROUP, ALICE)
    await say(emu, GROUP, BOB, "/checkin", "Bob checked in")  # 10 points
    mark = emu.mark()
    emu.send_photo(GROUP, ALICE, caption="/reward_add 5 3 Mug", date=DAY1)
    added = await emu.wait_for_message(chat_id=GROUP, contains="Added #1 Mug", after=mark)
    assert "With the photo you sent" in added.plain_text
    mug = [k for k in emu.files if not k.endswith("-small")][-1]
    assert (await query(db_url, select(Reward.photo_file_id)))[0][0] == mug

    # The item with its photo: sendPhoto by the file id, the confirmation as its caption.
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/redeem 1", date=DAY1)
    shown = await emu.wait_for(lambda: next(iter(sent_photos(emu, mark)), None), timeout=30)
    assert shown.photo == mug and "Redeem #1 Mug for 5 points?" in shown.plain_text
    emu.press_button_by_label(GROUP, BOB, "✅ Confirm")
    await emu.wait_for(lambda: "Bob redeemed #1 Mug" in shown.plain_text, timeout=30)
    assert [c.method for c in emu.calls if c.method == "editMessageCaption"]
    rows = await query(db_url, select(Redemption.user_id, Redemption.reward_number))
    assert [tuple(r) for r in rows] == [(BOB, 1)]

    # The guided flow: the photo step on the panel, a photo in reply to it.
    panel = await say(emu, GROUP, ALICE, "/reward_add 3 2 Pen", "Added #2 Pen")
    assert "Press 🖼 Photo below" in panel.plain_text
    emu.press_button(GROUP, ALICE, panel.message_id, _data(panel, "🖼 Photo"))
    await emu.wait_for(lambda: "Send the photo of #2 Pen" in panel.plain_text, timeout=30)
    mark = emu.mark()
    emu.send_photo(GROUP, ALICE, date=DAY1, reply_to_message_id=panel.message_id)
    await emu.wait_for_message(chat_id=GROUP, contains="#2 Pen now shows this photo", after=mark)
    pen = [k for k in emu.files if not k.endswith("-small")][-1]
    assert pen != mug
    shop = await say(emu, GROUP, BOB, "/shop", "Shop")
    mark = emu.mark()
    emu.press_button(GROUP, BOB, shop.message_id, _data(shop, "🎁 #2 Pen"))
    shown = await emu.wait_for(lambda: next(iter(sent_photos(emu, mark)), None), timeout=30)
    assert shown.photo == pen and "Redeem #2 Pen for 3 points?" in shown.plain_text


def _data(sent, label: str) -> str:  # type: ignore[no-untyped-def]
    for row in (sent.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            if button.get("text") == label:
                return str(button["callback_data"])
    raise LookupError(label)


async def test_levels_reached_are_announced(
    shop_emu: BotAPIEmulator,  # noqa: F811
    shop_bot: BotProcess,  # noqa: F811
    db_url: str,
) -> None:
    emu = shop_emu
    emu.add_bot_to_group(GROUP, ALICE)
    await say(emu, GROUP, ALICE, "/settings levels 0,10,30", "Saved")
    await say(emu, GROUP, BOB, "/checkin", "Bob reached level 2 · Regular")
    await say(emu, GROUP, ALICE, "/grant @bob 25", "Bob reached level 3 · Core member")
    await say(emu, GROUP, ALICE, "/deduct @bob 30", "30 points taken from Bob")
    me = await say(emu, GROUP, BOB, "/me", "Level 3")
    assert "Level 3 · Core member" in me.plain_text
    earned = dict(await query(db_url, select(Member.user_id, Member.lifetime_earned)))
    assert earned[BOB] == 35
    assert sum("reached level" in s.plain_text for s in emu.sent) == 2
