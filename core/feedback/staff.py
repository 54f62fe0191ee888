"""The staff-chat mode: a group's managers work its feedback in a forum supergroup, one topic
per item (`#12 · Alice · bug`); what they write in a topic goes to the member, and the
member's answers come back to the same topic."""

from __future__ import annotations

from datetime import datetime

from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import audit
from storage.queries.feedback import staff as rows

TOPIC_NAME_LIMIT = 128  # Telegram's limit for a topic's name


def topic_name(number: int, name: str, category: str) -> str:
    text = f"#{number} · {' '.join(name.split())} · {category}"
    return text if len(text) <= TOPIC_NAME_LIMIT else text[: TOPIC_NAME_LIMIT - 1] + "…"


async def link(
    uow: UnitOfWork, group_id: int, staff_chat_id: int, actor_id: int, at: datetime
) -> None:
    """Caller verified that the actor administers both chats."""
    await uow.claim()
    await rows.link(uow.session, group_id, staff_chat_id, actor_id, at)
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="feedback_staff_chat",
        at=at,
        details={"staff_chat": staff_chat_id},
    )
    await uow.commit()


async def staff_chat_of(uow: UnitOfWork, group_id: int) -> int | None:
    return await rows.staff_chat_of(uow.session, group_id)


async def is_staff_chat(uow: UnitOfWork, chat_id: int) -> bool:
    return await rows.is_staff_chat(uow.session, chat_id)


async def topic_of(uow: UnitOfWork, item_id: int) -> tuple[int, int] | None:
    return await rows.topic_of(uow.session, item_id)


async def item_of_topic(uow: UnitOfWork, chat_id: int, thread_id: int) -> int | None:
    return await rows.item_of_topic(uow.session, chat_id, thread_id)


async def record_topic(
    session_factory: SessionFactory, item_id: int, chat_id: int, thread_id: int
) -> None:
    """The topic Telegram created for an item (after the item's own transaction: the topic
    exists only once Telegram answered). A second record for an item changes nothing."""
    async with session_factory() as session:
        await rows.save_topic(session, item_id, chat_id, thread_id)
        await session.commit()
