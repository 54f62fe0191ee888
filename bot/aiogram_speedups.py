"""Cheaper versions of three aiogram functions every update passes through several times.

aiogram wraps the middlewares of an observer each time an update reaches it (five times for a
check-in: the update, two routers' outer middlewares, two triggers). Each time it copies the
handler's metadata with `functools.wraps`, walks its middleware lists through the slow
`Sequence` protocol, and builds a wrapper even when the observer has no middleware at all.
Together that was about 7 % of the bot process's CPU in the end-to-end check-in bench.

The replacements do the same work in the same order (the outermost middleware first, a
router's parents' inner middlewares before its own) without those costs.
`tests/test_aiogram_speedups.py` checks the order and the data against aiogram's originals,
and `install` leaves an aiogram whose originals differ from what was replaced as it is (slower,
never wrong), with a warning; a test fails then, so an upgrade gets a look.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from functools import partial
from typing import Any

from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.dispatcher.middlewares.manager import MiddlewareManager

# Digests of the originals' source: a new aiogram release that changes them needs a look.
_ORIGINALS = {
    "wrap_middlewares": "be6ee962b6ba69a0",
    "_resolve_middlewares": "528e13a9a85cb5a1",
    "wrap_outer_middleware": "0978332315ba5622",
}
_saved: dict[str, Any] = {}
logger = logging.getLogger(__name__)


def _middlewares_of(manager: Any) -> list[Any]:
    return manager._middlewares if type(manager) is MiddlewareManager else list(manager)


def wrap_middlewares(middlewares: Any, handler: Any) -> Any:
    def handler_wrapper(event: Any, kwargs: dict[str, Any]) -> Any:
        return handler(event, **kwargs)

    middleware: Any = handler_wrapper
    for m in reversed(_middlewares_of(middlewares)):
        middleware = partial(m, middleware)
    return middleware


def resolve_middlewares(self: TelegramEventObserver) -> list[Any]:
    chain = []
    router = self.router
    while router is not None:
        chain.append(router)
        router = router.parent_router
    middlewares: list[Any] = []
    for router in reversed(chain):  # the root's first
        observer = router.observers.get(self.event_name)
        if observer:
            middlewares.extend(_middlewares_of(observer.middleware))
    return middlewares


def wrap_outer_middleware(
    self: TelegramEventObserver, callback: Any, event: Any, data: dict[str, Any]
) -> Any:
    outer = _middlewares_of(self.outer_middleware)
    if not outer:
        return callback(event, **data)
    return wrap_middlewares(outer, callback)(event, data)


def _digest(function: Any) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


def originals() -> dict[str, Any]:
    """aiogram's own functions (before `install`, or as saved by it)."""
    if _saved:
        return dict(_saved)
    return {
        "wrap_middlewares": MiddlewareManager.wrap_middlewares,
        "_resolve_middlewares": TelegramEventObserver._resolve_middlewares,
        "wrap_outer_middleware": TelegramEventObserver.wrap_outer_middleware,
    }


def changed_originals() -> list[str]:
    return [name for name, f in originals().items() if _digest(f) != _ORIGINALS[name]]


def install() -> bool:
    """Idempotent; process-wide (aiogram's classes are shared). False if aiogram changed."""
    if _saved:
        return True
    changed = changed_originals()
    if changed:
        logger.warning(
            "aiogram's %s changed since bot/aiogram_speedups.py was written; not replaced",
            ", ".join(changed),
        )
        return False
    found = originals()
    _saved.update(found)
    MiddlewareManager.wrap_middlewares = staticmethod(wrap_middlewares)  # type: ignore[method-assign]
    TelegramEventObserver._resolve_middlewares = resolve_middlewares  # type: ignore[method-assign]
    TelegramEventObserver.wrap_outer_middleware = wrap_outer_middleware  # type: ignore[method-assign]
    return True
