"""Best times to post as one-tap choices in the guided /schedule, and the line for /stats.

`/schedule` alone shows, under its usual choices, ⭐ buttons for the hours members are most
active (the next one of each, and daily at the best) and the busiest hour of the week, with
the sample behind them; a tap starts the draft as the other choices do. Where the group's
activity is not known (no data from the provider) nothing is added; where there is too little,
the prompt says so.
"""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.filters import InGroup, IsGroupAdmin, NotGroupAdmin
from bot.i18n import Translator
from bot.outbound import Outbox
from core.community.group_settings import GroupSettings
from core.errors import NotAdmin
from core.schedule.best_time import (
    MIN_DAYS,
    MIN_EVENTS,
    ActivityMatrixSource,
    BestTimes,
    Status,
    suggest,
)
from core.schedule.drafts import PostDrafts
from core.uow import UnitOfWork
from handlers.schedule import post_drafts as post_drafts_flow

WEEKDAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # as /schedule reads them
KINDS = ("at", "daily", "weekly")


class BestTimeButton(CallbackData, prefix="sb"):
    kind: str  # at (the next hour:00) | daily | weekly
    hour: int
    weekday: int = -1


def _time(hour: int) -> str:
    return f"{hour:02d}:00"


def _hours_text(t: Translator, best: BestTimes) -> str:
    return t("schedule-day-sep").join(
        t("besttime-hour", start=_time(h.hour), end=_time((h.hour + 1) % 24)) for h in best.hours
    )


async def best_times_for(
    uow: UnitOfWork, source: ActivityMatrixSource, group: GroupSettings, now: datetime
) -> BestTimes | None:
    return await suggest(uow, source, group.group_id, now)


def note(t: Translator, best: BestTimes | None) -> str:
    """The lines under the /schedule prompt ("" without data)."""
    if best is None:
        return ""
    if best.status is Status.NOT_ENOUGH_DATA:
        return "\n" + t(
            "besttime-not-enough",
            min_days=MIN_DAYS,
            min_events=MIN_EVENTS,
            days=best.days,
            events=best.events,
        )
    if best.status is Status.NO_CLEAR_PEAK:
        return "\n" + t("besttime-no-peak", days=best.days, events=best.events)
    return "\n" + t(
        "besttime-note",
        hours=_hours_text(t, best),
        days=best.days,
        events=best.events,
        tz=best.timezone,
    )


def stats_line(t: Translator, best: BestTimes | None) -> str:
    """For /stats: when members are most active ("" when it cannot be said)."""
    if best is None or best.status is not Status.OK or best.slot is None:
        return ""
    return t(
        "besttime-stats",
        hours=_hours_text(t, best),
        day=t(f"chart-weekday-{best.slot.weekday}"),
        slot=_time(best.slot.hour),
        days=best.days,
        events=best.events,
        tz=best.timezone,
    )


def buttons(t: Translator, best: BestTimes | None) -> list[list[InlineKeyboardButton]]:
    """Rows of ⭐ choices: the next of each best hour; daily at the best, the busiest slot."""
    if best is None or best.status is not Status.OK:
        return []

    def button(text: str, data: BestTimeButton) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=data.pack())

    rows = [
        [
            button(
                t("besttime-button-at", time=_time(h.hour)), BestTimeButton(kind="at", hour=h.hour)
            )
            for h in best.hours
        ]
    ]
    first = best.hours[0].hour
    second = [
        button(
            t("besttime-button-daily", time=_time(first)), BestTimeButton(kind="daily", hour=first)
        )
    ]
    if best.slot is not None:
        day, hour = best.slot.weekday, best.slot.hour
        second.append(
            button(
                t("besttime-button-weekly", day=t(f"chart-weekday-{day}"), time=_time(hour)),
                BestTimeButton(kind="weekly", hour=hour, weekday=day),
            )
        )
    rows.append(second)
    return rows


def with_best_times(
    markup: InlineKeyboardMarkup, t: Translator, best: BestTimes | None
) -> InlineKeyboardMarkup:
    extra = buttons(t, best)
    if not extra:
        return markup
    return InlineKeyboardMarkup(inline_keyboard=[*extra, *markup.inline_keyboard])


def rule_words(data: BestTimeButton) -> list[str] | None:
    """The /schedule words of a ⭐ choice; None for data no button of ours carries."""
    if data.kind not in KINDS or not 0 <= data.hour <= 23:
        return None
    if data.kind == "at":
        return [_time(data.hour)]
    if data.kind == "daily":
        return ["daily", _time(data.hour)]
    if not 0 <= data.weekday <= 6:
        return None
    return ["weekly", WEEKDAY_WORDS[data.weekday], _time(data.hour)]


async def on_best_time(
    query: CallbackQuery,
    callback_data: BestTimeButton,
    uow: UnitOfWork,
    group: GroupSettings,
    post_drafts: PostDrafts,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Guided flow, step 1 with a ⭐ time: the prompt becomes "reply to me with the content"
    (as the other choices do, post_drafts.py)."""
    words = rule_words(callback_data)
    await post_drafts_flow.begin_draft(query, words, uow, group, post_drafts, event_at, t, outbox)


async def refuse(query: CallbackQuery) -> None:
    raise NotAdmin()


def router() -> Router:
    r = Router(name="schedule_best_time")
    r.callback_query.filter(InGroup())
    r.callback_query.register(on_best_time, BestTimeButton.filter(), IsGroupAdmin())
    r.callback_query.register(refuse, BestTimeButton.filter(), NotGroupAdmin())
    return r
