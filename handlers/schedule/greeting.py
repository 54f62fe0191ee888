"""/greeting morning 07:30 <text>: a daily greeting in the group's timezone (or `off`);
/greeting holiday …: the holiday greetings that go out with the morning greeting.

A greeting is a daily scheduled post with a label: one per kind and group, replaced when set
again, listed by /posts with the other posts (pause, preview, delete work the same).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.types import Message

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.schedule import holiday_greetings as holidays
from core.schedule.birthdays import MORNING
from core.schedule.natural import clock_words
from core.schedule.posts import Content, PostService
from core.schedule.settings import HOLIDAY_GREETINGS
from core.schedule.when import DAILY, InvalidTime, Rule
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args, rest_after
from handlers.schedule.post_render import local_text

KINDS = {"morning": "morning", "早安": "morning", "evening": "evening", "晚安": "evening"}


async def cmd_greeting(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    groups: GroupService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    if args and args[0].lower() in ("holiday", "holidays", "节日", "节假日"):
        await _holiday(message, args[1:], uow, group, posts, groups, event_at, t, outbox)
        return
    kind = KINDS.get(args[0].lower()) if args else None
    if kind is None or len(args) < 2:
        reply(outbox, message, t("greeting-usage"), priority=Priority.HIGH)
        return
    label = f"greeting:{kind}"
    if args[1].lower() in ("off", "关闭"):
        removed = await posts.remove_labelled(uow, group, actor_id(message), label, event_at)
        key = "greeting-off" if removed else "greeting-none"
        reply(outbox, message, t(key, kind=t(f"greeting-kind-{kind}")), priority=Priority.HIGH)
        return
    # The time as people say it too: 07:30, 7:30am, 7 am, 早上7点半.
    said = clock_words(args[1:])
    if said is None:
        raise InvalidTime(value=args[1][:20])
    hour, minute, used = said
    rule = Rule(DAILY, hour, minute)
    text = rest_after(message.text or "", 2 + used)
    thread_id = message.message_thread_id if message.is_topic_message else None
    post = await posts.create(
        uow,
        group,
        actor_id(message),
        Rule(DAILY, rule.hour, rule.minute),
        Content(text=text),
        thread_id,
        event_at,
        label=label,
    )
    assert post.next_run_at is not None
    reply(
        outbox,
        message,
        t(
            "greeting-set",
            kind=t(f"greeting-kind-{kind}"),
            time=f"{rule.hour:02d}:{rule.minute:02d}",
            id=post.id,
            next=local_text(post.next_run_at, group.timezone),
            tz=group.timezone,
        ),
        priority=Priority.HIGH,
    )


ON = ("on", "开启", "开")
OFF = ("off", "关闭", "关")


async def _holiday(
    message: Message,
    args: list[str],
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    groups: GroupService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """list | on | off | <holiday> on|off|default | <holiday> <text>"""
    today = event_at.astimezone(ZoneInfo(group.timezone)).date()
    actor = actor_id(message)
    word = args[0].lower() if args else "list"
    if word in ON + OFF and len(args) == 1:
        value = "on" if word in ON else "off"
        await groups.change(uow, group.group_id, actor, HOLIDAY_GREETINGS, value, event_at)
        text = t(f"holiday-all-{value}")
        if value == "on" and not await posts_labelled(uow, posts, group):
            text += "\n" + t("holiday-needs-morning")
    elif word == "list" and len(args) <= 1:
        text = await _listing(uow, group, posts, today, t)
    elif len(args) >= 2:
        choice = args[1].lower()
        if len(args) == 2 and choice in ON + OFF:
            found = await holidays.set_holiday(
                uow, group, actor, args[0], today, event_at, enabled=choice in ON
            )
            key = "holiday-one-on" if choice in ON else "holiday-one-off"
        elif len(args) == 2 and choice in ("default", "reset", "默认"):
            found = await holidays.set_holiday(
                uow, group, actor, args[0], today, event_at, reset=True
            )
            key = "holiday-one-reset"
        else:
            own = rest_after(message.text or "", 3)
            found = await holidays.set_holiday(
                uow, group, actor, args[0], today, event_at, enabled=True, text=own
            )
            key = "holiday-one-text"
        text = t(key, name=found.name(t.language), date=found.day.strftime("%m-%d"))
    else:
        text = t("holiday-usage")
    reply(outbox, message, text, priority=Priority.HIGH)


async def posts_labelled(uow: UnitOfWork, posts: PostService, group: GroupSettings) -> bool:
    return any(p.label == MORNING for p in await posts.listing(uow, group.group_id))


async def _listing(
    uow: UnitOfWork, group: GroupSettings, posts: PostService, today: date, t: Translator
) -> str:
    states = await holidays.upcoming(uow, group, today)
    on = group.values.get(HOLIDAY_GREETINGS, "on") == "on"
    lines = [t("holiday-list-title", country=holidays.country_of(group), year=today.year)]
    for state in states:
        h = state.holiday
        lines.append(
            t(
                "holiday-line",
                date=h.day.isoformat(),
                name=h.name(t.language),
                state="on" if state.enabled else "off",
                own="yes" if state.text is not None else "no",
            )
        )
    if not states:
        lines.append(t("holiday-list-empty"))
    if not on:
        lines.append(t("holiday-all-off"))
    elif not await posts_labelled(uow, posts, group):
        lines.append(t("holiday-needs-morning"))
    lines.append(t("holiday-list-help"))
    return "\n".join(lines)


def router() -> list[Router]:
    r = Router(name="greeting")
    r.message.filter(InGroup())
    r.message.register(cmd_greeting, GREETING.filter())
    return [r]


GREETING = CommandSpec("greeting", role=Role.ADMIN, area=Area.SCHEDULE)


def feature() -> Feature:
    return Feature("greeting", router, commands=(GREETING,))
