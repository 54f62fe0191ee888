"""Both languages say everything, and every message key the code asks for exists."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from bot.i18n import Locales
from core.engagement.leaderboard import BOARDS
from core.settings import SettingsSection

ROOT = Path(__file__).resolve().parents[1]
# Any string literal shaped like a message id ("checkin-done", "error-not-admin", ...).
KEY_LITERAL = re.compile(r"""["']([a-z]+(?:-[a-z0-9_]+)+)["']""")


def declared_sections() -> list[SettingsSection]:
    """Every settings section any module under core/ declares (the composition picks from them)."""
    found: dict[int, SettingsSection] = {}
    for info in pkgutil.walk_packages([str(ROOT / "core")], "core."):
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, SettingsSection):
                found[id(value)] = value
    return list(found.values())


def test_the_scan_finds_the_settings_sections() -> None:
    names = {section.name for section in declared_sections()}
    assert {"community", "checkin", "activity"} <= names


def keys_used_in_code(prefixes: set[str]) -> set[str]:
    used: set[str] = set()
    for path in [
        *ROOT.glob("bot/**/*.py"),
        *ROOT.glob("core/**/*.py"),
        *ROOT.glob("handlers/**/*.py"),
    ]:
        for key in KEY_LITERAL.findall(path.read_text(encoding="utf-8")):
            if key.split("-")[0] in prefixes:
                used.add(key)
    for section in declared_sections():
        used.add(f"settings-section-{section.name}")
        for spec in section.specs:
            used |= {f"settings-label-{spec.key}", f"settings-value-{spec.key}"}
    used |= {f"top-title-{board}" for board in BOARDS.values()}
    used |= {f"export-{kind}" for kind in ("members", "ledger")}
    return used


def test_zh_and_en_have_the_same_messages() -> None:
    locales = Locales()
    en, zh = locales.message_ids("en"), locales.message_ids("zh")
    assert en - zh == set(), "missing in zh"
    assert zh - en == set(), "missing in en"


def test_every_key_the_code_uses_exists() -> None:
    known = Locales().message_ids("en")
    used = keys_used_in_code({key.split("-")[0] for key in known})
    assert len(used) > 50  # the scan found the code's keys
    assert used - known == set()
