"""Points for voting in a poll (poll_points, off by default): once per poll and member, a
changed, retracted or repeated vote (or a redelivered update) earning nothing more."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from aiogram.types import Update
from sqlalchemy import select

from core.feedback import polls
from storage.tables import LedgerEntry, Member, Poll, PollVote
from tests import factories as f
from tests.app_harness import Harness, running_bot

NOW = datetime.now(UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
_ids = itertools.count(900_000)


def vote(user: dict, tg_poll_id: str, options: list[int]) -> Update:
    return Update.model_validate(
        {
            "update_id": next(_ids),
            "poll_answer": {
                "poll_id": tg_poll_id,
                "user": user,
                "option_ids": options,
                "option_persistent_ids": [str(o) for o in options],
            },
        }
    )


async def posted_poll(bot: Harness, tg_poll_id: str) -> int:
    """The poll as if Telegram had answered sendPoll (the in-process session does not)."""
    async with bot.app.session_factory() as s:
        poll_id = (await s.exec(select(Poll.id).order_by(Poll.id.desc()))).scalars().first()
    await polls.record_sent(bot.app.session_factory, poll_id, tg_poll_id, 77)
    return poll_id


async def ledger(bot: Harness) -> list[tuple[int, int, str]]:
    async with bot.app.session_factory() as s:
        rows = (await s.exec(select(LedgerEntry).order_by(LedgerEntry.id))).scalars().all()
    return [(r.user_id, r.amount, r.idempotency_key) for r in rows]


async def points(bot: Harness, user_id: int) -> int:
    async with bot.app.session_factory() as s:
        member = await s.get(Member, (f.GROUP_ID, user_id))
    return member.points if member else 0


async def test_a_vote_earns_points_once_per_poll(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}, settings_cache_seconds=0) as bot:
        await bot.feed(f.message(ADMIN, "/settings poll_points 3", date=NOW))
        await bot.feed(f.message(ADMIN, "/poll Where? | Café | Park", date=NOW))
        poll_id = await posted_poll(bot, "tg-1")
        first = vote(BOB, "tg-1", [0])
        await bot.feed(first)
        await bot.feed(first)  # redelivered
        await bot.feed(vote(BOB, "tg-1", [1]))  # changed
        await bot.feed(vote(BOB, "tg-1", []))  # retracted
        await bot.feed(vote(BOB, "tg-1", [0]))  # and again
        assert await ledger(bot) == [(200, 3, f"poll:{poll_id}:200")]
        assert await points(bot, 200) == 3
        async with bot.app.session_factory() as s:
            votes = (await s.exec(select(PollVote.option_ids))).scalars().all()
        assert votes == ["0"]
        # Another poll: another credit.
        await bot.feed(f.message(ADMIN, "/poll When? | Today | Tomorrow", date=NOW))
        await posted_poll(bot, "tg-2")
        await bot.feed(vote(BOB, "tg-2", [1]))
        assert await points(bot, 200) == 6


async def test_no_points_by_default(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/poll Where? | Café | Park", date=NOW))
        await posted_poll(bot, "tg-1")
        await bot.feed(vote(BOB, "tg-1", [0]))
        assert await ledger(bot) == []
        async with bot.app.session_factory() as s:
            assert len((await s.exec(select(PollVote))).scalars().all()) == 1
