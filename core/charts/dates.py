"""Dates as each language writes them on a chart ("Dec 1" / "12月1日"), without matplotlib
(also used to word a report's period in the bot process)."""

from __future__ import annotations

from datetime import date

EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(day: date, language: str, *, with_year: bool = False) -> str:
    if language == "zh":
        text = f"{day.month}月{day.day}日"
        return f"{day.year}年{text}" if with_year else text
    text = f"{EN_MONTHS[day.month - 1]} {day.day}"
    return f"{text}, {day.year}" if with_year else text
