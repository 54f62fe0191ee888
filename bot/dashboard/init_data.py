"""Telegram's Mini App initData: the signed query string a Mini App receives from Telegram.

Telegram's scheme (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
the data-check-string is every field but `hash`, as `key=value` lines sorted by key and joined
by "\\n"; the secret key is HMAC-SHA256 of the bot token keyed with "WebAppData"; `hash` is the
hex HMAC-SHA256 of the data-check-string with that secret key. `auth_date` (Unix seconds) says
when Telegram signed it: older than the allowed age, or in the future, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

MAX_INIT_DATA = 4096  # Telegram's are well under 1 KB
# Telegram's clock and ours differ by seconds; more than this ahead is not Telegram's.
FUTURE_TOLERANCE_SECONDS = 60


class InitDataError(Exception):
    """Why initData was refused: a short reason for the log (the person sees one message)."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    id: int
    first_name: str
    last_name: str
    username: str | None
    language_code: str | None
    auth_date: int

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def sign(fields: dict[str, str], token: str) -> str:
    """The hash Telegram would give these fields (tests, the emulator's check of agreement)."""
    return hmac.new(
        secret_key(token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()


def verify(raw: str, token: str, now: datetime, max_age_seconds: int) -> WebAppUser:
    """The user Telegram vouches for in `raw` (the initData query string), or InitDataError."""
    if not raw or len(raw) > MAX_INIT_DATA:
        raise InitDataError("missing or oversized")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("a field given twice")
    given = fields.get("hash", "")
    expected = sign(fields, token)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise InitDataError("bad signature")
    auth_date = fields.get("auth_date", "")
    if not auth_date.isdecimal():
        raise InitDataError("no auth_date")
    age = now.timestamp() - int(auth_date)
    if age < -FUTURE_TOLERANCE_SECONDS:
        raise InitDataError("dated in the future")
    if age > max_age_seconds:
        raise InitDataError("expired")
    try:
        user = json.loads(fields.get("user", ""))
        user_id = int(user["id"])
    except (ValueError, KeyError, TypeError):
        raise InitDataError("no user") from None
    if not isinstance(user, dict) or user_id <= 0:
        raise InitDataError("no user")
    return WebAppUser(
        id=user_id,
        first_name=str(user.get("first_name") or "")[:128],
        last_name=str(user.get("last_name") or "")[:128],
        username=str(user["username"])[:64] if user.get("username") else None,
        language_code=str(user["language_code"])[:16] if user.get("language_code") else None,
        auth_date=int(auth_date),
    )
