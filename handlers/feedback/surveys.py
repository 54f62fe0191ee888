"""/survey nps|csat <question>, /survey results <n>, /survey close <n> (admins, in the group);
members answer with the post's buttons (again to change), and the post's counter is edited,
at most once per EDIT_INTERVAL seconds per post: never a new message per answer."""

from __future__ import annotations

import asyncio
import sys
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import EditMessageText
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Locales, Translator
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip, reply, send
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import UnknownSubcommand
from core.events import EventBus
from core.feedback import closing, surveys
from core.feedback.settings import survey_followup
from core.feedback.surveys import Results, SurveyInfo
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.feedback import render
from storage.db import SessionFactory

_tasks: set[asyncio.Task[None]] = set()
EDIT_INTERVAL = 3.0  # seconds between two edits of one survey post
MAX_TRACKED = 10_000  # posts whose last edit time is remembered


class SurveyButton(CallbackData, prefix="sv"):
    s: int  # survey id
    v: int  # score


@dataclass
class _Post:
    last: float = float("-inf")
    text: str = ""
    markup: InlineKeyboardMarkup | None = None
    count: int = -1
    pending: bool = False
    closed: bool = False


class CounterEdits:
    """The latest counter text per post; an edit goes now if the last one is older than the
    interval, else once, when the interval is over, with whatever is latest by then."""

    def __init__(self, interval: float = EDIT_INTERVAL) -> None:
        self.interval = interval
        self._posts: OrderedDict[tuple[int, int], _Post] = OrderedDict()

    def update(
        self,
        outbox: Outbox,
        chat_id: int,
        message_id: int,
        count: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        key = (chat_id, message_id)
        post = self._posts.get(key) or _Post()
        self._posts[key] = post
        self._posts.move_to_end(key)
        while len(self._posts) > MAX_TRACKED:
            self._posts.popitem(last=False)
        if count <= post.count:  # shown or due already (a changed answer keeps the count), or an
            return  # older transaction's view: editing to the same text is an error
        post.count, post.text, post.markup = count, text, markup
        if post.pending:
            return
        loop = asyncio.get_running_loop()
        wait = post.last + self.interval - loop.time()
        if wait <= 0:
            self._edit(outbox, key, post)
            return
        post.pending = True
        loop.call_later(wait, self._edit, outbox, key, post)

    def close(self, chat_id: int, message_id: int) -> None:
        """The post now shows the closed survey: no counter edit (pending or later) may
        bring its buttons back."""
        post = self._posts.get((chat_id, message_id)) or _Post()
        self._posts[(chat_id, message_id)] = post
        post.count, post.closed = sys.maxsize, True

    def _edit(self, outbox: Outbox, key: tuple[int, int], post: _Post) -> None:
        post.pending = False
        if post.closed:
            return
        post.last = asyncio.get_running_loop().time()
        outbox.send(
            key[0],
            EditMessageText(
                chat_id=key[0], message_id=key[1], text=clip(post.text), reply_markup=post.markup
            ),
            kind=Kind.ACK,
            priority=Priority.LOW,
            counts_as_message=False,
        )


_edits = CounterEdits()


def counter_edits() -> CounterEdits:
    return _edits


def post_text(t: Translator, survey: SurveyInfo, responses: int, timezone: str = "UTC") -> str:
    text = t(
        f"survey-post-{survey.kind}",
        number=survey.number,
        question=shorten(survey.question, surveys.MAX_QUESTION),
        responses=responses,
    )
    if survey.closes_at is not None:
        local = survey.closes_at.astimezone(ZoneInfo(timezone))
        text += "\n" + t("survey-closes-at", at=local.strftime("%Y-%m-%d %H:%M"), tz=timezone)
    return text


def closed_post_text(t: Translator, results: Results) -> str:
    """What the post shows once closed: no buttons, the final result."""
    return t("survey-closed-post") + "\n" + results_text(t, results)


def show_closed(outbox: Outbox, t: Translator, results: Results) -> None:
    """Edit the survey's post to its final result, its buttons gone (or, if its message is
    not known, post the result)."""
    survey = results.survey
    chat_id = survey.group_id
    if survey.message_id is None:
        send(outbox, chat_id, closed_post_text(t, results), priority=Priority.NORMAL)
        return
    counter_edits().close(chat_id, survey.message_id)
    outbox.send(
        chat_id,
        EditMessageText(
            chat_id=chat_id,
            message_id=survey.message_id,
            text=clip(closed_post_text(t, results)),
            reply_markup=None,
        ),
        kind=Kind.ACK,
        priority=Priority.NORMAL,
        counts_as_message=False,
    )


async def close_due_surveys(
    session_factory: SessionFactory,
    groups: GroupService,
    locales: Locales,
    outbox: Outbox,
    clock: Callable[[], datetime],
) -> int:
    """The leader's sweep: every survey whose closing time has come is closed (once) and its
    post shows the final result. Returns how many were closed now."""
    closed = 0
    for survey_id, due in await surveys.due_for_closing(session_factory, clock()):
        results = await surveys.close_on_time(session_factory, survey_id, due)
        if results is None:
            continue
        group = await groups.settings_for(results.survey.group_id)
        show_closed(outbox, locales.get(group.language), results)
        closed += 1
    return closed


def _record_message(
    future: asyncio.Future[Any], session_factory: SessionFactory, survey_id: int
) -> None:
    def sent(done: asyncio.Future[Any]) -> None:
        if done.cancelled() or done.exception() is not None:
            return
        message_id = getattr(done.result(), "message_id", None)
        if message_id is None:
            return
        task = asyncio.get_running_loop().create_task(
            surveys.record_sent(session_factory, survey_id, message_id)
        )
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    future.add_done_callback(sent)


def post_keyboard(survey: SurveyInfo) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text=str(v), callback_data=SurveyButton(s=survey.id, v=v).pack())
        for v in surveys.SCALES[survey.kind]
    ]
    rows = [buttons[:6], buttons[6:]] if survey.kind == surveys.NPS else [buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def results_text(t: Translator, results: Results) -> str:
    survey = results.survey
    n = results.responses
    lines = [
        t(
            "survey-results-title",
            number=survey.number,
            question=shorten(survey.question, 120),
            responses=n,
            closed="yes" if survey.closed else "no",
        ),
        "",
    ]
    top = max(results.distribution.values(), default=0) or 1
    for score, count in results.distribution.items():
        bar = "▇" * round(10 * count / top) if count else ""
        lines.append(f"{score:>2}: {count} {bar}")
    lines.append("")
    if survey.kind == surveys.NPS:
        lines.append(
            t(
                "survey-results-nps",
                nps=results.nps,
                promoters=results.promoters,
                detractors=results.detractors,
                passives=n - results.promoters - results.detractors,
            )
        )
    else:
        lines.append(
            t(
                "survey-results-csat",
                average=f"{results.average:.2f}",
                satisfied=f"{results.share(range(4, 6)):.0f}",
            )
        )
    return "\n".join(lines)


async def cmd_survey(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    session_factory: SessionFactory,
    event_at: datetime,
    t: Translator,
    locales: Locales,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    word = args[0].lower() if args else ""
    if word in (surveys.NPS, surveys.CSAT):
        body = ((message.text or "").split(maxsplit=2)[2:] or [""])[0]
        question, until = closing.split(body)
        surveys.check_question(question)  # a missing question first, whatever follows
        closes_at = closing.parse(until, event_at, group.timezone) if until is not None else None
        survey = await surveys.create(
            uow, group.group_id, word, question, actor_id(message), event_at, closes_at
        )
        future = send(
            outbox,
            message.chat.id,
            post_text(locales.get(group.language), survey, 0, group.timezone),
            markup=post_keyboard(survey),
            priority=Priority.HIGH,
        )
        _record_message(future, session_factory, survey.id)
        return
    if word in ("results", "close") and len(args) > 1 and args[1].lstrip("#").isdecimal():
        number = int(args[1].lstrip("#"))
        if word == "close":
            found = await surveys.close(uow, group.group_id, number, actor_id(message), event_at)
            if found.just_closed:
                show_closed(outbox, locales.get(group.language), found)
        else:
            found = await surveys.results(uow, group.group_id, number)
        reply(outbox, message, results_text(t, found), priority=Priority.HIGH)
        return
    raise UnknownSubcommand(word=word[:32], options="nps, csat, results <n>, close <n>")


async def on_answer(
    query: CallbackQuery,
    callback_data: SurveyButton,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    locales: Locales,
    outbox: Outbox,
) -> None:
    try:
        answered = await surveys.answer(
            uow,
            callback_data.s,
            group.group_id,
            query.from_user.id,
            callback_data.v,
            event_at,
            followup=survey_followup(group),
        )
    except surveys.SurveyClosed:
        render.answer(outbox, query, t("survey-error-closed"), alert=True)
        return
    except surveys.UnknownSurvey:
        render.answer(outbox, query, t("survey-error-unknown"), alert=True)
        return
    survey, responses = answered.survey, answered.responses
    render.answer(outbox, query, t("survey-answered", score=callback_data.v))
    if answered.ask_why:
        question = shorten(survey.question, 120)
        text = t("survey-followup-ask", number=survey.number, question=question)
        send(outbox, query.from_user.id, text, priority=Priority.NORMAL)
    if query.message is not None:
        counter_edits().update(
            outbox,
            query.message.chat.id,
            query.message.message_id,
            responses,
            post_text(locales.get(group.language), survey, responses, group.timezone),
            post_keyboard(survey),
        )


def router() -> list[Router]:
    r = Router(name="surveys")
    r.message.filter(InGroup())
    r.callback_query.filter(InGroup())
    r.message.register(cmd_survey, SURVEY.filter())
    r.callback_query.register(on_answer, SurveyButton.filter())
    return [r]


SURVEY = CommandSpec("survey", role=Role.ADMIN, area=Area.FEEDBACK)


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    """The leader closes surveys at their closing time (each round of its scheduler)."""
    scheduler = deps.get("post_scheduler")
    if scheduler is None:
        return
    scheduler.every_round(
        partial(
            close_due_surveys,
            deps["session_factory"],
            deps["groups"],
            deps["locales"],
            deps["outbox"],
            deps["clock"],
        )
    )


def feature() -> Feature:
    return Feature("surveys", router, commands=(SURVEY,), setup=setup)
