"""/segments: counts per stage and tier with the week's movements; `/segments <selector>` lists
the members a selector picks (pages, CSV). In the group, or in private with a group chooser."""

from __future__ import annotations

from datetime import datetime

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.admins import AdminChecker
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.csv_export import iso, write_csv
from core.segments import members
from core.segments.service import SegmentService
from core.uow import UnitOfWork
from handlers.common import command_args
from handlers.feedback.render import answer, edit
from handlers.segments import render
from handlers.segments.render import SegmentButton
from storage.queries.community import audit
from storage.queries.segments import tags as tag_rows

EXPORT_COLUMNS = [
    "user_id",
    "username",
    "display_name",
    "stage",
    "tier",
    "points",
    "earned_30d",
    "last_active_at",
    "left_at",
    "tags",
]


async def show(
    uow: UnitOfWork,
    group: GroupSettings,
    segments: SegmentService,
    t: Translator,
    now: datetime,
    selector: str,
    after: int = 0,
    *,
    private: bool,
) -> tuple[str, render.InlineKeyboardMarkup | None]:
    """The overview (no selector) or a page of the selection, with its buttons."""
    if not selector:
        ov = await segments.overview(uow.session, group, now)
        return render.overview_text(t, group, ov), render.overview_keyboard(t, group.group_id, ov)
    node = segments.parse(selector)
    found = await segments.select(uow.session, group, node, now, after=after or None)
    return (
        render.selection_text(t, group, found, first_page=not after, private=private),
        render.selection_keyboard(t, group.group_id, found, after),
    )


async def cmd_segments_group(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    segments: SegmentService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    selector = " ".join(command_args(message.text))
    text, markup = await show(uow, group, segments, t, event_at, selector, private=False)
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)


async def cmd_segments_private(
    message: Message,
    uow: UnitOfWork,
    groups: GroupService,
    admins: AdminChecker,
    segments: SegmentService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    managed = await managed_groups(uow, admins, message.from_user.id)
    if not managed:
        reply(outbox, message, t("segments-no-groups"))
        return
    if len(managed) > 1:
        markup = render.groups_keyboard(
            managed, lambda gid: SegmentButton(action="o", group=gid).pack()
        )
        reply(outbox, message, t("segments-choose-group"), markup=markup)
        return
    group = await group_settings(uow, groups, managed[0][0])
    selector = " ".join(command_args(message.text))
    text, markup = await show(uow, group, segments, t, event_at, selector, private=True)
    reply(outbox, message, text, markup=markup)


async def managed_groups(
    uow: UnitOfWork, admins: AdminChecker, user_id: int
) -> list[tuple[int, str]]:
    """The active groups the person is in and administers (Telegram's word, cached)."""
    return [
        (gid, title)
        for gid, title in await members.groups_of(uow.session, user_id)
        if await admins.is_admin(gid, user_id)
    ]


async def group_settings(uow: UnitOfWork, groups: GroupService, group_id: int) -> GroupSettings:
    found = await groups.settings_in(uow.session, [group_id])
    return found[group_id]


async def on_button(
    query: CallbackQuery,
    callback_data: SegmentButton,
    uow: UnitOfWork,
    groups: GroupService,
    admins: AdminChecker,
    segments: SegmentService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Every press is checked again: a list may outlive someone's admin rights."""
    group_id = callback_data.group
    if not await admins.is_admin(group_id, query.from_user.id):
        answer(outbox, query, t("error-not-admin"), alert=True)
        return
    found = await groups.settings_in(uow.session, [group_id])
    if group_id not in found:
        answer(outbox, query, t("error-stale-button"), alert=True)
        return
    group = found[group_id]
    selector = render.unpack_selector(callback_data.sel)
    if callback_data.action == "x":
        await export(query, uow, group, segments, event_at, t, outbox, selector)
        return
    if callback_data.action == "o":
        selector = ""
    private = query.message is not None and query.message.chat.type == "private"
    text, markup = await show(
        uow, group, segments, t, event_at, selector, callback_data.after, private=private
    )
    edit(outbox, query, text, markup, event_at)
    answer(outbox, query)


async def export(
    query: CallbackQuery,
    uow: UnitOfWork,
    group: GroupSettings,
    segments: SegmentService,
    now: datetime,
    t: Translator,
    outbox: Outbox,
    selector: str,
) -> None:
    """The selection as CSV, sent where the list is; audited like /export."""
    node = segments.parse(selector)
    found_tags = await tag_rows.by_member(uow.session, group.group_id)
    data, count = await write_csv(
        EXPORT_COLUMNS,
        segments.export_rows(uow.session, group, node, now),
        lambda r: (
            r.user_id,
            r.username or "",
            r.display_name or "",
            r.stage,
            r.tier,
            r.points,
            r.earned_30d,
            iso(r.last_active_at),
            iso(r.left_at),
            " ".join(found_tags.get(r.user_id, [])),
        ),
    )
    await audit.record(
        uow.session,
        group_id=group.group_id,
        actor_id=query.from_user.id,
        action="export_segment",
        at=now,
        details={"selector": str(node), "rows": count},
    )
    await uow.commit()
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    name = f"segment-{abs(group.group_id)}-{now:%Y%m%d}.csv"
    outbox.send(
        chat_id,
        SendDocument(
            chat_id=chat_id,
            document=BufferedInputFile(data, filename=name),
            caption=t("segments-exported", selector=str(node), count=count),
        ),
        priority=Priority.HIGH,
    )
    answer(outbox, query, t("segments-export-sent"))
