"""Surveys: NPS (0-10) and CSAT (1-5) questions posted to a group, one answer per member
(pressing again changes it), results with the distribution and the score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.analytics import recorder as analytics
from core.feedback.closing import ClosingInPast
from core.feedback.inbox import DRAFT_TTL
from core.feedback.rules import FeedbackError
from core.jobs import occurrence_key, run_once
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import audit
from storage.queries.community import members as member_rows
from storage.queries.feedback import items as item_rows
from storage.queries.feedback import surveys as rows

NPS, CSAT = "nps", "csat"
DETRACTORS = range(0, 7)
SCALES = {NPS: range(0, 11), CSAT: range(1, 6)}
MAX_QUESTION = 300


class UnknownSurvey(FeedbackError):
    key = "survey-error-unknown"


class SurveyClosed(FeedbackError):
    key = "survey-error-closed"


class BadQuestion(FeedbackError):
    key = "survey-error-question"  # args: limit


@dataclass(frozen=True, slots=True)
class SurveyInfo:
    id: int
    group_id: int
    number: int
    kind: str
    question: str
    closed: bool
    closes_at: datetime | None = None  # when it closes by itself
    message_id: int | None = None  # its post, once sent

    @classmethod
    def of(cls, row: Any) -> SurveyInfo:
        return cls(
            row.id,
            row.group_id,
            row.number,
            row.kind,
            row.question,
            row.closed_at is not None,
            row.closes_at,
            row.message_id,
        )


@dataclass(frozen=True, slots=True)
class Results:
    survey: SurveyInfo
    distribution: dict[int, int]  # every score of the scale, answered or not
    just_closed: bool = False  # closed by this call (its post is to show the result)

    @property
    def responses(self) -> int:
        return sum(self.distribution.values())

    def share(self, scores: range) -> float:
        n = self.responses
        return 0.0 if n == 0 else 100.0 * sum(self.distribution[s] for s in scores) / n

    @property
    def promoters(self) -> int:
        return self.distribution.get(9, 0) + self.distribution.get(10, 0)

    @property
    def detractors(self) -> int:
        return sum(self.distribution.get(s, 0) for s in range(0, 7))

    @property
    def nps(self) -> int:
        """%promoters (9-10) - %detractors (0-6), rounded to a whole number."""
        n = self.responses
        return 0 if n == 0 else round(100 * (self.promoters - self.detractors) / n)

    @property
    def average(self) -> float:
        n = self.responses
        return 0.0 if n == 0 else sum(s * c for s, c in self.distribution.items()) / n


def check_question(text: str) -> str:
    text = " ".join(text.split())
    if not text or len(text) > MAX_QUESTION:
        raise BadQuestion(limit=MAX_QUESTION)
    return text


async def create(
    uow: UnitOfWork,
    group_id: int,
    kind: str,
    question: str,
    actor_id: int,
    at: datetime,
    closes_at: datetime | None = None,
) -> SurveyInfo:
    question = check_question(question)
    if closes_at is not None and closes_at <= at:
        raise ClosingInPast()
    await uow.claim()
    number = await item_rows.next_number(uow.session, group_id, "survey")
    survey_id = await rows.insert(
        uow.session,
        group_id=group_id,
        number=number,
        kind=kind,
        question=question,
        created_by=actor_id,
        created_at=at,
        closes_at=closes_at,
    )
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="survey_create",
        at=at,
        details={
            "survey": number,
            "kind": kind,
            "closes_at": closes_at.isoformat() if closes_at else None,
        },
    )
    await uow.commit()
    return SurveyInfo(survey_id, group_id, number, kind, question, False, closes_at)


async def record_sent(session_factory: SessionFactory, survey_id: int, message_id: int) -> None:
    """The post's message id (closing edits it), once sendMessage answered."""
    async with session_factory() as session:
        await rows.set_message(session, survey_id, message_id)
        await session.commit()


@dataclass(frozen=True, slots=True)
class Answered:
    survey: SurveyInfo
    responses: int
    ask_why: bool  # a detractor to ask "why?" in private now (a draft awaits their text)


async def answer(
    uow: UnitOfWork,
    survey_id: int,
    group_id: int,
    user_id: int,
    score: int,
    at: datetime,
    *,
    followup: bool = False,
) -> Answered:
    """Store (or change) the member's answer. A button of another group's survey, or a score
    off the scale, is refused; so is any answer once the survey closed (or its time is up).

    With `followup` (the group's setting), an NPS detractor who started the bot in private is
    asked "why?" once per survey, whatever they answer later: their next private text becomes
    a feedback item linked to the survey (a "survey" draft, unless another flow is under way)."""
    row = await rows.get(uow.session, survey_id)
    if row is None or row.group_id != group_id or score not in SCALES.get(row.kind, ()):
        raise UnknownSurvey()
    if row.closed_at is not None or (row.closes_at is not None and row.closes_at <= at):
        raise SurveyClosed()
    await uow.claim()
    session = uow.session
    await rows.put_answer(session, survey_id, user_id, score, at)
    await analytics.record(uow, group_id, user_id, at, answers=1)
    responses = await rows.count(session, survey_id)
    ask = followup and row.kind == NPS and score in DETRACTORS
    if ask:
        ask = await _may_ask(uow, user_id, at) and await rows.mark_followup(
            session, survey_id, user_id, at
        )
    if ask:
        await item_rows.put_draft(
            session,
            user_id,
            user_id,
            purpose="survey",
            group_id=group_id,
            item_id=None,
            category=None,
            text=None,
            survey_id=survey_id,
            created_at=at,
        )
    await uow.commit()
    return Answered(SurveyInfo.of(row), responses, ask)


async def _may_ask(uow: UnitOfWork, user_id: int, at: datetime) -> bool:
    """They started the bot (and did not block it), and nothing else awaits their text there."""
    user = await member_rows.get_user(uow.session, user_id)
    if user is None or user.started_at is None or user.blocked_at is not None:
        return False
    draft = await item_rows.get_draft(uow.session, user_id, user_id)
    return draft is None or draft.purpose == "survey" or draft.created_at < at - DRAFT_TTL


async def results(uow: UnitOfWork, group_id: int, number: int) -> Results:
    row = await rows.by_number(uow.session, group_id, number)
    if row is None:
        raise UnknownSurvey()
    found = await rows.distribution(uow.session, row.id)
    return Results(SurveyInfo.of(row), {s: found.get(s, 0) for s in SCALES[row.kind]})


async def recent_results(uow: UnitOfWork, group_id: int, limit: int = 5) -> list[Results]:
    """The group's latest surveys with their results (the dashboard's Feedback page)."""
    found = []
    for row in await rows.recent(uow.session, group_id, limit):
        answers = await rows.distribution(uow.session, row.id)
        found.append(Results(SurveyInfo.of(row), {s: answers.get(s, 0) for s in SCALES[row.kind]}))
    return found


async def close(
    uow: UnitOfWork, group_id: int, number: int, actor_id: int, at: datetime
) -> Results:
    row = await rows.by_number(uow.session, group_id, number)
    if row is None:
        raise UnknownSurvey()
    if row.closed_at is not None:
        return await results(uow, group_id, number)
    await uow.claim()
    await rows.close(uow.session, row.id, at)
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="survey_close",
        at=at,
        details={"survey": number},
    )
    await uow.commit()
    found = await results(uow, group_id, number)
    return Results(found.survey, found.distribution, just_closed=True)


# ---- closing times ------------------------------------------------------------------------
async def due_for_closing(
    session_factory: SessionFactory, now: datetime
) -> list[tuple[int, datetime]]:
    """(survey id, closing time) of the open surveys whose time has come."""
    async with session_factory() as session:
        return await rows.due(session, now)


async def close_on_time(
    session_factory: SessionFactory, survey_id: int, due: datetime
) -> Results | None:
    """Close a survey whose time has come: one occurrence (its key: survey and time), so two
    leaders or a second round close (and announce) it once. None: closed before."""

    async def work(uow: UnitOfWork) -> Results | None:
        row = await rows.get(uow.session, survey_id)
        if row is None or row.closed_at is not None or row.closes_at != due:
            return None
        await rows.close(uow.session, survey_id, due)
        found = await rows.distribution(uow.session, survey_id)
        info = SurveyInfo.of(row)
        info = SurveyInfo(
            info.id,
            info.group_id,
            info.number,
            info.kind,
            info.question,
            True,
            info.closes_at,
            info.message_id,
        )
        return Results(info, {s: found.get(s, 0) for s in SCALES[row.kind]}, just_closed=True)

    done, result = await run_once(
        session_factory, occurrence_key("survey_close", survey_id, due), work
    )
    return result if done else None
