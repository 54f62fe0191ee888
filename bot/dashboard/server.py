"""The dashboard's HTTP side: the page and its static files, the log-in with Telegram's signed
initData, and the per-group API the pages declare.

Every API request carries the session cookie (HttpOnly, short-lived); every request naming a
group is authorized again (the person administers it: Telegram's word through AdminChecker,
cached as for commands), and every write needs the CSRF token. Refusals are logged.
"""

from __future__ import annotations

import logging
import mimetypes
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.admins import AdminChecker
from bot.dashboard import init_data
from bot.dashboard.routes import WebContext, WebError, WebPage, WebRoute, read_json
from bot.dashboard.sessions import COOKIE, Session, SessionSigner
from bot.i18n import Locales, pick_language
from bot.replies import plain
from core.community import managed
from core.community.groups import GroupService
from core.errors import DomainError, DuplicateUpdate
from core.uow import UnitOfWork
from storage.db import SessionFactory

logger = logging.getLogger(__name__)

STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".md": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
MAX_STATIC_PATH = 200
# Telegram's web clients show a Mini App in an iframe: only they may frame it (https only;
# a plain-http dashboard is a local one, framed by the sandbox).
TELEGRAM_FRAMERS = "https://web.telegram.org https://*.web.telegram.org https://*.telegram.org"


class Dashboard:
    def __init__(
        self,
        *,
        bot_token: str,
        public_url: str,
        pages: Sequence[WebPage],
        static_dir: Path,
        deps: Mapping[str, Any],
        locales: Locales,
        admins: AdminChecker,
        groups: GroupService,
        writes: SessionFactory,
        reads: SessionFactory,
        default_language: str,
        init_data_max_age: int,
        session_seconds: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        from urllib.parse import urlparse

        self._token = bot_token
        url = urlparse(public_url)
        self.base = (url.path or "/") if (url.path or "/").endswith("/") else url.path + "/"
        self._secure = url.scheme == "https"
        self.pages = sorted(pages, key=lambda p: p.order)
        self._static = static_dir.resolve()
        self._deps = deps
        self._locales = locales
        self._admins = admins
        self._groups = groups
        self._writes = writes
        self._reads = reads
        self._default_language = default_language
        self._max_age = init_data_max_age
        self._session_seconds = session_seconds
        self._clock = clock
        self._signer = SessionSigner(bot_token)
        self._texts: dict[str, dict[str, str]] = {}

    # ---- wiring ------------------------------------------------------------------------
    def mount(self, app: web.Application) -> None:
        base = self.base
        app.middlewares.append(self._headers)
        app.router.add_get(base, self._index)
        app.router.add_get(base + "static/{path:.+}", self._static_file)
        app.router.add_post(base + "api/session", self._log_in)
        app.router.add_post(base + "api/logout", self._log_out)
        app.router.add_get(base + "api/me", self._me)
        app.router.add_get(base + "api/groups", self._my_groups)
        for page in self.pages:
            for route in page.routes:
                path = f"{base}api/g/{{group_id:-?\\d{{1,20}}}}/{route.path}"
                app.router.add_route(route.method, path, self._guarded(route))

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        self.mount(app)
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        if request.path.startswith(self.base):
            framers = TELEGRAM_FRAMERS if self._secure else "*"
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                f"script-src 'self'; object-src 'none'; base-uri 'none'; "
                f"frame-ancestors {framers}",
            )
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            if "/api/" in request.path:
                response.headers.setdefault("Cache-Control", "no-store")
        return response

    # ---- the page and its files --------------------------------------------------------
    async def _index(self, request: web.Request) -> web.StreamResponse:
        return self._file(self._static / "index.html", cache=False)

    async def _static_file(self, request: web.Request) -> web.StreamResponse:
        rel = request.match_info["path"]
        if len(rel) > MAX_STATIC_PATH or "\\" in rel or "\x00" in rel:
            raise web.HTTPNotFound()
        parts = rel.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            logger.warning("dashboard: refused static path %r", rel[:80])
            raise web.HTTPNotFound()
        path = (self._static / rel).resolve()
        if self._static not in path.parents or not path.is_file():
            raise web.HTTPNotFound()
        return self._file(path, cache=True)

    def _file(self, path: Path, *, cache: bool) -> web.StreamResponse:
        kind = STATIC_TYPES.get(path.suffix)
        if kind is None:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return web.Response(
            body=path.read_bytes(),
            headers={
                "Content-Type": kind,
                # Files change with the code: revalidate (cheap) rather than serve a stale one.
                "Cache-Control": "no-cache" if cache else "no-store",
            },
        )

    # ---- log-in ------------------------------------------------------------------------
    async def _log_in(self, request: web.Request) -> web.StreamResponse:
        t = self._locales.get(self._default_language)
        try:
            body = await read_json(request, 8 * 1024)
            raw = body.get("init_data")
            if not isinstance(raw, str):
                raise init_data.InitDataError("no initData")
            user = init_data.verify(raw, self._token, self._clock(), self._max_age)
        except WebError as exc:
            return self._error(exc.status, t(exc.key, **exc.args_map))
        except init_data.InitDataError as exc:
            logger.warning("dashboard: log-in refused from %s: %s", request.remote, exc)
            return self._error(401, t("dash-error-init-data"))
        language = pick_language(user.language_code, None, self._default_language)
        expires = int(time.time()) + self._session_seconds
        cookie, session = self._signer.issue(
            user.id, user.full_name, user.username, user.language_code, language, expires
        )
        response = web.json_response(self._me_body(session))
        response.set_cookie(
            COOKIE,
            cookie,
            path=self.base,
            max_age=self._session_seconds,
            httponly=True,
            secure=self._secure,
            # Telegram's web clients frame the page (a third-party context): the cookie must go
            # there too, so SameSite=None (with Secure, partitioned by the framing site); the
            # CSRF token guards every write. A plain-http dashboard is local: Lax.
            samesite="None" if self._secure else "Lax",
        )
        if self._secure:
            response.headers["Set-Cookie"] = response.headers["Set-Cookie"] + "; Partitioned"
        logger.info("dashboard: %s logged in", user.id)
        return response

    async def _log_out(self, request: web.Request) -> web.StreamResponse:
        session = self._session(request)
        if session is None or not self._signer.csrf_ok(
            session, request.headers.get("X-CSRF-Token")
        ):
            return self._error(403, self._t(session)("dash-error-csrf"))
        response = web.json_response({"ok": True})
        response.del_cookie(COOKIE, path=self.base)
        return response

    def _session(self, request: web.Request) -> Session | None:
        return self._signer.read(request.cookies.get(COOKIE), time.time())

    def _t(self, session: Session | None):  # type: ignore[no-untyped-def]
        return self._locales.get(session.language if session else self._default_language)

    def _me_body(self, session: Session) -> dict[str, Any]:
        return {
            "user": {"id": session.user_id, "name": session.name},
            "language": session.language,
            "csrf": self._signer.csrf(session),
            "expires": session.expires,
            "texts": self._client_texts(session.language),
            "pages": [page.name for page in self.pages],
        }

    def _client_texts(self, language: str) -> dict[str, str]:
        if language not in self._texts:
            self._texts[language] = self._locales.client_texts(language, "dash-")
        return self._texts[language]

    async def _me(self, request: web.Request) -> web.StreamResponse:
        session = self._session(request)
        if session is None:
            return self._error(401, self._t(None)("dash-error-session"))
        return web.json_response(self._me_body(session))

    async def _my_groups(self, request: web.Request) -> web.StreamResponse:
        session = self._session(request)
        if session is None:
            return self._error(401, self._t(None)("dash-error-session"))
        everywhere = self._admins.is_owner(session.user_id)
        uow = UnitOfWork(None, None, None, factory=self._reads)
        try:
            candidates = await managed.candidate_groups(uow, session.user_id, everywhere)
        finally:
            await uow.close()
        mine = [
            {"id": str(group_id), "title": title}
            for group_id, title in candidates
            if await self._admins.is_admin(group_id, session.user_id)
        ]
        return web.json_response({"groups": mine})

    # ---- the per-group API -------------------------------------------------------------
    def _guarded(self, route: WebRoute):  # type: ignore[no-untyped-def]
        async def handle(request: web.Request) -> web.StreamResponse:
            session = self._session(request)
            t = self._t(session)
            if session is None:
                return self._error(401, t("dash-error-session"))
            if route.method != "GET" and not self._signer.csrf_ok(
                session, request.headers.get("X-CSRF-Token")
            ):
                logger.warning(
                    "dashboard: %s %s without a valid CSRF token", request.method, request.path
                )
                return self._error(403, t("dash-error-csrf"))
            group_id = int(request.match_info["group_id"])
            if not await self._admins.is_admin(group_id, session.user_id):
                logger.warning(
                    "dashboard: %s refused for group %s (not an administrator)",
                    session.user_id,
                    group_id,
                )
                return self._error(403, t("dash-error-not-admin"))
            reads = UnitOfWork(None, None, None, factory=self._reads)
            try:
                found = await self._groups.settings_in(reads.session, [group_id])
            finally:
                await reads.close()
            group = found.get(group_id)
            if group is None:
                return self._error(404, t("dash-error-not-found"))
            context = WebContext(
                request,
                session,
                t,
                group,
                self._deps,
                self._clock(),
                self._writes,
                self._reads,
            )
            try:
                result = await route.handler(context)
            except WebError as exc:
                logger.info("dashboard: %s %s refused: %s", request.method, request.path, exc.key)
                return self._error(exc.status, t(exc.key, **exc.args_map))
            except DomainError as exc:
                logger.info("dashboard: %s %s refused: %s", request.method, request.path, exc.key)
                # Where the input went wrong, when the rule says (a selector's position).
                where = exc.args_map.get("position")
                return self._error(400, t(exc.key, **exc.args_map), position=where)
            except DuplicateUpdate:
                return self._error(409, t("dash-error-duplicate"))
            finally:
                await context.close()
            if isinstance(result, web.StreamResponse):
                return result
            return web.json_response(result)

        return handle

    @staticmethod
    def _error(status: int, message: str, position: object = None) -> web.Response:
        body: dict[str, object] = {"error": plain(message)}
        if isinstance(position, int):
            body["position"] = position
        return web.json_response(body, status=status)
