"""The README stays true: the commands it names exist, every command and setting is in it, and
the documents and the picture it points to are there."""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import Settings
from bot.features import CommandCatalog
from handlers import features
from tests.test_locales import declared_sections

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOT_OURS = {"healthz", "readyz", "metrics", "newbot", "setprivacy"}  # web paths, BotFather's


def test_the_commands_it_names_exist_and_every_command_is_named() -> None:
    catalog = CommandCatalog(features())
    named = set(re.findall(r"`/([a-z_]+)", README)) - NOT_OURS
    assert len(named) > 20  # the scan sees the guide's commands
    assert {name for name in named if catalog.get(name) is None} == set()
    assert {spec.name for spec in catalog.commands} - named == set()


def test_every_setting_is_in_it() -> None:
    """Group settings (`/settings <key>`) and the deployment's (environment) keys."""
    keys = {spec.key for section in declared_sections() for spec in section.specs}
    assert {key for key in keys if f"`{key}`" not in README} == set()
    environment = {name.upper() for name in Settings.model_fields}
    assert {key for key in environment if f"`{key}`" not in README} == set()


def test_what_it_points_to_exists() -> None:
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)", README) + re.findall(r'src="([^"]+)"', README)
    assert "docs/architecture.md" in targets and "docs/images/chat.png" in targets
    assert [t for t in targets if not (ROOT / t).exists()] == []
