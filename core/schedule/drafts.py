"""The guided /schedule: the time is picked with a button on the bot's prompt, the content
comes as a reply to that prompt (each text a variant, ✅ schedules them; anything else is
copied at once). A draft waits `DRAFT_LIFETIME` in `schedule_draft`, keyed by the prompt."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.community.group_settings import GroupSettings
from core.schedule.post_errors import EmptyPost, PostTooLong, TooManyVariants
from core.schedule.posts import MAX_TEXT, Content, PostService
from core.schedule.variants import MAX_VARIANTS, joined, variants
from core.schedule.when import Rule, parse_rule
from core.uow import UnitOfWork
from storage.queries.schedule import posts as rows
from storage.queries.schedule.posts import Post

DRAFT_LIFETIME = timedelta(minutes=30)  # a guided /schedule waits this long for its content


@dataclass(frozen=True, slots=True)
class Draft:
    """A guided /schedule in progress: when, and the text variants replied so far."""

    rule: Rule
    texts: list[str]


class PostDrafts:
    def __init__(self, posts: PostService) -> None:
        self._posts = posts

    async def start(
        self,
        uow: UnitOfWork,
        group_id: int,
        actor_id: int,
        prompt_id: int,
        rule: Rule,
        at: datetime,
    ) -> None:
        """`rule` was picked on the prompt `prompt_id`; a reply to it brings the content (see
        `take`)."""
        await rows.prune_drafts(uow.session, at - DRAFT_LIFETIME)
        await rows.put_draft(uow.session, group_id, prompt_id, rule.text, actor_id, at)
        await uow.commit()

    async def take(
        self, uow: UnitOfWork, group_id: int, prompt_id: int, at: datetime
    ) -> Draft | None:
        """The draft of that prompt (once: it is gone after), if still fresh."""
        found = await rows.take_draft(uow.session, group_id, prompt_id)
        if found is None or at - found[2] > DRAFT_LIFETIME:
            return None
        return Draft(parse_rule(found[0]), variants(found[3] or ""))

    async def get(
        self, uow: UnitOfWork, group_id: int, prompt_id: int, at: datetime
    ) -> Draft | None:
        found = await rows.get_draft(uow.session, group_id, prompt_id)
        if found is None or at - found[2] > DRAFT_LIFETIME:
            return None
        return Draft(parse_rule(found[0]), variants(found[3] or ""))

    async def add_variant(
        self, uow: UnitOfWork, group_id: int, prompt_id: int, text: str, at: datetime
    ) -> Draft | None:
        """One more text variant for the post of that prompt (A/B: each occurrence posts the
        next one); None if the draft is gone."""
        draft = await self.get(uow, group_id, prompt_id, at)
        if draft is None:
            return None
        added = variants(text)
        if not added:
            raise EmptyPost()
        texts = [*draft.texts, *added]
        if len(texts) > MAX_VARIANTS:
            raise TooManyVariants(limit=MAX_VARIANTS)
        text_of_post = joined(texts)
        if len(html.escape(text_of_post, quote=False)) > MAX_TEXT:
            raise PostTooLong(limit=MAX_TEXT)
        await rows.set_draft_texts(uow.session, group_id, prompt_id, text_of_post)
        await uow.commit()
        return Draft(draft.rule, texts)

    async def confirm(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        actor_id: int,
        prompt_id: int,
        thread_id: int | None,
        at: datetime,
    ) -> Post | None:
        """✅ on the prompt: the post with the draft's variants (None: no draft, or no text
        yet: nothing is created)."""
        draft = await self.get(uow, group.group_id, prompt_id, at)
        if draft is None or not draft.texts:
            await uow.rollback()
            return None
        await rows.take_draft(uow.session, group.group_id, prompt_id)
        content = Content(text=joined(draft.texts))
        return await self._posts.create(uow, group, actor_id, draft.rule, content, thread_id, at)

    async def cancel(self, uow: UnitOfWork, group_id: int, prompt_id: int) -> bool:
        found = await rows.take_draft(uow.session, group_id, prompt_id)
        await uow.commit()
        return found is not None
