"""What real groups send: upgraded groups, anonymous admins, odd arguments, stale buttons."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import Update

from bot.html_clip import clip_html, visible_length
from bot.i18n import Locales
from core.engagement.leaderboard import Board, Entry
from handlers.engagement.leaderboard import render_board
from storage.db import SessionFactory
from storage.tables import AuditLog, ChatGroup, Checkin, GroupMigration, LedgerEntry, Member
from tests import board_oracle as oracle
from tests import factories as f
from tests.app_harness import running_bot

OLD, NEW = -4000100, -1004000100  # a basic group and the supergroup it becomes
ADMIN, ANN, BEN, CY = 7001, 7002, 7003, 7004
ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
_ids = itertools.count(900_000)


def _chat(chat_id: int) -> dict[str, Any]:
    kind = "group" if chat_id == OLD else "supergroup"
    return {"id": chat_id, "type": kind, "title": "Runners"}


def msg(chat_id: int, user: dict[str, Any], at: datetime | None = None, **fields: Any) -> Update:
    body: dict[str, Any] = {
        "message_id": next(_ids),
        "date": f.ts(at),
        "chat": _chat(chat_id),
        "from": user,
        **fields,
    }
    text = fields.get("text", "")
    if text.startswith("/"):
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return Update.model_validate({"update_id": f.next_update_id(), "message": body})


async def _member(session_factory: SessionFactory, group_id: int, user_id: int) -> Any:
    async with session_factory() as s:
        return await s.get(Member, (group_id, user_id))


async def _count(session_factory: SessionFactory, table: Any, group_id: int) -> int:
    async with session_factory() as s:
        stmt = sa.select(sa.func.count()).select_from(table).where(table.group_id == group_id)
        return (await s.exec(stmt)).one()[0]


async def _boards_agree(session_factory: SessionFactory) -> None:
    """The rank counts moved with the members: none left under the old id, the new id's match
    its member rows."""
    async with session_factory() as s:
        old, new = await oracle.snapshot(s, OLD), await oracle.snapshot(s, NEW)
    assert old.counts == {}
    assert new.counts == oracle.value_counts(new) and new.counts


async def test_a_group_upgraded_to_a_supergroup_keeps_everything(
    db_url: str, session_factory: SessionFactory
) -> None:
    admin, ben, cy = f.user(ADMIN, "Ada"), f.user(BEN, "Ben"), f.user(CY)
    ann = f.user(ANN, "Ann", username="ann")
    day1 = datetime.now(UTC) - timedelta(days=1)
    async with running_bot(db_url, admins={(OLD, ADMIN), (NEW, ADMIN)}) as bot:
        await bot.feed(msg(OLD, admin, day1, text="/settings checkin_points 20"))
        await bot.feed(msg(OLD, ann, day1, text="/checkin"), msg(OLD, ben, day1, text="/checkin"))
        await bot.feed(msg(OLD, admin, day1, text="/grant @ann 5"))
        assert (await _member(session_factory, OLD, ANN)).points == 25

        # Telegram sends both service messages; here the old chat's comes first.
        await bot.feed(msg(OLD, admin, day1, migrate_to_chat_id=NEW))
        await bot.feed(msg(NEW, admin, day1, migrate_from_chat_id=OLD))

        bot.clear()
        await bot.feed(msg(NEW, ann, day1, text="/checkin"))  # same local day
        assert "already checked in" in bot.last_text()
        await bot.feed(msg(NEW, ben, day1 + timedelta(days=1), text="/checkin"))
        assert "streak 2 days, +20 points" in bot.last_text()  # streak and settings carried
        # A late update still addressed to the old chat finds the community.
        await bot.feed(msg(OLD, cy, day1, text="/checkin"))
        await bot.feed(msg(NEW, ann, text="/me"))
        assert "Points: 25" in bot.last_text()

    assert (await _member(session_factory, NEW, ANN)).points == 25
    assert (await _member(session_factory, NEW, BEN)).streak == 2
    assert (await _member(session_factory, NEW, CY)).checkins == 1
    for table in (Member, Checkin, LedgerEntry):
        assert await _count(session_factory, table, OLD) == 0
    assert await _count(session_factory, Checkin, NEW) == 4
    async with session_factory() as s:
        groups = (await s.exec(sa.select(ChatGroup.id))).all()
        moves = (await s.exec(sa.select(GroupMigration.old_id, GroupMigration.new_id))).all()
        audited = (
            await s.exec(sa.select(AuditLog.action).where(AuditLog.action == "group_migrated"))
        ).all()
    assert [g[0] for g in groups] == [NEW]
    await _boards_agree(session_factory)
    assert [tuple(m) for m in moves] == [(OLD, NEW)]
    assert len(audited) == 1  # the second service message changed nothing


async def test_the_new_chat_used_before_the_move_is_merged(
    db_url: str, session_factory: SessionFactory
) -> None:
    admin, ann = f.user(ADMIN, "Ada"), f.user(ANN, "Ann")
    day1 = datetime.now(UTC) - timedelta(days=2)
    async with running_bot(db_url, admins={(OLD, ADMIN), (NEW, ADMIN)}) as bot:
        await bot.feed(msg(OLD, admin, day1, text="/settings checkin_points 30"))
        await bot.feed(msg(OLD, ann, day1, text="/checkin"))
        # Ann writes in the new chat before the move is known there: a group of its own.
        await bot.feed(msg(NEW, ann, day1 + timedelta(days=1), text="/checkin"))
        await bot.feed(msg(NEW, admin, day1 + timedelta(days=1), migrate_from_chat_id=OLD))
        await bot.feed(msg(OLD, admin, day1 + timedelta(days=1), migrate_to_chat_id=NEW))
        bot.clear()
        await bot.feed(msg(NEW, ann, day1 + timedelta(days=2), text="/checkin"))
        assert "+30 points" in bot.texts()[0]  # the old group's settings won
        assert bot.last_text() == "🎉 Ann reached level 2 · Regular"  # 70 earned in all
    merged = await _member(session_factory, NEW, ANN)
    assert merged.points == 30 + 10 + 30 and merged.checkins == 3
    assert merged.lifetime_earned == 70  # the two rows' totals added up
    # The two streaks are not joined up: the longer one goes on (a race of a few seconds).
    assert merged.streak == 2
    assert await _count(session_factory, Member, OLD) == 0
    await _boards_agree(session_factory)


async def test_anonymous_admins_may_use_admin_commands(
    db_url: str, session_factory: SessionFactory
) -> None:
    group = f.GROUP_ID
    ann = f.user(ANN, "Ann", username="ann")
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(ann, "/checkin"))
        anonymous = msg(
            group,
            ANONYMOUS_ADMIN,
            text="/grant @ann 15 thanks",
            sender_chat={"id": group, "type": "supergroup", "title": "Runners"},
        )
        bot.clear()
        await bot.feed(anonymous)
        assert "Ann" in bot.last_text() and "15" in bot.last_text()
        # A post forwarded from a linked channel is not an administrator's.
        channel = msg(
            group,
            {"id": 136817688, "is_bot": True, "first_name": "Channel"},
            text="/grant @ann 15",
            sender_chat={"id": -1009999, "type": "channel", "title": "News"},
        )
        await bot.feed(channel)
        assert bot.last_text() == "Only group administrators can do that."
    assert (await _member(session_factory, group, ANN)).points == 25
    async with session_factory() as s:
        actors = (
            await s.exec(sa.select(AuditLog.actor_id).where(AuditLog.action == "grant"))
        ).all()
    assert [a[0] for a in actors] == [group]  # audited with the group as the actor


async def test_odd_arguments_get_clear_answers(db_url: str) -> None:
    admin = f.user(ADMIN, "Ada")
    async with running_bot(db_url, admins={(f.GROUP_ID, ADMIN)}) as bot:
        await bot.feed(f.message(admin, "/grant @" + "x" * 300 + " 5"))
        text = bot.last_text()
        assert "{???}" not in text and "I don't know the member @xxx" in text
        assert len(text) < 200
        await bot.feed(f.message(admin, "/grant 99999999999999999999999 5"))
        assert "I don't know the member 9999" in bot.last_text()
        await bot.feed(f.message(admin, "/grant -5 5"))
        assert "Who?" in bot.last_text()


async def test_every_button_press_is_answered(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.callback(f.user(ANN), "garbage:from-an-old-version", 5))
        answers = bot.sent(AnswerCallbackQuery)
        assert len(answers) == 1 and answers[0].text == "This button is no longer active."


async def test_a_message_from_the_future_counts_today(
    db_url: str, session_factory: SessionFactory
) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(
            f.message(f.user(ANN), "/checkin", date=datetime.now(UTC) + timedelta(days=3))
        )
    async with session_factory() as s:
        days = (await s.exec(sa.select(Checkin.day))).all()
    today = (datetime.now(UTC) + timedelta(hours=8) - timedelta(minutes=1)).date()  # Shanghai
    assert [d[0] for d in days] in ([today], [today + timedelta(days=1)])
    assert days[0][0] <= (datetime.now(UTC) + timedelta(hours=8, minutes=6)).date()


async def test_a_new_title_is_stored(db_url: str, session_factory: SessionFactory) -> None:
    async with running_bot(db_url) as bot:
        await bot.feed(f.message(f.user(ANN), "/checkin"))
        renamed = f.service_message(f.user(ADMIN), new_chat_title="Runners 2027")
        await bot.feed(renamed)
        await bot.feed(f.message(f.user(ANN), "/me", chat_id=ANN))
        assert "Runners 2027" in bot.last_text()
    async with session_factory() as s:
        assert (await s.exec(sa.select(ChatGroup.title))).one()[0] == "Runners 2027"


async def test_a_captioned_photo_is_a_check_in(
    db_url: str, session_factory: SessionFactory
) -> None:
    async with running_bot(db_url) as bot:
        command = f.photo_message(f.user(ANN), "/checkin")
        await bot.feed(command)
        await bot.feed(f.photo_message(f.user(BEN), "打卡"))
        await bot.feed(f.photo_message(f.user(CY), "a nice run today"))
    async with session_factory() as s:
        users = (await s.exec(sa.select(Checkin.user_id).order_by(Checkin.user_id))).all()
    assert [u[0] for u in users] == [ANN, BEN]


def test_long_replies_are_clipped_by_what_telegram_counts() -> None:
    t = Locales().get("en")
    names = ["&<" * 30 + f" {i}" for i in range(10)]
    board = Board("points", [Entry(i + 1, i, name, 100 - i) for i, name in enumerate(names)], None)
    text = render_board(t, board)
    assert len(text) > 4096 // 4 and visible_length(text) < 4096
    assert clip_html(text, 4096) == text  # nothing lost: the visible text fits
    clipped = clip_html(text, 300)
    assert visible_length(clipped) <= 300 and clipped.endswith("…")
    assert "&am…" not in clipped and clipped.count("&lt;") * 4 <= len(clipped)
    bold = clip_html("<b>" + "x" * 500 + "</b> tail", 50)
    assert bold.endswith("…</b>") and visible_length(bold) == 50
    emoji = clip_html("😀" * 3000, 4096)  # each counts 2 in UTF-16
    assert len(emoji) == 2048 and emoji.endswith("…")


def test_long_user_arguments_never_blank_a_message() -> None:
    t = Locales().get("en")
    for value in ("x" * 10_000, "&" * 3_000, "<" * 2_600):
        text = t("error-target-not-found", target=value)
        assert "{???}" not in text and text.startswith("I don't know the member")


async def test_scheduled_posts_and_feeds_move_with_the_group_copies_are_paused(
    db_url: str,
) -> None:
    from aiogram.methods import SendMessage

    from storage.queries.schedule import feeds as feed_rows
    from storage.queries.schedule import posts as post_rows

    admin = f.user(ADMIN, "Ada")
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins={(OLD, ADMIN), (NEW, ADMIN)}) as bot:
        tip = msg(OLD, admin, now, text="Weekly tip: drink water")
        await bot.feed(tip)
        assert tip.message is not None
        reply_to = tip.message.model_dump(mode="json", by_alias=True, exclude_none=True)
        await bot.feed(
            msg(OLD, admin, now, text="/schedule daily 09:00", reply_to_message=reply_to)
        )
        await bot.feed(msg(OLD, admin, now, text="/schedule daily 10:00 A text post"))
        async with bot.app.session_factory() as s:
            feed_id = await feed_rows.insert(
                s,
                group_id=OLD,
                thread_id=None,
                url="https://example.com/feed",
                rule="every 3600",
                created_by=ADMIN,
                next_run_at=now,
                at=now,
            )
            await s.commit()

        bot.clear()
        await bot.feed(msg(NEW, admin, now, migrate_from_chat_id=OLD))
        await bot.feed(msg(OLD, admin, now, migrate_to_chat_id=NEW))
        async with bot.app.session_factory() as s:
            posts = {p.text or "copy": p for p in await post_rows.of_group(s, NEW)}
            feed = await feed_rows.get(s, feed_id)
            assert await post_rows.of_group(s, OLD) == []
        assert feed is not None and feed.group_id == NEW
        assert posts["A text post"].status == "active"
        copy = posts["copy"]
        # Not re-pointed at the supergroup's message of the same number (another message).
        assert (copy.status, copy.source_chat_id) == ("paused", OLD)
        notices = [m.text for m in bot.sent(SendMessage) if m.chat_id == NEW]
        assert notices == [
            f"⏸ This group became a supergroup: posts #{copy.id} copy messages from before, "
            "which Telegram no longer lets me copy, so they are paused. Schedule them again "
            "from a new message (reply /schedule to it)."
        ]
