"""Best time to post: the hours picked from a weekday × hour matrix (pure), and the ⭐ choices
of the guided /schedule through the real Dispatcher, with a stand-in activity source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.i18n import Locales
from core.analytics.hours import GroupDayActivity
from core.schedule.best_time import (
    ActivityMatrix,
    Status,
    best_times,
)
from core.uow import UnitOfWork
from handlers.schedule import best_time as best_time_handlers
from storage.queries.schedule import posts as rows
from tests import factories as f
from tests.app_harness import Harness, running_bot

EN = Locales().get("en")
ZH = Locales().get("zh")


def matrix(
    peaks: dict[int, int], *, base: int = 4, days: int = 28, saturday: int = 0
) -> ActivityMatrix:
    """`base` actions every hour of every day, `peaks[hour]` more on each day at that hour,
    and `saturday` more on Saturdays at 21:00."""
    rows_ = []
    for day in range(7):
        row = [base + peaks.get(hour, 0) for hour in range(24)]
        if day == 5:
            row[21] += saturday
        rows_.append(tuple(row))
    return ActivityMatrix(tuple(rows_), days, "Asia/Shanghai")


def test_the_best_hours_are_separate_peaks_well_above_average() -> None:
    found = best_times(matrix({20: 30, 21: 25, 12: 15, 8: 2}, saturday=30))
    assert found.status is Status.OK
    assert [h.hour for h in found.hours] == [20, 12]  # 21:00 is 20:00's peak; 08:00 is average
    total = 7 * (24 * 4 + 30 + 25 + 15 + 2) + 30
    assert found.events == total and found.days == 28
    assert found.hours[0].share == pytest.approx(7 * 34 / total)
    assert found.hours[0].lift == pytest.approx(24 * 7 * 34 / total)
    assert found.slot is not None and (found.slot.weekday, found.slot.hour) == (5, 21)
    # Around midnight: 23:00 and 00:00 are neighbours.
    late = best_times(matrix({23: 30, 0: 28, 1: 5, 19: 20}))
    assert [h.hour for h in late.hours] == [23, 19]


def test_too_little_data_or_no_peak_is_said_so() -> None:
    thin = best_times(matrix({20: 30}, base=0, days=28))  # 210 actions … enough
    assert thin.status is Status.OK
    assert best_times(matrix({20: 20}, base=0)).status is Status.NOT_ENOUGH_DATA  # 140
    short = best_times(matrix({20: 30}, days=13))
    assert short.status is Status.NOT_ENOUGH_DATA and short.hours == () and short.slot is None
    flat = best_times(matrix({}, base=10))
    assert flat.status is Status.NO_CLEAR_PEAK and flat.hours == ()
    with pytest.raises(ValueError):
        best_times(ActivityMatrix(((1,) * 24,) * 6, 28, "UTC"))


class FakeActivity:
    def __init__(self, found: ActivityMatrix | None) -> None:
        self.found = found
        self.asked: list[tuple[int, int]] = []

    async def weekday_hour_activity(
        self, uow: UnitOfWork, group_id: int, *, days: int, now: datetime
    ) -> ActivityMatrix | None:
        self.asked.append((group_id, days))
        return self.found


ADMIN = f.user(100, "Admin")
MEMBER = f.user(200, "Member")


def _buttons(bot: Harness) -> dict[str, str]:
    markup = bot.sent(SendMessage)[-1].reply_markup
    return {b.text: b.callback_data for row in markup.inline_keyboard for b in row}


async def test_schedule_offers_the_best_times_as_one_tap_choices(db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)  # a tap has no date: it happens now
    local = now.astimezone(ZoneInfo("Asia/Shanghai"))
    next_20 = local.replace(hour=20, minute=0, second=0)
    if next_20 <= local:
        next_20 += timedelta(days=1)
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        assert isinstance(bot.app.deps["activity_matrix"], GroupDayActivity)
        await bot.feed(f.message(ADMIN, "/schedule", date=now))  # a group counted since today
        assert "Best times to post show here once I have seen 14 days" in bot.last_text()
        assert not any("⭐" in b for b in _buttons(bot))

        source = bot.app.deps["activity_matrix"] = FakeActivity(
            matrix({20: 30, 12: 15}, saturday=40)
        )
        await bot.feed(f.message(ADMIN, "/schedule", date=now))
        assert source.asked == [(f.GROUP_ID, 28)]
        prompt = bot.last_text()
        assert (
            "⭐ Members are most active 20:00–21:00, 12:00–13:00 (Asia/Shanghai; from " in prompt
        )
        buttons = _buttons(bot)
        assert ["⭐ 20:00", "⭐ 12:00", "⭐ Daily 20:00", "⭐ Sat 21:00"] == [
            b for b in buttons if b.startswith("⭐")
        ]
        assert "In 30 min" in buttons  # the usual choices stay

        # A member's tap is refused; the admin's starts the draft at the next 20:00.
        await bot.feed(f.callback(MEMBER, buttons["⭐ 20:00"], 50))
        assert bot.sent(AnswerCallbackQuery)[-1].text == "Only group administrators can do that."
        await bot.feed(f.callback(ADMIN, buttons["⭐ 20:00"], 50))
        assert f"once, at {next_20:%Y-%m-%d} 20:00" in bot.sent(EditMessageText)[-1].text
        await bot.feed(f.message(ADMIN, "Evening tip", date=now, reply_to=f.bot_message(50, "…")))
        await bot.feed(f.callback(ADMIN, "sda:confirm:50", 50))
        await bot.feed(f.callback(ADMIN, buttons["⭐ Sat 21:00"], 51))
        assert "every Saturday at 21:00" in bot.sent(EditMessageText)[-1].text
        async with bot.app.session_factory() as session:
            [post] = await rows.of_group(session, f.GROUP_ID)
        assert post.rule.startswith("once ") and post.next_run_at == next_20.astimezone(UTC)
        assert post.text == "Evening tip"

        # Too little activity: the prompt says what it takes, and offers no ⭐.
        bot.app.deps["activity_matrix"] = FakeActivity(matrix({20: 3}, base=0, days=9))
        await bot.feed(f.message(ADMIN, "/schedule", date=now))
        assert "Best times to post show here once I have seen 14 days" in bot.last_text()
        assert not any("⭐" in b for b in _buttons(bot))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (best_time_handlers.BestTimeButton(kind="at", hour=7), ["07:00"]),
        (best_time_handlers.BestTimeButton(kind="daily", hour=23), ["daily", "23:00"]),
        (
            best_time_handlers.BestTimeButton(kind="weekly", hour=9, weekday=6),
            ["weekly", "sun", "09:00"],
        ),
        (best_time_handlers.BestTimeButton(kind="at", hour=24), None),
        (best_time_handlers.BestTimeButton(kind="weekly", hour=9), None),
        (best_time_handlers.BestTimeButton(kind="soon", hour=9), None),
    ],
)
def test_a_tap_becomes_schedule_words(data: Any, words: list[str] | None) -> None:
    assert best_time_handlers.rule_words(data) == words


def test_the_line_for_stats() -> None:
    found = best_times(matrix({20: 30, 12: 15}, saturday=40))
    line = best_time_handlers.stats_line(EN, found)
    assert line.startswith("🕒 Members are most active 20:00–21:00, 12:00–13:00; ")
    assert "the busiest hour of the week: Sat 21:00 (Asia/Shanghai;" in line
    assert best_time_handlers.stats_line(ZH, found).startswith(
        "🕒 成员最活跃的时段：20:00–21:00、12:00–13:00；一周中最热闹的时刻：周六 21:00"
    )
    assert best_time_handlers.stats_line(EN, None) == ""
    assert best_time_handlers.stats_line(EN, best_times(matrix({}, base=10))) == ""
