"""/schedule, /posts and /unschedule through the real Dispatcher; posts fired by the scheduler."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from aiogram.methods import AnswerCallbackQuery, CopyMessage, EditMessageText, SendMessage

from storage.queries.schedule import posts as rows
from storage.tables import AuditLog, ScheduledPost
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.inline_worker import InlineWorker

ADMIN = f.user(100, "Admin")
MEMBER = f.user(200, "Member")
ADMINS = {(f.GROUP_ID, 100)}


async def _posts(bot: Harness) -> list[rows.Post]:
    async with bot.app.session_factory() as session:
        return await rows.of_group(session, f.GROUP_ID)


def _button(bot: Harness, label: str) -> str:
    for call in reversed(bot.sent(SendMessage) + bot.sent(EditMessageText)):
        markup = call.reply_markup
        for row in markup.inline_keyboard if markup else []:
            for b in row:
                if b.text == label:
                    return b.callback_data
    raise AssertionError(f"no button {label!r}")


async def test_schedule_list_pause_and_delete(db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins=ADMINS) as bot:
        await bot.feed(
            f.message(ADMIN, "/schedule daily 08:00 Good morning, <b>all</b>!", date=now)
        )
        assert bot.last_text().startswith("✅ Post #1 scheduled: every day at 08:00. Next: <b>")
        await bot.feed(f.message(ADMIN, "/schedule weekly mon,thu 19:00 Game night", date=now))
        await bot.feed(f.message(ADMIN, '/schedule cron "0 8 * * 1-5" Standup\nline 2', date=now))
        [daily, weekly, cron] = await _posts(bot)  # soonest first (all after now)
        posts = {p.id: p for p in (daily, weekly, cron)}
        assert posts[1].text == "Good morning, &lt;b&gt;all&lt;/b&gt;!"
        assert posts[3].text == "Standup\nline 2" and posts[3].rule.startswith("cron 0 8 * * mon,")

        await bot.feed(f.message(ADMIN, "/posts", date=now))
        listing = bot.last_text()
        assert listing.startswith("🗓 <b>Scheduled posts</b> (3; times in Asia/Shanghai)")
        assert "every Monday, Thursday at 19:00" in listing
        assert "on the cron schedule “0 8 * * 1-5”" in listing

        pause = _button(bot, "⏸ #2")
        bot.clear()
        await bot.feed(f.callback(ADMIN, pause, 5))
        answers = bot.sent(AnswerCallbackQuery)
        assert answers and answers[-1].text == "⏸ Post #2 paused."
        edit = bot.sent(EditMessageText)[-1]
        assert "⏸ <b>#2</b>" in edit.text
        # A member's press changes nothing.
        await bot.feed(f.callback(MEMBER, _button(bot, "▶️ #2"), 5))
        assert {p.id: p.status for p in await _posts(bot)}[2] == "paused"

        await bot.feed(f.message(ADMIN, "/unschedule 2", date=now))
        assert bot.last_text() == "🗑 Post #2 deleted."
        await bot.feed(f.message(ADMIN, "/unschedule 2", date=now))
        assert bot.last_text() == "There is no scheduled post #2 in this group."
        assert sorted(p.id for p in await _posts(bot)) == [1, 3]
        async with bot.app.session_factory() as session:
            actions = (await session.exec(sa.select(AuditLog.action))).scalars().all()
        assert actions.count("post_scheduled") == 3 and "post_deleted" in actions
        assert "post_paused" in actions


async def test_bad_input_is_refused_and_changes_nothing(db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins=ADMINS) as bot:
        cases = {
            "/schedule 25:99 hi": "“25:99” is not a time",
            "/schedule 2020-01-01 10:00 old": "That time has passed already.",
            "/schedule daily 08:00": "What should I post?",
            '/schedule cron "0 8 * * 9" hi': "is not a valid cron line",
            "/schedule soon hi": "I don't understand when.",
        }
        for command, expected in cases.items():
            await bot.feed(f.message(ADMIN, command, date=now))
            assert expected in bot.last_text(), (command, bot.last_text())
        await bot.feed(f.message(MEMBER, "/schedule +1h hi", date=now))
        assert bot.last_text() == "Only group administrators can do that."
        await bot.feed(f.message(ADMIN, "/schedule", date=now))
        assert bot.last_text().startswith("🗓 <b>Schedule a post</b>")
        async with bot.app.session_factory() as session:
            count = (
                await session.exec(sa.select(sa.func.count()).select_from(ScheduledPost))
            ).one()
        assert count[0] == 0


async def test_a_post_is_fired_on_time_and_recorded(db_url: str) -> None:
    async with running_bot(db_url, admins=ADMINS) as bot:
        bot.app.scheduler.start()
        bot.app.posts.start()
        now = datetime.now(UTC).replace(microsecond=0)
        photo = f.message(ADMIN, "look", date=now)
        await bot.feed(
            f.message(ADMIN, "/schedule +2s", date=now, reply_to=f.message_payload(photo))
        )
        await bot.feed(f.message(ADMIN, "/schedule +2s Hello <there>", date=now))
        due = now + timedelta(seconds=2)

        for _ in range(100):  # 10 s at most
            if bot.sent(CopyMessage) and "Hello &lt;there&gt;" in bot.texts(f.GROUP_ID):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the posts were not sent")
        late = datetime.now(UTC) - due
        assert late < timedelta(seconds=2.5)
        [copy] = bot.sent(CopyMessage)
        assert copy.from_chat_id == f.GROUP_ID
        assert copy.message_id == photo.message.message_id  # type: ignore[union-attr]
        await asyncio.sleep(0.5)  # the message ids are recorded after the send
        async with bot.app.session_factory() as session:
            found = await rows.occurrences(session)
            posts = (await session.exec(sa.select(ScheduledPost.status))).scalars().all()
        assert sorted(o.outcome for o in found) == ["sent", "sent"]
        assert all(o.message_id is not None and o.due_at == due for o in found)
        assert posts == ["done", "done"]


async def test_a_post_scheduled_in_a_forum_topic_goes_to_that_topic(db_url: str) -> None:
    async with running_bot(db_url, admins=ADMINS) as bot:
        bot.app.scheduler.start()
        bot.app.posts.start()
        now = datetime.now(UTC).replace(microsecond=0)
        update = f.message(ADMIN, "/schedule +1s In the topic", date=now)
        assert update.message is not None
        topic = {"message_thread_id": 77, "is_topic_message": True}
        update = update.model_copy(update={"message": update.message.model_copy(update=topic)})
        await bot.feed(update)
        assert "Post #1 scheduled" in bot.last_text()
        for _ in range(100):
            sent = [m for m in bot.sent(SendMessage) if m.text == "In the topic"]
            if sent:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the post was not sent")
        assert sent[0].message_thread_id == 77


async def test_variants_have_a_useful_button_counted_per_member(db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins=ADMINS) as bot:
        bot.app.deps["worker"] = InlineWorker()  # (the worker process: tests/test_worker.py)
        await bot.feed(f.message(ADMIN, "/schedule every 5m Drink water || Stretch", date=now))
        [post] = await _posts(bot)
        assert post.next_run_at is not None
        fired = await bot.app.deps["post_runner"].fire(post.id, post.next_run_at)
        bot.app.posts._handle(post.id, fired)
        for _ in range(50):
            if "Drink water" in bot.texts(f.GROUP_ID):
                break
            await asyncio.sleep(0.1)
        useful = _button(bot, "👍 Useful")
        assert useful == f"pv:{post.id}:0"
        for expected in ("👍 Thanks, counted.", "You said so already."):
            await bot.feed(f.callback(MEMBER, useful, 9))
            assert bot.sent(AnswerCallbackQuery)[-1].text == expected
        await bot.feed(f.message(ADMIN, f"/posts {post.id}", date=now))
        shown = bot.last_text()
        # Views: the admin (seen in the group) and the member who voted
        # (tests/test_post_results.py has the statistics).
        assert "<b>A</b>: sent 1×, 👍 1 of 2 views — <b>50.0%</b>" in shown
        assert "<b>B</b>: not sent yet\nStretch" in shown
        assert "⏳ B against A: not enough data yet" in shown


async def test_a_daily_greeting_is_one_labelled_post(db_url: str) -> None:
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    async with running_bot(db_url, admins=ADMINS) as bot:
        await bot.feed(f.message(ADMIN, "/greeting morning 07:30 Good morning!", date=now))
        assert bot.last_text() == (
            "✅ The morning greeting goes out every day at 07:30 (post #1). "
            "Next: <b>2026-12-02 07:30</b> (Asia/Shanghai)."
        )
        # Set again: replaced, not added.
        await bot.feed(f.message(ADMIN, "/greeting morning 08:00 早上好", date=now))
        [post] = await _posts(bot)
        assert (post.label, post.rule, post.text) == ("greeting:morning", "daily 08:00", "早上好")
        await bot.feed(f.message(ADMIN, "/greeting morning 25:00 hi", date=now))
        assert "is not a time" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/greeting morning 早上7点半 早安", date=now))
        [post] = await _posts(bot)
        assert (post.rule, post.text) == ("daily 07:30", "早安")
        await bot.feed(f.message(ADMIN, "/greeting morning off", date=now))
        assert bot.last_text() == "The morning greeting is turned off."
        assert await _posts(bot) == []
        # Times as people say them (docs/times.md), in /schedule as everywhere.
        await bot.feed(f.message(ADMIN, "/schedule in 10 minutes Stand up!", date=now))
        await bot.feed(f.message(ADMIN, "/schedule 每周一 19:00 周会", date=now))
        await bot.feed(f.message(ADMIN, "/schedule 工作日 9:00 打卡提醒", date=now))
        assert sorted((p.rule, p.text) for p in await _posts(bot)) == [
            ("once 2026-12-01T02:10:00Z", "Stand up!"),
            ("weekly mon 19:00", "周会"),
            ("weekly mon,tue,wed,thu,fri 09:00", "打卡提醒"),
        ]
        await bot.feed(f.message(ADMIN, "/schedule after lunch hi", date=now))
        assert "I don't understand when" in bot.last_text() and "in 10 minutes" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/greeting", date=now))
        assert bot.last_text().startswith("🌅 <b>Daily greeting</b>")


async def test_birthday_in_private_and_the_greeting_that_congratulates(db_url: str) -> None:
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    async with running_bot(db_url, admins=ADMINS) as bot:
        pm = {"chat_id": 200}
        await bot.feed(f.message(MEMBER, "/birthday", date=now, **pm))
        assert bot.last_text().startswith("No birthday saved.")
        await bot.feed(f.message(MEMBER, "/birthday 13-40", date=now, **pm))
        assert bot.last_text().startswith("“13-40” is not a birthday")
        await bot.feed(f.message(MEMBER, "/birthday 12-02", date=now, **pm))
        assert bot.last_text().startswith("🎂 Saved: 12-2.")
        await bot.feed(f.message(MEMBER, "hello all, nice to meet you", date=now))  # a member
        await bot.feed(f.message(ADMIN, "/greeting morning 07:30 Morning!", date=now))
        [post] = await _posts(bot)
        due = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
        runner = bot.app.deps["post_runner"]
        runner._clock = lambda: due  # on time, whatever day the test runs
        fired = await runner.fire(post.id, due)
        bot.app.posts._handle(post.id, fired)
        for _ in range(50):
            if any(t.startswith("🎂 Happy birthday!") for t in bot.texts(f.GROUP_ID)):
                break
            await asyncio.sleep(0.1)
        texts = bot.texts(f.GROUP_ID)
        assert texts[-2:] == [
            "Morning!",
            '🎂 Happy birthday!\n<a href="tg://user?id=200">Member</a>',
        ]
        await bot.feed(f.message(MEMBER, "/birthday off", date=now, **pm))
        assert bot.last_text() == "Birthday removed."


async def test_many_posts_due_at_once_keep_to_twenty_messages_a_minute(db_url: str) -> None:
    from core.schedule.posts import Content
    from core.schedule.when import ONCE, Rule
    from core.uow import UnitOfWork

    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins=ADMINS, outbound_group_per_minute=20.0) as bot:
        service = bot.app.deps["posts"]
        group = await bot.app.deps["groups"].settings_for(f.GROUP_ID, "G")
        rule = Rule(ONCE, at=now + timedelta(hours=1))
        for i in range(25):
            async with bot.app.session_factory() as session:
                await service.create(
                    UnitOfWork(session), group, 100, rule, Content(f"post {i}"), None, now
                )
        posts = await _posts(bot)
        assert len(posts) == 25
        for post in posts:
            assert post.next_run_at is not None
            runner = bot.app.deps["post_runner"]
            bot.app.posts._handle(post.id, await runner.fire(post.id, post.next_run_at))
        await asyncio.sleep(2)
        sent = [t for t in bot.texts(f.GROUP_ID) if t.startswith("post ")]
        assert 10 <= len(sent) <= 20  # the rest wait for the group's minute
        async with bot.app.session_factory() as session:
            found = await rows.occurrences(session)
        assert len(found) == 25  # every occurrence is claimed once, sent as the limit allows


async def test_the_guided_flow_picks_a_time_then_takes_a_reply(db_url: str) -> None:
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    async with running_bot(db_url, admins=ADMINS) as bot:
        await bot.feed(f.message(ADMIN, "/schedule", date=now))
        daily = _button(bot, "Daily 09:00")
        prompt = {
            "message_id": 5,
            "date": int(now.timestamp()),
            "chat": f.chat(),
            "from": {"id": 123456, "is_bot": True, "first_name": "Bot"},
            "text": "…",
        }
        # A member cannot pick; a reply to a prompt nobody picked on is an ordinary message.
        await bot.feed(f.callback(MEMBER, daily, 5))
        await bot.feed(f.message(ADMIN, "not a post", date=now, reply_to=prompt))
        assert await _posts(bot) == []
        await bot.feed(f.callback(ADMIN, daily, 5))
        edit = bot.sent(EditMessageText)[-1]
        assert edit.text.startswith("🗓 every day at 09:00. Now reply to this message")
        await bot.feed(f.message(ADMIN, "Daily standup in 5 minutes!", date=now, reply_to=prompt))
        assert bot.last_text().startswith("✍️ Variant 1 saved.")
        assert await _posts(bot) == []  # not before ✅
        # A second text: an A/B variant, shown on the prompt.
        await bot.feed(f.message(ADMIN, "Standup soon: <coffee>", date=now, reply_to=prompt))
        assert bot.last_text().startswith("✍️ Variant 2 saved.")
        edit = bot.sent(EditMessageText)[-1]
        assert edit.message_id == 5
        assert "1. Daily standup in 5 minutes!\n2. Standup soon: &lt;coffee&gt;" in edit.text
        confirm = _button(bot, "✅ Schedule")
        # A photo once there are texts: refused, nothing changes.
        photo = f.message(ADMIN, "", date=now, reply_to=prompt)
        assert photo.message is not None
        photo = photo.model_copy(
            update={"message": photo.message.model_copy(update={"text": None})}
        )
        await bot.feed(photo)
        assert bot.last_text().startswith("Variants are texts")
        # A member cannot confirm.
        await bot.feed(f.callback(MEMBER, confirm, 5))
        assert await _posts(bot) == []
        bot.clear()
        await bot.feed(f.callback(ADMIN, confirm, 5))
        assert bot.sent(EditMessageText)[-1].text.startswith(
            "✅ Post #1 scheduled: every day at 09:00."
        )
        [post] = await _posts(bot)
        assert post.rule == "daily 09:00"
        assert post.text == "Daily standup in 5 minutes! || Standup soon: &lt;coffee&gt;"
        # The draft is used up: ✅ again and another reply schedule nothing.
        await bot.feed(f.callback(ADMIN, confirm, 5))
        assert bot.sent(EditMessageText)[-1].text.startswith("This draft is gone")
        await bot.feed(f.message(ADMIN, "again", date=now, reply_to=prompt))
        assert len(await _posts(bot)) == 1


async def test_the_guided_flow_copies_a_message_or_is_cancelled(db_url: str) -> None:
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    async with running_bot(db_url, admins=ADMINS) as bot:
        prompts = []
        for message_id in (6, 7):
            await bot.feed(f.message(ADMIN, "/schedule", date=now))
            await bot.feed(f.callback(ADMIN, _button(bot, "In 1 hour"), message_id))
            prompts.append(
                {
                    "message_id": message_id,
                    "date": int(now.timestamp()),
                    "chat": f.chat(),
                    "from": {"id": 123456, "is_bot": True, "first_name": "Bot"},
                    "text": "…",
                }
            )
        photo = f.message(ADMIN, "", date=now, reply_to=prompts[0])
        assert photo.message is not None
        photo = photo.model_copy(
            update={"message": photo.message.model_copy(update={"text": None})}
        )
        await bot.feed(photo)
        assert bot.last_text().startswith("✅ Post #1 scheduled: once, at")
        [post] = await _posts(bot)
        assert post.source_message_id == photo.message.message_id  # type: ignore[union-attr]

        await bot.feed(f.message(ADMIN, "Maybe", date=now, reply_to=prompts[1]))
        await bot.feed(f.callback(ADMIN, _button(bot, "✖ Cancel"), 7))
        assert bot.sent(EditMessageText)[-1].text == "✖ Cancelled: nothing was scheduled."
        await bot.feed(f.message(ADMIN, "More", date=now, reply_to=prompts[1]))
        assert len(await _posts(bot)) == 1
