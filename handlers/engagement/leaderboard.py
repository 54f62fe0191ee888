"""/top [streak|checkins|week|month]: the group's leaderboards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.types import Message

from bot.features import Area, CommandSpec, Feature
from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Outbox
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.engagement import period_totals
from core.engagement.leaderboard import Board, Boards, leaderboard, parse_board
from core.events import EventBus, GroupCalendarChanged
from core.uow import UnitOfWork
from handlers.common import command_args, is_real_member

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


def render_board(t: Translator, board: Board) -> str:
    if not board.entries:
        return t("top-empty")
    lines = [t(f"top-title-{board.kind}")]
    for e in board.entries:
        lines.append(
            t("top-line", rank=MEDALS.get(e.rank, f"{e.rank}."), name=e.name, value=e.value)
        )
    if board.viewer is not None:
        lines.append(t("top-you", rank=board.viewer.rank, value=board.viewer.value))
    return "\n".join(lines)


async def cmd_top(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    boards: Boards | None = None,
) -> None:
    # Anyone may look at the board; only a person has a place on it ("You: #3").
    viewer = message.from_user.id if is_real_member(message.from_user) else 0  # 0: nobody
    args = command_args(message.text)
    word = args[0] if args else None
    extra = boards.find(word) if boards is not None else None
    if extra is not None:
        board = await extra.read(uow.session, group, viewer, event_at)
    else:
        kind = parse_board(word, boards.kinds() if boards is not None else ())
        board = await leaderboard(uow.session, group, kind, viewer, event_at)
    reply(outbox, message, render_board(t, board))


def router() -> list[Router]:
    r = Router(name="leaderboard")
    r.message.filter(InGroup())
    r.message.register(cmd_top, TOP.filter())
    return [r]


TOP = CommandSpec("top", aliases=("rank",), area=Area.POINTS, personal=False)


def subscribe(bus: EventBus, deps: dict[str, Any]) -> None:
    bus.subscribe(GroupCalendarChanged, period_totals.on_calendar_changed)
    deps.setdefault("boards", Boards())  # other features add theirs (/top invites)


def feature() -> Feature:
    return Feature("leaderboard", router, commands=(TOP,), setup=subscribe)
