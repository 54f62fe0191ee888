"""/export feedback: the group's items as CSV (id is the item's number in the group, #n)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from core.csv_export import iso, write_csv
from core.feedback.surveys import UnknownSurvey
from storage.queries.feedback import items as rows
from storage.queries.feedback import surveys as survey_rows

FEEDBACK_COLUMNS = [
    "id",
    "user_id",
    "category",
    "status",
    "priority",
    "created_at",
    "resolved_at",
    "text",
]


async def feedback_csv(session: AsyncSession, group_id: int) -> tuple[bytes, int]:
    return await write_csv(
        FEEDBACK_COLUMNS,
        rows.export_rows(session, group_id),
        lambda r: (
            r.number,
            r.user_id,
            r.category,
            r.status,
            r.priority,
            iso(r.created_at),
            iso(r.resolved_at),
            r.text,
        ),
    )


SURVEY_COLUMNS = ["user_id", "score", "answered_at"]


async def survey_csv(session: AsyncSession, group_id: int, number: int) -> tuple[bytes, int]:
    """The answers of survey #number of the group; an unknown number is refused."""
    survey = await survey_rows.by_number(session, group_id, number)
    if survey is None:
        raise UnknownSurvey()
    return await write_csv(
        SURVEY_COLUMNS,
        survey_rows.answer_rows(session, survey.id),
        lambda r: (r.user_id, r.score, iso(r.answered_at)),
    )
