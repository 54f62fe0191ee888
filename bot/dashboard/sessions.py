"""The dashboard's session cookie and CSRF tokens, signed with a key derived from the bot token
(so every process of the bot accepts them, and a new token ends every session).

A session is one person's (not a group's): every request names its group and is authorized
again. The cookie holds the user id, the language, a random id and the expiry, signed with
HMAC-SHA256; the CSRF token is an HMAC of the session's random id, sent by the page in a header
with every write (a cross-site form cannot read it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

COOKIE = "dash_session"


@dataclass(frozen=True, slots=True)
class Session:
    user_id: int
    name: str
    username: str | None
    language_code: str | None  # as Telegram gave it
    language: str  # the dashboard's: zh or en
    sid: str  # random: what the CSRF token is bound to
    expires: int  # Unix seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    def __init__(self, bot_token: str) -> None:
        self._key = hmac.new(b"dashboard session", bot_token.encode(), hashlib.sha256).digest()

    def _mac(self, purpose: bytes, data: bytes) -> str:
        return _b64(hmac.new(self._key, purpose + b"|" + data, hashlib.sha256).digest())

    def issue(
        self,
        user_id: int,
        name: str,
        username: str | None,
        language_code: str | None,
        language: str,
        expires: int,
    ) -> tuple[str, Session]:
        session = Session(
            user_id,
            name[:64],
            username,
            language_code,
            language,
            secrets.token_urlsafe(12),
            expires,
        )
        body = _b64(
            json.dumps(
                [user_id, session.name, username, language_code, language, session.sid, expires],
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode()
        )
        return f"{body}.{self._mac(b'session', body.encode())}", session

    def read(self, cookie: str | None, now: float) -> Session | None:
        """The session a cookie stands for, if it is ours, intact and not expired."""
        if not cookie or len(cookie) > 1024 or "." not in cookie:
            return None
        body, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac.encode(), self._mac(b"session", body.encode()).encode()):
            return None
        try:
            user_id, name, username, code, language, sid, expires = json.loads(_unb64(body))
            session = Session(
                int(user_id), str(name), username, code, str(language), str(sid), int(expires)
            )
        except (ValueError, TypeError):
            return None
        return session if session.expires > now else None

    def csrf(self, session: Session) -> str:
        return self._mac(b"csrf", session.sid.encode())

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(
            (token or "").encode(), self.csrf(session).encode()
        )
