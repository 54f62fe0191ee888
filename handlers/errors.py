"""One place where errors become replies: domain errors are explained, the rest apologised for."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import ErrorEvent, Update

from bot.i18n import Locales, pick_language
from bot.intake import is_transient
from bot.metrics import update_kind
from bot.outbound import Outbox, Priority
from bot.replies import plain, reply
from bot.set_aside import SetAside
from core.errors import DomainError, DuplicateUpdate

logger = logging.getLogger(__name__)


async def _keep(set_aside: SetAside, update: Update, exc: BaseException) -> None:
    """A bug in a handler: the update is kept with its error for a person to look at."""
    try:
        await set_aside.keep(
            update.update_id,
            update_kind(update),
            update.model_dump_json(by_alias=True, exclude_none=True),
            repr(exc),
        )
    except Exception:  # noqa: BLE001  (the apology still goes out)
        logger.exception("could not set update %s aside", update.update_id)


async def on_error(
    event: ErrorEvent, outbox: Outbox, locales: Locales, set_aside: SetAside, **data: object
) -> object:
    exc = event.exception
    update = event.update
    if isinstance(exc, DuplicateUpdate):
        logger.info("update %s was already processed; skipped", update.update_id)
        return True
    if is_transient(exc):
        return UNHANDLED  # the intake retries the batch later
    t = data.get("t")
    if t is None:
        user = getattr(update.event, "from_user", None)
        t = locales.get(pick_language(getattr(user, "language_code", None), None, "en"))
    if isinstance(exc, DomainError):
        text = t(exc.key, **exc.args_map)  # type: ignore[operator]
    else:
        logger.error("update %s failed", update.update_id, exc_info=exc)
        text = t("error-unexpected")  # type: ignore[operator]
        await _keep(set_aside, update, exc)
    if update.message is not None:
        reply(outbox, update.message, text, priority=Priority.HIGH)
    elif update.callback_query is not None:
        try:
            await update.callback_query.answer(plain(text)[:200], show_alert=True)
        except Exception:  # noqa: BLE001
            logger.info("could not answer callback %s", update.callback_query.id)
    return True


def register(root: Router) -> None:
    """On the root router itself: a child router would add a hop to every update's path."""
    root.errors.register(on_error)
