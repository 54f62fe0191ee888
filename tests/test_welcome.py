"""Welcome messages: safe templates, one greeting per join, a wave of joins greeted together."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from aiogram.methods import SendMessage

from core.schedule.welcome import Newcomer, clean_template, render
from storage.tables import AuditLog
from tests import factories as f
from tests.app_harness import running_bot

ADMIN = f.user(100, "Admin")
ADMINS = {(f.GROUP_ID, 100)}
AT = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # 2 December 01:00 in Shanghai


def _render(template: str, *names: str) -> str:
    newcomers = [Newcomer(i + 1, n) for i, n in enumerate(names)]
    return render(
        clean_template(template),
        newcomers,
        group="<Fans & Co>",
        members=42,
        at=AT,
        timezone="Asia/Shanghai",
    )


def test_placeholders_are_filled_in_and_escaped() -> None:
    out = _render("Hi {name} ({mention}) in {group}, member {count}, {date}!", "<b>Eve</b>")
    assert out == (
        'Hi &lt;b&gt;Eve&lt;/b&gt; (<a href="tg://user?id=1">&lt;b&gt;Eve&lt;/b&gt;</a>) in '
        "&lt;Fans &amp; Co&gt;, member 42, 2026-12-02!"
    )


def test_unknown_and_malicious_placeholders_stay_as_text() -> None:
    template = "{name.__class__} {0} {} {{name}} {unknown} {name!r} <script>"
    out = _render(template, "Ann")
    assert out == "{name.__class__} {0} {} {Ann} {unknown} {name!r} &lt;script&gt;"


def test_many_names_are_counted_beyond_thirty() -> None:
    out = _render("Welcome {name}", *[f"U{i}" for i in range(35)])
    assert out.startswith("Welcome U0, U1,") and out.endswith("U29 +5")


async def test_welcome_set_shown_greets_once_and_folds_a_wave(db_url: str) -> None:
    async with running_bot(db_url, admins=ADMINS) as bot:
        folder = bot.app.deps["welcome_folder"]
        folder._window = 60.0  # the wave below is one fold however slowly the machine feeds it
        await bot.feed(f.message(ADMIN, "/welcome", date=AT))
        assert bot.last_text().startswith("No welcome message is set.")
        await bot.feed(
            f.message(ADMIN, "/welcome Welcome {mention} to {group}!\nRead the rules.", date=AT)
        )
        assert bot.last_text().startswith("✅ Welcome message saved.")
        assert bot.last_text().endswith(
            '<a href="tg://user?id=100">Admin</a> to Test Group!\nRead the rules.'
        )
        await bot.feed(f.message(ADMIN, "/welcome", date=AT))
        assert bot.last_text().endswith("Welcome {mention} to {group}!\nRead the rules.")

        ada, cat, dan = f.user(301, "Ada"), f.user(302, "Cat"), f.user(303, "Dan")
        bot.clear()
        join = f.service_message(ada, new_chat_members=[ada, cat], date=AT)
        await bot.feed(join)
        # The same join told again by chat_member, and the service message redelivered.
        await bot.feed(f.member_update(ada, "left", "member", date=AT))
        await bot.feed(join)
        await bot.feed(f.service_message(dan, new_chat_members=[dan], date=AT))
        folder.flush_now()  # the window's end
        await bot.app.outbox.drain(5)
        welcomes = [t for t in bot.texts(f.GROUP_ID) if t.startswith("Welcome")]
        assert welcomes == [
            'Welcome <a href="tg://user?id=301">Ada</a>, <a href="tg://user?id=302">Cat</a>, '
            '<a href="tg://user?id=303">Dan</a> to Test Group!\nRead the rules.'
        ]

        await bot.feed(f.message(ADMIN, "/welcome off", date=AT))
        assert bot.last_text() == "Welcome message turned off."
        bot.clear()
        eve = f.user(304, "Eve")
        await bot.feed(f.service_message(eve, new_chat_members=[eve], date=AT))
        folder.flush_now()
        await bot.app.outbox.drain(5)
        assert not [t for t in bot.texts(f.GROUP_ID) if t.startswith("Welcome")]
        async with bot.app.session_factory() as session:
            actions = (await session.exec(sa.select(AuditLog.action))).scalars().all()
        assert {"welcome_set", "welcome_off"} <= set(actions)


async def test_goodbye_line_and_welcome_deleted_after_a_while(db_url: str) -> None:
    from aiogram.methods import DeleteMessage

    async with running_bot(db_url, admins=ADMINS) as bot:
        folder = bot.app.deps["welcome_folder"]
        folder._window, folder.minute = 0.1, 0.2
        await bot.feed(f.message(ADMIN, "/goodbye", date=AT))
        assert bot.last_text().startswith("No goodbye line is set (the default).")
        await bot.feed(f.message(ADMIN, "/goodbye {name} has left.", date=AT))
        await bot.feed(f.message(ADMIN, "/welcome Hi {name}", date=AT))
        await bot.feed(f.message(ADMIN, "/settings welcome_delete_minutes 1", date=AT))
        ada = f.user(301, "Ada <3")
        bot.clear()
        await bot.feed(f.service_message(ada, new_chat_members=[ada], date=AT))
        await asyncio.sleep(0.3)
        await bot.feed(f.service_message(ada, left_chat_member=ada, date=AT))
        await asyncio.sleep(0.5)
        await bot.app.outbox.drain(5)
        texts = bot.texts(f.GROUP_ID)
        assert "Hi Ada &lt;3" in texts and "Ada &lt;3 has left." in texts
        deleted = bot.sent(DeleteMessage)
        assert len(deleted) == 1  # the welcome, not the goodbye
        welcome = next(c for c in bot.sent(SendMessage) if c.text == "Hi Ada &lt;3")
        assert welcome.chat_id == f.GROUP_ID and deleted[0].chat_id == f.GROUP_ID


async def test_a_time_of_day_welcome_is_used_at_those_hours(db_url: str) -> None:
    morning_utc = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    evening_utc = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # 20:00 there
    async with running_bot(db_url, admins=ADMINS) as bot:
        bot.app.deps["welcome_folder"]._window = 0.1
        await bot.feed(f.message(ADMIN, "/welcome Hi {name}", date=AT))
        await bot.feed(f.message(ADMIN, "/welcome morning Good morning {name}", date=AT))
        assert bot.last_text().startswith("✅ Welcome message saved.")
        await bot.feed(f.message(ADMIN, "/welcome morning", date=AT))
        assert bot.last_text().endswith("Good morning {name}")
        ann, bea = f.user(311, "Ann"), f.user(312, "Bea")
        await bot.feed(f.service_message(ann, new_chat_members=[ann], date=morning_utc))
        await asyncio.sleep(0.3)
        await bot.feed(f.service_message(bea, new_chat_members=[bea], date=evening_utc))
        await asyncio.sleep(0.3)
        await bot.app.outbox.drain(5)
        texts = bot.texts(f.GROUP_ID)
        assert "Good morning Ann" in texts and "Hi Bea" in texts
        await bot.feed(f.message(ADMIN, "/welcome morning off", date=AT))
        assert bot.last_text() == "Welcome message turned off."
        await bot.feed(f.message(ADMIN, "/welcome", date=AT))
        assert bot.last_text().endswith("Hi {name}")  # the plain one stays
