"""What a dashboard page declares: its API routes under /api/g/<group>/, and the context each
route gets (the person, the group, a translator, the app's services, a unit of work)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.dashboard.sessions import Session
from bot.i18n import Translator
from core.community.group_settings import GroupSettings
from core.uow import UnitOfWork
from storage.db import SessionFactory

MAX_JSON_BODY = 64 * 1024  # a form's worth; larger bodies are refused (413)


class WebError(Exception):
    """A refusal the person sees: a locale key (dash-error-…) and an HTTP status."""

    def __init__(self, status: int, key: str, **args: object) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.args_map = args


def bad_input(field: str) -> WebError:
    return WebError(400, "dash-error-bad-input", field=field)


Handler = Callable[["WebContext"], Awaitable[Any]]


@dataclass(frozen=True)
class WebRoute:
    """GET routes only read (they get a read-only session); POST routes change something,
    through a use case, and need the CSRF token."""

    method: str  # GET | POST
    path: str  # under /api/g/{group_id}/, e.g. "rewards/{number:\\d+}"
    handler: Handler


@dataclass(frozen=True)
class WebPage:
    """A page of the dashboard: its name (nav key dash-nav-<name>, client module
    pages/<name>.js) and its routes."""

    name: str
    routes: tuple[WebRoute, ...] = ()
    order: int = 50  # position in the navigation


@dataclass
class WebContext:
    request: web.Request
    session: Session
    t: Translator
    group: GroupSettings
    deps: Mapping[str, Any]
    at: datetime
    writes: SessionFactory
    reads: SessionFactory
    _uows: list[UnitOfWork] = field(default_factory=list)

    @property
    def user_id(self) -> int:
        return self.session.user_id

    def service(self, name: str) -> Any:
        return self.deps[name]

    def uow(self) -> UnitOfWork:
        """A write's transaction. The page sends a fresh X-Request-Id with each action: it is
        the work's idempotency key, so a retried or double-sent action is applied once."""
        key = None
        request_id = self.request.headers.get("X-Request-Id", "")
        if request_id:
            try:
                key = f"web:{uuid.UUID(request_id)}"
            except ValueError:
                raise bad_input("X-Request-Id") from None
        uow = UnitOfWork(None, None, None, factory=self.writes, key=key, bus=self.deps["bus"])
        self._uows.append(uow)
        return uow

    def read_uow(self) -> UnitOfWork:
        """Reads, on the dashboard's own connections (SQLite: concurrent with the bot's writer
        in WAL mode; PostgreSQL: a small pool of its own, so the bot's is never drained)."""
        uow = UnitOfWork(None, None, None, factory=self.reads)
        self._uows.append(uow)
        return uow

    async def close(self) -> None:
        for uow in self._uows:
            await uow.close()

    # ---- input ---------------------------------------------------------------------------
    def query(self, name: str, default: str = "") -> str:
        value = self.request.query.get(name, default)
        if len(value) > 200:
            raise bad_input(name)
        return value

    def int_query(self, name: str, default: int, low: int, high: int) -> int:
        text = self.request.query.get(name, "")
        if not text:
            return default
        if not text.lstrip("-").isdecimal() or len(text) > 12 or not low <= int(text) <= high:
            raise bad_input(name)
        return int(text)

    def int_path(self, name: str) -> int:
        text = self.request.match_info.get(name, "")
        if not text.isdecimal() or len(text) > 12:
            raise WebError(404, "dash-error-not-found")
        return int(text)

    async def body(self) -> dict[str, Any]:
        return await read_json(self.request)


async def read_json(request: web.Request, limit: int = MAX_JSON_BODY) -> dict[str, Any]:
    """The request's JSON object, read up to `limit` bytes (larger: 413)."""
    if request.content_length is not None and request.content_length > limit:
        raise WebError(413, "dash-error-too-large")
    data = await request.content.read(limit + 1)
    if len(data) > limit:
        raise WebError(413, "dash-error-too-large")
    try:
        body = json.loads(data or b"{}")
    except ValueError:
        raise bad_input("body") from None
    if not isinstance(body, dict):
        raise bad_input("body")
    return body


def text_field(body: Mapping[str, Any], name: str, *, limit: int, required: bool = True) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise bad_input(name)
    return value


def int_field(body: Mapping[str, Any], name: str, low: int, high: int) -> int:
    value = body.get(name)
    if isinstance(value, str) and value.strip().lstrip("-").isdecimal():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise bad_input(name)
    return value
