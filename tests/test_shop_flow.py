"""The shop through the real Dispatcher on both databases: catalogue, confirmation buttons,
code delivery (DM, or a deep link when the member never started the bot), manual fulfilment,
and bad input refused with no change."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import func, select

from bot.replies import plain
from storage.tables import LedgerEntry, Member, MemberBadge, Redemption, Reward, RewardCode
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "Eve", username="eve")


async def scalar(bot: Harness, stmt):  # type: ignore[no-untyped-def]
    async with bot.app.session_factory() as s:
        return (await s.exec(stmt)).scalar_one()


async def balance(bot: Harness, user_id: int) -> tuple[int, int]:
    points = await scalar(bot, select(Member.points).where(Member.user_id == user_id))
    ledger = await scalar(
        bot,
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.user_id == user_id
        ),
    )
    return points, ledger


def buttons(bot: Harness) -> dict[str, str]:
    """Label -> callback data of the latest message or edit with buttons."""
    for call in reversed(bot.session.calls):
        if isinstance(call, (SendMessage, EditMessageText)) and call.reply_markup is not None:
            return {
                b.text: b.callback_data for row in call.reply_markup.inline_keyboard for b in row
            }
    raise AssertionError("no buttons")


def last(bot: Harness, chat_id: int | None = None) -> str:
    return plain(bot.last_text(chat_id))


def texts(bot: Harness, chat_id: int | None = None) -> list[str]:
    return [plain(t) for t in bot.texts(chat_id)]


def answers(bot: Harness) -> list[AnswerCallbackQuery]:
    return bot.sent(AnswerCallbackQuery)


def last_edit(bot: Harness) -> str:
    return plain(bot.sent(EditMessageText)[-1].text)


async def setup_shop(bot: Harness) -> None:
    await bot.feed(f.message(BOB, "hello everyone", date=DAY), f.message(EVE, "hi all", date=DAY))
    await bot.feed(f.message(ADMIN, "/grant @bob 99", date=DAY))
    await bot.feed(f.message(ADMIN, "/grant @eve 99", date=DAY))


async def test_catalogue_redeem_and_code_by_dm(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await setup_shop(bot)
        await bot.feed(f.message(ADMIN, "/reward_add 30 2 Coffee voucher mode=code", date=DAY))
        assert "Added #1 Coffee voucher" in last(bot) and "/codes 1" in last(bot)
        await bot.feed(f.message(ADMIN, "/codes 1\nAAA-1\nBBB-2\nAAA-1", date=DAY))
        assert "2 codes added to #1" in last(bot)
        assert "duplicates (1): AAA-1" in last(bot)
        await bot.feed(f.message(ADMIN, "/codes 1\nBBB-2", date=DAY))
        assert "0 codes added" in last(bot) and "BBB-2" in last(bot)

        await bot.feed(f.message(BOB, "/shop", date=DAY))
        assert "#1 Coffee voucher" in last(bot) and "your balance: 100" in last(bot)
        pick = buttons(bot)["🎁 #1 Coffee voucher"]
        # Eve presses Bob's shop button: an alert, nothing changes.
        bot.clear()
        await bot.feed(f.callback(EVE, pick, 5))
        assert answers(bot)[-1].show_alert and "member who asked" in answers(bot)[-1].text
        assert not bot.sent(EditMessageText)
        await bot.feed(f.callback(BOB, pick, 5))
        assert "Redeem #1 Coffee voucher for 30 points?" in last_edit(bot)
        confirm = buttons(bot)["✅ Confirm"]
        assert len(confirm.encode()) <= 64
        await bot.feed(f.callback(EVE, confirm, 5))  # another member's Confirm
        assert await scalar(bot, select(func.count()).select_from(Redemption)) == 0
        bot.clear()
        press = f.callback(BOB, confirm, 5)
        await bot.feed(press)
        assert "Bob redeemed #1 Coffee voucher for 30 points. Balance: 70." in last_edit(bot)
        assert answers(bot)[-1].text == "✅ Redeemed"
        dm = texts(bot, 200)
        assert dm and "AAA-1" in dm[-1]
        await bot.feed(press)  # redelivered
        await bot.feed(f.callback(BOB, confirm, 5))  # a double tap
        assert answers(bot)[-1].text == "Already redeemed."
        assert await scalar(bot, select(func.count()).select_from(Redemption)) == 1
        assert await balance(bot, 200) == (70, 70)
        assert await scalar(bot, select(func.count()).select_from(MemberBadge)) == 1
        assert len(texts(bot, 200)) == 1  # one code sent

        # /redeem typed: Eve gets the last one; the stock warning goes out once.
        await bot.feed(f.message(EVE, "/redeem 1", date=DAY))
        await bot.feed(f.callback(EVE, buttons(bot)["✅ Confirm"], 6))
        assert "BBB-2" in texts(bot, 300)[-1]
        # Low stock goes to the admins who started the bot: none here, so the group is told.
        assert [t for t in texts(bot, f.GROUP_ID) if "left of #1" in t] == [
            "⚠️ Admins: only 1 left of #1 Coffee voucher."
        ]
        await bot.feed(f.message(BOB, "/redeem 1", date=DAY))
        assert "just sold out" in last(bot)
        await bot.feed(f.message(BOB, "/myrewards", date=DAY))
        assert "#1 Coffee voucher — 30 points · ✅ fulfilled" in last(bot)
        assert "AAA-1" not in last(bot)  # codes only in private
        await bot.feed(f.message(BOB, "/myrewards", chat_id=200, date=DAY))
        assert "AAA-1" in last(bot)


async def test_code_held_behind_a_deep_link(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await setup_shop(bot)
        await bot.feed(f.message(ADMIN, "/reward_add 10 unlimited Sticker mode=code", date=DAY))
        await bot.feed(f.message(ADMIN, "/codes 1\nSECRET-9", date=DAY))
        bot.session.unreachable.add(200)  # Bob never started the bot in private
        await bot.feed(f.message(BOB, "/redeem 1", date=DAY))
        await bot.feed(f.callback(BOB, buttons(bot)["✅ Confirm"], 7))
        link = next(t for t in texts(bot, f.GROUP_ID) if "t.me/community_test_bot?start=rw" in t)
        token = link.split("?start=")[1].split()[0].rstrip(".")
        assert "SECRET-9" not in link
        await bot.feed(f.message(EVE, f"/start {token}", chat_id=300, date=DAY))
        assert "not yours" in last(bot, 300)
        bot.session.unreachable.clear()
        await bot.feed(f.message(BOB, f"/start {token}", chat_id=200, date=DAY))
        assert "SECRET-9" in last(bot, 200)


async def test_manual_reward_rejected_and_refunded(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await setup_shop(bot)
        await bot.feed(f.message(ADMIN, "/start", chat_id=100, date=DAY))
        await bot.feed(f.message(ADMIN, "/reward_add 40 3 Hoodie mode=manual limit=1", date=DAY))
        await bot.feed(f.message(BOB, "/redeem 1", date=DAY))
        await bot.feed(f.callback(BOB, buttons(bot)["✅ Confirm"], 8))
        assert "An administrator will hand it over" in last_edit(bot)
        for _ in range(50):  # the admins are told by private message, with the buttons
            if "Pending redemptions" in last(bot, 100):
                break
            await asyncio.sleep(0.02)
            await bot.app.outbox.drain(1)
        assert "Bob · #1 Hoodie · 40 points" in last(bot, 100)
        assert set(buttons(bot)) == {"✅ #1", "❌ #1"}
        assert await balance(bot, 200) == (60, 60)
        await bot.feed(f.message(BOB, "/redeem 1", date=DAY))
        assert "the most allowed" in last(bot)  # limit=1, the pending one counts
        await bot.feed(f.message(BOB, "/redemptions", date=DAY))
        assert "Only group administrators" in last(bot)
        await bot.feed(f.message(ADMIN, "/redemptions", chat_id=100, date=DAY))  # in private
        assert "Pending redemptions" in last(bot, 100) and "Bob" in last(bot, 100)
        reject = next(v for k, v in buttons(bot).items() if k.startswith("❌"))
        await bot.feed(f.callback(BOB, reject, 9, chat_id=200))  # not an admin
        assert "Only group administrators" in answers(bot)[-1].text
        assert await balance(bot, 200) == (60, 60)
        await bot.feed(f.callback(ADMIN, reject, 9, chat_id=100))
        assert "rejected; 40 points refunded" in answers(bot)[-1].text
        assert "was rejected" in last(bot, 200) and "40 points are back" in last(bot, 200)
        await bot.feed(f.callback(ADMIN, reject, 9, chat_id=100))  # pressed again
        assert "rejected already" in answers(bot)[-1].text
        assert await balance(bot, 200) == (100, 100)
        assert await scalar(bot, select(Reward.stock)) == 3

        # Exports: the redemptions, and members with level and badges.
        await bot.feed(f.message(ADMIN, "/export redemptions", date=DAY))
        rows = list(csv.DictReader(io.StringIO(bot.documents()[-1].document.data.decode())))
        assert len(rows) == 1 and rows[0]["status"] == "rejected"
        assert {k: rows[0][k] for k in ("user_id", "reward_name", "cost", "code")} == {
            "user_id": "200",
            "reward_name": "Hoodie",
            "cost": "40",
            "code": "",
        }
        assert rows[0]["created_at"] and rows[0]["decided_at"] and rows[0]["reward_id"]
        await bot.feed(f.message(ADMIN, "/export members", date=DAY))
        members = csv.DictReader(io.StringIO(bot.documents()[-1].document.data.decode()))
        bob = next(r for r in members if r["user_id"] == "200")
        assert bob["level"] == "2" and bob["badges"] == "first_redemption"  # 1 + 99 earned


async def test_bad_input_is_refused_with_no_change(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await setup_shop(bot)
        for bad, says in (
            ("/reward_add -5 3 Pen", "cost must be a whole number from 1 to 1,000,000"),
            ("/reward_add 99999999999 3 Pen", "cost must be"),
            ("/reward_add 5 0 Pen", "stock must be"),
            ("/reward_add 5 3", "Usage: /reward_add"),
            ("/reward_add 5 3 Pen mode=fast", "auto, manual or code"),
        ):
            await bot.feed(f.message(ADMIN, bad, date=DAY))
            assert says in last(bot), bad
        await bot.feed(f.message(BOB, "/reward_add 5 3 Pen", date=DAY))
        assert "Only group administrators" in last(bot)
        assert await scalar(bot, select(func.count()).select_from(Reward)) == 0
        await bot.feed(f.message(ADMIN, "/reward_add 50 3 Pen", date=DAY))
        await bot.feed(f.message(ADMIN, "/reward_add 500 3 Car", date=DAY))
        await bot.feed(f.message(ADMIN, "/codes 1\nX1", date=DAY))
        assert "not a code reward" in last(bot)
        await bot.feed(f.message(BOB, "/redeem 9", date=DAY))
        assert "no reward #9" in last(bot)
        await bot.feed(f.message(BOB, "/redeem abc", date=DAY))
        assert "no reward #abc" in last(bot)
        await bot.feed(f.message(BOB, "/redeem 2", date=DAY))
        assert "costs 500 points; you have 100" in last(bot)
        await bot.feed(f.message(BOB, "/redeem 1", date=DAY))
        confirm = buttons(bot)["✅ Confirm"]
        await bot.feed(f.message(ADMIN, "/reward_disable 1", date=DAY))
        await bot.feed(f.callback(BOB, confirm, 3))
        assert "not available" in answers(bot)[-1].text
        await bot.feed(f.message(ADMIN, "/reward_enable 1", date=DAY))
        await bot.feed(f.message(ADMIN, "/reward_edit 1 cost 60", date=DAY))
        await bot.feed(f.callback(BOB, confirm, 3))  # stale: the price changed
        assert "out of date" in answers(bot)[-1].text
        for forged in ("sc:200:1:60", "sc:200:1:60:x", "sc:-1:1:60:5", "sk:200:1:2"):
            before = len(answers(bot))
            await bot.feed(f.callback(BOB, forged, 3))
            assert len(answers(bot)) == before + 1 and answers(bot)[-1].text, forged
        await bot.feed(f.callback(BOB, "sc:200:77:60:5", 3))
        assert "no reward #77" in answers(bot)[-1].text
        assert await scalar(bot, select(func.count()).select_from(Redemption)) == 0
        assert await balance(bot, 200) == (100, 100)
        assert await scalar(bot, select(func.count()).select_from(RewardCode)) == 0
        await bot.feed(f.message(BOB, "/redeem 1", date=DAY))
        await bot.feed(f.callback(BOB, buttons(bot)["✖ Cancel"], 3))
        assert answers(bot)[-1].text == "Cancelled."
        assert await balance(bot, 200) == (100, 100)


async def test_reward_panel_buttons(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await setup_shop(bot)
        await bot.feed(f.message(ADMIN, "/reward_add 20 10 Mug", date=DAY))
        panel = buttons(bot)
        assert "✓ Auto" in panel and "✓ No limit" in panel and "✓ Level 1+" in panel
        await bot.feed(f.callback(BOB, panel["Code"], 4))  # not an admin
        assert "Only group administrators" in answers(bot)[-1].text
        await bot.feed(f.callback(ADMIN, panel["Code"], 4))
        await bot.feed(f.callback(ADMIN, buttons(bot)["1 per member"], 4))
        await bot.feed(f.callback(ADMIN, buttons(bot)["Level 2+"], 4))
        assert answers(bot)[-1].text == "Saved."
        async with bot.app.session_factory() as s:
            reward = (await s.exec(select(Reward))).scalars().one()
            assert (reward.mode, reward.per_member_limit, reward.min_level) == ("code", 1, 2)
        await bot.feed(f.callback(ADMIN, "sr:1:l:99", 4))  # forged value
        assert answers(bot)[-1].show_alert and "Change one of" in answers(bot)[-1].text
        assert await scalar(bot, select(Reward.per_member_limit)) == 1
        await bot.feed(f.callback(ADMIN, buttons(bot)["⏸ Disable"], 4))
        assert await scalar(bot, select(Reward.enabled)) is False
        await bot.feed(f.message(ADMIN, "/reward_edit 1", date=DAY))
        assert "▶ Enable" in buttons(bot)


async def test_flash_sale_taps(db_url: str) -> None:
    people = [f.user(1000 + i, f"P{i}") for i in range(30)]
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(*[f.message(p, "/checkin", date=DAY) for p in people])
        await bot.feed(f.message(ADMIN, "/reward_add 10 10 Ticket mode=code", date=DAY))
        codes = "\n".join(f"T-{i}" for i in range(12))
        await bot.feed(f.message(ADMIN, f"/codes 1\n{codes}", date=DAY))
        # A tap has no date of its own: it happens now (the bot's clock).
        later = (datetime.now(UTC) + timedelta(hours=2)).astimezone(ZoneInfo("Asia/Shanghai"))
        hhmm = f"{later:%H:%M}"
        await bot.feed(f.message(ADMIN, f"/flash 1 {hhmm}"))
        assert "Flash sale: #1 Ticket" in last(bot) and f"opens at {hhmm}" in last(bot)
        tap = buttons(bot)["⚡ Redeem"]
        await bot.feed(f.callback(people[0], tap, 50))
        assert answers(bot)[-1].text == f"Opens at {hhmm}"
        await bot.feed(f.message(ADMIN, "/flash 1"))  # open now
        tap = buttons(bot)["⚡ Redeem"]
        bot.clear()
        bot.app.deps["flash_posts"].every = 0.5  # the suite need not wait the real 3 s
        taps = [f.callback(p, tap, 51) for p in people] + [f.callback(people[1], tap, 51)]
        await bot.feed(*taps)
        texts_ = [a.text for a in answers(bot)]
        assert len(texts_) == len(taps)  # every tap answered
        assert texts_.count("✅ Redeemed — code sent by DM") == 10
        sold_out = sum("sold out" in t.lower() for t in texts_)
        assert texts_.count("Already redeemed.") + sold_out == 21
        assert await scalar(bot, select(func.count()).select_from(Redemption)) == 10
        assert await scalar(bot, select(Reward.stock)) == 0
        await bot.app.deps["flash_posts"].settle()
        await bot.app.outbox.drain(5)
        edits = [e for e in bot.sent(EditMessageText) if e.message_id == 51]
        assert 1 <= len(edits) <= 5 and "0 left" in edits[-1].text  # not one per tap
