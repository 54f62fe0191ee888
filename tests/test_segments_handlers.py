"""/tag, /untag, /tags, /segments and /whois through the real Dispatcher, in English and
Chinese; members refused with nothing revealed; bad tags and selectors answered clearly."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from aiogram.methods import AnswerCallbackQuery, EditMessageText

from core.calendar import day_start_instant, local_day
from storage.tables import AuditLog, MemberTag
from tests import factories as f
from tests.app_harness import Harness, running_bot

G = f.GROUP_ID
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "Eve", username="eve")
MING = f.user(400, "小明", username="xiaoming", lang="zh-hans")


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def yesterday_noon() -> datetime:
    today = local_day(now(), "Asia/Shanghai")
    return day_start_instant(today - timedelta(days=1), "Asia/Shanghai") + timedelta(hours=12)


async def say(bot: Harness, who: dict, text: str, **kw: object) -> str:
    bot.clear()
    await bot.feed(f.message(who, text, date=kw.pop("date", now()), **kw))  # type: ignore[arg-type]
    return bot.last_text(kw.get("chat_id"))  # type: ignore[arg-type]


async def tags_of(bot: Harness, user_id: int) -> list[str]:
    async with bot.app.session_factory() as s:
        rows = await s.exec(
            sa.select(MemberTag.tag).where(MemberTag.group_id == G, MemberTag.user_id == user_id)
        )
        return sorted(rows.scalars().all())


async def test_tags_by_reply_username_and_id(db_url: str) -> None:
    async with running_bot(db_url, admins={(G, 100)}) as bot:
        earlier = now() - timedelta(hours=1)
        bob_msg = f.message(BOB, "hello everyone", date=earlier)
        await bot.feed(bob_msg, f.message(EVE, "hi there all", date=earlier))
        text = await say(bot, ADMIN, "/tag VIP #gold vip", reply_to=f.message_payload(bob_msg))
        assert text == "🏷 Bob: added gold, vip. Tags: gold, vip"
        assert await say(bot, ADMIN, "/tag @bob beta") == (
            "🏷 Bob: added beta. Tags: beta, gold, vip"
        )
        assert "Eve: added staff" in await say(bot, ADMIN, "/tag 00300 staff")
        assert "already has that" in await say(bot, ADMIN, "/tag @BOB Vip")
        assert "Bob: removed gold. Tags: beta, vip" in await say(bot, ADMIN, "/untag @bob gold")
        assert "Bob has no tag nothere" in await say(bot, ADMIN, "/untag @bob nothere")

        listing = await say(bot, ADMIN, "/tags")
        assert "Tags in this group (3)" in listing
        assert "• beta — 1" in listing and "• staff — 1" in listing
        assert await say(bot, ADMIN, "/tags @bob") == "🏷 Bob: beta, vip"
        assert await say(bot, ADMIN, "/tags @eve") == "🏷 Eve: staff"

        # Bad input: a clear message, nothing changed.
        bad = await say(bot, ADMIN, "/tag @bob <b>x</b>")
        assert "“&lt;b&gt;x&lt;/b&gt;” is not a tag" in bad and "<b>x" not in bad
        assert "too long for a tag: 32 characters at most" in await say(
            bot, ADMIN, "/tag @bob " + "x" * 200
        )
        assert "Which tags?" in await say(bot, ADMIN, "/tag @bob")
        assert "Who?" in await say(bot, ADMIN, "/tag")
        assert "don't know the member @nobody" in await say(bot, ADMIN, "/tag @nobody vip")
        assert "don't know the member @nobody" in await say(bot, ADMIN, "/tags @nobody")
        assert await tags_of(bot, 200) == ["beta", "vip"]

        # A member is refused, learns nothing, changes nothing.
        for command in (
            "/tag @bob x",
            "/untag @bob vip",
            "/tags",
            "/tags @bob",
            "/whois @bob",
            "/segments",
            "/segments tag:vip",
        ):
            assert await say(bot, EVE, command) == "Only group administrators can do that."
        assert await tags_of(bot, 200) == ["beta", "vip"]

        async with bot.app.session_factory() as s:
            actions = (
                await s.exec(
                    sa.select(AuditLog.action, AuditLog.target_user_id, AuditLog.details)
                    .where(AuditLog.action.like("tag_%"))
                    .order_by(AuditLog.id)
                )
            ).all()
        assert [(a, t) for a, t, _ in actions] == [
            ("tag_added", 200),
            ("tag_added", 200),
            ("tag_added", 300),
            ("tag_removed", 200),
        ]
        assert actions[0][2] == '{"tags": ["gold", "vip"]}'


async def test_segments_overview_list_export_and_whois(db_url: str) -> None:
    async with running_bot(db_url, admins={(G, 100)}) as bot:
        earlier = yesterday_noon()  # the daily run computes the last complete day
        bob_msg = f.message(BOB, "hello everyone", date=earlier)
        await bot.feed(
            bob_msg,
            f.message(EVE, "hi there all", date=earlier),
            f.message(ADMIN, "good morning", date=earlier),
        )
        await bot.feed(f.message(BOB, "/checkin", date=earlier))
        await say(bot, ADMIN, "/tag @bob vip")
        segments = bot.app.deps["segments"]
        group = await bot.app.deps["groups"].settings_for(G)
        report = await segments.refresh(group)
        assert report.recorded and report.read == 3

        overview = await say(bot, ADMIN, "/segments")
        assert "Segments · Test Group" in overview and "3 members · stages as of" in overview
        assert "🔥 Active — 3 · 100.0%" in overview
        assert "💎 Core — 1 · 33.3%" in overview  # Bob earned the check-in's points
        assert "No moves in the last week." in overview
        sent = bot.sent()[-1]
        buttons = [b for row in sent.reply_markup.inline_keyboard for b in row]
        active = next(b for b in buttons if b.text == "🔥 3")
        assert active.callback_data == f"sg:l:{G}:active:0"

        # The active members' page, edited in place; its CSV.
        bot.clear()
        await bot.feed(f.callback(ADMIN, active.callback_data, 1))
        page = [c for c in bot.session.calls if isinstance(c, EditMessageText)][-1]
        assert "👥 <b>active</b> — 3 members" in page.text
        # In the group: names, no mentions (a link or @username would notify them all).
        assert "• Bob <code>@bob</code>" in page.text and "tg://user" not in page.text
        export = next(
            b for row in page.reply_markup.inline_keyboard for b in row if b.text == "⬇️ CSV"
        )
        bot.clear()
        await bot.feed(f.callback(ADMIN, export.callback_data, 1))
        doc = bot.documents()[-1]
        rows = list(csv.DictReader(io.StringIO(doc.document.data.decode())))
        assert [r["user_id"] for r in rows] == ["100", "200", "300"]
        assert rows[1]["tags"] == "vip" and rows[1]["tier"] == "core"
        assert doc.caption == "👥 active: 3 members"

        # A member pressing the admin's button: an alert, nothing shown.
        bot.clear()
        await bot.feed(f.callback(EVE, export.callback_data, 1))
        alert = [c for c in bot.session.calls if isinstance(c, AnswerCallbackQuery)][-1]
        assert alert.show_alert and "administrators" in alert.text
        assert not bot.documents()

        # Selectors: a list, an error that says where.
        picked = await say(bot, ADMIN, "/segments active+tag:vip")
        assert "active+tag:vip</b> — 1 members" in picked and "Bob" in picked
        assert (
            await say(bot, ADMIN, "/segments dormnt")
            == "Unknown term “dormnt” at position 1; did you mean dormant?"
        )
        assert "No member has the tag “vipp”" in await say(bot, ADMIN, "/segments tag:vipp")

        # The card, by reply and by @username.
        card = await say(bot, ADMIN, "/whois", reply_to=f.message_payload(bob_msg))
        assert card.startswith("🪪 <b>Bob</b> <code>@bob</code> · id 200")
        for line in (
            "First seen",
            "(yesterday)",
            "📅 Check-in days in the last 30: 1",
            "🔥 Streak 1 (best 1) · 1 check-ins",
            "💰 11 points · 11 earned in all · level 1 Newcomer",
            "🎁 0 redemptions (0 pending) · 💬 0 feedback · 📋 0 surveys · 🗳 0 polls",
            "🧭 Stage: Active since",
            "💎 Tier: Core (11 points in 30 days)",
            "⚠️ Risk: low — active lately",
            "🏷 vip",
        ):
            assert line in card, line
        assert (await say(bot, ADMIN, "/whois @bob")) == card
        assert "don't know the member @nobody" in await say(bot, ADMIN, "/whois @nobody")

        # In private: the card of a member of the group the person administers; to anyone
        # else the same answer whether or not the member exists.
        private = await say(bot, ADMIN, "/whois @bob", chat_id=100)
        assert private == card
        nobody = "I know no member @bob in a group you administer."
        assert await say(bot, EVE, "/whois @bob", chat_id=300) == nobody
        assert await say(bot, EVE, "/whois @nobody", chat_id=300) == (
            "I know no member @nobody in a group you administer."
        )
        assert "Segments · Test Group" in await say(bot, ADMIN, "/segments", chat_id=100)
        listed = await say(bot, ADMIN, "/segments tag:vip", chat_id=100)
        assert '<a href="tg://user?id=200">Bob</a>' in listed  # in private: links
        assert "You administer no group I know" in await say(bot, EVE, "/segments", chat_id=300)


async def test_in_chinese(db_url: str) -> None:
    async with running_bot(db_url, admins={(G, 400)}) as bot:
        await bot.feed(f.message(BOB, "hello everyone", date=now() - timedelta(minutes=5)))
        assert "Bob:已添加 大客户" in await say(bot, MING, "/tag @bob 大客户")
        assert "不能作为标签" in await say(bot, MING, "/tag @bob a&b")
        overview = await say(bot, MING, "/segments")
        assert "用户分层 · Test Group" in overview and "首次每日更新即将完成" in overview
        assert "第 1 个字符处的“沉睡x”无法识别" in await say(bot, MING, "/segments 沉睡x")
        card = await say(bot, MING, "/whois @bob")
        assert "阶段:活跃" in card and "🏷 大客户" in card and "风险:低" in card
        assert "<b>new,returned</b> — 0 人" in await say(bot, MING, "/segments 新人,回流")


async def test_private_whois_asks_which_group(db_url: str) -> None:
    other = -1009988776655
    async with running_bot(db_url, admins={(G, 100), (other, 100)}) as bot:
        for chat in (G, other):
            await bot.feed(
                f.message(BOB, "hello everyone", chat_id=chat, date=now()),
                f.message(ADMIN, "hi", chat_id=chat, date=now()),
            )
        await say(bot, ADMIN, "/tag @bob vip")
        asked = await say(bot, ADMIN, "/whois @bob", chat_id=100)
        assert asked == "@bob is in several of your groups. Which one?"
        buttons = [b for row in bot.sent()[-1].reply_markup.inline_keyboard for b in row]
        assert len(buttons) == 2
        chosen = next(b for b in buttons if str(G) in b.callback_data)
        bot.clear()
        await bot.feed(f.callback(ADMIN, chosen.callback_data, 7, chat_id=100))
        card = [c for c in bot.session.calls if isinstance(c, EditMessageText)][-1]
        assert card.text.startswith("🪪 <b>Bob</b> <code>@bob</code>")
        assert "🏷 vip" in card.text
        # Bob cannot use the button (he administers neither group).
        bot.clear()
        await bot.feed(f.callback(BOB, chosen.callback_data, 7, chat_id=200))
        alert = [c for c in bot.session.calls if isinstance(c, AnswerCallbackQuery)][-1]
        assert alert.show_alert and not [
            c for c in bot.session.calls if isinstance(c, EditMessageText)
        ]
