"""Native polls: `/poll <question> | <option> | <option> ...` (non-anonymous by default, so
answers can be attributed); each poll_answer is stored, a retracted vote removes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.analytics import recorder as analytics
from core.calendar import GroupCalendar
from core.community.groups import GroupService
from core.feedback import points
from core.feedback.rules import FeedbackError
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import audit
from storage.queries.feedback import items as item_rows
from storage.queries.feedback import polls as rows

MAX_QUESTION = 300
MAX_OPTION = 100
MIN_OPTIONS, MAX_OPTIONS = 2, 10


class BadPoll(FeedbackError):
    key = "poll-error-usage"  # args: max


class UnknownPoll(FeedbackError):
    key = "poll-error-unknown"


@dataclass(frozen=True, slots=True)
class PollInfo:
    id: int
    group_id: int
    number: int
    question: str
    options: tuple[str, ...]
    anonymous: bool
    message_id: int | None
    closed: bool

    @classmethod
    def of(cls, row: Any) -> PollInfo:
        return cls(
            row.id,
            row.group_id,
            row.number,
            row.question,
            tuple(row.options.split("\n")),
            row.anonymous,
            row.message_id,
            row.closed_at is not None,
        )


def parse(text: str) -> tuple[str, tuple[str, ...]]:
    """ "question | a | b" -> (question, options), within Telegram's limits."""
    parts = [" ".join(p.split()) for p in text.split("|")]
    question, options = parts[0], tuple(p for p in parts[1:] if p)
    if (
        not question
        or len(question) > MAX_QUESTION
        or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS
        or any(len(o) > MAX_OPTION for o in options)
        or len(set(options)) != len(options)
    ):
        raise BadPoll(max=MAX_OPTIONS)
    return question, options


async def create(
    uow: UnitOfWork,
    group_id: int,
    question: str,
    options: tuple[str, ...],
    anonymous: bool,
    actor_id: int,
    at: datetime,
) -> PollInfo:
    await uow.claim()
    number = await item_rows.next_number(uow.session, group_id, "poll")
    poll_id = await rows.insert(
        uow.session,
        group_id=group_id,
        number=number,
        question=question,
        options="\n".join(options),
        anonymous=anonymous,
        created_by=actor_id,
        created_at=at,
    )
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="poll_create",
        at=at,
        details={"poll": number},
    )
    await uow.commit()
    return PollInfo(poll_id, group_id, number, question, options, anonymous, None, False)


async def record_sent(
    session_factory: SessionFactory, poll_id: int, tg_poll_id: str, message_id: int
) -> None:
    """Telegram's id of the poll (its answers name it), once sendPoll answered."""
    async with session_factory() as session:
        await rows.set_sent(session, poll_id, tg_poll_id, message_id)
        await session.commit()


async def vote(
    uow: UnitOfWork,
    tg_poll_id: str,
    user_id: int,
    option_ids: list[int],
    at: datetime,
    groups: GroupService | None = None,
) -> bool:
    """Store a poll_answer (no options: the vote was retracted). False for a poll not ours.
    With the group's poll_points, a vote earns them once per poll and member (a retracted
    and repeated vote, or a changed one, earns nothing more)."""
    row = await rows.by_tg_id(uow.session, tg_poll_id)
    if row is None:
        return False
    await uow.claim()
    if option_ids:
        await rows.put_vote(uow.session, row.id, user_id, ",".join(map(str, option_ids)), at)
        earned = 0
        calendar: GroupCalendar | int = row.group_id
        if groups is not None:
            found = await groups.settings_in(uow.session, [row.group_id])
            if row.group_id in found:
                calendar = found[row.group_id]
                earned = await points.for_poll_vote(uow, found[row.group_id], user_id, row.id, at)
        await analytics.record(uow, calendar, user_id, at, answers=1, points_earned=earned)
    else:
        await rows.drop_vote(uow.session, row.id, user_id)
    await uow.commit()
    return True


async def results(uow: UnitOfWork, group_id: int, number: int) -> tuple[PollInfo, list[int]]:
    """The poll and the number of stored votes per option."""
    row = await rows.by_number(uow.session, group_id, number)
    if row is None:
        raise UnknownPoll()
    info = PollInfo.of(row)
    counts = [0] * len(info.options)
    for vote_row in await rows.votes(uow.session, row.id):
        for option in vote_row.option_ids.split(","):
            if option.isdecimal() and int(option) < len(counts):
                counts[int(option)] += 1
    return info, counts


async def close(
    uow: UnitOfWork, group_id: int, number: int, actor_id: int, at: datetime
) -> tuple[PollInfo, list[int]]:
    row = await rows.by_number(uow.session, group_id, number)
    if row is None:
        raise UnknownPoll()
    await uow.claim()
    await rows.close(uow.session, row.id, at)
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="poll_close",
        at=at,
        details={"poll": number},
    )
    await uow.commit()
    return await results(uow, group_id, number)
