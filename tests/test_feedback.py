"""Feedback inbox through the real Dispatcher on both databases: members send, managers answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import func, select

from core.feedback import rules
from handlers.feedback.render import CategoryButton, GroupButton, ManageButton
from storage.tables import AuditLog, FeedbackItem, FeedbackMessage
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
# Buttons carry no date (their time is the clock's): flows with buttons happen now.
NOW = datetime.now(UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "Eve", username="eve")
OTHER_GROUP = -1009999999999
BOT_MESSAGE = {"id": 123456, "is_bot": True, "first_name": "Community Bot"}


async def items(bot: Harness) -> list[Any]:
    async with bot.app.session_factory() as s:
        return list((await s.exec(select(FeedbackItem).order_by(FeedbackItem.id))).scalars().all())


async def thread(bot: Harness, item_id: int) -> list[tuple[str, str]]:
    async with bot.app.session_factory() as s:
        rows = (
            await s.exec(
                select(FeedbackMessage.role, FeedbackMessage.text)
                .where(FeedbackMessage.item_id == item_id)
                .order_by(FeedbackMessage.id)
            )
        ).all()
    return [(r.role, r.text) for r in rows]


def answers(bot: Harness) -> list[AnswerCallbackQuery]:
    return bot.sent(AnswerCallbackQuery)


def last_edit(bot: Harness) -> EditMessageText:
    edits = bot.sent(EditMessageText)
    assert edits, "nothing was edited"
    return edits[-1]


def buttons(markup: Any) -> dict[str, str]:
    return {b.text: b.callback_data for row in markup.inline_keyboard for b in row}


def bot_message(update_text: str, message_id: int, chat_id: int = f.GROUP_ID) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "date": f.ts(DAY),
        "chat": f.chat(chat_id),
        "from": BOT_MESSAGE,
        "text": update_text,
    }


def test_keywords_propose_a_category() -> None:
    kw = rules.DEFAULT_KEYWORDS
    assert rules.propose_category("The app crashes on start", kw) == "bug"
    assert rules.propose_category("打开就闪退,无法登录", kw) == "bug"
    assert rules.propose_category("希望增加夜间模式", kw) == "feature"
    assert rules.propose_category("客服态度很差", kw) == "service"
    assert rules.propose_category("hello there", kw) == "other"
    assert rules.default_priority(1) == rules.NORMAL
    assert rules.default_priority(3) == rules.HIGH


async def test_feedback_in_the_group_numbered_idempotent_recategorized(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        first = f.message(BOB, "/feedback the app crashes when I open the shop", date=DAY)
        await bot.feed(first)
        assert "#1" in bot.last_text() and "Bug" in bot.last_text()
        await bot.feed(first)  # redelivered: stored once, answered once
        assert len([t for t in bot.texts() if "#1" in t]) == 1
        await bot.feed(f.message(EVE, "/feedback 希望增加夜间模式", date=DAY))
        assert "#2" in bot.last_text()
        stored = await items(bot)
        assert [(i.number, i.user_id, i.category, i.status) for i in stored] == [
            (1, 200, "bug", "new"),
            (2, 300, "feature", "new"),
        ]
        assert stored[0].text == "the app crashes when I open the shop"
        assert await thread(bot, stored[0].id) == [("member", stored[0].text)]

        # The author changes the proposed category; someone else cannot.
        change = CategoryButton(item=stored[0].id, cat="service").pack()
        await bot.feed(f.callback(EVE, change, 1))
        assert answers(bot)[-1].show_alert and "author" in answers(bot)[-1].text
        assert (await items(bot))[0].category == "bug"
        await bot.feed(f.callback(BOB, change, 1))
        assert (await items(bot))[0].category == "service"
        assert answers(bot)[-1].text == "Category changed."
        assert "✓ 🤝 Service" in buttons(last_edit(bot).reply_markup)


async def test_limits_refuse_and_store_nothing(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "/feedback " + "x" * (rules.MAX_TEXT + 1), date=DAY))
        assert "at most 2,000" in bot.last_text() and "Nothing was saved" in bot.last_text()
        assert await items(bot) == []
        for n in range(rules.DAILY_LIMIT):
            await bot.feed(f.message(BOB, f"/feedback idea number {n}", date=DAY))
        assert len(await items(bot)) == rules.DAILY_LIMIT
        await bot.feed(f.message(BOB, "/feedback one more", date=DAY + timedelta(hours=3)))
        assert "try again tomorrow" in bot.last_text()
        assert len(await items(bot)) == rules.DAILY_LIMIT
        # Another member is not limited by Bob; Bob again on the next local day.
        await bot.feed(f.message(EVE, "/feedback mine", date=DAY))
        await bot.feed(f.message(BOB, "/feedback next day", date=DAY + timedelta(days=1)))
        assert [i.number for i in await items(bot)] == [1, 2, 3, 4, 5, 6, 7]


async def test_guided_flow_in_the_group(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "/feedback", date=NOW))
        assert "Pick a category" in bot.last_text()
        markup = bot.sent(SendMessage)[-1].reply_markup
        await bot.feed(f.callback(BOB, buttons(markup)["🐞 Bug"], 77))
        assert "reply to this message" in last_edit(bot).text
        assert answers(bot)  # the press is answered
        # Eve replying to the prompt is ordinary chat (she has no draft): nothing stored.
        prompt = bot_message(last_edit(bot).text, 77)
        await bot.feed(f.message(EVE, "me too?", date=NOW, reply_to=prompt))
        assert await items(bot) == []
        await bot.feed(f.message(BOB, "the login button does nothing", date=NOW, reply_to=prompt))
        stored = await items(bot)
        assert [(i.number, i.category, i.text) for i in stored] == [
            (1, "bug", "the login button does nothing")
        ]
        assert "#1" in bot.last_text()
        # The draft is gone: another reply to the prompt is chat again.
        await bot.feed(f.message(BOB, "thanks", date=NOW, reply_to=prompt))
        assert len(await items(bot)) == 1


async def test_private_feedback_picks_the_group(db_url: str) -> None:
    async with running_bot(db_url, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(BOB, "/feedback hello", chat_id=200, date=NOW))
        assert "which group" in bot.last_text()  # never seen in a group
        await bot.feed(f.message(BOB, "hi all", date=NOW))  # now a member of the group
        await bot.feed(f.message(BOB, "/feedback the refund took a week", chat_id=200, date=NOW))
        assert "#1" in bot.last_text()
        assert [(i.group_id, i.category) for i in await items(bot)] == [(f.GROUP_ID, "service")]

        # Eve joins, says hello (the batched path) and writes the bot in private, all in the
        # same second and the same batch: her updates are applied in order, so the private one
        # sees the membership the group ones recorded.
        await bot.feed(
            f.service_message(EVE, date=NOW, new_chat_members=[EVE]),
            f.message(EVE, "hello everyone", date=NOW),
            f.message(EVE, "/feedback 签到按钮太小了", chat_id=300, date=NOW),
        )
        assert "which group" not in bot.last_text(300) and "#2" in bot.last_text(300)

        # In two groups: buttons pick the group, the text typed with the command is kept.
        await bot.feed(f.message(BOB, "hello", chat_id=OTHER_GROUP, date=NOW))
        await bot.feed(f.message(BOB, "/feedback please add a calendar", chat_id=200, date=NOW))
        assert "Which group" in bot.last_text()
        await bot.feed(f.callback(BOB, GroupButton(group=OTHER_GROUP).pack(), 5, chat_id=200))
        stored = await items(bot)
        assert [(i.group_id, i.number, i.category) for i in stored][-1] == (
            OTHER_GROUP,
            1,
            "feature",
        )
        assert "#1" in last_edit(bot).text


async def _one_item(bot: Harness) -> Any:
    await bot.feed(f.message(BOB, "/feedback the app crashes on the shop page", date=NOW))
    return (await items(bot))[0]


# No settings cache: every read of a group's settings goes to the database while the use case
# holds SQLite's one connection (a second session would wait for ever).
async def test_inbox_reply_thread_and_resolution(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        item = await _one_item(bot)
        # A member's /inbox is refused.
        await bot.feed(f.message(EVE, "/inbox", chat_id=300, date=NOW))
        assert bot.last_text() == "Only administrators of the feedback's group can do that."
        await bot.feed(f.message(ADMIN, "/inbox", chat_id=100, date=NOW))
        listing = bot.sent(SendMessage)[-1]
        assert "#1" in listing.text and "Bob" in listing.text and "crashes" in listing.text
        opened = buttons(listing.reply_markup)["#1"]
        assert all(len(data.encode()) <= 64 for data in buttons(listing.reply_markup).values())

        await bot.feed(f.callback(ADMIN, opened, 9, chat_id=100))
        view = last_edit(bot)
        assert "From Bob" in view.text and "Status: New" in view.text
        controls = buttons(view.reply_markup)
        assert all(len(data.encode()) <= 64 for data in controls.values())

        # A forged or stale press by someone else: an alert and no change.
        calls = len(bot.session.calls)
        await bot.feed(f.callback(EVE, controls["Resolved"], 9, chat_id=300))
        assert answers(bot)[-1].show_alert and "administrators" in answers(bot)[-1].text
        assert (await items(bot))[0].status == "new"
        assert not any(isinstance(c, SendMessage) for c in bot.session.calls[calls:])
        # Unknown item id.
        await bot.feed(
            f.callback(ADMIN, ManageButton(action="o", item=999).pack(), 9, chat_id=100)
        )
        assert "does not exist" in answers(bot)[-1].text

        await bot.feed(f.callback(ADMIN, controls["High"], 9, chat_id=100))
        assert (await items(bot))[0].priority == rules.HIGH

        # Reply: the admin's next private message goes to Bob by DM.
        await bot.feed(f.callback(ADMIN, controls["✉️ Reply"], 9, chat_id=100))
        assert "Send your reply to #1" in bot.last_text(100)
        await bot.feed(
            f.message(ADMIN, "Thanks, fixed in the next release!", chat_id=100, date=NOW)
        )
        dm = bot.last_text(200)
        assert "answered your feedback #1" in dm and "fixed in the next release" in dm
        assert "sent to Bob" in bot.last_text(100)
        assert (await items(bot))[0].status == "in_progress"

        # Bob answers in private: the thread grows and Ada hears of it.
        await bot.feed(f.message(BOB, "great, thank you", chat_id=200, date=NOW))
        assert "Added to your feedback #1" in bot.last_text(200)
        assert "Bob answered on feedback #1" in bot.last_text(100)
        assert [role for role, _ in await thread(bot, item.id)] == ["member", "manager", "member"]

        # Resolved: Bob is told; a redelivered press changes nothing and tells him once.
        resolve = f.callback(ADMIN, controls["Resolved"], 9, chat_id=100)
        await bot.feed(resolve)
        await bot.feed(resolve)
        assert [t for t in bot.texts(200) if "has been resolved" in t] == [
            "✅ Your feedback #1 (Test Group) has been resolved. Thank you!"
        ]
        stored = (await items(bot))[0]
        assert stored.status == "resolved" and stored.resolved_at is not None
        async with bot.app.session_factory() as s:
            actions = (
                await s.exec(
                    select(AuditLog.action)
                    .where(AuditLog.action.like("feedback_%"))
                    .order_by(AuditLog.id)
                )
            ).all()
        assert [a[0] for a in actions] == [
            "feedback_priority",
            "feedback_reply",
            "feedback_status",
        ]
        # Every press was answered (the redelivered one was not handled again).
        presses = [c for c in bot.session.calls if isinstance(c, AnswerCallbackQuery)]
        assert len(presses) == 6

        # Closed items leave the open list.
        await bot.feed(f.message(ADMIN, "/inbox", chat_id=100, date=NOW))
        assert "Nothing here" in bot.last_text(100)
        await bot.feed(f.message(ADMIN, "/inbox resolved", chat_id=100, date=NOW))
        assert "#1" in bot.last_text(100)


async def test_a_reply_goes_to_the_group_when_the_member_cannot_be_dmed(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        item = await _one_item(bot)
        bot.session.unreachable.add(200)  # Bob never started the bot
        await bot.feed(
            f.callback(ADMIN, ManageButton(action="r", item=item.id).pack(), 9, chat_id=100)
        )
        await bot.feed(f.message(ADMIN, "We are on it", chat_id=100, date=NOW))
        await bot.app.outbox.drain(10)
        in_group = [c for c in bot.sent(SendMessage) if c.chat_id == f.GROUP_ID][-1]
        assert "We are on it" in in_group.text and "tg://user?id=200" in in_group.text
        assert in_group.reply_parameters.message_id == item.source_message_id
        async with bot.app.session_factory() as s:
            replies = (
                await s.exec(
                    select(func.count())
                    .select_from(FeedbackMessage)
                    .where(FeedbackMessage.role == "manager")
                )
            ).scalar_one()
        assert replies == 1


async def test_a_private_message_with_nothing_open_is_explained(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "hello bot", chat_id=200, date=NOW))
        assert "Nothing is waiting for your answer" in bot.last_text(200)


async def test_export_feedback_csv(db_url: str) -> None:
    import csv
    import io

    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(BOB, "/feedback =cmd|' /C calc'!A0 the app crashes", date=DAY))
        await bot.feed(f.message(EVE, "/feedback 希望增加夜间模式,\n谢谢", date=DAY))
        item = (await items(bot))[0]
        await bot.feed(
            f.callback(ADMIN, ManageButton(action="s", item=item.id, value="resolved").pack(), 9)
        )
        await bot.feed(f.message(EVE, "/export feedback", date=DAY))
        assert not bot.documents()  # members cannot
        await bot.feed(f.message(ADMIN, "/export feedback", date=DAY))
        doc = bot.documents()[-1]
        assert doc.caption == "📄 Feedback: 2 items (UTF-8 CSV, times in UTC)."
        data = doc.document.data.decode("utf-8")
        assert data.splitlines()[0] == (
            "id,user_id,category,status,priority,created_at,resolved_at,text"
        )
        rows = list(csv.DictReader(io.StringIO(data)))
        assert [(r["id"], r["user_id"], r["category"], r["status"]) for r in rows] == [
            ("1", "200", "bug", "resolved"),
            ("2", "300", "feature", "new"),
        ]
        assert rows[0]["text"].startswith("'=cmd")  # no spreadsheet formula
        assert rows[0]["created_at"] == "2026-03-02T02:00:00Z" and rows[0]["resolved_at"]
        assert rows[1]["text"] == "希望增加夜间模式,\n谢谢" and rows[1]["resolved_at"] == ""


def private_photo(user: dict[str, Any], caption: str | None) -> Any:
    from aiogram.types import Update

    msg: dict[str, Any] = {
        "message_id": 900 + user["id"],
        "date": f.ts(NOW),
        "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
        "from": user,
        "photo": [
            {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
            {"file_id": "big-photo", "file_unique_id": "b", "width": 900, "height": 900},
        ],
    }
    if caption is not None:
        msg["caption"] = caption
    return Update.model_validate({"update_id": f.next_update_id(), "message": msg})


async def test_guided_flow_in_private_with_a_photo(db_url: str) -> None:
    async with running_bot(db_url, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(BOB, "hi all", date=NOW))
        await bot.feed(f.message(BOB, "/feedback", chat_id=200, date=NOW))
        assert "Pick a category" in bot.last_text(200)
        markup = bot.sent(SendMessage)[-1].reply_markup
        await bot.feed(f.callback(BOB, buttons(markup)["📝 Other"], 5, chat_id=200))
        assert "now send your feedback" in last_edit(bot).text
        await bot.feed(private_photo(BOB, None))  # a photo alone: a text is asked for
        assert "Please write something" in bot.last_text(200)
        assert await items(bot) == []
        await bot.feed(private_photo(BOB, "the banner is cut off on my phone"))
        stored = await items(bot)
        assert [(i.category, i.text, i.attachments) for i in stored] == [
            ("other", "the banner is cut off on my phone", "big-photo")
        ]
        assert "#1" in bot.last_text(200)


async def test_concurrent_feedback_numbers_stay_distinct_and_the_limit_holds(
    session_factory: Any,
) -> None:
    """Many submissions at once in one group (PostgreSQL: truly concurrent transactions): each
    item gets its own number, without gaps, and no member gets past the day's limit (the
    member's tg_user upsert and the group's counter row are locked before the count)."""
    import asyncio

    from core.community.members import user_row
    from core.feedback import inbox
    from core.uow import UnitOfWork
    from tests.group_service import group_service

    group = await group_service(session_factory).settings_for(f.GROUP_ID, "Test Group")
    bob = user_row(200, "bob", "Bob", "en")
    eve = user_row(300, "eve", "Eve", "en")

    async def one(update_id: int, user: dict[str, object]) -> int | None:
        uow = UnitOfWork(None, update_id, factory=session_factory)
        try:
            created = await inbox.submit(
                uow,
                group,
                user,
                f"idea {update_id}",
                DAY,
                source_chat_id=f.GROUP_ID,
                source_message_id=update_id,
            )
            return created.number
        except rules.DailyLimitReached:
            return None
        finally:
            await uow.rollback()
            await uow.close()

    numbers = await asyncio.gather(
        *(one(50_000 + i, bob) for i in range(8)), *(one(60_000 + i, eve) for i in range(3))
    )
    assert sorted(n for n in numbers if n is not None) == list(range(1, 9))
    assert sum(n is None for n in numbers[:8]) == 3  # Bob: five stored, three refused
    async with session_factory() as s:
        per_member = (
            await s.exec(
                select(FeedbackItem.user_id, func.count())
                .group_by(FeedbackItem.user_id)
                .order_by(FeedbackItem.user_id)
            )
        ).all()
    assert [tuple(r) for r in per_member] == [(200, 5), (300, 3)]
