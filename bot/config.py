"""Typed settings, read once from the environment (and .env, loaded by the entry point)."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.db import DEFAULT_DATABASE_URL


class StartupError(RuntimeError):
    """Something the configuration names does not answer at start (the message says what)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_file=None)

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str | None = None
    bot_owner_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_timezone: str = "Asia/Shanghai"
    default_language: Literal["zh", "en"] = "en"
    log_level: str = "INFO"

    bot_mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0:8080"
    webhook_secret: SecretStr | None = None
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    health_listen: str | None = None

    poll_timeout: int = Field(default=30, ge=0, le=50)
    update_concurrency: int = Field(default=100, ge=1, le=1000)
    shutdown_grace_seconds: float = Field(default=20.0, gt=0)

    outbound_global_per_second: float = Field(default=30.0, gt=0)
    outbound_group_per_minute: float = Field(default=20.0, gt=0)
    outbound_private_per_second: float = Field(default=1.0, gt=0)
    admin_cache_seconds: float = Field(default=60.0, ge=0)
    # How long a group's settings are trusted in memory before they are read again (a change
    # made by another process, on the same database, shows within this time).
    settings_cache_seconds: float = Field(default=5.0, ge=0)
    # Content feeds (/feed) may be fetched from private, loopback and link-local addresses.
    # Off in production (the bot would fetch inside its own network: SSRF); tests and local
    # development serve feeds from 127.0.0.1.
    feed_allow_private: bool = False
    feed_max_bytes: int = Field(default=2_000_000, ge=1_000, le=50_000_000)
    # The worker process that draws charts and computes statistics (bot/worker.py) stops after
    # this many seconds without work, giving its memory (matplotlib, statsmodels) back.
    worker_idle_seconds: float = Field(default=300.0, ge=1.0)

    # The manager dashboard (a Telegram Mini App): its public URL (what Telegram opens; https),
    # where it binds in polling mode (in webhook mode it may share the webhook's server, under
    # the URL's path), how old a Mini App's signed initData may be, and a session's lifetime.
    dashboard_url: str | None = None
    dashboard_listen: str | None = None
    dashboard_init_data_max_age: int = Field(default=86_400, ge=60, le=30 * 86_400)
    dashboard_session_seconds: int = Field(default=3_600, ge=60, le=86_400)

    # Several processes as one bot (docs/replicas.md): Telegram's limits and the busy-group
    # digest are kept in Redis when it is set; one process needs none.
    redis_url: SecretStr | None = None
    # Keys are "<prefix>:{<hash of the token>}:…" (never the token itself).
    redis_key_prefix: str = Field(default="tgbot", pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    # This process's name in /metrics (the `replica` label) and in the log; the host name if unset.
    replica_name: str | None = Field(default=None, max_length=64)

    @field_validator("bot_owner_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(
                int(part) for part in value.replace(";", ",").split(",") if part.strip()
            )
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA timezone {value!r}") from exc
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _check_secret(cls, value: SecretStr | None) -> SecretStr | None:
        import re

        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("WEBHOOK_SECRET must be 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @model_validator(mode="after")
    def _check_webhook_mode(self) -> Settings:
        if self.bot_mode == "webhook":
            if not self.webhook_url or not self.webhook_url.startswith(("https://", "http://")):
                raise ValueError("BOT_MODE=webhook needs WEBHOOK_URL (the public https:// URL)")
            if self.webhook_secret is None:
                raise ValueError(
                    "BOT_MODE=webhook needs WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -)"
                )
        return self

    @field_validator("dashboard_url")
    @classmethod
    def _check_dashboard_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError("DASHBOARD_URL must be an https:// URL (what Telegram opens)")
        return value

    @property
    def dashboard_path(self) -> str:
        """The path the dashboard is served under (ends with "/")."""
        from urllib.parse import urlparse

        path = urlparse(self.dashboard_url or "").path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def replica(self) -> str:
        import socket

        return self.replica_name or socket.gethostname()

    @property
    def webhook_path(self) -> str:
        from urllib.parse import urlparse

        return urlparse(self.webhook_url or "").path or "/"

    @property
    def token(self) -> str:
        if self.bot_token is None:
            raise RuntimeError("BOT_TOKEN is not set")
        return self.bot_token.get_secret_value()
