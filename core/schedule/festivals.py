"""Public holidays and festivals of a country, from the `holidays` package (computed for each
year: lunar festivals such as 春节, 端午 and 中秋 move, a date list would be wrong next year).

A holiday that lasts several days (春节, 国庆) is greeted on its first day only; "observed"
days and working-day swaps (调休) are not holidays to greet. Each holiday has a key, the slug
of its English name where the package has one ("national-day"), else of its own name: what
admins' choices are stored under, and what default texts are found by
(`holiday-<country>-<key>` in the locale files, else `holiday-default`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import ModuleType

LANGUAGES = {"zh": ("zh_CN", "zh_TW"), "en": ("en_US", "en_GB")}


@dataclass(frozen=True, slots=True)
class Holiday:
    key: str
    day: date
    name_zh: str
    name_en: str

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en


def _package() -> ModuleType:
    # Imported on first use: 3.6 MB of the bot's memory, for groups that greet holidays.
    import holidays

    return holidays


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    return frozenset(_package().list_supported_countries())


def supported_country(text: str) -> str:
    """An ISO 3166-1 alpha-2 code the package knows (ValueError otherwise)."""
    code = text.strip().upper()
    if code not in countries():
        raise ValueError(text)
    return code


def slug(name: str) -> str:
    return re.sub(r"[\W_]+", "-", name.lower().replace("'", "")).strip("-")[:64]


def _language(country: str, wanted: str) -> str | None:
    cls = _package().country_holidays(country).__class__
    supported = getattr(cls, "supported_languages", ()) or ()
    for candidate in LANGUAGES.get(wanted, ()):
        if candidate in supported:
            return candidate
    return None  # the package's own language for the country


@lru_cache(maxsize=512)
def _named_days(country: str, year: int, language: str | None) -> dict[date, tuple[str, ...]]:
    """date -> the names of the holidays on it, in `language`; swaps and observed days out."""
    found = _package().country_holidays(country, years=year, language=language, observed=False)
    swap_prefix = ""
    if getattr(found, "has_substituted_holidays", False):
        swap_prefix = found.tr(found.substituted_label).split("%s")[0]
    days: dict[date, tuple[str, ...]] = {}
    for day in sorted(found):
        names = tuple(
            n for n in found.get_list(day) if not (swap_prefix and n.startswith(swap_prefix))
        )
        if names:
            days[day] = names
    return days


@lru_cache(maxsize=256)
def holidays_of_year(country: str, year: int) -> tuple[Holiday, ...]:
    """The holidays to greet in `year`: each on its first day (a run of days with the same
    holiday counts once), in date order."""
    zh, en = _language(country, "zh"), _language(country, "en")
    greeted: list[Holiday] = []
    for day, en_names in _named_days(country, year, en).items():
        zh_names = _named_days(country, year, zh).get(day, en_names)
        before = day - timedelta(days=1)
        earlier = _named_days(country, before.year, en).get(before, ())
        for i, name in enumerate(en_names):
            if name in earlier:
                continue  # the holiday began before today
            zh_name = zh_names[i] if i < len(zh_names) else name
            greeted.append(Holiday(slug(name), day, zh_name, name))
    return tuple(greeted)


def greeted_on(country: str, day: date) -> list[Holiday]:
    return [h for h in holidays_of_year(country, day.year) if h.day == day]


def upcoming(country: str, today: date, limit: int = 30) -> list[Holiday]:
    """The holidays of the twelve months from `today` on."""
    this_year = [h for h in holidays_of_year(country, today.year) if h.day >= today]
    next_year = [
        h
        for h in holidays_of_year(country, today.year + 1)
        if (h.day.month, h.day.day) < (today.month, today.day)
    ]
    return (this_year + next_year)[:limit]


def find(country: str, today: date, word: str) -> Holiday | None:
    """The holiday an admin means: its key, a name (zh or en, or the start of one: 国庆, 春节),
    or a date (`10-01`, `2026-10-01`); looked up in this year and the next."""
    word = word.strip()
    year_days = list(holidays_of_year(country, today.year)) + list(
        holidays_of_year(country, today.year + 1)
    )
    match = re.fullmatch(r"(?:(\d{4})-)?(\d{1,2})-(\d{1,2})", word)
    if match:
        year = int(match[1]) if match[1] else None
        month, dom = int(match[2]), int(match[3])
        for h in year_days:
            if (h.day.month, h.day.day) == (month, dom) and (year is None or h.day.year == year):
                return h
        return None
    lowered = word.lower()
    for test in (
        lambda h: h.key == slug(word),
        lambda h: lowered in (h.name_zh.lower(), h.name_en.lower()),
        lambda h: len(word) >= 2 and (word in h.name_zh or lowered in h.name_en.lower()),
    ):
        for h in year_days:
            if test(h):
                return h
    return None
