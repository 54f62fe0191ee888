"""Members are tracked from what Telegram shows: joins, leaves, messages, chat_member updates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from devtools.inprocess import BOT_USER
from storage.tables import ChatGroup, Member, TgUser
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.group_service import stored_settings

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADA = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob", lang="zh-hans")
CAT = f.user(300, "Cat")
BOT = BOT_USER.model_dump(exclude_none=True)


async def member(bot: Harness, user_id: int) -> Member | None:
    async with bot.app.session_factory() as s:
        return (
            await s.exec(
                select(Member).where(Member.group_id == f.GROUP_ID, Member.user_id == user_id)
            )
        ).one_or_none()


async def test_joins_leaves_and_messages(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.service_message(ADA, new_chat_members=[ADA, CAT], date=DAY))
        ada, cat = await member(bot, 100), await member(bot, 300)
        assert (
            ada and cat and ada.joined_at == DAY and cat.joined_at == DAY and ada.left_at is None
        )

        later = DAY + timedelta(hours=2)
        await bot.feed(f.message(BOB, "大家好,很高兴加入", date=later))  # first seen by a message
        bob = await member(bot, 200)
        assert bob and bob.first_seen_at == later and bob.last_active_at == later
        assert bob.joined_at is None  # we never saw Bob join
        async with bot.app.session_factory() as s:
            user = (await s.exec(select(TgUser).where(TgUser.id == 200))).one()
        assert (user.username, user.display_name, user.language_code) == ("bob", "Bob", "zh-hans")

        await bot.feed(f.service_message(CAT, left_chat_member=CAT, date=later))
        assert (await member(bot, 300)).left_at == later
        await bot.feed(f.member_update(ADA, "member", "kicked", by=BOB, date=later))
        assert (await member(bot, 100)).left_at == later

        # A left member is not on the leaderboard; coming back clears left_at.
        await bot.feed(f.message(BOB, "/checkin", date=later), f.message(ADA, "/top", date=later))
        assert "Ada" not in bot.last_text().split("\n", 1)[1] and "Bob" in bot.last_text()
        back = later + timedelta(days=1)
        await bot.feed(f.member_update(ADA, "left", "member", date=back))
        ada = await member(bot, 100)
        assert ada.left_at is None and ada.joined_at == back


async def test_bot_added_and_removed(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(
            f.member_update(BOT, "left", "member", by=ADA, date=DAY, kind="my_chat_member")
        )
        assert "/checkin" in bot.last_text()  # the greeting with a short how-to
        async with bot.app.session_factory() as s:
            group = (await s.exec(select(ChatGroup).where(ChatGroup.id == f.GROUP_ID))).one()
        assert group.is_active
        assert (await stored_settings(bot.app.session_factory, f.GROUP_ID))["timezone"] == (
            "Asia/Shanghai"
        )

        await bot.feed(
            f.member_update(BOT, "member", "kicked", by=ADA, date=DAY, kind="my_chat_member")
        )
        async with bot.app.session_factory() as s:
            group = (await s.exec(select(ChatGroup).where(ChatGroup.id == f.GROUP_ID))).one()
        assert not group.is_active
