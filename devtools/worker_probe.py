"""Small jobs for checking the worker process (bot/worker.py) from tests: module-level, pickled by
name, and outside `tests/` (whose package imports the bot, hence aiogram, into the worker)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def pid() -> int:
    return os.getpid()


def add(a: int, b: int) -> int:
    return a + b


def fail(message: str) -> None:
    raise ValueError(message)


def die_once(flag: str) -> str:
    """The first call kills its process (as the OOM killer would); later ones answer."""
    path = Path(flag)
    if not path.exists():
        path.write_text("died")
        os._exit(9)
    return "survived"


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def loaded(prefixes: tuple[str, ...]) -> list[str]:
    return sorted({m.split(".")[0] for m in sys.modules if m.startswith(prefixes)})
