"""Member tracking in detail: who joined, left, spoke, and under which name, as the DB records it.

Complements test_member_tracking.py (the broad walk) with one behaviour per test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from core.engagement.settings import checkin_points
from devtools.inprocess import BOT_USER
from storage.tables import AuditLog, ChatGroup, LedgerEntry, Member, TgUser
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.group_service import stored_settings

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai
HOUR = timedelta(hours=1)
ADA = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob", lang="zh-hans")
CAT = f.user(300, "Cat", username="cat", lang="de")
DAN = f.user(400, "Dan")
BOT = BOT_USER.model_dump(exclude_none=True)
TELEGRAM = {"id": 777000, "is_bot": False, "first_name": "Telegram"}


async def member(bot: Harness, user_id: int) -> Member | None:
    async with bot.app.session_factory() as s:
        return (
            await s.exec(
                select(Member).where(Member.group_id == f.GROUP_ID, Member.user_id == user_id)
            )
        ).one_or_none()


async def tg_user(bot: Harness, user_id: int) -> TgUser | None:
    async with bot.app.session_factory() as s:
        return (await s.exec(select(TgUser).where(TgUser.id == user_id))).one_or_none()


async def group_row(bot: Harness) -> ChatGroup:
    async with bot.app.session_factory() as s:
        return (await s.exec(select(ChatGroup).where(ChatGroup.id == f.GROUP_ID))).one()


async def member_ids(bot: Harness) -> list[int]:
    async with bot.app.session_factory() as s:
        rows = await s.exec(select(Member.user_id).order_by(Member.user_id))
        return list(rows.all())


def top_names(text: str) -> str:
    """The ranked lines of a /top answer (without its title)."""
    assert "Top members by points" in text, text
    return text.split("\n", 1)[1]


# ---- joins -------------------------------------------------------------------------------


async def test_join_message_records_every_real_new_member(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        # Ada adds Bob, Cat, the bot itself and Telegram's service account in one message.
        await bot.feed(
            f.service_message(ADA, new_chat_members=[BOB, CAT, BOT, TELEGRAM], date=DAY)
        )
        assert await member_ids(bot) == [200, 300]  # neither the bot nor the service account
        for user_id in (200, 300):
            m = await member(bot, user_id)
            assert m is not None
            assert (m.first_seen_at, m.joined_at, m.left_at) == (DAY, DAY, None)
            assert m.last_active_at is None  # joining is not speaking
            assert (m.points, m.checkins, m.streak) == (0, 0, 0)
        bob, cat = await tg_user(bot, 200), await tg_user(bot, 300)
        assert bob and (bob.username, bob.display_name, bob.language_code) == (
            "bob",
            "Bob",
            "zh-hans",
        )
        assert cat and (cat.username, cat.display_name, cat.language_code) == ("cat", "Cat", "de")
        assert await tg_user(bot, BOT["id"]) is None
        assert bot.texts() == []  # joins are silent
        async with bot.app.session_factory() as s:
            ledger = (await s.exec(select(func.count()).select_from(LedgerEntry))).one()
        assert ledger == 0  # a service message earns no activity point


async def test_chat_member_join_then_first_message(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.member_update(CAT, "left", "member", date=DAY))
        cat = await member(bot, 300)
        assert cat and (cat.first_seen_at, cat.joined_at, cat.last_active_at) == (DAY, DAY, None)

        await bot.feed(f.message(CAT, "hallo zusammen", date=DAY + HOUR))
        cat = await member(bot, 300)
        assert cat and cat.first_seen_at == DAY and cat.joined_at == DAY
        assert cat.last_active_at == DAY + HOUR
        assert cat.points == 1  # an ordinary activity point

        # A later message moves last_active_at only.
        await bot.feed(f.message(CAT, "noch etwas", date=DAY + 2 * HOUR))
        cat = await member(bot, 300)
        assert cat and (cat.first_seen_at, cat.joined_at, cat.last_active_at) == (
            DAY,
            DAY,
            DAY + 2 * HOUR,
        )


async def test_first_seen_by_message_and_profile_changes(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(DAN, "hello all", date=DAY))
        dan = await member(bot, 400)
        assert dan and (dan.first_seen_at, dan.last_active_at, dan.joined_at, dan.left_at) == (
            DAY,
            DAY,
            None,
            None,
        )
        user = await tg_user(bot, 400)
        assert user and (user.username, user.display_name, user.language_code) == (
            None,
            "Dan",
            "en",
        )

        # Dan picks a username, a full name and another language: the next message updates them.
        renamed = {**DAN, "first_name": "Daniel", "last_name": "Ng", "username": "dan_ng"}
        renamed["language_code"] = "fr"
        await bot.feed(f.message(renamed, "bonjour", date=DAY + HOUR))
        user = await tg_user(bot, 400)
        assert user and (user.username, user.display_name, user.language_code) == (
            "dan_ng",
            "Daniel Ng",
            "fr",
        )
        dan = await member(bot, 400)
        assert dan and dan.first_seen_at == DAY and dan.last_active_at == DAY + HOUR


async def test_commands_and_checkins_count_as_being_seen(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(ADA, "/top", date=DAY))
        await bot.feed(f.message(BOB, "签到", date=DAY + HOUR))
        ada, bob = await member(bot, 100), await member(bot, 200)
        assert ada and ada.first_seen_at == DAY and ada.last_active_at == DAY
        assert ada.points == 0  # a command is not chat activity
        assert bob and bob.first_seen_at == DAY + HOUR and bob.points == 10


# ---- leaves ------------------------------------------------------------------------------


async def test_every_way_of_leaving_sets_left_at(db_url: str) -> None:
    users = [f.user(500 + i, f"M{i}") for i in range(5)]
    async with running_bot(db_url) as bot:
        await bot.feed(*[f.message(u, "present and talking", date=DAY) for u in users])
        gone = DAY + HOUR
        await bot.feed(
            f.service_message(users[0], left_chat_member=users[0], date=gone),  # left by itself
            f.service_message(ADA, left_chat_member=users[1], date=gone),  # removed by Ada
            f.member_update(users[2], "member", "left", date=gone),
            f.member_update(users[3], "member", "kicked", by=ADA, date=gone),
            f.restricted_update(users[4], is_member=False, by=ADA, date=gone),
        )
        for u in users:
            m = await member(bot, u["id"])
            assert m is not None and m.left_at == gone, u
            assert m.first_seen_at == DAY and m.points == 1  # history is kept


async def test_restricted_but_present_is_not_a_leave(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(CAT, "talking a lot", date=DAY))
        await bot.feed(f.restricted_update(CAT, is_member=True, by=ADA, date=DAY + HOUR))
        cat = await member(bot, 300)
        assert cat and cat.left_at is None and cat.joined_at is None


async def test_leave_of_a_never_seen_member_is_recorded(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.service_message(DAN, left_chat_member=DAN, date=DAY))
        dan = await member(bot, 400)
        assert dan and (dan.first_seen_at, dan.left_at, dan.joined_at) == (DAY, DAY, None)


async def test_left_member_is_off_the_leaderboard_until_they_return(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(*[f.message(u, "/checkin", date=DAY) for u in (ADA, BOB, CAT)])
        await bot.feed(f.message(ADA, "/top", date=DAY))
        assert all(name in top_names(bot.last_text()) for name in ("Ada", "Bob", "Cat"))

        gone = DAY + HOUR
        await bot.feed(f.member_update(CAT, "member", "left", date=gone))
        await bot.feed(f.message(ADA, "/top", date=gone))
        board = top_names(bot.last_text())
        assert "Cat" not in board and "Ada" in board and "Bob" in board
        await bot.feed(f.message(ADA, "/top checkins", date=gone))
        assert "Cat" not in bot.last_text()

        # Cat comes back (added by Ada): left_at is cleared, the points were kept all along.
        back = gone + HOUR
        await bot.feed(f.service_message(ADA, new_chat_members=[CAT], date=back))
        cat = await member(bot, 300)
        assert cat and cat.left_at is None and cat.joined_at == back and cat.points == 10
        assert cat.first_seen_at == DAY
        await bot.feed(f.message(ADA, "/top", date=back))
        assert "Cat" in top_names(bot.last_text())


async def test_speaking_again_clears_a_stale_leave(db_url: str) -> None:
    """Telegram does not always report a rejoin; a member who speaks is in the group."""
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "first words", date=DAY))
        await bot.feed(f.service_message(BOB, left_chat_member=BOB, date=DAY + HOUR))
        assert (await member(bot, 200)).left_at == DAY + HOUR  # type: ignore[union-attr]
        await bot.feed(f.message(BOB, "I am back", date=DAY + 2 * HOUR))
        bob = await member(bot, 200)
        assert bob and bob.left_at is None and bob.last_active_at == DAY + 2 * HOUR


async def test_rejoin_by_chat_member_update_clears_left_at(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.member_update(BOB, "left", "member", date=DAY))
        await bot.feed(f.member_update(BOB, "member", "kicked", by=ADA, date=DAY + HOUR))
        await bot.feed(f.member_update(BOB, "kicked", "left", by=ADA, date=DAY + 2 * HOUR))
        bob = await member(bot, 200)
        assert bob and bob.left_at == DAY + HOUR  # unbanned, but still not in the group
        back = DAY + 3 * HOUR
        await bot.feed(f.member_update(BOB, "left", "member", date=back))
        bob = await member(bot, 200)
        assert bob and bob.left_at is None and bob.joined_at == back and bob.first_seen_at == DAY


async def test_redelivered_join_does_not_undo_a_later_leave(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        join = f.member_update(CAT, "left", "member", date=DAY)
        await bot.feed(join)
        await bot.feed(f.member_update(CAT, "member", "left", date=DAY + HOUR))
        await bot.feed(join)  # Telegram sends it again: already processed, changes nothing
        cat = await member(bot, 300)
        assert cat and cat.left_at == DAY + HOUR and cat.joined_at == DAY


async def test_kick_right_after_a_message_in_the_same_batch(db_url: str) -> None:
    """A spammer's last message and the admin's ban arrive in one getUpdates batch.

    The two updates run in different lanes (the ban's sender is the admin), so their writes may
    land in either order; the member must end up as having left either way.
    """
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(CAT, "first, harmless", date=DAY))
        for i in range(6):
            spammer = f.user(600 + i, f"Spam{i}")
            at = DAY + timedelta(minutes=10 * (i + 1))
            banned = at + timedelta(seconds=i % 2)  # a bot-assisted ban can share the second
            await bot.feed(
                f.message(spammer, "buy cheap followers now", date=at),
                f.member_update(spammer, "member", "kicked", by=ADA, date=banned),
            )
            m = await member(bot, spammer["id"])
            assert m is not None and m.left_at == banned, i
        await bot.feed(f.message(ADA, "/top", date=DAY + HOUR))
        assert "Spam" not in bot.last_text()


async def test_name_learnt_at_a_join_does_not_stick_over_later_messages(db_url: str) -> None:
    """The join path writes tg_user too; later messages must still refresh what it wrote."""
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(BOB, "你好,大家", date=DAY))
        await bot.feed(f.member_update(BOB, "member", "left", date=DAY + HOUR))
        # Added back by Ada: the user object of a join may lack language_code (and Bob may show
        # another name meanwhile).
        as_added = f.user(200, "Bobby", username="bob", lang=None)
        await bot.feed(f.service_message(ADA, new_chat_members=[as_added], date=DAY + 2 * HOUR))
        user = await tg_user(bot, 200)
        assert user and (user.display_name, user.language_code) == ("Bobby", None)
        await bot.feed(f.message(BOB, "我回来了啊", date=DAY + 3 * HOUR))
        user = await tg_user(bot, 200)
        assert user and (user.display_name, user.language_code) == ("Bob", "zh-hans")


# ---- the bot itself ----------------------------------------------------------------------


async def test_bot_added_registers_the_group_and_greets_once(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(
            f.member_update(BOT, "left", "member", by=ADA, date=DAY, kind="my_chat_member")
        )
        texts = bot.texts(f.GROUP_ID)
        assert len(texts) == 1 and "Hello, Test Group!" in texts[0] and "/checkin" in texts[0]
        group = await group_row(bot)
        assert group.is_active and group.title == "Test Group" and group.added_at == DAY
        # The deployment's defaults are pinned for the group; the others are the declared ones.
        assert await stored_settings(bot.app.session_factory, f.GROUP_ID) == {
            "timezone": "Asia/Shanghai",
            "language": "en",
        }
        settings = await bot.app.deps["groups"].settings_for(f.GROUP_ID)
        assert (settings.timezone, settings.language, checkin_points(settings)) == (
            "Asia/Shanghai",
            "en",
            10,
        )
        async with bot.app.session_factory() as s:
            audit = (await s.exec(select(AuditLog))).all()
        assert [(a.action, a.actor_id, a.group_id) for a in audit] == [
            ("bot_added", 100, f.GROUP_ID)
        ]
        assert await member_ids(bot) == []  # the bot is not a member, Ada did not speak

        # Being made an administrator is not a second arrival: no second greeting.
        await bot.feed(
            f.promoted_update(BOT, by=ADA, date=DAY + HOUR, kind="my_chat_member"),
            f.promoted_update(CAT, by=ADA, date=DAY + HOUR),  # nor is a member's promotion a join
        )
        assert len(bot.texts(f.GROUP_ID)) == 1
        assert (await group_row(bot)).is_active and await member_ids(bot) == []


async def test_bot_removed_deactivates_and_readded_reactivates(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(
            f.member_update(BOT, "left", "member", by=ADA, date=DAY, kind="my_chat_member")
        )
        # Settings survive removal.
        await bot.feed(f.message(ADA, "/checkin", date=DAY))
        removed = DAY + HOUR
        await bot.feed(
            f.member_update(BOT, "member", "kicked", by=ADA, date=removed, kind="my_chat_member")
        )
        group = await group_row(bot)
        assert not group.is_active and group.removed_at == removed
        assert len(bot.texts(f.GROUP_ID)) == 2  # the greeting and Ada's check-in; no farewell

        back = DAY + 2 * HOUR
        await bot.feed(
            f.member_update(BOT, "left", "member", by=BOB, date=back, kind="my_chat_member")
        )
        group = await group_row(bot)
        assert group.is_active and group.removed_at is None
        assert "Hello, Test Group!" in bot.last_text(f.GROUP_ID)
        ada = await member(bot, 100)
        assert ada and ada.points == 10  # members and points outlive the bot's absence
