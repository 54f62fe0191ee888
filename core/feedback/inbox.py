"""Feedback use cases: members send items (directly or by the guided flow), managers work them.

Each use case is one transaction (UnitOfWork) recording the update that caused it, so a
redelivered update stores nothing twice. Whether someone may manage a group's items is
verified by the caller (Telegram's word, bot/admins.py) before a manager use case runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.analytics import recorder as analytics
from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.feedback import keywords, rules
from core.feedback import points as feedback_points
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.community import members as member_rows
from storage.queries.feedback import items as rows

DRAFT_TTL = timedelta(hours=1)  # a guided flow left longer than this is forgotten
SURVEY_DRAFT_TTL = timedelta(days=1)  # a detractor's "why?" waits longer
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Created:
    item_id: int
    group_id: int
    number: int
    category: str
    priority: int
    points: int = 0  # credited for it


@dataclass(frozen=True, slots=True)
class Item:
    """An item as managers and members see it."""

    id: int
    group_id: int
    group_title: str
    number: int
    user_id: int
    name: str
    category: str
    status: str
    priority: int
    text: str
    attachments: tuple[str, ...]
    source_chat_id: int
    source_message_id: int | None
    created_at: datetime
    resolved_at: datetime | None
    survey_number: int | None = None  # the survey it answers (a detractor's "why?")

    @classmethod
    def of(cls, row: Any) -> Item:
        return cls(
            id=row.id,
            group_id=row.group_id,
            group_title=row.title or str(row.group_id),
            number=row.number,
            user_id=row.user_id,
            name=row.display_name or (f"@{row.username}" if row.username else str(row.user_id)),
            category=row.category,
            status=row.status,
            priority=row.priority,
            text=row.text,
            attachments=tuple(a for a in row.attachments.split(",") if a),
            source_chat_id=row.source_chat_id,
            source_message_id=row.source_message_id,
            created_at=row.created_at,
            resolved_at=row.resolved_at,
            survey_number=getattr(row, "survey_number", None),
        )


@dataclass(frozen=True, slots=True)
class ThreadLine:
    role: str
    name: str
    text: str
    file_id: str | None
    at: datetime


# ---- members ------------------------------------------------------------------------------
async def submit(
    uow: UnitOfWork,
    group: GroupSettings,
    user: dict[str, object],
    text: str,
    at: datetime,
    *,
    source_chat_id: int,
    source_message_id: int | None,
    category: str | None = None,
    attachments: tuple[str, ...] = (),
    survey_id: int | None = None,
) -> Created:
    """Store a new item (#n of its group); refused when empty, too long or over the day's limit."""
    text = rules.check_text(text)
    user_id = int(user["id"])  # type: ignore[call-overload]
    await uow.claim()
    session = uow.session
    # Both lock a row until the commit: the member's submissions, then the group's, take turns,
    # so the count below sees every earlier one (no sixth item from two at once).
    await member_rows.upsert_users(session, [user])
    number = await rows.next_number(session, group.group_id, "item")
    day = local_day(at, group.timezone, group.day_start_hour)
    since = day_start_instant(day, group.timezone, group.day_start_hour)
    if await rows.count_since(session, group.group_id, user_id, since) >= rules.DAILY_LIMIT:
        raise rules.DailyLimitReached(limit=rules.DAILY_LIMIT)
    if category not in rules.CATEGORIES:
        category = rules.propose_category(text, await keywords.of_group(uow, group.group_id))
    others = await rows.reporters_since(session, group.group_id, category, at - WEEK, user_id)
    priority = rules.default_priority(others + 1)
    item_id = await rows.insert_item(
        session,
        group_id=group.group_id,
        number=number,
        user_id=user_id,
        category=category,
        status=rules.NEW,
        priority=priority,
        text=text,
        attachments=",".join(attachments[: rules.MAX_ATTACHMENTS]),
        source_chat_id=source_chat_id,
        source_message_id=source_message_id,
        survey_id=survey_id,
        created_at=at,
        updated_at=at,
    )
    await rows.add_message(
        session, item_id, user_id, "member", text, at, attachments[0] if attachments else None
    )
    await rows.drop_draft(session, user_id, source_chat_id)
    points = await feedback_points.for_feedback(uow, group, user_id, item_id, number, at)
    await analytics.record(uow, group, user_id, at, feedback=1, points_earned=points)
    await uow.commit()
    return Created(item_id, group.group_id, number, category, priority, points)


async def recategorize(
    uow: UnitOfWork, item_id: int, user_id: int, category: str
) -> tuple[Item, int]:
    """The member changes the proposed category of their own item (while it is new); the item
    and the points it earned (its confirmation, edited, still says so)."""
    row = await rows.get_item(uow.session, item_id)
    if row is None or row.user_id != user_id or category not in rules.CATEGORIES:
        raise rules.UnknownItem()
    if row.status == rules.NEW and row.category != category:
        await rows.update_item(uow.session, item_id, category=category)
        await uow.commit()
        row = await rows.get_item(uow.session, item_id)
    item = Item.of(row)
    earned = await feedback_points.earned_by_item(
        uow, item.group_id, user_id, item.number, item.created_at
    )
    return item, earned


async def start_guided(
    uow: UnitOfWork,
    user_id: int,
    chat_id: int,
    group_id: int | None,
    at: datetime,
    text: str | None = None,
) -> None:
    """`/feedback` alone: a draft waiting for a group (in private, if several), a category and
    the text (or, with the text given, only for the group)."""
    await rows.put_draft(
        uow.session,
        user_id,
        chat_id,
        purpose="feedback",
        group_id=group_id,
        item_id=None,
        category=None,
        text=text,
        created_at=at,
    )
    await uow.commit()


async def update_draft(
    uow: UnitOfWork, user_id: int, chat_id: int, at: datetime, **values: Any
) -> Any | None:
    draft = await fresh_draft(uow, user_id, chat_id, at)
    if draft is None:
        return None
    await rows.put_draft(
        uow.session,
        user_id,
        chat_id,
        purpose=draft.purpose,
        group_id=values.get("group_id", draft.group_id),
        item_id=draft.item_id,
        category=values.get("category", draft.category),
        text=values.get("text", draft.text),
        survey_id=draft.survey_id,
        created_at=draft.created_at,
    )
    await uow.commit()
    return await rows.get_draft(uow.session, user_id, chat_id)


async def fresh_draft(uow: UnitOfWork, user_id: int, chat_id: int, at: datetime) -> Any | None:
    draft = await rows.get_draft(uow.session, user_id, chat_id)
    ttl = SURVEY_DRAFT_TTL if draft is not None and draft.purpose == "survey" else DRAFT_TTL
    if draft is None or draft.created_at < at - ttl:
        return None
    return draft


async def cancel_draft(uow: UnitOfWork, user_id: int, chat_id: int) -> None:
    await rows.drop_draft(uow.session, user_id, chat_id)
    await uow.commit()


async def member_answer(
    uow: UnitOfWork, user_id: int, text: str, at: datetime, file_id: str | None = None
) -> tuple[Item, int | None]:
    """A member's private message after a manager's reply: the thread of their open item that
    was answered last grows. Returns the item and the manager who answered last."""
    text = rules.check_text(text)
    await uow.claim()
    row = await rows.latest_open_for(uow.session, user_id)
    if row is None:
        raise rules.NothingToAnswer()
    await rows.add_message(uow.session, row.id, user_id, "member", text, at, file_id)
    await rows.update_item(uow.session, row.id, updated_at=at)
    lines = await rows.thread(uow.session, row.id, limit=50)
    manager = next((line.author_id for line in reversed(lines) if line.role == "manager"), None)
    await uow.commit()
    return Item.of(row), manager


# ---- managers -----------------------------------------------------------------------------
async def get(uow: UnitOfWork, item_id: int) -> Item:
    row = await rows.get_item(uow.session, item_id)
    if row is None:
        raise rules.UnknownItem()
    return Item.of(row)


async def by_number(uow: UnitOfWork, group_id: int, number: int) -> Item:
    row = await rows.get_by_number(uow.session, group_id, number)
    if row is None:
        raise rules.UnknownItem()
    return Item.of(row)


async def thread(uow: UnitOfWork, item_id: int, limit: int = 10) -> list[ThreadLine]:
    return [
        ThreadLine(r.role, r.display_name or str(r.author_id), r.text, r.file_id, r.created_at)
        for r in await rows.thread(uow.session, item_id, limit)
    ]


async def open_items(
    uow: UnitOfWork,
    group_ids: list[int],
    *,
    status: str | None = None,
    category: str | None = None,
    limit: int = 10,
) -> list[Item]:
    statuses = (status,) if status in rules.STATUSES else rules.OPEN
    if not group_ids:
        return []
    found = await rows.list_items(
        uow.session,
        group_ids,
        statuses,  # type: ignore[arg-type]
        category if category in rules.CATEGORIES else None,
        limit,
    )
    return [Item.of(r) for r in found]


async def groups_with_feedback(uow: UnitOfWork) -> list[tuple[int, str]]:
    return [(r.id, r.title or str(r.id)) for r in await rows.groups_with_items(uow.session)]


async def set_status(
    uow: UnitOfWork, item_id: int, actor_id: int, status: str, at: datetime
) -> tuple[Item, bool]:
    """Returns the item and whether it has just been closed (then the member is told)."""
    if status not in rules.STATUSES:
        raise rules.UnknownItem()
    await uow.claim()
    before = await get(uow, item_id)
    if before.status == status:
        await uow.rollback()
        return before, False
    resolved_at = at if status in rules.CLOSED else None
    await rows.update_item(
        uow.session, item_id, status=status, updated_at=at, resolved_at=resolved_at
    )
    await _audit(uow, before, actor_id, "feedback_status", at, status=status)
    await uow.commit()
    return await get(uow, item_id), status in rules.CLOSED


async def set_priority(
    uow: UnitOfWork, item_id: int, actor_id: int, priority: int, at: datetime
) -> Item:
    if priority not in rules.PRIORITIES:
        raise rules.UnknownItem()
    await uow.claim()
    before = await get(uow, item_id)
    if before.priority != priority:
        await rows.update_item(uow.session, item_id, priority=priority, updated_at=at)
        await _audit(uow, before, actor_id, "feedback_priority", at, priority=priority)
    await uow.commit()
    return await get(uow, item_id)


async def start_reply(
    uow: UnitOfWork, item_id: int, actor_id: int, chat_id: int, at: datetime
) -> Item:
    """The manager pressed "Reply": their next message in this chat is the answer."""
    item = await get(uow, item_id)
    await rows.put_draft(
        uow.session,
        actor_id,
        chat_id,
        purpose="reply",
        group_id=item.group_id,
        item_id=item_id,
        category=None,
        text=None,
        created_at=at,
    )
    await uow.commit()
    return item


async def reply(
    uow: UnitOfWork,
    item_id: int,
    actor: dict[str, object],
    text: str,
    at: datetime,
    *,
    draft_chat_id: int | None = None,
) -> Item:
    """A manager's answer joins the thread; a new item is then in progress."""
    text = rules.check_text(text)
    actor_id = int(actor["id"])  # type: ignore[call-overload]
    await uow.claim()
    item = await get(uow, item_id)
    await member_rows.upsert_users(uow.session, [actor])
    await rows.add_message(uow.session, item_id, actor_id, "manager", text, at)
    values: dict[str, object] = {"updated_at": at}
    if item.status == rules.NEW:
        values["status"] = rules.IN_PROGRESS
    await rows.update_item(uow.session, item_id, **values)
    if draft_chat_id is not None:
        await rows.drop_draft(uow.session, actor_id, draft_chat_id)
    await _audit(uow, item, actor_id, "feedback_reply", at)
    await uow.commit()
    return await get(uow, item_id)


async def _audit(
    uow: UnitOfWork, item: Item, actor_id: int, action: str, at: datetime, **details: object
) -> None:
    await audit.record(
        uow.session,
        group_id=item.group_id,
        actor_id=actor_id,
        action=action,
        at=at,
        target_user_id=item.user_id,
        details={"item": item.number, **details},
    )
