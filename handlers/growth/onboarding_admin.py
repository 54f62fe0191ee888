"""/onboarding (administrators, in the group): the panel with buttons, the one-line forms, the
guided add (a prompt to reply to), the requests waiting for an admin and their Approve /
Decline buttons (checked with Telegram again at each press, audited)."""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot
from aiogram.filters import BaseFilter
from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import CallbackQuery, ForceReply, Message, ReplyParameters

from bot.admins import AdminChecker
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, edit_pressed, reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import NotAdmin, UnknownSubcommand
from core.growth import questions as qs
from core.growth.onboarding import APPROVED, CLOSED, DECLINED, OPEN, OnboardingService
from core.growth.settings import (
    ONBOARDING,
    ONBOARDING_APPROVE,
    approves_automatically,
    onboarding_on,
)
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.growth import render
from handlers.growth import telegram as tg

logger = logging.getLogger(__name__)

SUBCOMMANDS = "on, off, approve auto|admins, add, remove <n>, move <n> <to>, pending"
PENDING_SHOWN = 5


async def _panel(
    uow: UnitOfWork, group: GroupSettings, onboarding: OnboardingService, t: Translator
) -> tuple[str, object]:
    questions = await onboarding.questions(uow.session, group.group_id)
    _, waiting = await onboarding.in_review(uow.session, group.group_id, limit=0)
    await uow.rollback()  # read only: nothing held while the reply goes out
    values = dict(
        on=onboarding_on(group),
        auto=approves_automatically(group),
        questions=questions,
        waiting=waiting,
    )
    return render.panel_text(t, **values), render.panel_keyboard(t, **values)  # type: ignore[arg-type]


async def cmd_onboarding(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    groups: GroupService,
    onboarding: OnboardingService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    word = args[0].lower() if args else ""
    actor = actor_id(message)
    head = ""
    if word in ("", "panel"):
        pass
    elif word in ("on", "off", "开", "关"):
        _, group = await groups.change(uow, group.group_id, actor, ONBOARDING, word, event_at)
        head = t("onboarding-switched", state="on" if word in ("on", "开") else "off")
    elif word in ("approve", "审核") and len(args) == 2:
        _, group = await groups.change(
            uow, group.group_id, actor, ONBOARDING_APPROVE, args[1], event_at
        )
        head = t("onboarding-mode-set", mode="auto" if approves_automatically(group) else "admins")
    elif word in ("add", "添加"):
        rest = (message.text or "").split(maxsplit=2)
        question = qs.parse_question(rest[2] if len(rest) == 3 else "")
        number = await onboarding.add_question(uow, group.group_id, actor, question, event_at)
        head = t("onboarding-added", number=number, prompt=question.prompt)
    elif word in ("remove", "delete", "删除") and len(args) == 2 and args[1].isdecimal():
        gone = await onboarding.remove_question(uow, group.group_id, actor, int(args[1]), event_at)
        head = t("onboarding-removed", number=int(args[1]), prompt=gone.prompt)
    elif (
        word in ("move", "移动") and len(args) == 3 and args[1].isdecimal() and args[2].isdecimal()
    ):
        await onboarding.move_question(
            uow, group.group_id, actor, int(args[1]), int(args[2]), event_at
        )
        head = t("onboarding-moved", number=int(args[1]), to=int(args[2]))
    elif word in ("pending", "待审"):
        await _pending(message.chat.id, uow, group, onboarding, t, outbox, reply_to=message)
        return
    else:
        raise UnknownSubcommand(word=word[:32], options=SUBCOMMANDS)
    text, markup = await _panel(uow, group, onboarding, t)
    reply(
        outbox,
        message,
        (head + "\n\n" + text) if head else text,
        markup=markup,  # type: ignore[arg-type]
        priority=Priority.HIGH,
    )


async def _pending(
    chat_id: int,
    uow: UnitOfWork,
    group: GroupSettings,
    onboarding: OnboardingService,
    t: Translator,
    outbox: Outbox,
    *,
    reply_to: Message | None = None,
) -> None:
    """The requests waiting for an admin, each with its answers and buttons."""
    requests, total = await onboarding.in_review(uow.session, group.group_id, PENDING_SHOWN)
    await uow.rollback()
    head = t("onboarding-pending", count=total, shown=len(requests))
    if reply_to is not None:
        reply(outbox, reply_to, head, priority=Priority.HIGH)
    else:
        outbox.send(chat_id, SendMessage(chat_id=chat_id, text=clip(head)), priority=Priority.HIGH)
    for request in requests:
        outbox.send(
            chat_id,
            SendMessage(
                chat_id=chat_id,
                text=clip(render.review_text(t, request, group.title)),
                reply_markup=render.decide_keyboard(t, request.id),
            ),
            priority=Priority.HIGH,
        )


async def on_panel(
    query: CallbackQuery,
    callback_data: render.PanelButton,
    uow: UnitOfWork,
    group: GroupSettings,
    groups: GroupService,
    onboarding: OnboardingService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert query.message is not None
    chat_id = query.message.chat.id
    actor = query.from_user.id
    action, number = callback_data.a, callback_data.n
    note = ""
    if action in ("on", "off"):
        _, group = await groups.change(uow, group.group_id, actor, ONBOARDING, action, event_at)
        note = t("onboarding-switched", state=action)
    elif action in ("auto", "admins"):
        _, group = await groups.change(
            uow, group.group_id, actor, ONBOARDING_APPROVE, action, event_at
        )
        note = t("onboarding-mode-set", mode=action)
    elif action == "up":
        await onboarding.move_question(uow, group.group_id, actor, number, number - 1, event_at)
        note = t("onboarding-moved", number=number, to=number - 1)
    elif action == "del":
        gone = await onboarding.remove_question(uow, group.group_id, actor, number, event_at)
        note = t("onboarding-removed", number=number, prompt=gone.prompt)
    elif action in ("addc", "addt"):
        await _prompt(
            query,
            uow,
            group,
            onboarding,
            qs.CHOICE if action == "addc" else qs.TEXT,
            event_at,
            t,
            outbox,
        )
        return
    elif action == "pending":
        render.answer(outbox, query)
        await _pending(chat_id, uow, group, onboarding, t, outbox)
        return
    else:
        render.answer(outbox, query, t("error-stale-button"))
        return
    text, markup = await _panel(uow, group, onboarding, t)
    edit_pressed(outbox, query, text, markup, event_at)  # type: ignore[arg-type]
    render.answer(outbox, query, note)


async def _prompt(
    query: CallbackQuery,
    uow: UnitOfWork,
    group: GroupSettings,
    onboarding: OnboardingService,
    kind: str,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """The guided add: a message to reply to with the question; its id is kept so the reply
    is recognised (in this process or another)."""
    assert query.message is not None
    chat_id = query.message.chat.id
    render.answer(outbox, query)
    try:
        sent = await outbox.send(
            chat_id,
            SendMessage(
                chat_id=chat_id,
                text=clip(t(f"onboarding-prompt-{kind}")),
                reply_markup=ForceReply(selective=True),
                reply_parameters=ReplyParameters(
                    message_id=query.message.message_id, allow_sending_without_reply=True
                ),
            ),
            priority=Priority.HIGH,
        )
    except Exception:  # noqa: BLE001  (nothing to reply to: nothing to remember)
        logger.info("the onboarding prompt could not be sent in %s", chat_id, exc_info=True)
        return
    await onboarding.add_prompt(
        uow, group.group_id, sent.message_id, kind, query.from_user.id, event_at
    )


class RepliesToPrompt(BaseFilter):
    """A text replying to the bot's onboarding prompt (the guided add)."""

    async def __call__(
        self, message: Message, bot: Bot, uow: UnitOfWork
    ) -> bool | dict[str, object]:
        replied = message.reply_to_message
        if (
            replied is None
            or replied.from_user is None
            or replied.from_user.id != bot.id
            or message.text is None
            or message.text.startswith("/")
        ):
            return False
        kind = await OnboardingService.prompt_kind(
            uow.session, message.chat.id, replied.message_id
        )
        # Let go of the connection: the member tracking that runs before the handler writes
        # with a session of its own (SQLite has one connection).
        await uow.rollback()
        return {"prompt_kind": kind} if kind is not None else False


async def on_prompt_reply(
    message: Message,
    prompt_kind: str,
    uow: UnitOfWork,
    group: GroupSettings,
    groups: GroupService,
    onboarding: OnboardingService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    question = qs.parse_question(message.text or "", kind=prompt_kind)
    number = await onboarding.add_question(
        uow, group.group_id, actor_id(message), question, event_at
    )
    text, markup = await _panel(uow, group, onboarding, t)
    reply(
        outbox,
        message,
        t("onboarding-added", number=number, prompt=question.prompt) + "\n\n" + text,
        markup=markup,  # type: ignore[arg-type]
        priority=Priority.HIGH,
    )


async def on_decide(
    query: CallbackQuery,
    callback_data: render.DecideButton,
    uow: UnitOfWork,
    onboarding: OnboardingService,
    admins: AdminChecker,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Approve / Decline: the presser must be an administrator of the request's group now
    (asked of Telegram again, not cached); the decision is recorded once Telegram took it."""
    request = await onboarding.request(uow.session, callback_data.r)
    await uow.rollback()
    if request is None or callback_data.a not in ("a", "d"):
        render.answer(outbox, query, t("onboarding-error-unknown-request"), alert=True)
        return
    presser = query.from_user.id
    admins.forget(request.group_id, presser)
    if not await admins.is_admin(request.group_id, presser):
        raise NotAdmin()
    if request.status not in OPEN:
        render.answer(outbox, query, t("onboarding-decided-already"), alert=True)
        _close_notice(query, t, request.status, None, outbox)
        return
    approve = callback_data.a == "a"
    call = tg.approve if approve else tg.decline
    outcome = await call(outbox, request.group_id, request.user_id)
    if outcome == tg.Outcome.RIGHTS:
        render.answer(outbox, query, t("onboarding-error-rights"), alert=True)
        return
    if outcome == tg.Outcome.FAILED:
        render.answer(outbox, query, t("onboarding-error-telegram"), alert=True)
        return
    if outcome == tg.Outcome.GONE:
        member = await tg.is_member(outbox, request.group_id, request.user_id)
        decision = APPROVED if member else CLOSED
    else:
        decision = APPROVED if approve else DECLINED
    decided = await onboarding.decide(request.id, decision, presser, event_at)
    if decided is None:
        render.answer(outbox, query, t("onboarding-decided-already"), alert=True)
        return
    render.answer(
        outbox, query, t(f"onboarding-status-{decision}", admin=query.from_user.full_name)
    )
    _close_notice(query, t, decision, query.from_user.full_name, outbox)


def _close_notice(
    query: CallbackQuery, t: Translator, status: str, admin: str | None, outbox: Outbox
) -> None:
    """The notice keeps its text and says what became of the request, without buttons."""
    message = query.message
    if message is None or not getattr(message, "text", None):
        return
    line = t(f"onboarding-status-{status}", admin=admin or "—")
    text = message.html_text if hasattr(message, "html_text") else message.text  # type: ignore[union-attr]
    outbox.send(
        message.chat.id,
        EditMessageText(
            chat_id=message.chat.id,
            message_id=message.message_id,
            text=clip(f"{text}\n\n{line}"),
        ),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


async def refuse(query: CallbackQuery) -> None:
    raise NotAdmin()
