"""Holiday greetings: the holidays of a year (the `holidays` package), greeted with the morning
greeting once per group and date, admins' choices; /greeting holiday through the Dispatcher."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.scheduler import plan_next
from core.events import EventBus
from core.schedule import festivals
from core.schedule.birthdays import MORNING
from core.schedule.firing import PostRunner
from core.schedule.posts import Content, PostService
from core.schedule.when import DAILY, Rule
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.schedule import posts as rows
from tests import factories as f
from tests.app_harness import running_bot
from tests.group_service import group_service

GROUP = -100888
ADMIN = 100


def test_the_holidays_of_china_are_computed_for_each_year() -> None:
    for year, spring, dragon, moon in (
        (2026, date(2026, 2, 17), date(2026, 6, 19), date(2026, 9, 25)),
        (2027, date(2027, 2, 6), date(2027, 6, 9), date(2027, 9, 15)),
    ):
        found = {h.name_zh: h.day for h in festivals.holidays_of_year("CN", year)}
        assert found["元旦"] == date(year, 1, 1)
        assert found["春节"] == spring and found["端午节"] == dragon and found["中秋节"] == moon
        assert found["清明节"] == date(year, 4, 5)
        assert found["劳动节"] == date(year, 5, 1) and found["国庆节"] == date(year, 10, 1)
    days = [h.day for h in festivals.holidays_of_year("CN", 2026)]
    assert len(days) == len(set(days))  # 春节 and 国庆 last days: greeted on the first only
    assert not festivals.greeted_on("CN", date(2026, 10, 2))
    assert not festivals.greeted_on("CN", date(2026, 10, 7))  # a swapped day off (调休)
    assert not festivals.greeted_on("CN", date(2026, 4, 6))  # 清明 observed
    [national] = festivals.greeted_on("CN", date(2026, 10, 1))
    assert (national.key, national.name_en) == ("national-day", "National Day")
    assert festivals.greeted_on("US", date(2026, 7, 4))[0].key == "independence-day"


def test_admins_name_a_holiday_by_name_key_or_date() -> None:
    today = date(2026, 12, 1)
    for word in ("国庆", "国庆节", "national-day", "National", "10-01", "2026-10-01"):
        found = festivals.find("CN", today, word)
        assert found is not None and found.key == "national-day", word
    assert festivals.find("CN", today, "春节").day == date(2026, 2, 17)  # type: ignore[union-attr]
    assert festivals.find("CN", today, "10-02") is None
    assert festivals.find("CN", today, "圣诞") is None
    upcoming = festivals.upcoming("CN", today)
    assert upcoming[0].day == date(2027, 1, 1)  # this year's are over: next year's
    with pytest.raises(ValueError):
        festivals.supported_country("XX")
    assert festivals.supported_country(" us ") == "US"


# ---- with the morning greeting ---------------------------------------------------------------

# 2026-09-30 10:00 in Shanghai; the greeting at 07:30 is next due on 1 October (国庆节).
BEFORE = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
NATIONAL_DAY = datetime(2026, 9, 30, 23, 30, tzinfo=UTC)


async def _morning(session_factory: SessionFactory, service: PostService, groups, at=BEFORE):  # type: ignore[no-untyped-def]
    group = await groups.settings_for(GROUP)
    async with session_factory() as session:
        return await service.create(
            UnitOfWork(session),
            group,
            ADMIN,
            Rule(DAILY, 7, 30),
            Content(text="Morning!"),
            None,
            at,
            label=MORNING,
        )


async def test_a_holiday_is_greeted_once_per_group_and_date(
    session_factory: SessionFactory,
) -> None:
    groups = group_service(session_factory)
    await groups.settings_for(GROUP, "G")
    now = {"at": NATIONAL_DAY}
    service = PostService(plan_next)
    runner = PostRunner(
        session_factory, groups, plan_next, clock=lambda: now["at"], bus=EventBus()
    )
    post = await _morning(session_factory, service, groups)
    assert post.next_run_at == NATIONAL_DAY
    fired = await runner.fire(post.id, NATIONAL_DAY)
    assert fired is not None and fired.dispatch is not None
    [greeting] = fired.dispatch.holidays
    assert (greeting.key, greeting.locale_key, greeting.text) == (
        "national-day",
        "holiday-cn-national-day",
        None,
    )
    assert greeting.name == "National Day"  # the group's language (en)

    # The greeting is set again the same day (a new post): no second holiday message.
    again = await _morning(session_factory, service, groups, at=NATIONAL_DAY - timedelta(hours=1))
    assert again.next_run_at == NATIONAL_DAY and again.id != post.id
    fired = await runner.fire(again.id, NATIONAL_DAY)
    assert fired is not None and fired.dispatch is not None and fired.dispatch.holidays == ()

    # The next day is still 国庆 (its second day): not greeted again.
    now["at"] = NATIONAL_DAY + timedelta(days=1)
    fired = await runner.fire(again.id, NATIONAL_DAY + timedelta(days=1))
    assert fired is not None and fired.dispatch is not None and fired.dispatch.holidays == ()


async def test_choices_off_own_text_and_country(session_factory: SessionFactory) -> None:
    from core.schedule import holiday_greetings as holidays

    groups = group_service(session_factory)
    await groups.settings_for(GROUP, "G")
    now = {"at": NATIONAL_DAY}
    service = PostService(plan_next)
    runner = PostRunner(session_factory, groups, plan_next, clock=lambda: now["at"])

    async def greeted(due: datetime, at: datetime) -> tuple:  # type: ignore[type-arg]
        post = await _morning(session_factory, service, groups, at=at)
        assert post.next_run_at == due, post.next_run_at
        now["at"] = due
        fired = await runner.fire(post.id, due)
        assert fired is not None and fired.dispatch is not None
        return fired.dispatch.holidays

    group = await groups.settings_for(GROUP)
    today = date(2026, 9, 30)
    async with session_factory() as session:
        await holidays.set_holiday(
            UnitOfWork(session), group, ADMIN, "国庆", today, BEFORE, text="<b>国庆</b>快乐"
        )
    [own] = await greeted(NATIONAL_DAY, BEFORE)
    assert own.text == "&lt;b&gt;国庆&lt;/b&gt;快乐"

    # Mid-Autumn 2027 (15 September), turned off for this group: not greeted.
    moon = datetime(2027, 9, 14, 23, 30, tzinfo=UTC)
    async with session_factory() as session:
        await holidays.set_holiday(
            UnitOfWork(session), group, ADMIN, "中秋", today, BEFORE, enabled=False
        )
    assert await greeted(moon, moon - timedelta(hours=2)) == ()

    # All off; then the United States' holidays instead.
    july4 = datetime(2027, 7, 3, 23, 30, tzinfo=UTC)
    async with session_factory() as session:
        await groups.change(UnitOfWork(session), GROUP, ADMIN, "holiday_greetings", "off", BEFORE)
    assert await greeted(july4, july4 - timedelta(hours=2)) == ()
    async with session_factory() as session:
        await groups.change(UnitOfWork(session), GROUP, ADMIN, "holiday_greetings", "on", BEFORE)
    async with session_factory() as session:
        await groups.change(UnitOfWork(session), GROUP, ADMIN, "holiday_country", "us", BEFORE)
    [independence] = await greeted(july4, july4 - timedelta(hours=2))
    assert independence.key == "independence-day" and independence.text is None
    assert independence.locale_key == "holiday-us-independence-day"  # none: holiday-default

    # An ordinary day: nothing.
    ordinary = datetime(2027, 7, 5, 23, 30, tzinfo=UTC)
    assert await greeted(ordinary, ordinary - timedelta(hours=2)) == ()


# ---- /greeting holiday ----------------------------------------------------------------------

ADMIN_USER = f.user(100, "Admin")
MEMBER = f.user(200, "Member")
ADMINS = {(f.GROUP_ID, 100)}


async def test_greeting_holiday_commands_and_the_message(db_url: str) -> None:
    async with running_bot(db_url, admins=ADMINS) as bot:
        await bot.feed(f.message(ADMIN_USER, "/greeting holiday list", date=BEFORE))
        listing = bot.last_text()
        assert listing.startswith("🎊 <b>Holidays</b> (CN, from today)\n2026-10-01 National Day")
        assert "2027-02-06 Chinese New Year (Spring Festival)" in listing
        assert "this group has none" in listing  # no morning greeting yet

        cases = {
            "/greeting holiday 圣诞 off": "“圣诞” is not a holiday of this group's country",
            "/greeting holiday 10-02 off": "“10-02” is not a holiday",
            "/greeting holiday 中秋 off": "Mid-Autumn Festival (09-25) will not be greeted.",
            "/greeting holiday 国庆 Happy <National> Day!": (
                "✅ National Day (10-01) will be greeted with your text."
            ),
            "/greeting holiday off": "Holiday greetings are off.",
            "/greeting holiday on": "🎊 Holiday greetings are on.",
        }
        for command, expected in cases.items():
            await bot.feed(f.message(ADMIN_USER, command, date=BEFORE))
            assert expected in bot.last_text(), (command, bot.last_text())
        await bot.feed(f.message(MEMBER, "/greeting holiday off", date=BEFORE))
        assert bot.last_text() == "Only group administrators can do that."
        await bot.feed(f.message(ADMIN_USER, "/greeting holiday", date=BEFORE))
        listing = bot.last_text()
        assert "2026-10-01 National Day — your own text" in listing
        assert "2027-09-15 Mid-Autumn Festival — off" in listing
        zh = f.user(100, "Admin", lang="zh")
        await bot.feed(f.message(zh, "/greeting holiday 中秋 default", date=BEFORE))
        assert bot.last_text() == "中秋节(09-25)恢复默认祝福。"

        await bot.feed(f.message(ADMIN_USER, "/greeting morning 07:30 Morning!", date=BEFORE))
        [post] = await _posts(bot)
        assert post.next_run_at == NATIONAL_DAY
        runner = bot.app.deps["post_runner"]
        runner._clock = lambda: NATIONAL_DAY
        fired = await runner.fire(post.id, NATIONAL_DAY)
        bot.app.posts._handle(post.id, fired)
        for _ in range(50):
            if "Happy &lt;National&gt; Day!" in bot.texts(f.GROUP_ID):
                break
            await asyncio.sleep(0.1)
        assert bot.texts(f.GROUP_ID)[-2:] == ["Morning!", "Happy &lt;National&gt; Day!"]


async def _posts(bot):  # type: ignore[no-untyped-def]
    async with bot.app.session_factory() as session:
        return await rows.of_group(session, f.GROUP_ID)


async def test_default_texts_come_from_the_locale_files(db_url: str) -> None:
    from core.schedule.firing import Dispatch
    from core.schedule.holiday_greetings import HolidayGreeting

    async with running_bot(db_url, admins=ADMINS) as bot:
        for language, expected in (
            ("en", "🇨🇳 Happy National Day! Enjoy the Golden Week.\n\n🎉 Happy Día <X>, everyone!"),
            ("zh", "🇨🇳 国庆快乐!祝伟大祖国繁荣昌盛,大家黄金周玩得开心!\n\n🎉 Día <X>快乐!"),
        ):
            holidays = (
                HolidayGreeting("national-day", "National Day", "holiday-cn-national-day", None),
                HolidayGreeting("dia-x", "Día <X>", "holiday-es-dia-x", None),
            )
            dispatch = Dispatch(
                1, 1, f.GROUP_ID, None, "hi", None, None, language=language, holidays=holidays
            )
            bot.app.posts._holidays(dispatch)
            await bot.app.outbox.drain(5)
            assert bot.texts(f.GROUP_ID)[-1] == expected.replace("<X>", "&lt;X&gt;")
