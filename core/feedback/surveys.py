"""Surveys: NPS (0-10) and CSAT (1-5) questions posted to a group, one answer per member
(pressing again changes it), results with the distribution and the score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.feedback.rules import FeedbackError
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.feedback import items as item_rows
from storage.queries.feedback import surveys as rows

NPS, CSAT = "nps", "csat"
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

    @classmethod
    def of(cls, row: Any) -> SurveyInfo:
        return cls(
            row.id, row.group_id, row.number, row.kind, row.question, row.closed_at is not None
        )


@dataclass(frozen=True, slots=True)
class Results:
    survey: SurveyInfo
    distribution: dict[int, int]  # every score of the scale, answered or not

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
    uow: UnitOfWork, group_id: int, kind: str, question: str, actor_id: int, at: datetime
) -> SurveyInfo:
    question = check_question(question)
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
    )
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="survey_create",
        at=at,
        details={"survey": number, "kind": kind},
    )
    await uow.commit()
    return SurveyInfo(survey_id, group_id, number, kind, question, False)


async def answer(
    uow: UnitOfWork, survey_id: int, group_id: int, user_id: int, score: int, at: datetime
) -> tuple[SurveyInfo, int]:
    """Store (or change) the member's answer; returns the survey and its number of responses.
    A button of another group's survey, or a score off the scale, is refused."""
    row = await rows.get(uow.session, survey_id)
    if row is None or row.group_id != group_id or score not in SCALES.get(row.kind, ()):
        raise UnknownSurvey()
    if row.closed_at is not None:
        raise SurveyClosed()
    await uow.claim()
    await rows.put_answer(uow.session, survey_id, user_id, score, at)
    responses = await rows.count(uow.session, survey_id)
    await uow.commit()
    return SurveyInfo.of(row), responses


async def results(uow: UnitOfWork, group_id: int, number: int) -> Results:
    row = await rows.by_number(uow.session, group_id, number)
    if row is None:
        raise UnknownSurvey()
    found = await rows.distribution(uow.session, row.id)
    return Results(SurveyInfo.of(row), {s: found.get(s, 0) for s in SCALES[row.kind]})


async def close(
    uow: UnitOfWork, group_id: int, number: int, actor_id: int, at: datetime
) -> Results:
    row = await rows.by_number(uow.session, group_id, number)
    if row is None:
        raise UnknownSurvey()
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
    return await results(uow, group_id, number)
