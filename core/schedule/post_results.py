"""A/B results of a scheduled post with text variants (`Tip A || Tip B`): the counts.

Each variant is posted in turn with a "👍 Useful" button that counts one vote per member and
variant. Telegram tells bots nothing of who read a group message, so a variant's *views* are
the members who were in the group while it was sent, as far as the bot knows its members,
plus any voter it had not seen (storage/queries/schedule/post_results.py); its rate is
👍 / views. `variant_counts` reads them in the request's transaction; the statistics are
core/schedule/ab_results.py, run in the worker process.
"""

from __future__ import annotations

from core.schedule.ab_results import VariantCounts
from core.schedule.variants import variants
from core.uow import UnitOfWork
from storage.queries.schedule.post_results import variant_reach
from storage.queries.schedule.posts import Post


async def variant_counts(uow: UnitOfWork, post: Post) -> list[VariantCounts]:
    """Per text variant of the post, in order; [] for a post without variants."""
    texts = variants(post.text) if post.source_message_id is None else []
    if len(texts) < 2:
        return []
    reach = await variant_reach(uow.session, post.group_id, post.id, len(texts))
    return [
        VariantCounts(text, r.sends, r.votes, max(r.views, r.votes))
        for text, r in zip(texts, reach, strict=True)
    ]
