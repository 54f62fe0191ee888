"""/invite, /top invites, /export invites|onboarding, /onboarding and the join-request
questionnaire through the real Dispatcher on both databases, in English and Chinese, with bad
input refused and nothing changed: no rights, forged and foreign presses, a question with 0 or
30 options, over-long texts."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from aiogram.methods import (
    AnswerCallbackQuery,
    ApproveChatJoinRequest,
    CreateChatInviteLink,
    EditChatInviteLink,
    EditMessageText,
    SendDocument,
    SendMessage,
)
from sqlalchemy import func
from sqlmodel import select

from bot.replies import plain
from storage.tables import AuditLog, InviteLink, MemberField, OnboardingQuestion
from tests import factories as f
from tests.app_harness import Harness, running_bot

ADMIN = f.user(100, "Ada", username="ada")
ANN = f.user(200, "Ann", username="ann")
BEN = f.user(300, "Ben", username="ben")
CAT = f.user(400, "Cat", username="cat")
XIAO = f.user(500, "小明", username="xiaoming", lang="zh-hans")
OTHER_GROUP = -1009876543210
LINK = re.compile(r"https://t\.me/\+\S+")


def texts(bot: Harness, chat_id: int | None = None) -> list[str]:
    return [plain(t) for t in bot.texts(chat_id)]


def last(bot: Harness, chat_id: int | None = None) -> str:
    return plain(bot.last_text(chat_id))


def buttons(bot: Harness, chat_id: int | None = None) -> dict[str, str]:
    """Label -> callback data of the latest message (or edit) with buttons."""
    for call in reversed(bot.session.calls):
        if (
            isinstance(call, (SendMessage, EditMessageText))
            and call.reply_markup is not None
            and hasattr(call.reply_markup, "inline_keyboard")
            and (chat_id is None or call.chat_id == chat_id)
        ):
            return {
                b.text: b.callback_data for row in call.reply_markup.inline_keyboard for b in row
            }
    raise AssertionError("no buttons")


def alerts(bot: Harness) -> list[str]:
    return [a.text or "" for a in bot.sent(AnswerCallbackQuery) if a.show_alert]


async def until(bot: Harness, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Notices to admins go out from a task of their own: wait for them."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "not sent in time"
        await asyncio.sleep(0.02)
        await bot.app.outbox.drain(1)


async def count(bot: Harness, table: type) -> int:
    async with bot.app.session_factory() as s:
        return (await s.exec(select(func.count()).select_from(table))).one()


async def test_invite_links_are_made_once_and_remade_only_when_revoked(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ANN, "/invite"))
        text = last(bot, f.GROUP_ID)
        assert "Your personal invite link to Test Group" in text
        assert "you both get 50 points" in text and "Your successful invites: 0" in text
        link = LINK.search(text)[0]  # type: ignore[index]
        assert [c.name for c in bot.sent(CreateChatInviteLink)] == ["Ann"]

        await bot.feed(f.message(ANN, "/invite"))
        assert LINK.search(last(bot, f.GROUP_ID))[0] == link  # type: ignore[index]
        assert len(bot.sent(CreateChatInviteLink)) == 1  # kept: checked with an edit
        assert bot.sent(EditChatInviteLink)[-1].invite_link == link

        bot.session.invite_links[link] = True  # an admin revoked it in Telegram
        await bot.feed(f.message(ANN, "/invite"))
        fresh = LINK.search(last(bot, f.GROUP_ID))[0]  # type: ignore[index]
        assert fresh != link and len(bot.sent(CreateChatInviteLink)) == 2
        async with bot.app.session_factory() as s:
            rows = (await s.exec(select(InviteLink).order_by(InviteLink.created_at))).all()
        assert [(r.link, r.revoked_at is not None) for r in rows] == [(link, True), (fresh, False)]

        await bot.feed(f.message(XIAO, "/invite"))
        assert "你在 Test Group 的专属邀请链接" in last(bot, f.GROUP_ID)
        assert "你的成功邀请:0" in last(bot, f.GROUP_ID)

        # A member who started the bot gets it in private; the group hears only that.
        await bot.feed(f.message(BEN, "/start", chat_id=BEN["id"]))
        bot.clear()
        await bot.feed(f.message(BEN, "/invite"))
        assert last(bot, f.GROUP_ID) == "🔗 I sent you your invite link in private."
        assert LINK.search(last(bot, BEN["id"]))


async def test_without_the_invite_right_members_and_admins_are_told(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        bot.session.no_invite_right.add(f.GROUP_ID)
        await bot.feed(f.message(ANN, "/invite"))
        text = last(bot, f.GROUP_ID)
        assert "I'm an administrator without the “Invite users via link” right" in text
        assert "Admins: give me that right" in text
        assert await count(bot, InviteLink) == 0
        await bot.feed(f.message(XIAO, "/invite"))
        assert "没有“通过链接邀请用户”权限" in last(bot, f.GROUP_ID)
        bot.session.no_invite_right.clear()
        anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
        await bot.feed(f.message(anonymous, "/invite"))  # an admin posting as the group
        assert "send /invite as yourself" in last(bot, f.GROUP_ID)
        assert await count(bot, InviteLink) == 0


async def test_invite_in_private_for_a_chosen_group(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(ANN, "hello"), f.message(BEN, "hi"))
        await bot.feed(f.message(ANN, "/invite", chat_id=ANN["id"]))
        assert LINK.search(last(bot, ANN["id"]))  # one group: at once
        await bot.feed(f.message(ANN, "hello there", chat_id=OTHER_GROUP))
        bot.clear()
        await bot.feed(f.message(ANN, "/invite", chat_id=ANN["id"]))
        assert last(bot, ANN["id"]) == "Which group is the invite link for?"
        markup = bot.sent(SendMessage)[-1].reply_markup
        choices = [b.callback_data for row in markup.inline_keyboard for b in row]  # type: ignore[union-attr]
        assert len(choices) == 2  # (both groups are called "Test Group" here)
        other = next(data for data in choices if str(OTHER_GROUP) in data)
        # Ben is not in the other group: his (forged) press gets nothing.
        await bot.feed(f.private_callback(BEN, other, 7))
        assert alerts(bot)[-1] == "That choice is no longer valid."
        assert not bot.sent(CreateChatInviteLink)
        await bot.feed(f.private_callback(ANN, other, 7))
        edit = bot.sent(EditMessageText)[-1]
        assert edit.chat_id == ANN["id"] and LINK.search(edit.text)
        assert bot.sent(CreateChatInviteLink)[-1].chat_id == OTHER_GROUP
        await bot.feed(f.message(CAT, "/invite", chat_id=CAT["id"]))
        assert "I don't know you from a group with invites on" in last(bot, CAT["id"])


async def test_a_counted_invite_is_announced_ranked_and_exported(db_url: str) -> None:
    now = datetime.now(UTC)
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ANN, "/invite", date=now - timedelta(days=5)))
        link = LINK.search(last(bot, f.GROUP_ID))[0]  # type: ignore[index]
        await bot.feed(f.joined_through(BEN, link, date=now - timedelta(days=4)))
        await bot.feed(f.message(BEN, "/checkin", date=now - timedelta(hours=1)))
        bot.clear()
        await bot.app.deps["growth_sweep"]()
        await bot.feed()
        assert texts(bot, f.GROUP_ID) == [
            "🤝 Ann brought Ben to the group: +50 points for Ben, +50 for Ann."
        ]
        await bot.app.deps["growth_sweep"]()  # once
        await bot.feed(f.message(CAT, "/top invites"))
        board = last(bot, f.GROUP_ID)
        assert board.startswith("🤝 Top inviters") and "Ann" in board
        await bot.feed(f.message(CAT, "/top nonsense"))
        assert "invites" in last(bot, f.GROUP_ID)

        await bot.feed(f.message(ADMIN, "/export invites"))
        document = bot.documents()[-1]
        assert isinstance(document, SendDocument) and "Invites: 1 rows" in document.caption
        rows = list(csv.DictReader(io.StringIO(document.document.data.decode())))  # type: ignore[union-attr]
        assert [(r["inviter_id"], r["invitee_id"], r["rewarded"]) for r in rows] == [
            ("200", "300", "yes")
        ]
        await bot.feed(f.message(ANN, "/invite"))
        assert "Your successful invites: 1" in last(bot, f.GROUP_ID)


async def test_admins_write_the_questions(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ANN, "/onboarding"))
        assert last(bot, f.GROUP_ID) == "Only group administrators can do that."
        await bot.feed(f.message(ADMIN, "/onboarding"))
        panel = last(bot, f.GROUP_ID)
        assert "Onboarding of join requests" in panel and "Questionnaire: ⏸ off" in panel
        assert "Request admin approval" in panel  # the link must require approval: said

        await bot.feed(f.message(ADMIN, "/onboarding add city | Which city? |"))
        assert "needs 2 to 10 options (this one has 0)" in last(bot, f.GROUP_ID)
        many = ", ".join(f"c{i}" for i in range(30))
        await bot.feed(f.message(ADMIN, f"/onboarding add city | Which city? | {many}"))
        assert "(this one has 30)" in last(bot, f.GROUP_ID)
        await bot.feed(f.message(ADMIN, "/onboarding add city | " + "q" * 301))
        assert "at most 300 characters" in last(bot, f.GROUP_ID)
        assert await count(bot, OnboardingQuestion) == 0

        await bot.feed(
            f.message(ADMIN, "/onboarding add city | Which city are you in? | 上海, 北京, 其他")
        )
        assert last(bot, f.GROUP_ID).startswith("➕ Question 1 added: Which city are you in?")
        # The guided add: a button, then a reply to the bot's prompt.
        add_text = buttons(bot)["➕ Text question"]
        bot.clear()
        await bot.feed(f.callback(ADMIN, add_text, 1))
        prompt = bot.sent(SendMessage)[-1]
        assert "Reply to this message with the field and the question" in plain(prompt.text)
        message_id = _last_message_id(bot)
        await bot.feed(
            f.message(
                ADMIN,
                "intro | What brings you here?",
                reply_to=f.bot_message(message_id, "➕ Reply to this message"),
            )
        )
        assert last(bot, f.GROUP_ID).startswith("➕ Question 2 added: What brings you here?")

        # Buttons: only admins; on/off and the order.
        panel_buttons = buttons(bot)
        await bot.feed(f.callback(ANN, panel_buttons["▶️ Turn on"], 2))
        assert alerts(bot)[-1] == "Only group administrators can do that."
        await bot.feed(f.callback(ADMIN, panel_buttons["▶️ Turn on"], 2))
        assert "Questionnaire: ✅ on" in plain(bot.sent(EditMessageText)[-1].text)
        await bot.feed(f.message(ADMIN, "/onboarding move 2 1"))
        assert "1. intro (text)" in last(bot, f.GROUP_ID)
        await bot.feed(f.message(ADMIN, "/onboarding remove 1"))
        assert "🗑 Question 1 removed: What brings you here?" in last(bot, f.GROUP_ID)
        await bot.feed(f.message(XIAO, "/onboarding"))
        assert last(bot, f.GROUP_ID) == "只有群管理员可以这样做。"


def _last_message_id(bot: Harness) -> int:
    """The id the in-process session gave the bot's latest message (its counter's last)."""
    return next(bot.session._ids) - 1


async def test_a_join_request_is_asked_and_approved(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/onboarding add city | Which city? | 上海, 北京, 其他"))
        await bot.feed(f.message(ADMIN, "/onboarding add intro | What brings you here?"))
        await bot.feed(f.message(ADMIN, "/onboarding on"))
        bot.session.join_requests.add((f.GROUP_ID, CAT["id"]))
        bot.clear()
        await bot.feed(f.join_request(CAT))
        first = last(bot, CAT["id"])
        assert "Before you join the group: 2 short questions" in first
        assert "1/2. Which city?" in first
        options = buttons(bot, CAT["id"])
        assert list(options) == ["上海", "北京", "其他"]

        await bot.feed(f.private_callback(BEN, options["北京"], 9))  # someone else's
        assert alerts(bot)[-1] == "These are someone else's questions."
        press = f.private_callback(CAT, options["北京"], 9)
        await bot.feed(press)
        assert "✅ 北京" in plain(bot.sent(EditMessageText)[-1].text)
        assert "2/2. What brings you here?" in last(bot, CAT["id"])
        await bot.feed(press)  # redelivered: nothing moves
        await bot.feed(f.private_callback(CAT, options["上海"], 9))  # a stale button
        assert alerts(bot)[-1] == "That question was answered already."

        await bot.feed(f.message(CAT, "x" * 201, chat_id=CAT["id"]))
        assert "within 200 characters" in last(bot, CAT["id"])
        await bot.feed(f.message(CAT, "Friends told me", chat_id=CAT["id"]))
        assert "You'll be in Test Group in a moment" in last(bot, CAT["id"])
        approvals = bot.sent(ApproveChatJoinRequest)
        assert [(a.chat_id, a.user_id) for a in approvals] == [(f.GROUP_ID, CAT["id"])]
        async with bot.app.session_factory() as s:
            fields = (await s.exec(select(MemberField.field, MemberField.value))).all()
        assert sorted(fields) == [("city", "北京"), ("intro", "Friends told me")]


async def test_admins_decide_with_the_answers(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/start", chat_id=ADMIN["id"]))
        await bot.feed(f.message(ADMIN, "/onboarding add city | Which city? | 上海, 北京"))
        await bot.feed(f.message(ADMIN, "/onboarding on"))
        await bot.feed(f.message(ADMIN, "/onboarding approve admins"))
        assert "Admins decide each request" in last(bot, f.GROUP_ID)
        bot.session.join_requests.add((f.GROUP_ID, XIAO["id"]))
        await bot.feed(f.join_request(XIAO))
        assert "入群前请回答一个小问题" in last(bot, XIAO["id"])
        await bot.feed(f.private_callback(XIAO, buttons(bot, XIAO["id"])["上海"], 3))
        assert "管理员会尽快处理你的申请" in last(bot, XIAO["id"])
        await until(bot, lambda: "Join request" in last(bot, ADMIN["id"]))
        notice = last(bot, ADMIN["id"])
        assert "Join request to Test Group (1/1 answered)" in notice and "city: 上海" in notice
        decide = buttons(bot, ADMIN["id"])

        await bot.feed(f.private_callback(BEN, decide["✅ Approve"], 11))  # not an admin
        assert alerts(bot)[-1] == "Only group administrators can do that."
        assert not bot.sent(ApproveChatJoinRequest)
        await bot.feed(f.private_callback(ADMIN, decide["✅ Approve"], 11))
        assert [(a.user_id) for a in bot.sent(ApproveChatJoinRequest)] == [XIAO["id"]]
        assert "Approved by Ada." in plain(bot.sent(EditMessageText)[-1].text)
        await bot.feed(f.private_callback(ADMIN, decide["❌ Decline"], 11))
        assert alerts(bot)[-1] == "This request was decided already."
        async with bot.app.session_factory() as s:
            audit = (
                await s.exec(select(AuditLog).where(AuditLog.action == "onboarding_approved"))
            ).one()
        assert (audit.actor_id, audit.target_user_id) == (100, XIAO["id"])
