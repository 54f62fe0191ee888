"""aiogram's Telegram types built on first use, not all of them at import.

aiogram declares its ~900 types with pydantic's `defer_build`, then rebuilds every one at the
end of `aiogram/types/__init__.py` so that their forward references resolve. Each build inlines
the schemas of the types it refers to: about 100 MB of memory (aiogram 3.31) for types this bot
never receives. While that module is imported, the rebuild here only leaves the namespace it
would have resolved the references in on the class, so pydantic builds a type, the same way,
the first time it is validated or dumped (tests/test_lazy_models.py builds every one).
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel


def install() -> None:
    if "aiogram.types" in sys.modules:
        return  # already imported (and built) by someone else: nothing to save
    eager = BaseModel.model_rebuild.__func__  # type: ignore[attr-defined]
    seen: dict[str, Any] = {}  # the namespace aiogram resolves its types' references in

    def deferred(
        cls: type[BaseModel],
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        if _types_namespace is None or force or cls.__pydantic_complete__:
            return eager(  # type: ignore[no-any-return]
                cls,
                force=force,
                raise_errors=raise_errors,
                _parent_namespace_depth=_parent_namespace_depth + 1,  # this frame
                _types_namespace=_types_namespace,
            )
        # Read by pydantic's own rebuild on first use (one shared dict, not a copy per type).
        cls.__pydantic_parent_namespace__ = _types_namespace
        seen["namespace"] = _types_namespace
        return None

    BaseModel.model_rebuild = classmethod(deferred)  # type: ignore[assignment,method-assign]
    try:
        import aiogram.types  # noqa: F401
    finally:
        BaseModel.model_rebuild = classmethod(eager)  # type: ignore[method-assign]
    import aiogram.methods  # noqa: F401  (imported by aiogram anyway)

    # A model built later inlines the unbuilt types it contains, and pydantic resolves their
    # references in the namespace of the model being built: every aiogram model (methods, and
    # the Response[...] models derived from them) gets the types' namespace too.
    namespace = seen.get("namespace")
    if namespace is None:  # aiogram no longer rebuilds at import: nothing was deferred
        return
    pending = list(BaseModel.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # Built ones too: a generic such as Response gives its namespace to Response[...].
        if cls.__module__.startswith("aiogram."):
            own = cls.__dict__.get("__pydantic_parent_namespace__")
            cls.__pydantic_parent_namespace__ = namespace if not own else {**namespace, **own}
