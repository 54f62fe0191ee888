"""Tags administrators give members (`/tag @bob vip gold`), and what a tag may be.

A tag is letters (any script, CJK included), digits, `_` and `-`, starting with a letter, a
digit or `_`, at most 32 characters; compared case-insensitively (kept in lower case); a
leading `#` is dropped (people type hashtags). Anything else (markup, spaces inside a word,
200-character names) is refused with a message that names it, and nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.errors import DomainError
from core.text import shorten
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.segments import tags as rows

MAX_TAG = 32
MAX_PER_COMMAND = 10
MAX_PER_MEMBER = 50
MAX_LISTED = 50
_TAG = re.compile(r"\w[\w-]*")


class BadTag(DomainError):
    key = "tag-error-bad"  # args: tag, max


class TagTooLong(DomainError):
    key = "tag-error-too-long"  # args: tag, max


class NoTags(DomainError):
    key = "tag-error-none"


class TooManyTags(DomainError):
    key = "tag-error-too-many"  # args: max


class MemberTagLimit(DomainError):
    key = "tag-error-member-limit"  # args: name, max


def normalize_tag(text: str) -> str:
    """The tag as stored (lower case, no leading #); ValueError if it is not one."""
    tag = text.strip().removeprefix("#").lower()
    if not tag or len(tag) > MAX_TAG or _TAG.fullmatch(tag) is None:
        raise ValueError(text)
    return tag


def parse_tags(words: Sequence[str]) -> list[str]:
    """The tags typed after the member (each word one tag), normalised, without repeats."""
    if not words:
        raise NoTags()
    if len(words) > MAX_PER_COMMAND:
        raise TooManyTags(max=MAX_PER_COMMAND)
    found: list[str] = []
    for word in words:
        try:
            tag = normalize_tag(word)
        except ValueError:
            shown = shorten(word, 40)
            if len(word.strip().removeprefix("#")) > MAX_TAG:
                raise TagTooLong(tag=shown, max=MAX_TAG) from None
            raise BadTag(tag=shown, max=MAX_TAG) from None
        if tag not in found:
            found.append(tag)
    return found


@dataclass(frozen=True, slots=True)
class TagChange:
    changed: list[str]  # added (or removed) by this command
    unchanged: list[str]  # the member had them already (or did not have them)
    tags: list[str]  # the member's tags now


async def add(
    uow: UnitOfWork,
    group_id: int,
    actor_id: int,
    user_id: int,
    name: str,
    tags: Sequence[str],
    at: datetime,
) -> TagChange:
    session = uow.session
    before = await rows.of_member(session, group_id, user_id)
    new = [tag for tag in tags if tag not in before]
    if len(before) + len(new) > MAX_PER_MEMBER:
        raise MemberTagLimit(name=name, max=MAX_PER_MEMBER)
    added = await rows.add(session, group_id, user_id, new, actor_id, at)
    if added:
        await audit.record(
            session,
            group_id=group_id,
            actor_id=actor_id,
            action="tag_added",
            at=at,
            target_user_id=user_id,
            details={"tags": sorted(added)},
        )
    await uow.commit()
    return TagChange(sorted(added), [t for t in tags if t not in added], sorted({*before, *added}))


async def remove(
    uow: UnitOfWork,
    group_id: int,
    actor_id: int,
    user_id: int,
    tags: Sequence[str],
    at: datetime,
) -> TagChange:
    session = uow.session
    removed = await rows.remove(session, group_id, user_id, tags)
    now = await rows.of_member(session, group_id, user_id)
    if removed:
        await audit.record(
            session,
            group_id=group_id,
            actor_id=actor_id,
            action="tag_removed",
            at=at,
            target_user_id=user_id,
            details={"tags": sorted(removed)},
        )
    await uow.commit()
    return TagChange(sorted(removed), [t for t in tags if t not in removed], now)


async def of_member(session: AsyncSession, group_id: int, user_id: int) -> list[str]:
    return await rows.of_member(session, group_id, user_id)


@dataclass(frozen=True, slots=True)
class GroupTags:
    counts: list[tuple[str, int]]  # the most used first, at most MAX_LISTED
    distinct: int  # tags in the group (some may have only members who left)


async def of_group(session: AsyncSession, group_id: int) -> GroupTags:
    return GroupTags(
        await rows.counts(session, group_id, MAX_LISTED),
        await rows.distinct_count(session, group_id),
    )
