"""Times as people type them, in English and Chinese, turned into the canonical forms of
`core/schedule/when.py` (pure; no I/O). docs/times.md lists every form.

    in 10 minutes · in 1m · in an hour · 30分钟后 · 半小时后 · 2小时后 · 3天后
    tomorrow 9:00 · today 6pm · tonight 8pm · 明天 9点 · 今晚8点 · 后天 上午10点
    3pm · 9:30am · 下午3点 · 9点半 · 晚上8点15分
    every day 8:00 · 每天 8:00 · 每天早上8点
    every monday 19:00 · every mon, thu 7pm · 每周一 19:00 · 每周一、四 19点
    every weekday 9:00 · 工作日 9:00 · 每个工作日 9点 · 周末 10点
    每月1号 10:00 · 每月最后一天 18:00 · every 30 minutes · 每2小时

`natural_when(words, now, timezone)` looks at the first words (up to five, the longest
phrase that is a time wins) and returns the canonical words and how many words it used, or
None when the words do not start with one of these forms (the caller then tries the
canonical forms, and refuses with examples when those fail too).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

MAX_WORDS = 5
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d{1,4}|[零一二两三四五六七八九十]{1,3})"


def cn_number(text: str) -> int | None:
    """`12`, `十二`, `二十五`, `两`: 0..99; None if it is not a number."""
    if text.isdecimal():
        return int(text)
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


# ---- clocks --------------------------------------------------------------------------

_EVENING = ("下午", "傍晚", "晚上", "夜里", "夜晚", "晚")
_MORNING = ("凌晨", "早上", "早晨", "清晨", "上午", "早")
_PERIOD = r"(?P<period>凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|夜晚|早|晚)?\s*"
_CLOCK_ZH = re.compile(
    _PERIOD + rf"(?P<h>{_NUM})\s*[点點时時]\s*"
    rf"(?:(?P<half>半)|(?P<quarter>一刻|三刻)|(?P<m>{_NUM})\s*分?|整)?"
)
_CLOCK_COLON = re.compile(_PERIOD + r"(?P<h>\d{1,2})[:：.](?P<m>\d{2})")
_CLOCK_EN = re.compile(
    r"(?:at\s+)?(?P<h>\d{1,2})(?:[:：.](?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)"
)
_CLOCK_PLAIN = re.compile(r"(?:at\s+)?(?P<h>\d{1,2})[:：](?P<m>\d{2})")


def clock(text: str, default_period: str | None = None) -> tuple[int, int] | None:
    """(hour, minute) of a clock time in any form, or None. `default_period` (今晚 → 晚上)
    applies when the text names none."""
    text = text.strip().lower()
    for pattern in (_CLOCK_PLAIN, _CLOCK_EN, _CLOCK_COLON, _CLOCK_ZH):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        hour = cn_number(groups["h"])
        minute = 0
        if groups.get("m"):
            minute = cn_number(groups["m"])  # type: ignore[assignment]
        elif groups.get("half"):
            minute = 30
        elif groups.get("quarter"):
            minute = 15 if groups["quarter"] == "一刻" else 45
        if hour is None or minute is None or minute > 59:
            return None
        if groups.get("ampm"):
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if groups["ampm"].startswith("p") else 0)
        elif "period" in groups:
            hour = _with_period(hour, groups["period"] or default_period)
            if hour is None:
                return None
        elif default_period in _EVENING and hour < 12:
            hour += 12
        if hour > 23:
            return None
        return hour, minute
    return None


def _with_period(hour: int, period: str | None) -> int | None:
    if period is None:
        return hour
    if hour > 12:
        return hour if period not in _MORNING else None  # 下午15点 is still 15:00
    if period in _EVENING:
        return 0 if hour == 12 and period != "下午" else hour % 12 + 12
    if period == "中午":
        return hour + 12 if 1 <= hour <= 5 else hour
    return 0 if hour == 12 and period == "凌晨" else hour


# ---- days ----------------------------------------------------------------------------

_ZH_DAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_ZH_DAY |= {str(i + 1): i for i in range(7)}
_EN_DAY = {
    name: i
    for i, names in enumerate(
        (
            ("mon", "monday", "mondays"),
            ("tue", "tues", "tuesday", "tuesdays"),
            ("wed", "weds", "wednesday", "wednesdays"),
            ("thu", "thur", "thurs", "thursday", "thursdays"),
            ("fri", "friday", "fridays"),
            ("sat", "saturday", "saturdays"),
            ("sun", "sunday", "sundays"),
        )
    )
    for name in names
}
_WORKDAYS = (0, 1, 2, 3, 4)
_WEEKEND = (5, 6)


def _zh_days(text: str) -> tuple[int, ...] | None:
    """`一`, `一、四`, `一到五`, `周一和周四`, `1-5` → weekday numbers (0 = Monday)."""
    days: set[int] = set()
    text = re.sub(r"周|星期|礼拜", "", text)
    for part in re.split(r"[、，,和及]", text):
        if not part:
            return None
        if match := re.fullmatch(r"(.)(?:到|至|-|~|—)(.)", part):
            if match[1] not in _ZH_DAY or match[2] not in _ZH_DAY:
                return None
            start, end = _ZH_DAY[match[1]], _ZH_DAY[match[2]]
            days.update(
                range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
            )
        elif len(part) == 1 and part in _ZH_DAY:
            days.add(_ZH_DAY[part])
        else:
            return None
    return tuple(sorted(days)) or None


def _en_days(text: str) -> tuple[int, ...] | None:
    """`monday`, `mon, thu`, `tuesday and friday`, `mon-fri`, `weekdays` → weekday numbers."""
    text = text.strip()
    if text in ("weekday", "weekdays", "workday", "workdays", "working day", "working days"):
        return _WORKDAYS
    if text in ("weekend", "weekends"):
        return _WEEKEND
    days: set[int] = set()
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", text):
        if match := re.fullmatch(r"([a-z]+)\s*(?:-|to)\s*([a-z]+)", part):
            if match[1] not in _EN_DAY or match[2] not in _EN_DAY:
                return None
            start, end = _EN_DAY[match[1]], _EN_DAY[match[2]]
            days.update(
                range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
            )
        elif part in _EN_DAY:
            days.add(_EN_DAY[part])
        else:
            return None
    return tuple(sorted(days)) or None


# ---- the forms -----------------------------------------------------------------------

_EN_UNITS = {"s": "s", "m": "m", "h": "h", "d": "d"}
_REL_EN = re.compile(
    r"in\s+(?P<n>\d{1,6}|an?|one)\s*"
    r"(?P<u>seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)"
)
_REL_ZH = re.compile(
    rf"(?P<n>{_NUM}|半)\s*(?:个)?\s*(?P<u>秒钟?|分钟|分|小时|钟头|天)\s*(?:后|以后|之后)"
)
_ZH_UNITS = {"秒": "s", "秒钟": "s", "分钟": "m", "分": "m", "小时": "h", "钟头": "h", "天": "d"}
_DAY_WORDS = {
    "today": (0, None),
    "tonight": (0, "晚上"),
    "tomorrow": (1, None),
    "tmr": (1, None),
    "tmrw": (1, None),
    "今天": (0, None),
    "今日": (0, None),
    "今晚": (0, "晚上"),
    "今早": (0, "早上"),
    "明天": (1, None),
    "明日": (1, None),
    "明早": (1, "早上"),
    "明晚": (1, "晚上"),
    "后天": (2, None),
}
_DAY_CLOCK = re.compile(
    r"(?P<day>today|tonight|tomorrow|tmrw|tmr|今天|今日|今晚|今早|明天|明日|明早|明晚|后天)"
    r"\s*(?:at\s+)?(?P<clock>.+)"
)
_DAILY = re.compile(r"(?:every\s*day|everyday|daily|每天|每日|天天)\s*(?:at\s+)?(?P<clock>.+)")
_WEEKLY_EN = re.compile(r"every\s+(?P<days>[a-z][a-z ,&-]*?)\s+(?:at\s+)?(?P<clock>\d.*)")
_WEEKLY_ZH = re.compile(
    r"(?:每个?(?:周|星期|礼拜)|每逢(?:周|星期)?)"
    r"(?P<days>[一二三四五六日天七、，,和及到至~\-—周]+)\s*(?P<clock>.+)"
)
_WORKDAYS_ZH = re.compile(r"(?:每个?)?(?:工作日|周一至周五|周一到周五)\s*(?P<clock>.+)")
_WEEKEND_ZH = re.compile(r"(?:每个?)?周末\s*(?P<clock>.+)")
_MONTHLY_ZH = re.compile(rf"每个?月\s*(?P<day>{_NUM}|最后一天)\s*[号號日]?\s*(?P<clock>.+)")
_EVERY_EN = re.compile(r"every\s+(?:(?P<n>\d{1,4})\s*)?(?P<u>minutes?|mins?|m|hours?|hrs?|h)")
_EVERY_ZH = re.compile(rf"每隔?\s*(?P<n>{_NUM}|半)?\s*(?:个)?\s*(?P<u>分钟|小时|钟头)")


def _count(text: str) -> int | None:
    if text in ("a", "an", "one"):
        return 1
    return cn_number(text)


def _hm(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _phrase(phrase: str, now: datetime, tz: ZoneInfo) -> list[str] | None:
    """The canonical words of one phrase, or None."""
    if match := _REL_EN.fullmatch(phrase):
        n, unit = _count(match[1]), match[2][0]
        return [f"+{n}{_EN_UNITS[unit]}"] if n else None
    if match := _REL_ZH.fullmatch(phrase):
        unit = _ZH_UNITS[match["u"]]
        if match["n"] == "半":
            return ["+30m"] if unit == "h" else None
        n = cn_number(match["n"])
        return [f"+{n}{unit}"] if n else None
    if match := _DAY_CLOCK.fullmatch(phrase):
        ahead, period = _DAY_WORDS[match["day"]]
        hm = clock(match["clock"], period)
        if hm is None:
            return None
        day = now.astimezone(tz).date() + timedelta(days=ahead)
        return [day.isoformat(), _hm(*hm)]
    if match := _DAILY.fullmatch(phrase):
        hm = clock(match["clock"])
        return ["daily", _hm(*hm)] if hm else None
    for pattern, days in ((_WORKDAYS_ZH, _WORKDAYS), (_WEEKEND_ZH, _WEEKEND)):
        if match := pattern.fullmatch(phrase):
            hm = clock(match["clock"])
            return ["weekly", ",".join(WEEKDAYS[d] for d in days), _hm(*hm)] if hm else None
    for pattern, read in ((_WEEKLY_ZH, _zh_days), (_WEEKLY_EN, _en_days)):
        if match := pattern.fullmatch(phrase):
            found = read(match["days"])
            hm = clock(match["clock"])
            if found is None or hm is None:
                return None
            return ["weekly", ",".join(WEEKDAYS[d] for d in found), _hm(*hm)]
    if match := _MONTHLY_ZH.fullmatch(phrase):
        hm = clock(match["clock"])
        day = "last" if match["day"] == "最后一天" else cn_number(match["day"])
        if hm is None or day is None:
            return None
        return ["monthly", str(day), _hm(*hm)]
    for pattern in (_EVERY_EN, _EVERY_ZH):
        if match := pattern.fullmatch(phrase):
            unit = "m" if match["u"][0] in "m分" else "h"
            if match["n"] == "半":
                return ["every", "30m"] if unit == "h" else None
            n = cn_number(match["n"]) if match["n"] else 1
            return ["every", f"{n}{unit}"] if n else None
    hm = clock(phrase)
    return [_hm(*hm)] if hm is not None else None


def natural_when(words: list[str], now: datetime, timezone: str) -> tuple[list[str], int] | None:
    """(canonical words, words used) for the longest leading phrase that is a time, or None."""
    tz = ZoneInfo(timezone)
    for used in range(min(len(words), MAX_WORDS), 0, -1):
        phrase = " ".join(words[:used]).lower()
        canonical = _phrase(phrase, now, tz)
        if canonical is not None:
            return canonical, used
    return None


def clock_words(words: list[str]) -> tuple[int, int, int] | None:
    """(hour, minute, words used) of a clock time at the start of `words` (`8:00`, `8am`,
    `8 am`, `早上8点`, `8点半`), or None."""
    for used in range(min(len(words), 3), 0, -1):
        hm = clock(" ".join(words[:used]))
        if hm is not None:
            return hm[0], hm[1], used
    return None
