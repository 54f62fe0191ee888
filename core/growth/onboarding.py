"""Onboarding through join requests: the questions admins write, and each request's
questionnaire in private, then approval by the bot or by an administrator.

A request (chat_join_request, with `user_chat_id`) is answered within Telegram's window: the
bot may write to someone who never started it for 5 minutes after they asked to join, until
the request is processed. A questionnaire not finished by then is handed to the admins with
what was answered (status `review`): it is never lost, and never declined by the bot.

The Telegram calls (approve, decline, the messages) are made by the handlers around these use
cases: the decision is recorded after Telegram accepted it. A join Telegram reports for someone
with an open request (MemberJoined) records it as approved too, so a process stopped between
the approval and its record loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import DomainError
from core.events import EventBus, MemberJoined, Transaction
from core.growth import questions as qs
from core.growth.questions import Question
from core.growth.settings import approves_automatically, onboarding_on
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import audit
from storage.queries.growth import onboarding as rows

logger = logging.getLogger(__name__)

ASKING, ANSWERED, REVIEW = "asking", "answered", "review"
APPROVED, DECLINED, CLOSED = "approved", "declined", "closed"
OPEN = (ASKING, ANSWERED, REVIEW)
# Telegram lets the bot write to a requester (who never started it) this long.
WINDOW = timedelta(minutes=5)
# A request whose last answer is in but whose approval was not recorded this long after: the
# process stopped in between; it goes to the admins.
STUCK_AFTER = timedelta(minutes=1)


class NotYourQuestion(DomainError):
    key = "onboarding-error-not-yours"


class QuestionnaireOver(DomainError):
    key = "onboarding-error-over"


class StaleQuestion(DomainError):
    key = "onboarding-error-stale"


class UnknownRequest(DomainError):
    key = "onboarding-error-unknown-request"


class BadOption(DomainError):
    key = "onboarding-error-bad-option"


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    id: int
    number: int  # 1-based, in the order asked
    question: Question


@dataclass(frozen=True, slots=True)
class Request:
    id: int
    group_id: int
    user_id: int
    user_chat_id: int
    name: str
    status: str
    step: int
    questions: tuple[Question, ...]
    timed_out: bool
    requested_at: datetime
    deadline_at: datetime
    invite_link: str | None
    decided_by: int | None
    answers: tuple[tuple[str, str], ...] = field(default=())

    @property
    def current(self) -> Question | None:
        """The question being asked (None when all are answered)."""
        return self.questions[self.step] if self.step < len(self.questions) else None


@dataclass(frozen=True, slots=True)
class Next:
    """What the handler does after a use case: ask `question` (step `step`), approve, or hand
    the request to the admins (review); `request` as it is now."""

    request: Request
    action: str  # "ask" | "approve" | "review" | "none"
    question: Question | None = None


def _request(row: object, answers: list[tuple[str, str]] | None = None) -> Request:
    return Request(
        id=int(row.id),  # type: ignore[attr-defined]
        group_id=int(row.group_id),  # type: ignore[attr-defined]
        user_id=int(row.user_id),  # type: ignore[attr-defined]
        user_chat_id=int(row.user_chat_id),  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        status=row.status,  # type: ignore[attr-defined]
        step=int(row.step),  # type: ignore[attr-defined]
        questions=tuple(qs.load(row.questions)),  # type: ignore[attr-defined]
        timed_out=bool(row.timed_out),  # type: ignore[attr-defined]
        requested_at=row.requested_at,  # type: ignore[attr-defined]
        deadline_at=row.deadline_at,  # type: ignore[attr-defined]
        invite_link=row.invite_link,  # type: ignore[attr-defined]
        decided_by=row.decided_by,  # type: ignore[attr-defined]
        answers=tuple(answers or ()),
    )


class OnboardingService:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        *,
        clock: Callable[[], datetime],
        bus: EventBus | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self._clock = clock
        self._bus = bus

    def subscribe(self, bus: EventBus) -> None:
        bus.subscribe(MemberJoined, self.on_member_joined)

    # ---- the questions (administrators) --------------------------------------------------

    async def questions(self, session: AsyncSession, group_id: int) -> list[StoredQuestion]:
        found = await rows.questions(session, group_id)
        return [
            StoredQuestion(
                int(r.id),
                number,
                Question(r.field, r.kind, r.prompt, tuple(qs.load_options(r.options))),
            )
            for number, r in enumerate(found, start=1)
        ]

    async def add_question(
        self, uow: UnitOfWork, group_id: int, actor_id: int, question: Question, at: datetime
    ) -> int:
        """Add it last; its number."""
        existing = await self.questions(uow.session, group_id)
        qs.check_new([s.question for s in existing], question)
        await rows.add_question(
            uow.session,
            group_id=group_id,
            position=len(existing),
            field=question.field,
            kind=question.kind,
            prompt=question.prompt,
            options=qs.dump_options(question.options),
            created_at=at,
        )
        await audit.record(
            uow.session,
            group_id=group_id,
            actor_id=actor_id,
            action="onboarding_question_added",
            at=at,
            details=question.as_json(),
        )
        await uow.commit()
        return len(existing) + 1

    async def remove_question(
        self, uow: UnitOfWork, group_id: int, actor_id: int, number: int, at: datetime
    ) -> Question:
        existing = await self.questions(uow.session, group_id)
        if not 1 <= number <= len(existing):
            raise qs.NoSuchQuestion(number=number, count=len(existing))
        gone = existing[number - 1]
        await rows.delete_question(uow.session, gone.id)
        await rows.set_positions(uow.session, [s.id for s in existing if s.id != gone.id])
        await audit.record(
            uow.session,
            group_id=group_id,
            actor_id=actor_id,
            action="onboarding_question_removed",
            at=at,
            details=gone.question.as_json(),
        )
        await uow.commit()
        return gone.question

    async def move_question(
        self, uow: UnitOfWork, group_id: int, actor_id: int, number: int, to: int, at: datetime
    ) -> None:
        existing = await self.questions(uow.session, group_id)
        order = qs.moved(len(existing), number, to)
        await rows.set_positions(uow.session, [existing[i].id for i in order])
        await audit.record(
            uow.session,
            group_id=group_id,
            actor_id=actor_id,
            action="onboarding_question_moved",
            at=at,
            details={"number": number, "to": to},
        )
        await uow.commit()

    async def add_prompt(
        self,
        uow: UnitOfWork,
        group_id: int,
        message_id: int,
        kind: str,
        actor_id: int,
        at: datetime,
    ) -> None:
        """The bot asked for a question in its message `message_id` (the guided add)."""
        await rows.add_prompt(uow.session, group_id, message_id, kind, actor_id, at)
        await uow.commit()

    @staticmethod
    async def prompt_kind(session: AsyncSession, group_id: int, message_id: int) -> str | None:
        found = await rows.prompt(session, group_id, message_id)
        return found.kind if found is not None else None

    # ---- a join request and its questionnaire --------------------------------------------

    async def on_request(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        *,
        user_id: int,
        user_chat_id: int,
        name: str,
        invite_link: str | None,
        requested_at: datetime,
        now: datetime,
    ) -> Next | None:
        """A chat_join_request: start the questionnaire (None when onboarding is off: the
        request is the admins' as usual)."""
        if not onboarding_on(group):
            await uow.commit()
            return None
        session = uow.session
        for old in await rows.open_requests(session, group.group_id, user_id, OPEN):
            # Telegram allows one pending request per person: an older one was dealt with
            # in Telegram's own interface meanwhile.
            await rows.set_status(session, old.id, CLOSED, from_states=OPEN, at=now)
        asked = [s.question for s in await self.questions(session, group.group_id)]
        deadline = requested_at + WINDOW
        late = deadline <= now
        status = ASKING if asked and not late else (REVIEW if late else ANSWERED)
        request_id = await rows.add_request(
            session,
            group_id=group.group_id,
            user_id=user_id,
            user_chat_id=user_chat_id,
            name=name[:255],
            invite_link=invite_link,
            requested_at=requested_at,
            deadline_at=deadline,
            status=status,
            step=0,
            questions=qs.dump(asked),
            timed_out=late,
            updated_at=now,
        )
        await uow.commit()
        request = Request(
            id=request_id,
            group_id=group.group_id,
            user_id=user_id,
            user_chat_id=user_chat_id,
            name=name[:255],
            status=status,
            step=0,
            questions=tuple(asked),
            timed_out=late,
            requested_at=requested_at,
            deadline_at=deadline,
            invite_link=invite_link,
            decided_by=None,
        )
        if status == ASKING:
            return Next(request, "ask", asked[0])
        if status == REVIEW:
            return Next(request, "review")
        return Next(request, "approve" if approves_automatically(group) else "review")

    async def answer(
        self,
        uow: UnitOfWork,
        request_id: int,
        user_id: int,
        step: int,
        *,
        option: int | None = None,
        text: str | None = None,
        at: datetime,
    ) -> Next:
        """An answer to question `step`: a choice's option (a button) or a text (a reply)."""
        session = uow.session
        row = await rows.request(session, request_id)
        if row is None:
            raise UnknownRequest()
        request = _request(row)
        if request.user_id != user_id:
            raise NotYourQuestion()
        if request.status != ASKING:
            raise QuestionnaireOver()
        if step != request.step or request.current is None:
            raise StaleQuestion()
        if at >= request.deadline_at:
            return await self._time_out(uow, request, at)
        question = request.current
        if question.kind == qs.CHOICE:
            if option is None or not 0 <= option < len(question.options):
                raise BadOption()
            value = question.options[option]
        else:
            if text is None:
                raise BadOption()
            value = qs.clean_answer(text)
        finished = step + 1 >= len(request.questions)
        if not await rows.advance(session, request_id, step, finished=finished, at=at):
            await uow.rollback()
            raise StaleQuestion()  # a concurrent copy of this answer got there first
        await rows.add_answer(session, request_id, step, question.field, value, at)
        answers = await rows.answers(session, request_id)
        group = await self._groups.settings_for(request.group_id, session=session)
        await uow.commit()  # nothing is read after it: no connection held while Telegram answers
        request = replace(
            request,
            step=step + 1,
            status=ANSWERED if finished else ASKING,
            answers=tuple(answers),
        )
        if not finished:
            return Next(request, "ask", request.current)
        return Next(request, "approve" if approves_automatically(group) else "review")

    async def _time_out(self, uow: UnitOfWork, request: Request, at: datetime) -> Next:
        row = await rows.set_status(
            uow.session, request.id, REVIEW, from_states=(ASKING,), at=at, timed_out=True
        )
        if row is None:
            await uow.rollback()
            raise QuestionnaireOver()
        answers = await rows.answers(uow.session, request.id)
        await uow.commit()
        return Next(_request(row, answers), "review")

    async def hand_over(self, request_id: int, at: datetime) -> Request | None:
        """Leave the request to the admins (the bot could not write to the requester, or could
        not approve); None if it was decided meanwhile. After a Telegram call: a short
        transaction of its own."""
        async with self._session_factory() as session:
            row = await rows.set_status(
                session, request_id, REVIEW, from_states=(ASKING, ANSWERED), at=at
            )
            answers = await rows.answers(session, request_id) if row is not None else []
            await session.commit()
        return _request(row, answers) if row is not None else None

    async def decide(
        self, request_id: int, decision: str, actor_id: int | None, at: datetime
    ) -> Request | None:
        """Record what Telegram accepted (APPROVED or DECLINED; CLOSED: the request is gone);
        None when it was recorded before. Approval writes the answers as profile fields. An
        administrator's decision (actor_id) is audited. A short transaction of its own, after
        the Telegram call."""
        async with self._session_factory() as session:
            row = await rows.set_status(
                session,
                request_id,
                decision,
                from_states=OPEN,
                at=at,
                decided_by=actor_id,
                decided_at=at,
            )
            if row is None and decision == APPROVED and actor_id is not None:
                # The join Telegram reported after this admin's approval was recorded first
                # (without a name): the approval is theirs.
                row = await rows.claim_approval(session, request_id, actor_id)
            if row is None:
                return None
            answers = await rows.answers(session, request_id)
            if decision == APPROVED:
                await rows.put_fields(session, row.group_id, row.user_id, answers, at)
            if actor_id is not None:
                await audit.record(
                    session,
                    group_id=row.group_id,
                    actor_id=actor_id,
                    action=f"onboarding_{decision}",
                    at=at,
                    target_user_id=row.user_id,
                    details={"request": request_id, "answers": dict(answers)},
                )
            await session.commit()
        return _request(row, answers)

    async def on_member_joined(self, tx: Transaction, event: MemberJoined) -> None:
        """Telegram says they are in: an open request of theirs was approved (by us, by an
        admin in Telegram's own interface, or our record of it was lost)."""
        session = tx.session
        for row in await rows.open_requests(session, event.group_id, event.user_id, OPEN):
            done = await rows.set_status(
                session, row.id, APPROVED, from_states=OPEN, at=event.at, decided_at=event.at
            )
            if done is not None:
                answers = await rows.answers(session, row.id)
                await rows.put_fields(session, event.group_id, event.user_id, answers, event.at)

    # ---- the leader's sweep ------------------------------------------------------------

    async def expire_due(self) -> list[Request]:
        """Questionnaires not finished within the window, and finished ones whose approval was
        never recorded: handed to the admins (each once). Returns them, for the notices."""
        now = self._clock()
        async with self._session_factory() as session:
            late = await rows.due(session, (ASKING,), now)
            stuck = await rows.stuck(session, now - STUCK_AFTER)
        handed = []
        for request_id, timed_out in [(i, True) for i in late] + [(i, False) for i in stuck]:
            async with self._session_factory() as session:
                values = {"timed_out": True} if timed_out else {}
                row = await rows.set_status(
                    session,
                    request_id,
                    REVIEW,
                    from_states=(ASKING,) if timed_out else (ANSWERED,),
                    at=now,
                    **values,
                )
                await session.commit()
                if row is not None:
                    handed.append(_request(row, await rows.answers(session, request_id)))
        return handed

    # ---- reading -------------------------------------------------------------------------

    async def request(self, session: AsyncSession, request_id: int) -> Request | None:
        row = await rows.request(session, request_id)
        if row is None:
            return None
        return _request(row, await rows.answers(session, request_id))

    @staticmethod
    async def awaiting(session: AsyncSession, user_id: int) -> Request | None:
        """The user's questionnaire under way (the latest), whose next answer they may type."""
        found = await rows.asking(session, user_id)
        return _request(found[0]) if found else None

    async def in_review(
        self, session: AsyncSession, group_id: int, limit: int = 10
    ) -> tuple[list[Request], int]:
        """The group's requests waiting for an admin (the oldest `limit`), and how many in all."""
        found = await rows.in_review(session, group_id, limit)
        total = await rows.count_in_review(session, group_id)
        return [_request(r, await rows.answers(session, r.id)) for r in found], total

    @staticmethod
    async def fields(session: AsyncSession, group_id: int, user_id: int) -> list[tuple[str, str]]:
        return await rows.fields_of(session, group_id, user_id)


def remaining(request: Request, now: datetime) -> timedelta:
    return max(request.deadline_at - now, timedelta(0))
