"""Configuration: every setting is documented in .env.example, and bad values stop the start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_env_example_documents_every_setting() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    keys = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    assert keys == {name.upper() for name in Settings.model_fields}
    for key in keys:  # each key has a comment right above it (possibly shared with neighbours)
        block = text.split(f"\n{key}=")[0].rstrip().split("\n\n")[-1]
        assert block.lstrip().startswith("#"), key


@pytest.mark.parametrize(
    "values",
    [
        {"bot_mode": "webhook", "webhook_url": "https://example.org/hook"},  # no secret
        {
            "bot_mode": "webhook",
            "webhook_url": "https://example.org/hook",
            "webhook_secret": "bad secret!",
        },
        {"bot_mode": "webhook", "webhook_secret": "abc"},  # no URL
        {"default_timezone": "Mars/Olympus"},
        {"bot_owner_ids": "12,abc"},
    ],
)
def test_bad_configuration_is_refused(values: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_owner_ids_are_parsed_from_a_comma_list() -> None:
    settings = Settings(_env_file=None, bot_owner_ids="12, 9000000000")  # type: ignore[arg-type]
    assert settings.bot_owner_ids == frozenset({12, 9_000_000_000})
