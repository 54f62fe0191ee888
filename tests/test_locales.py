"""Both languages say everything, and every message key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import Locales
from core.community.group_settings import SETTINGS
from core.engagement.leaderboard import BOARDS

ROOT = Path(__file__).resolve().parents[1]
# Any string literal shaped like a message id ("checkin-done", "error-not-admin", ...).
KEY_LITERAL = re.compile(r"""["']([a-z]+(?:-[a-z0-9_]+)+)["']""")


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
    for key in SETTINGS:
        used |= {f"settings-label-{key}", f"settings-value-{key}"}
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
