"""The shop through the real protocol (the bot as a process, the emulator as Telegram): the
catalogue to a code delivered by private message, the deep link for a member who never
started the bot, and 20 members confirming at once for a stock of 5."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from devtools.emulator import BotAPIEmulator, RateLimits
from storage.tables import Member, Redemption, Reward
from tests.e2e.conftest import ALICE, BOB, CAROL, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

DAY1 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
MEMBERS = list(range(3001, 3021))
FAST = {
    "OUTBOUND_GROUP_PER_MINUTE": "600",
    "OUTBOUND_PRIVATE_PER_SECOND": "30",
    "OUTBOUND_GLOBAL_PER_SECOND": "100",
}


@pytest.fixture
async def shop_emu(emu: BotAPIEmulator) -> AsyncIterator[BotAPIEmulator]:
    emu.limits = RateLimits(
        global_per_second=100, group_per_minute=600, private_per_second=30, private_burst=30
    )
    for user in MEMBERS:
        emu.add_user(user, f"M{user}", username=f"m{user}", language_code="en")
        emu.set_member_status(GROUP, user, "member")
    yield emu


@pytest.fixture
async def shop_bot(shop_emu: BotAPIEmulator, db_url: str) -> AsyncIterator[BotProcess]:
    process = BotProcess(shop_emu, db_url, **FAST)
    await process.start()
    try:
        yield process
    finally:
        if process.process is not None and process.process.returncode is None:
            await process.stop()


async def say(emu: BotAPIEmulator, chat: int, user: int, text: str, contains: str) -> Any:
    mark = emu.mark()
    if chat > 0:
        emu.send_private(user, text, date=DAY1)
    else:
        emu.send_message(chat, user, text, date=DAY1)
    try:
        return await emu.wait_for_message(chat_id=chat, contains=contains, after=mark, timeout=30)
    except TimeoutError:
        sent = [(m.chat_id, m.plain_text[:80]) for m in emu.sent[-5:]]
        raise AssertionError(f"no {contains!r} in {chat}; last sent: {sent}") from None


def confirm_of(emu: BotAPIEmulator, user: int) -> tuple[int, str]:
    for sent in reversed(emu.sent):
        for row in (sent.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").startswith(f"sc:{user}:"):
                    return sent.message_id, button["callback_data"]
    raise LookupError(user)


async def query(db_url: str, stmt: Any) -> Any:
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as db:
            return (await db.execute(stmt)).all()
    finally:
        await engine.dispose()


async def test_catalogue_to_code_by_dm_and_deep_link(
    shop_emu: BotAPIEmulator, shop_bot: BotProcess, db_url: str
) -> None:
    emu = shop_emu
    emu.add_bot_to_group(GROUP, ALICE)
    await say(emu, GROUP, BOB, "/checkin", "Bob checked in")
    await say(emu, GROUP, CAROL, "/checkin", "Carol checked in")
    await say(emu, GROUP, ALICE, "/grant @bob 40", "+40")
    await say(emu, GROUP, ALICE, "/grant @carol 30", "+30")
    await say(emu, GROUP, ALICE, "/reward_add 30 3 Coffee mode=code", "Added #1 Coffee")
    added = await say(emu, GROUP, ALICE, "/codes 1\nCOF-1\nCOF-2\nCOF-1", "codes added")
    assert "2 codes added" in added.plain_text and "COF-1" in added.plain_text
    shop = await say(emu, GROUP, BOB, "/shop", "Shop")
    assert "#1 Coffee — 30 points · 3 left" in shop.plain_text
    emu.start_private(BOB)  # Bob has started the bot; Carol never did

    mark = emu.mark()
    emu.press_button_by_label(GROUP, BOB, "🎁 #1 Coffee")
    await emu.wait_for(lambda: "Redeem #1 Coffee" in shop.plain_text, timeout=30)
    emu.press_button_by_label(GROUP, CAROL, "✅ Confirm")  # not hers: an alert, no change
    emu.press_button_by_label(GROUP, BOB, "✅ Confirm")
    dm = await emu.wait_for_message(chat_id=BOB, contains="Your code", after=mark, timeout=30)
    assert "COF-1" in dm.plain_text
    assert "Bob redeemed #1 Coffee" in shop.plain_text
    answers = await emu.wait_for(
        lambda: (
            [c for c in emu.calls if c.method == "answerCallbackQuery"][-3:]
            if len([c for c in emu.calls if c.method == "answerCallbackQuery"]) >= 3
            else None
        ),
        timeout=30,
    )
    assert any(a.params.get("show_alert") in (True, "true") for a in answers)

    confirmation = await say(emu, GROUP, CAROL, "/redeem 1", "Redeem #1 Coffee")
    mark = emu.mark()
    emu.press_button(GROUP, CAROL, confirmation.message_id, confirm_of(emu, CAROL)[1])
    link = await emu.wait_for_message(chat_id=GROUP, contains="?start=rw", after=mark, timeout=30)
    assert "COF-2" not in link.plain_text
    token = link.plain_text.split("?start=")[1].split()[0].rstrip(".")
    got = await say(emu, CAROL, CAROL, f"/start {token}", "Your code")
    assert "COF-2" in got.plain_text
    rows = await query(db_url, select(Redemption.user_id, Redemption.code).order_by(Redemption.id))
    assert [tuple(r) for r in rows] == [(BOB, "COF-1"), (CAROL, "COF-2")]
    points = dict(await query(db_url, select(Member.user_id, Member.points)))
    assert points[BOB] == 50 - 30 and points[CAROL] == 40 - 30


async def test_twenty_members_confirm_at_once_for_stock_five(
    shop_emu: BotAPIEmulator, shop_bot: BotProcess, db_url: str
) -> None:
    emu = shop_emu
    emu.add_bot_to_group(GROUP, ALICE)
    await say(emu, GROUP, ALICE, "/reward_add 10 5 Drop mode=code", "Added #1 Drop")
    codes = "\n".join(f"D-{i}" for i in range(8))
    await say(emu, GROUP, ALICE, f"/codes 1\n{codes}", "8 codes added")
    for user in MEMBERS:
        emu.start_private(user)
        emu.send_message(GROUP, user, "/checkin", date=DAY1)
    # Everyone has 10 points once the check-ins are in.
    for _ in range(300):
        rows = await query(db_url, select(func.count()).where(Member.points >= 10))
        if rows[0][0] >= len(MEMBERS):
            break
        await asyncio.sleep(0.1)
    for user in MEMBERS:
        emu.send_message(GROUP, user, "/redeem 1", date=DAY1)
    await emu.wait_for(lambda: all(_has_confirm(emu, u) for u in MEMBERS), timeout=60)
    calls = len(emu.calls)
    for user in MEMBERS:  # all at once, one in the same batch pressed twice
        message_id, data = confirm_of(emu, user)
        emu.press_button(GROUP, user, message_id, data)
    emu.press_button(GROUP, MEMBERS[0], *confirm_of(emu, MEMBERS[0]))
    answers = await emu.wait_for(
        lambda: (
            found
            if len(found := [c for c in emu.calls[calls:] if c.method == "answerCallbackQuery"])
            >= len(MEMBERS) + 1
            else None
        ),
        timeout=60,
    )
    texts = [a.params.get("text") or "" for a in answers]
    assert texts.count("✅ Redeemed") == 5, texts
    assert sum("just sold out" in t for t in texts) == len(MEMBERS) - 5, texts
    rows = await query(db_url, select(Redemption.user_id, Redemption.code))
    assert len(rows) == 5 and len({code for _, code in rows}) == 5
    assert (await query(db_url, select(Reward.stock)))[0][0] == 0
    winners = {user for user, _ in rows}
    points = dict(await query(db_url, select(Member.user_id, Member.points)))
    assert all(points[u] == (0 if u in winners else 10) for u in MEMBERS)
    dms = await emu.wait_for(
        lambda: (
            found
            if len(
                found := [
                    s for s in emu.sent if s.chat_id in winners and "Your code" in s.plain_text
                ]
            )
            >= 5
            else None
        ),
        timeout=30,
    )
    assert len(dms) == 5


def _has_confirm(emu: BotAPIEmulator, user: int) -> bool:
    try:
        confirm_of(emu, user)
    except LookupError:
        return False
    return True


async def test_flash_drop_of_ten_tapped_by_a_hundred(emu: BotAPIEmulator, db_url: str) -> None:
    emu.limits = RateLimits(
        global_per_second=100, group_per_minute=600, private_per_second=30, private_burst=30
    )
    crowd = list(range(4001, 4101))
    for user in crowd:
        emu.add_user(user, f"F{user}", username=f"f{user}", language_code="en")
        emu.set_member_status(GROUP, user, "member")
    process = BotProcess(emu, db_url, **FAST)
    await process.start()
    try:
        emu.add_bot_to_group(GROUP, ALICE)
        await say(emu, GROUP, ALICE, "/reward_add 5 10 Drop mode=code", "Added #1 Drop")
        codes = "\n".join(f"F-{i}" for i in range(10))
        await say(emu, GROUP, ALICE, f"/codes 1\n{codes}", "10 codes added")
        for user in crowd:
            emu.start_private(user)
            emu.send_message(GROUP, user, "/checkin")
        for _ in range(600):
            rows = await query(db_url, select(func.count()).where(Member.points >= 5))
            if rows[0][0] >= len(crowd):
                break
            await asyncio.sleep(0.1)
        post = await say(emu, GROUP, ALICE, "/flash 1", "Flash sale")
        data = post.reply_markup["inline_keyboard"][0][0]["callback_data"]
        calls = len(emu.calls)
        for user in crowd:
            emu.press_button(GROUP, user, post.message_id, data)
        for user in crowd[:10]:  # some tap twice
            emu.press_button(GROUP, user, post.message_id, data)
        answers = await emu.wait_for(
            lambda: (
                found
                if len(
                    found := [c for c in emu.calls[calls:] if c.method == "answerCallbackQuery"]
                )
                >= len(crowd) + 10
                else None
            ),
            timeout=90,
        )
        texts = [a.params.get("text") or "" for a in answers]
        assert texts.count("✅ Redeemed — code sent by DM") == 10, texts
        rows = await query(db_url, select(Redemption.user_id, Redemption.code))
        assert len(rows) == 10 and len({u for u, _ in rows}) == 10
        assert len({c for _, c in rows}) == 10
        points = dict(await query(db_url, select(Member.user_id, Member.points)))
        assert all(points[u] >= 0 for u in crowd)
        await emu.wait_for(lambda: "0 left" in post.plain_text, timeout=30)
        assert len(post.edits) <= 5  # the stock line is edited now and then, not per tap
    finally:
        await process.stop()


async def test_rejection_level_gate_bad_input_and_badges_across_restart(
    shop_emu: BotAPIEmulator, shop_bot: BotProcess, db_url: str
) -> None:
    from datetime import timedelta

    from storage.tables import MemberBadge

    emu = shop_emu
    emu.add_bot_to_group(GROUP, ALICE)
    emu.send_private(ALICE, "/start")  # Alice gets pending redemptions by private message
    await emu.wait_for_message(chat_id=ALICE, contains="Hi Alice", timeout=30)
    for day in range(7):  # a week of check-ins: 70 + 20 bonus, level 2
        mark = emu.mark()
        emu.send_message(GROUP, BOB, "/checkin", date=DAY1 + timedelta(days=day))
        await emu.wait_for_message(
            chat_id=GROUP, contains="Bob checked in", after=mark, timeout=30
        )
    await say(emu, GROUP, ALICE, "/reward_add 50 2 Hoodie mode=manual level=3", "Added #1")
    await say(emu, GROUP, ALICE, "/reward_add 40 2 Cap mode=manual level=2", "Added #2")
    for bad, says in (
        ("/reward_add -5 3 Pen", "cost must be"),
        ("/reward_add 5 0 Pen", "stock must be"),
        ("/codes 2\nX-1", "not a code reward"),
    ):
        await say(emu, GROUP, ALICE, bad, says)
    refused = await say(emu, GROUP, BOB, "/redeem 1", "needs level 3")
    assert "you are level 2" in refused.plain_text
    await say(emu, GROUP, BOB, "/redeem 9", "no reward #9")
    confirmation = await say(emu, GROUP, BOB, "/redeem 2", "Redeem #2 Cap")
    mark = emu.mark()
    emu.press_button(GROUP, BOB, confirmation.message_id, confirm_of(emu, BOB)[1])
    notice = await emu.wait_for_message(
        chat_id=ALICE, contains="Pending redemptions", after=mark, timeout=30
    )
    assert "Bob · #2 Cap · 40 points" in notice.plain_text
    points = dict(await query(db_url, select(Member.user_id, Member.points)))
    assert points[BOB] == 90 - 40
    emu.press_button_by_label(ALICE, ALICE, "❌ #1")
    await emu.wait_for(lambda: "rejected; 40 points refunded" in notice.plain_text, timeout=30)
    # Bob never started the bot: he is told in the group.
    told = await emu.wait_for_message(
        chat_id=GROUP, contains="Bob: ❌ Your reward", after=mark, timeout=30
    )
    assert "40 points are back" in told.plain_text
    points = dict(await query(db_url, select(Member.user_id, Member.points)))
    assert points[BOB] == 90

    # Badges once, across a restart: the first check-in and 7-day streak are not given again.
    assert await shop_bot.stop() == 0
    await shop_bot.start()
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/checkin", date=DAY1 + timedelta(days=7))
    await emu.wait_for_message(chat_id=GROUP, contains="Bob checked in", after=mark, timeout=30)
    rows = await query(db_url, select(MemberBadge.badge).where(MemberBadge.user_id == BOB))
    assert sorted(b for (b,) in rows) == ["first_checkin", "first_redemption", "streak_7"]
    announced = [s for s in emu.sent if "earned a badge: 7-day streak" in s.plain_text]
    assert len(announced) == 1
