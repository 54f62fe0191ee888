"""Reward photos through the real Dispatcher on both databases: /reward_add as a photo's caption
or in reply to a photo, the guided flow's "send a photo or skip" step, and the item shown with
its photo (sendPhoto with the confirmation as caption; the buttons then edit the caption)."""

from __future__ import annotations

from aiogram.methods import EditMessageCaption, EditMessageText, SendMessage, SendPhoto
from sqlalchemy import select

from bot.replies import plain
from handlers.shop.admin import RewardSet
from handlers.shop.render import ShopPick
from storage.tables import Redemption, Reward, RewardPhotoPrompt
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.test_shop_flow import ADMIN, BOB, DAY, setup_shop


async def photo_of(bot: Harness, number: int) -> str | None:
    async with bot.app.session_factory() as s:
        return (
            await s.exec(select(Reward.photo_file_id).where(Reward.number == number))
        ).scalar_one()


async def prompts(bot: Harness) -> int:
    async with bot.app.session_factory() as s:
        return len((await s.exec(select(RewardPhotoPrompt))).all())


def keyboard(call) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = call.reply_markup.inline_keyboard
    return {b.text: b.callback_data for row in rows for b in row}


async def test_reward_add_takes_the_photo_it_came_with(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await setup_shop(bot)
        await bot.feed(f.photo_with_id(ADMIN, "mug-photo", "/reward_add 5 3 Mug", date=DAY))
        assert "Added #1 Mug" in plain(bot.last_text())
        assert "With the photo you sent" in plain(bot.last_text())
        assert await photo_of(bot, 1) == "mug-photo"  # the largest size
        shirt = f.photo_with_id(ADMIN, "shirt-photo", date=DAY)
        reply = f.message(
            ADMIN, "/reward_add 7 1 Shirt", date=DAY, reply_to=f.message_payload(shirt)
        )
        await bot.feed(shirt, reply)
        assert await photo_of(bot, 2) == "shirt-photo"
        await bot.feed(f.message(ADMIN, "/reward_add 9 1 Pen", date=DAY))
        assert "Press 🖼 Photo below" in plain(bot.last_text())
        assert await photo_of(bot, 3) is None
        # A bad caption: the usual clear refusal, nothing added.
        await bot.feed(f.photo_with_id(ADMIN, "x", "/reward_add -5 3 Bad", date=DAY))
        assert "The cost must be a whole number" in plain(bot.last_text())
        async with bot.app.session_factory() as s:
            assert len((await s.exec(select(Reward))).all()) == 3

        # The item with its photo: sendPhoto, the confirmation as its caption.
        bot.clear()
        await bot.feed(f.message(BOB, "/redeem 1", date=DAY))
        [shown] = bot.sent(SendPhoto)
        assert shown.photo == "mug-photo" and "Redeem #1 Mug for 5 points?" in plain(shown.caption)
        assert bot.sent(SendMessage) == []
        confirm = keyboard(shown)["✅ Confirm"]
        await bot.feed(f.callback(BOB, confirm, 77, photo=True))
        [edited] = bot.sent(EditMessageCaption)
        assert "Bob redeemed #1 Mug for 5 points" in plain(edited.caption)
        assert bot.sent(EditMessageText) == []
        async with bot.app.session_factory() as s:
            assert len((await s.exec(select(Redemption))).all()) == 1
        # From the shop's list: the item's photo comes as a new message with the buttons.
        bot.clear()
        await bot.feed(f.callback(BOB, ShopPick(u=BOB["id"], n=2).pack(), 78))
        [shown] = bot.sent(SendPhoto)
        assert shown.photo == "shirt-photo" and "✅ Confirm" in keyboard(shown)
        cancel = keyboard(shown)["✖ Cancel"]
        await bot.feed(f.callback(BOB, cancel, 79, photo=True))
        assert plain(bot.sent(EditMessageCaption)[-1].caption) == "Cancelled."
        # Without a photo, the list's message is edited as before.
        bot.clear()
        await bot.feed(f.callback(BOB, ShopPick(u=BOB["id"], n=3).pack(), 78))
        assert bot.sent(SendPhoto) == [] and "Redeem #3 Pen" in plain(
            bot.sent(EditMessageText)[-1].text
        )


async def test_the_guided_photo_step(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await setup_shop(bot)
        await bot.feed(f.message(ADMIN, "/reward_add 9 1 Pen", date=DAY))
        panel = keyboard(bot.sent(SendMessage)[-1])
        assert "🖼 Photo" in panel
        # Pressed: this message asks for the photo, with Skip.
        await bot.feed(f.callback(ADMIN, panel["🖼 Photo"], 40))
        ask = bot.sent(EditMessageText)[-1]
        assert "Send the photo of #1 Pen as a reply to this message" in plain(ask.text)
        assert list(keyboard(ask)) == ["Skip"]
        # A member's photo in reply changes nothing (only administrators).
        await bot.feed(f.photo_with_id(BOB, "bobs", date=DAY, reply_to=f.bot_message(40)))
        assert await photo_of(bot, 1) is None
        # A photo in reply to another of the bot's messages: not a prompt, nothing changes.
        await bot.feed(f.photo_with_id(ADMIN, "other", date=DAY, reply_to=f.bot_message(41)))
        assert await photo_of(bot, 1) is None
        await bot.feed(f.photo_with_id(ADMIN, "pen-photo", date=DAY, reply_to=f.bot_message(40)))
        assert await photo_of(bot, 1) == "pen-photo"
        assert "#1 Pen now shows this photo" in plain(bot.last_text())
        assert await prompts(bot) == 0  # once: a second photo to that prompt is not taken
        await bot.feed(f.photo_with_id(ADMIN, "again", date=DAY, reply_to=f.bot_message(40)))
        assert await photo_of(bot, 1) == "pen-photo"
        # The step again: Skip goes back to the panel; Remove takes the photo away.
        await bot.feed(f.callback(ADMIN, RewardSet(n=1, f="p").pack(), 50))
        assert list(keyboard(bot.sent(EditMessageText)[-1])) == ["Skip", "🗑 Remove the photo"]
        await bot.feed(f.callback(ADMIN, RewardSet(n=1, f="s").pack(), 50))
        assert "🖼 Photo" in keyboard(bot.sent(EditMessageText)[-1])
        assert await prompts(bot) == 0 and await photo_of(bot, 1) == "pen-photo"
        await bot.feed(f.callback(ADMIN, RewardSet(n=1, f="r").pack(), 50))
        assert await photo_of(bot, 1) is None
        # Another member's press of the photo button: refused, nothing asked.
        await bot.feed(f.callback(BOB, RewardSet(n=1, f="p").pack(), 51))
        assert await prompts(bot) == 0
