"""/poll <question> | <option> | <option> ... (admins, in the group): a native Telegram poll,
non-anonymous unless `/poll anon ...`; votes are stored from poll_answer updates (a retracted
vote removes its row). `/poll results <n>`, `/poll close <n>` (stopPoll)."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.methods import SendPoll, StopPoll
from aiogram.types import InputPollOption, Message, PollAnswer

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.feedback import polls
from core.feedback.polls import PollInfo
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from storage.db import SessionFactory

logger = logging.getLogger(__name__)
ANONYMOUS_WORDS = {"anon", "anonymous", "匿名"}
_tasks: set[asyncio.Task[None]] = set()


def results_text(t: Translator, info: PollInfo, counts: list[int]) -> str:
    lines = [
        t(
            "poll-results-title",
            number=info.number,
            question=shorten(info.question, 120),
            votes=sum(counts),
            closed="yes" if info.closed else "no",
        )
    ]
    lines += [
        f"• {html.escape(shorten(option, 60))} — {count}"
        for option, count in zip(info.options, counts, strict=True)
    ]
    if info.anonymous:
        lines.append(t("poll-results-anonymous"))
    return "\n".join(lines)


def _send_poll(
    outbox: Outbox, session_factory: SessionFactory, chat_id: int, info: PollInfo
) -> None:
    future = outbox.send(
        chat_id,
        SendPoll(
            chat_id=chat_id,
            question=info.question,
            options=[InputPollOption(text=o) for o in info.options],
            is_anonymous=info.anonymous,
        ),
        priority=Priority.HIGH,
    )

    def sent(done: Any) -> None:
        if done.cancelled() or done.exception() is not None:
            return
        if getattr(done.result(), "poll", None) is None:
            return
        message = done.result()
        task = asyncio.get_running_loop().create_task(
            polls.record_sent(session_factory, info.id, message.poll.id, message.message_id)
        )
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    future.add_done_callback(sent)


async def cmd_poll(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    session_factory: SessionFactory,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    word = args[0].lower() if args else ""
    if word in ("results", "close") and len(args) == 2 and args[1].lstrip("#").isdecimal():
        number = int(args[1].lstrip("#"))
        if word == "close":
            info, counts = await polls.close(
                uow, group.group_id, number, actor_id(message), event_at
            )
            if info.message_id is not None:
                outbox.send(
                    message.chat.id,
                    StopPoll(chat_id=message.chat.id, message_id=info.message_id),
                    priority=Priority.HIGH,
                    counts_as_message=False,
                )
        else:
            info, counts = await polls.results(uow, group.group_id, number)
        reply(outbox, message, results_text(t, info, counts), priority=Priority.HIGH)
        return
    body = (message.text or "").split(maxsplit=1)[1] if len(args) else ""
    anonymous = word in ANONYMOUS_WORDS
    if anonymous:
        body = body.split(maxsplit=1)[1] if len(body.split()) > 1 else ""
    question, options = polls.parse(body)
    info = await polls.create(
        uow, group.group_id, question, options, anonymous, actor_id(message), event_at
    )
    _send_poll(outbox, session_factory, message.chat.id, info)


async def on_poll_answer(
    answer: PollAnswer, uow: UnitOfWork, groups: GroupService, event_at: datetime
) -> None:
    if answer.user is None:  # a vote on behalf of a chat: nobody to attribute it to
        return
    await polls.vote(
        uow, answer.poll_id, answer.user.id, list(answer.option_ids), event_at, groups
    )


def router() -> list[Router]:
    r = Router(name="polls")
    r.message.filter(InGroup())
    r.message.register(cmd_poll, POLL.filter())
    answers = Router(name="poll_answers")
    answers.poll_answer.register(on_poll_answer)
    return [r, answers]


POLL = CommandSpec("poll", role=Role.ADMIN, area=Area.FEEDBACK)


def feature() -> Feature:
    return Feature("polls", router, commands=(POLL,))
