"""/survey nps|csat <question>, /survey results <n>, /survey close <n> (admins, in the group);
members answer with the post's buttons (again to change), and the post's counter is edited,
at most once per EDIT_INTERVAL seconds per post: never a new message per answer."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import EditMessageText
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.features import CommandSpec, Feature, Role
from bot.filters import InGroup, IsGroupAdmin
from bot.i18n import Locales, Translator
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip, reply, send
from core.community.group_settings import GroupSettings
from core.errors import UnknownSubcommand
from core.feedback import surveys
from core.feedback.settings import survey_followup
from core.feedback.surveys import Results, SurveyInfo
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.feedback import render

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

    def _edit(self, outbox: Outbox, key: tuple[int, int], post: _Post) -> None:
        post.pending = False
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


def post_text(t: Translator, survey: SurveyInfo, responses: int) -> str:
    return t(
        f"survey-post-{survey.kind}",
        number=survey.number,
        question=shorten(survey.question, surveys.MAX_QUESTION),
        responses=responses,
    )


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
    event_at: datetime,
    t: Translator,
    locales: Locales,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    word = args[0].lower() if args else ""
    if word in (surveys.NPS, surveys.CSAT):
        question = (message.text or "").split(maxsplit=2)[2:] or [""]
        survey = await surveys.create(
            uow, group.group_id, word, question[0], actor_id(message), event_at
        )
        send(
            outbox,
            message.chat.id,
            post_text(locales.get(group.language), survey, 0),
            markup=post_keyboard(survey),
            priority=Priority.HIGH,
        )
        return
    if word in ("results", "close") and len(args) > 1 and args[1].lstrip("#").isdecimal():
        number = int(args[1].lstrip("#"))
        if word == "close":
            found = await surveys.close(uow, group.group_id, number, actor_id(message), event_at)
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
            post_text(locales.get(group.language), survey, responses),  # as it was posted
            post_keyboard(survey),
        )


def router() -> list[Router]:
    r = Router(name="surveys")
    r.message.filter(InGroup())
    r.callback_query.filter(InGroup())
    r.message.register(cmd_survey, SURVEY.filter(), IsGroupAdmin())
    r.callback_query.register(on_answer, SurveyButton.filter())
    return [r]


SURVEY = CommandSpec("survey", role=Role.ADMIN)


def feature() -> Feature:
    return Feature("surveys", router, commands=(SURVEY,))
