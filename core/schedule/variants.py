"""A/B variants of a scheduled post: `A || B` is two texts, posted in turn (each occurrence
records the variant it sent), with a "👍 useful" button counting one vote per member and
variant."""

from __future__ import annotations

from datetime import datetime

from core.schedule.post_errors import PostNotFound, UnknownVariant
from core.uow import UnitOfWork
from storage.queries.schedule import posts as rows
from storage.queries.schedule.posts import Post

VARIANT_SEPARATOR = "||"
MAX_VARIANTS = 5


def variants(text: str) -> list[str]:
    """A post's texts: `A || B` is two variants, posted in turn."""
    return [part.strip() for part in text.split(VARIANT_SEPARATOR) if part.strip()]


def joined(texts: list[str]) -> str:
    """Variants as one stored text (the inverse of `variants`)."""
    return f" {VARIANT_SEPARATOR} ".join(texts)


async def vote(
    uow: UnitOfWork, group_id: int, post_id: int, variant: int, user_id: int, at: datetime
) -> bool:
    """A member found this variant useful; False if they said so before."""
    post = await rows.get(uow.session, post_id)
    if post is None or post.group_id != group_id:
        raise PostNotFound(id=post_id)
    if not 0 <= variant < len(variants(post.text)):
        raise UnknownVariant(id=post_id)
    counted = await rows.add_vote(uow.session, post_id, variant, user_id, group_id, at)
    await uow.commit()
    return counted


async def variant_stats(uow: UnitOfWork, post: Post) -> list[tuple[str, int, int]]:
    """(variant text, times sent, votes) of a post with several variants; [] otherwise."""
    texts = variants(post.text) if post.source_message_id is None else []
    if len(texts) < 2:
        return []
    stats = await rows.variant_stats(uow.session, post.id)
    return [(text, *stats.get(i, (0, 0))) for i, text in enumerate(texts)]
