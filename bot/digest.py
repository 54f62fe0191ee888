"""In a busy group, routine acknowledgements fold into one message per topic, edited as it fills.

Check-ins ("✅ 58 checked in today. Latest: …") and administrators' grants and deductions
("✅ +5 points each to G1, G2, … (58 members)") use the same fold: the first acknowledgement
sends the message, the next ones edit it, at most once every `edit_interval` seconds. A fold
ends with its period (the check-in day) or after `idle_after` seconds without a new entry; the
next one starts a new message. Folds are kept in a bounded cache, and a fold counts at most
MAX_MEMBERS distinct members before the next entry starts a new one.

Badges and levels reached in a busy group are lines of the day's check-in digest ("🏅 Alice:
7-day streak"), the latest MAX_NOTICES of them and how many more, never a message each.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date

from aiogram.methods import EditMessageText, SendMessage

from bot.i18n import Locales, Translator
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip
from core.cache import BoundedCache

logger = logging.getLogger(__name__)

RECENT_NAMES = 5
MAX_MEMBERS = 1000
MAX_FOLDS = 1000
MAX_NOTICES = 8  # badge and level lines shown in a check-in digest


@dataclass
class Fold:
    """What one folded message says so far."""

    period: Hashable
    language: str
    render: Callable[[Translator, Fold], str]
    count: int = 0
    names: list[str] = field(default_factory=list)  # the latest few, newest first
    members: set[int] = field(default_factory=set)
    total: int = 0
    amounts: set[int] = field(default_factory=set)  # distinct amounts, up to two
    notices: list[str] = field(default_factory=list)  # the latest MAX_NOTICES, oldest first
    more_notices: int = 0  # earlier ones no longer shown
    message_id: int | None = None
    creating: bool = False
    shown_text: str = ""
    editor: asyncio.Task[None] | None = None
    last_edit: float = 0.0

    @property
    def same_amount(self) -> bool:
        return len(self.amounts) == 1

    def add(self, name: str, member_id: int | None, amount: int, position: int) -> None:
        self.names = ([name] + [n for n in self.names if n != name])[:RECENT_NAMES]
        if member_id is not None:
            self.members.add(member_id)
        self.count = max(self.count, position, len(self.members))
        self.total += amount
        if len(self.amounts) < 2:
            self.amounts.add(amount)

    def note(self, line: str) -> None:
        self.notices.append(line)
        if len(self.notices) > MAX_NOTICES:
            del self.notices[0]
            self.more_notices += 1


def checkin_text(t: Translator, fold: Fold) -> str:
    lines = []
    if fold.count:
        lines.append(t("checkin-digest", count=fold.count, names=", ".join(fold.names)))
    if fold.more_notices:
        lines.append(t("digest-more-notices", count=fold.more_notices))
    return clip("\n".join(lines + fold.notices))


def _points_text(key: str) -> Callable[[Translator, Fold], str]:
    def render(t: Translator, fold: Fold) -> str:
        return t(
            key,
            count=fold.count,
            names=", ".join(fold.names),
            more="yes" if fold.count > len(fold.names) else "no",
            same="yes" if fold.same_amount else "no",
            amount=next(iter(fold.amounts)) if fold.same_amount else 0,
            total=fold.total,
        )

    return render


grant_text = _points_text("admin-granted-digest")
deduct_text = _points_text("admin-deducted-digest")


class Digest:
    def __init__(
        self,
        outbox: Outbox,
        locales: Locales,
        *,
        edit_interval: float = 10.0,
        idle_after: float = 900.0,
        max_folds: int = MAX_FOLDS,
        notice_delay: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._outbox = outbox
        self._locales = locales
        self._interval = edit_interval
        self._notice_delay = notice_delay
        self._clock = clock
        # (group, topic) -> its open fold; written on every entry, so idle folds expire.
        self._folds: BoundedCache[tuple[int, str], Fold] = BoundedCache(
            max_folds, idle_after, clock=clock
        )
        self._editors: set[asyncio.Task[None]] = set()

    # ---- what is folded ---------------------------------------------------------------
    def checkin(self, group_id: int, day: date, language: str, name: str, position: int) -> None:
        """A member checked in; `position` is the day's count so far."""
        self._add(group_id, "checkin", day, language, checkin_text, name, None, 0, position)

    def points(
        self,
        group_id: int,
        language: str,
        *,
        deduct: bool,
        member_id: int,
        name: str,
        amount: int,
    ) -> None:
        """An administrator granted (or deducted) `amount` points to a member."""
        topic, render = ("deduct", deduct_text) if deduct else ("grant", grant_text)
        self._add(group_id, topic, None, language, render, name, member_id, amount, 0)

    def notice(self, group_id: int, day: date, language: str, line: str) -> None:
        """A badge or a level reached in a busy group: a line of that day's check-in digest.

        A notice usually comes just before the check-in that earned it (it is queued when the
        batch commits): a digest it would open waits `notice_delay` seconds, so that check-in
        opens it with both."""
        key = (group_id, "checkin")
        fold = self._folds.get(key)
        if fold is None or fold.period != day:
            fold = Fold(period=day, language=language, render=checkin_text)
        self._folds.put(key, fold)
        fold.note(line)
        if fold.message_id is None and not fold.creating:
            self._track(asyncio.create_task(self._create_later(group_id, fold)))
            return
        self._schedule_edit(group_id, fold)

    def __len__(self) -> int:
        return len(self._folds)

    # ---- the folded message -----------------------------------------------------------
    def _add(
        self,
        group_id: int,
        topic: str,
        period: Hashable,
        language: str,
        render: Callable[[Translator, Fold], str],
        name: str,
        member_id: int | None,
        amount: int,
        position: int,
    ) -> None:
        key = (group_id, topic)
        fold = self._folds.get(key)
        if (
            fold is None
            or fold.period != period
            or (member_id is not None and len(fold.members) >= MAX_MEMBERS)
        ):
            fold = Fold(period=period, language=language, render=render)
        self._folds.put(key, fold)  # a new entry keeps the fold open
        fold.add(name, member_id, amount, position)
        if fold.message_id is None and not fold.creating:
            self._create(group_id, fold)
            return
        self._schedule_edit(group_id, fold)

    def _create(self, group_id: int, fold: Fold) -> None:
        fold.creating = True
        text = self._text(fold)
        future = self._outbox.send(
            group_id,
            SendMessage(chat_id=group_id, text=text),
            kind=Kind.ACK,
            priority=Priority.NORMAL,
        )
        fold.shown_text = text
        future.add_done_callback(lambda f, d=fold, g=group_id: self._created(g, d, f))

    async def _create_later(self, group_id: int, fold: Fold) -> None:
        await asyncio.sleep(self._notice_delay)
        if fold.message_id is None and not fold.creating:
            self._create(group_id, fold)

    def _track(self, task: asyncio.Task[None]) -> None:
        self._editors.add(task)
        task.add_done_callback(self._editors.discard)

    def _text(self, fold: Fold) -> str:
        return fold.render(self._locales.get(fold.language), fold)

    def _created(self, group_id: int, fold: Fold, future: asyncio.Future[object]) -> None:
        fold.creating = False
        if future.cancelled() or future.exception() is not None or future.result() is None:
            return
        fold.message_id = future.result().message_id  # type: ignore[attr-defined]
        fold.last_edit = self._clock()
        self._schedule_edit(group_id, fold)

    def _schedule_edit(self, group_id: int, fold: Fold) -> None:
        if fold.message_id is None or (fold.editor is not None and not fold.editor.done()):
            return
        fold.editor = asyncio.create_task(self._edit_later(group_id, fold))
        self._track(fold.editor)

    async def _edit_later(self, group_id: int, fold: Fold) -> None:
        wait = fold.last_edit + self._interval - self._clock()
        if wait > 0:
            await asyncio.sleep(wait)
        text = self._text(fold)
        if text == fold.shown_text or fold.message_id is None:
            return
        fold.shown_text = text
        fold.last_edit = self._clock()
        self._outbox.send(
            group_id,
            EditMessageText(chat_id=group_id, message_id=fold.message_id, text=text),
            kind=Kind.ACK,
            priority=Priority.LOW,
            counts_as_message=False,
        )

    def start(self) -> None:
        """One process's fold needs no sweeping (bot/shared_digest.py does)."""

    async def close(self) -> None:
        tasks = [task for task in self._editors if not task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
