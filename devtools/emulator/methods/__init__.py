"""The Bot API methods, one module per group.

A module registers each method with @method("name"); a handler takes the world and the call's
parameters and returns the result (or a coroutine of it), or raises ApiError. Every module in
this package is loaded by load(): a new group of methods is a new file here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from devtools.emulator.world import World

Handler = Callable[[World, dict[str, Any]], Any]

METHODS: dict[str, Handler] = {}


def method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if name in METHODS:
            raise ValueError(f"Bot API method {name} registered twice")
        METHODS[name] = handler
        return handler

    return register


def load() -> dict[str, Handler]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return METHODS
