"""Holiday greetings: on a public holiday or festival of the group's country (setting
`holiday_country`, default CN), the morning greeting's occurrence also greets the holiday, in
one message after it, at the group's greeting time. Once per group and local date: the key
`holiday:<group>:<date>` is claimed in the occurrence's transaction (a greeting set again the
same day, a second post, a restart: no second holiday message).

On by default (setting `holiday_greetings`); admins turn one holiday off, or give it their own
text, with /greeting holiday (rows of holiday_greeting); default texts are in the locale
files (`holiday-<country>-<key>`, else `holiday-default` with the holiday's name).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.community.group_settings import GroupSettings
from core.errors import DomainError
from core.schedule import festivals
from core.schedule.festivals import Holiday
from core.schedule.settings import DEFAULT_COUNTRY, HOLIDAY_COUNTRY, HOLIDAY_GREETINGS
from core.uow import UnitOfWork
from storage.queries import updates
from storage.queries.community import audit
from storage.queries.schedule import holidays as rows

MAX_TEXT = 1000


class UnknownHoliday(DomainError):
    key = "holiday-error-unknown"


class HolidayTextTooLong(DomainError):
    key = "holiday-error-too-long"


@dataclass(frozen=True, slots=True)
class HolidayGreeting:
    """One holiday greeted today: `text` is the group's own (HTML, escaped) or None (the
    default from the locale files: `locale_key`, else holiday-default with `name`)."""

    key: str
    name: str
    locale_key: str
    text: str | None


@dataclass(frozen=True, slots=True)
class HolidayState:
    holiday: Holiday
    enabled: bool
    text: str | None


def country_of(group: GroupSettings) -> str:
    return str(group.values.get(HOLIDAY_COUNTRY, DEFAULT_COUNTRY))


def locale_key(country: str, holiday: Holiday) -> str:
    return f"holiday-{country.lower()}-{holiday.key}"


async def greetings_for(
    session: AsyncSession, group: GroupSettings, day: date, at: datetime
) -> list[HolidayGreeting]:
    """What to greet on the group's local `day` (within the morning greeting's occurrence);
    [] if nothing, if holidays are off, or if the day's greeting was sent already."""
    if group.values.get(HOLIDAY_GREETINGS, "on") != "on":
        return []
    country = country_of(group)
    today = festivals.greeted_on(country, day)
    if not today:
        return []
    choices = await rows.choices(session, group.group_id)
    found = []
    for holiday in today:
        enabled, text = choices.get(holiday.key, (True, None))
        if enabled:
            name = holiday.name(group.language)
            found.append(HolidayGreeting(holiday.key, name, locale_key(country, holiday), text))
    if not found:
        return []
    if not await updates.claim_key(session, f"holiday:{group.group_id}:{day.isoformat()}", at):
        return []
    return found


async def upcoming(uow: UnitOfWork, group: GroupSettings, today: date) -> list[HolidayState]:
    choices = await rows.choices(uow.session, group.group_id)
    return [
        HolidayState(h, *choices.get(h.key, (True, None)))
        for h in festivals.upcoming(country_of(group), today)
    ]


def find(group: GroupSettings, today: date, word: str) -> Holiday:
    found = festivals.find(country_of(group), today, word)
    if found is None:
        raise UnknownHoliday(value=word[:30])
    return found


async def set_holiday(
    uow: UnitOfWork,
    group: GroupSettings,
    actor_id: int,
    word: str,
    today: date,
    at: datetime,
    *,
    enabled: bool | None = None,
    text: str | None = None,
    reset: bool = False,
) -> Holiday:
    """Turn one holiday on or off, give it a text (kept when it is switched), or reset it to
    on with the default text."""
    holiday = find(group, today, word)
    if reset:
        await rows.remove(uow.session, group.group_id, holiday.key)
    else:
        old_enabled, old_text = (await rows.choices(uow.session, group.group_id)).get(
            holiday.key, (True, None)
        )
        if text is not None:
            text = text.strip()
            if len(text) > MAX_TEXT:
                raise HolidayTextTooLong(limit=MAX_TEXT)
            text = html.escape(text, quote=False)
        await rows.put(
            uow.session,
            group.group_id,
            holiday.key,
            enabled=old_enabled if enabled is None else enabled,
            text=old_text if text is None else text,
            actor_id=actor_id,
            at=at,
        )
    await audit.record(
        uow.session,
        group_id=group.group_id,
        actor_id=actor_id,
        action="holiday_greeting_changed",
        at=at,
        details={
            "holiday": holiday.key,
            "enabled": enabled,
            "text": text is not None,
            "reset": reset,
        },
    )
    await uow.commit()
    return holiday
