"""Mini Apps as Telegram opens them: the URL with `#tgWebAppData=<initData>&…`, initData signed
with the bot's token as Telegram signs it (HMAC-SHA256, key = HMAC("WebAppData", token))."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any
from urllib.parse import quote, urlencode

from devtools.emulator.world import World

THEME = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#999999",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#efeff3",
}


def init_data(
    world: World,
    user_id: int,
    *,
    auth_date: int | None = None,
    token: str | None = None,
    extra: dict[str, str] | None = None,
) -> str:
    """The query string Telegram hands a Mini App opened by `user_id` (signed with the bot's
    token unless another `token` is given: a forgery)."""
    token = token or world.bot_token
    if token is None:
        raise RuntimeError("the bot has not called the emulator yet: its token is unknown")
    fields = {
        "query_id": "AAH" + secrets.token_urlsafe(12),
        "user": json.dumps(world.users[user_id], separators=(",", ":"), ensure_ascii=False),
        # Telegram signs at the real time (the world's clock may be moved ahead for tests).
        "auth_date": str(auth_date if auth_date is not None else int(time.time())),
        **(extra or {}),
    }
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(key, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


def open_url(url: str, data: str, theme: dict[str, Any] | None = None) -> str:
    """The address a Telegram client loads: the Mini App's URL with the launch parameters in
    its fragment."""
    params = {
        "tgWebAppData": data,
        "tgWebAppVersion": "8.0",
        "tgWebAppPlatform": "web",
        "tgWebAppThemeParams": json.dumps(theme or THEME, separators=(",", ":")),
    }
    return url.split("#")[0] + "#" + urlencode(params, quote_via=quote)
