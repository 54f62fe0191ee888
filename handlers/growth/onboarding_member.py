"""A join request's questionnaire in private (through `user_chat_id`): choice questions as
buttons, text questions as replies; then approval, or the administrators with the answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from aiogram.filters import BaseFilter
from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import CallbackQuery, ChatJoinRequest, Message

from bot.i18n import Locales, Translator, pick_language
from bot.outbound import Outbox, Priority
from bot.replies import clip, reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import DomainError
from core.growth import questions as qs
from core.growth.onboarding import APPROVED, CLOSED, Next, OnboardingService, Request
from core.uow import UnitOfWork
from handlers.growth import notify, render
from handlers.growth import telegram as tg
from storage.db import SessionFactory

logger = logging.getLogger(__name__)


class Followers:
    """What happens after each step, with the services it needs (built by the feature)."""

    def __init__(
        self,
        onboarding: OnboardingService,
        groups: GroupService,
        outbox: Outbox,
        locales: Locales,
        session_factory: SessionFactory,
    ) -> None:
        self.onboarding = onboarding
        self.groups = groups
        self.outbox = outbox
        self.locales = locales
        self.session_factory = session_factory

    async def follow(
        self, nxt: Next, t: Translator, now: datetime, *, intro: bool = False
    ) -> None:
        request = nxt.request
        if nxt.action == "ask":
            assert nxt.question is not None
            sent = await self._to_requester(
                request,
                render.question_text(t, request, nxt.question, intro=intro),
                render.question_keyboard(request, nxt.question),
            )
            if not sent:  # Telegram refused (the window closed): the admins take it from here
                handed = await self.onboarding.hand_over(request.id, now)
                if handed is not None:
                    self.tell_admins(handed)
            return
        group = await self.groups.settings_for(request.group_id)
        if nxt.action == "approve":
            if request.questions:
                await self._to_requester(request, t("onboarding-done-approve", group=group.title))
            await self.approve(request, now)
        elif nxt.action == "review":
            if request.questions and not request.timed_out:
                await self._to_requester(request, t("onboarding-done-review", group=group.title))
            elif request.timed_out and request.answers:
                await self._to_requester(request, t("onboarding-timed-out", group=group.title))
            self.tell_admins(request)

    async def approve(self, request: Request, now: datetime) -> None:
        """The bot approves; if Telegram refuses, the admins decide."""
        outcome = await tg.approve(self.outbox, request.group_id, request.user_id)
        if outcome == tg.Outcome.OK:
            await self.onboarding.decide(request.id, APPROVED, None, now)
            return
        if outcome == tg.Outcome.GONE:
            member = await tg.is_member(self.outbox, request.group_id, request.user_id)
            await self.onboarding.decide(request.id, APPROVED if member else CLOSED, None, now)
            return
        handed = await self.onboarding.hand_over(request.id, now)
        if handed is not None:
            self.tell_admins(handed)

    async def translator(self, request: Request, language_code: str | None) -> Translator:
        """The requester's language: Chinese for zh speakers, else the group's."""
        group = await self.groups.settings_for(request.group_id)
        return self.locales.get(pick_language(language_code, group.language, group.language))

    def tell_admins(self, request: Request) -> None:
        notify.tell_admins(self.outbox, self.session_factory, self.locales, self.groups, request)

    async def _to_requester(self, request: Request, text: str, markup: object = None) -> bool:
        try:
            await self.outbox.send(
                request.user_chat_id,
                SendMessage(chat_id=request.user_chat_id, text=clip(text), reply_markup=markup),
                priority=Priority.HIGH,
            )
        except Exception as exc:  # noqa: BLE001  (403 after the window, or Telegram down)
            logger.info("could not write to requester %s: %s", request.user_id, exc)
            return False
        return True


async def on_join_request(
    event: ChatJoinRequest,
    uow: UnitOfWork,
    group: GroupSettings,
    onboarding: OnboardingService,
    onboarding_followers: Followers,
    clock: Callable[[], datetime],
    event_at: datetime,
    t: Translator,
) -> None:
    user = event.from_user
    now = clock()
    nxt = await onboarding.on_request(
        uow,
        group,
        user_id=user.id,
        user_chat_id=event.user_chat_id,
        name=user.full_name,
        invite_link=event.invite_link.invite_link if event.invite_link is not None else None,
        requested_at=event_at,
        now=now,
    )
    if nxt is not None:
        await onboarding_followers.follow(nxt, t, now, intro=True)


async def on_answer_button(
    query: CallbackQuery,
    callback_data: render.AnswerButton,
    uow: UnitOfWork,
    onboarding: OnboardingService,
    onboarding_followers: Followers,
    outbox: Outbox,
    event_at: datetime,
    t: Translator,
) -> None:
    try:
        nxt = await onboarding.answer(
            uow,
            callback_data.r,
            query.from_user.id,
            callback_data.s,
            option=callback_data.o,
            at=event_at,
        )
    except DomainError as error:
        render.answer(outbox, query, t(error.key, **error.args_map), alert=True)
        return
    render.answer(outbox, query)
    t = await onboarding_followers.translator(nxt.request, query.from_user.language_code)
    if query.message is not None and nxt.request.step > callback_data.s:
        chosen = nxt.request.answers[-1][1] if nxt.request.answers else ""
        question = nxt.request.questions[callback_data.s]
        outbox.send(
            query.message.chat.id,
            EditMessageText(
                chat_id=query.message.chat.id,
                message_id=query.message.message_id,
                text=clip(
                    t(
                        "onboarding-question",
                        number=callback_data.s + 1,
                        count=len(nxt.request.questions),
                        prompt=question.prompt,
                    )
                    + "\n"
                    + t("onboarding-chosen", value=chosen)
                ),
            ),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    await onboarding_followers.follow(nxt, t, event_at)


class AwaitsAnswer(BaseFilter):
    """A private text (no command) from someone whose questionnaire is under way."""

    async def __call__(self, message: Message, uow: UnitOfWork) -> bool | dict[str, object]:
        text = message.text
        if text is None or text.startswith("/") or message.from_user is None:
            return False
        found = await OnboardingService.awaiting(uow.session, message.from_user.id)
        await uow.rollback()  # a read only: no connection held past the filter
        return {"awaiting": found} if found is not None else False


async def on_text_answer(
    message: Message,
    awaiting: Request,
    uow: UnitOfWork,
    onboarding: OnboardingService,
    onboarding_followers: Followers,
    outbox: Outbox,
    event_at: datetime,
    t: Translator,
) -> None:
    assert message.from_user is not None
    t = await onboarding_followers.translator(awaiting, message.from_user.language_code)
    question = awaiting.current
    if question is not None and question.kind == qs.CHOICE and event_at < awaiting.deadline_at:
        reply(outbox, message, t("onboarding-use-buttons"))
        return
    nxt = await onboarding.answer(
        uow, awaiting.id, message.from_user.id, awaiting.step, text=message.text, at=event_at
    )
    await onboarding_followers.follow(nxt, t, event_at)
