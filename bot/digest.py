"""In a busy group, check-ins are acknowledged with one digest message that is edited as it fills."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from aiogram.methods import EditMessageText, SendMessage

from bot.i18n import Locales
from bot.outbound import Kind, Outbox, Priority

logger = logging.getLogger(__name__)

RECENT_NAMES = 5


@dataclass
class _Digest:
    day: date
    language: str
    count: int = 0
    names: list[str] = field(default_factory=list)
    message_id: int | None = None
    creating: bool = False
    shown_text: str = ""
    editor: asyncio.Task[None] | None = None
    last_edit: float = 0.0


class CheckinDigest:
    def __init__(
        self,
        outbox: Outbox,
        locales: Locales,
        *,
        edit_interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._outbox = outbox
        self._locales = locales
        self._interval = edit_interval
        self._clock = clock
        self._digests: dict[int, _Digest] = {}

    def add(self, group_id: int, day: date, language: str, name: str, position: int) -> None:
        digest = self._digests.get(group_id)
        if digest is None or digest.day != day:
            digest = _Digest(day=day, language=language)
            self._digests[group_id] = digest
        digest.count = max(digest.count, position)
        digest.names = ([name] + [n for n in digest.names if n != name])[:RECENT_NAMES]
        if digest.message_id is None and not digest.creating:
            digest.creating = True
            text = self._text(digest)
            future = self._outbox.send(
                group_id,
                SendMessage(chat_id=group_id, text=text),
                kind=Kind.ACK,
                priority=Priority.NORMAL,
            )
            digest.shown_text = text
            future.add_done_callback(lambda f, d=digest, g=group_id: self._created(g, d, f))
            return
        self._schedule_edit(group_id, digest)

    def _text(self, digest: _Digest) -> str:
        t = self._locales.get(digest.language)
        return t("checkin-digest", count=digest.count, names=", ".join(digest.names))

    def _created(self, group_id: int, digest: _Digest, future: asyncio.Future[object]) -> None:
        digest.creating = False
        if future.cancelled() or future.exception() is not None or future.result() is None:
            return
        digest.message_id = future.result().message_id  # type: ignore[attr-defined]
        digest.last_edit = self._clock()
        self._schedule_edit(group_id, digest)

    def _schedule_edit(self, group_id: int, digest: _Digest) -> None:
        if digest.message_id is None or (digest.editor is not None and not digest.editor.done()):
            return
        digest.editor = asyncio.create_task(self._edit_later(group_id, digest))

    async def _edit_later(self, group_id: int, digest: _Digest) -> None:
        wait = digest.last_edit + self._interval - self._clock()
        if wait > 0:
            await asyncio.sleep(wait)
        text = self._text(digest)
        if text == digest.shown_text or digest.message_id is None:
            return
        digest.shown_text = text
        digest.last_edit = self._clock()
        self._outbox.send(
            group_id,
            EditMessageText(chat_id=group_id, message_id=digest.message_id, text=text),
            kind=Kind.ACK,
            priority=Priority.LOW,
            counts_as_message=False,
        )

    async def close(self) -> None:
        tasks = [d.editor for d in self._digests.values() if d.editor and not d.editor.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
