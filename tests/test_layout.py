"""The business rules stand on their own: core/ imports no framework, runtime or handler code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CORE = ("aiogram", "aiohttp", "bot", "handlers", "devtools", "apscheduler")
FORBIDDEN_IN_RUNTIME = ("devtools", "tests", "composition")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def offenders(folder: str, forbidden: tuple[str, ...], allow: set[str] = frozenset()) -> list[str]:
    bad = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if rel in allow:
            continue
        for module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                bad.append(f"{rel} imports {module}")
    return bad


def test_core_imports_no_framework_runtime_or_handlers() -> None:
    assert len(list((ROOT / "core").rglob("*.py"))) > 10  # the scan sees the package
    assert offenders("core", FORBIDDEN_IN_CORE) == []


def test_the_scan_would_catch_an_aiogram_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from aiogram.types import Message\nimport bot.app\n")
    assert imported_modules(module) == {"aiogram.types", "bot.app"}


def test_runtime_and_storage_import_no_dev_tools() -> None:
    assert offenders("storage", FORBIDDEN_IN_RUNTIME + ("aiogram", "bot", "core")) == []
    assert offenders("handlers", FORBIDDEN_IN_RUNTIME) == []
    assert offenders("devtools", ("composition", "handlers")) == []


def test_the_runtime_imports_no_features_and_no_composition() -> None:
    """bot/ is the runtime the features stand on: building the app (composition/) sits above
    both. `python -m bot` must start the bot, so bot/__main__.py, the process's launcher and
    nothing else, hands over to the composition root."""
    assert offenders("bot", FORBIDDEN_IN_RUNTIME + ("handlers",), {"bot/__main__.py"}) == []
