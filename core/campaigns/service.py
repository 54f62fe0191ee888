"""Campaign use cases: preview, confirm (the audience and its control group frozen), pause /
resume / cancel, opt-out, claims, the report's counts and the export.

Sending is core/campaigns/sending.py; the runtime drives it (handlers/campaigns/runner.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import local_day
from core.campaigns import rules
from core.campaigns.rules import CampaignError
from core.campaigns.settings import CAP_DAYS, cap, holdout_percent
from core.community.group_settings import GroupSettings
from core.csv_export import iso, write_csv
from core.segments.selector import Node
from core.segments.service import SegmentService
from core.uow import UnitOfWork
from storage.queries.campaigns import campaigns as q
from storage.queries.community import audit
from storage.queries.community import members as member_rows
from storage.queries.engagement import ledger

EXPORT_COLUMNS = [
    "user_id",
    "arm",
    "status",
    "sent_at",
    "clicked_at",
    "claimed_at",
    "active_within_7d",
]
REPORT_DAYS = 7
DRAFT_KEPT = timedelta(hours=1)  # a guided draft answers replies for this long
NEXT_STEP = {"audience": "message", "message": "button", "button": "when", "when": ""}
AUDIENCE_PAGE = 5000
MAX_AUDIENCE = 250_000
ACTIVE = ("scheduled", "sending", "paused")


class EmptyAudience(CampaignError):
    key = "campaign-error-empty"


class AudienceTooLarge(CampaignError):
    key = "campaign-error-too-large"  # args: max


class NotADraft(CampaignError):
    """Confirmed (or cancelled) before: a second Confirm sends nothing more."""

    key = "campaign-error-confirmed"


class UnknownCampaign(CampaignError):
    key = "campaign-error-unknown"  # args: number


class CannotChange(CampaignError):
    key = "campaign-error-state"  # args: status


class StaleStep(CampaignError):
    key = "campaign-guide-stale"


class NothingToClaim(CampaignError):
    key = "campaign-claim-refused"


@dataclass(frozen=True, slots=True)
class Draft:
    """What an admin asked for, before it is stored."""

    selector: str
    text: str = ""  # HTML with {name}; empty for a copy
    source_chat_id: int | None = None
    source_message_id: int | None = None
    button: str = "none"
    url: str = ""
    points: int = 0
    start_at: datetime | None = None  # None: now
    holdout_percent: int | None = None  # None: the group's setting


@dataclass(frozen=True, slots=True)
class Preview:
    campaign_id: int
    audience: int
    holdout: int
    reachable: int  # of the audience: started the bot, not blocked, not opted out, under the cap
    opted_out: int
    capped: int
    unreachable: int
    holdout_percent: int


@dataclass(frozen=True, slots=True)
class ArmCounts:
    members: int
    active: int  # active again within the report's days
    claims: int


@dataclass(frozen=True, slots=True)
class Report:
    campaign: object  # the campaign row
    statuses: dict[str, int]
    treated: ArmCounts
    holdout: ArmCounts
    first_day: date
    last_day: date
    days_measured: int  # of REPORT_DAYS (fewer while the window is still open)


class CampaignService:
    def __init__(
        self,
        segments: SegmentService,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
    ) -> None:
        self._segments = segments
        self._clock = clock
        self._rng = rng or random.SystemRandom()

    # ---- the audience ----------------------------------------------------------------

    async def audience(
        self, session: AsyncSession, group: GroupSettings, node: Node, now: datetime
    ) -> list[int]:
        ids: list[int] = []
        after: int | None = None
        while True:
            page = await self._segments.member_ids(
                session, group, node, now, after=after, limit=AUDIENCE_PAGE
            )
            ids += page
            if len(ids) > MAX_AUDIENCE:
                raise AudienceTooLarge(max=MAX_AUDIENCE)
            if len(page) < AUDIENCE_PAGE:
                return ids
            after = page[-1]

    async def preview(
        self, uow: UnitOfWork, group: GroupSettings, draft: Draft, actor: int, now: datetime
    ) -> Preview:
        """Stores the draft (not numbered, nothing frozen yet) and counts what Confirm would do."""
        node = self._segments.parse(draft.selector)
        if draft.source_message_id is None:
            rules.check_text(draft.text)
        percent = draft.holdout_percent
        if percent is None:
            percent = holdout_percent(group)
        counted = await self._count(uow.session, group, str(node), percent, now)
        campaign_id = await q.insert(
            uow.session,
            {
                "group_id": group.group_id,
                "number": None,
                "kind": "campaign",
                "status": "draft",
                "step": "",
                "selector": str(node),
                "text": draft.text,
                "source_chat_id": draft.source_chat_id,
                "source_message_id": draft.source_message_id,
                "button": draft.button,
                "button_url": draft.url,
                "button_points": draft.points,
                "holdout_percent": percent,
                "seed": 0,
                "audience": counted.audience,
                "holdout": counted.holdout,
                "created_by": actor,
                "created_at": now,
                "start_at": draft.start_at,
                "updated_at": now,
            },
        )
        await uow.commit()
        return replace(counted, campaign_id=campaign_id)

    async def count(
        self, session: AsyncSession, group: GroupSettings, selector: str, now: datetime
    ) -> Preview:
        """What a selector would reach now, stored nowhere (the dashboard's live count as the
        admin types): an empty audience is a count of 0, not an error."""
        node = self._segments.parse(selector)
        try:
            return await self._count(session, group, str(node), holdout_percent(group), now)
        except EmptyAudience:
            return Preview(0, 0, 0, 0, 0, 0, 0, holdout_percent(group))

    async def _count(
        self,
        session: AsyncSession,
        group: GroupSettings,
        selector: str,
        percent: int,
        now: datetime,
    ) -> Preview:
        ids = await self.audience(session, group, self._segments.parse(selector), now)
        if not ids:
            raise EmptyAudience()
        reach = await self._reach(session, group, ids, now)
        held = round(len(ids) * percent / 100)
        return Preview(
            0, len(ids), held, reach.reachable, reach.opted_out, reach.capped, reach.unreachable,
            percent,
        )  # fmt: skip

    # ---- the guided /campaign ------------------------------------------------------------

    async def begin(self, uow: UnitOfWork, group: GroupSettings, actor: int, now: datetime) -> int:
        """A guided draft: its first question is the audience."""
        campaign_id = await q.insert(
            uow.session,
            {
                "group_id": group.group_id,
                "number": None,
                "kind": "campaign",
                "status": "draft",
                "step": "audience",
                "selector": "",
                "text": "",
                "button": "none",
                "button_url": "",
                "button_points": 0,
                "holdout_percent": holdout_percent(group),
                "seed": 0,
                "audience": 0,
                "holdout": 0,
                "created_by": actor,
                "created_at": now,
                "updated_at": now,
            },
        )
        await uow.commit()
        return campaign_id

    async def answer(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        campaign_id: int,
        step: str,
        now: datetime,
        **values: object,
    ) -> tuple[object, Preview | None]:
        """One answer of the guided flow (`step` is the question it answers: a stale answer to
        an earlier question is refused); the last one gives the preview."""
        session = uow.session
        found = await q.get(session, campaign_id, lock=True)
        if found is None or found.group_id != group.group_id or found.status != "draft":
            raise NotADraft(number="?")
        if found.step != step:
            raise StaleStep()
        if step == "audience":
            node = self._segments.parse(str(values["selector"]))
            counted = await self._count(session, group, str(node), found.holdout_percent, now)
            values = {"selector": str(node), "audience": counted.audience}
        elif step == "message" and values.get("source_message_id") is None:
            rules.check_text(str(values.get("text", "")))
        following = NEXT_STEP[step]
        await q.update(session, campaign_id, step=following, updated_at=now, **values)
        preview = None
        if following == "":
            draft = await q.get(session, campaign_id)
            preview = replace(
                await self._count(session, group, draft.selector, draft.holdout_percent, now),
                campaign_id=campaign_id,
            )
            await q.update(
                session, campaign_id, audience=preview.audience, holdout=preview.holdout
            )
        await uow.commit()
        return await q.get(session, campaign_id), preview

    async def _reach(
        self, session: AsyncSession, group: GroupSettings, ids: list[int], now: datetime
    ) -> _Reach:
        opted = await q.opted_out(session, ids)
        started = await q.reachable(session, ids)
        limit = cap(group)
        recent = await q.recent_counts(
            session, group.group_id, ids, now - timedelta(days=CAP_DAYS)
        )
        counts = _Reach()
        for user_id in ids:
            if user_id in opted:
                counts.opted_out += 1
            elif user_id not in started:
                counts.unreachable += 1
            elif recent.get(user_id, 0) >= limit:
                counts.capped += 1
            else:
                counts.reachable += 1
        return counts

    # ---- confirming and controlling ------------------------------------------------------

    async def confirm(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        campaign_id: int,
        now: datetime,
        progress: tuple[int, int] | None = None,
        actor: int | None = None,
    ) -> object:
        """Freeze the audience (selected again now) and draw its control group; number the
        campaign. A second Confirm finds it no longer a draft: nothing happens twice."""
        session = uow.session
        found = await q.get(session, campaign_id, lock=True)
        if found is None or found.group_id != group.group_id:
            raise UnknownCampaign(number="?")
        if found.status != "draft":
            raise NotADraft(number=found.number or "?")
        ids = await self.audience(session, group, self._segments.parse(found.selector), now)
        if not ids:
            raise EmptyAudience()
        seed = self._rng.randrange(1, 2**31 - 1)
        held = rules.draw_holdout(ids, found.holdout_percent, seed)
        number = await q.next_number(session, group.group_id)
        moved = await q.move(
            session,
            campaign_id,
            ("draft",),
            "scheduled",
            number=number,
            seed=seed,
            audience=len(ids),
            holdout=len(held),
            confirmed_at=now,
            start_at=found.start_at if found.start_at and found.start_at > now else now,
            progress_chat_id=progress[0] if progress else None,
            progress_message_id=progress[1] if progress else None,
            updated_at=now,
        )
        if not moved:
            raise NotADraft(number="?")
        await q.add_recipients(session, _recipient_rows(campaign_id, group.group_id, ids, held))
        if actor is not None:
            await audit.record(
                session,
                group_id=group.group_id,
                actor_id=actor,
                action="campaign_confirmed",
                at=now,
                details={"campaign": number, "selector": found.selector, "audience": len(ids)},
            )
        await uow.commit()
        return await q.get(session, campaign_id)

    async def control(
        self,
        uow: UnitOfWork,
        group: GroupSettings,
        campaign_id: int,
        action: str,
        now: datetime,
        actor: int | None = None,
    ) -> object:
        """pause | resume | cancel (a draft may only be cancelled)."""
        session = uow.session
        found = await q.get(session, campaign_id)
        if found is None or found.group_id != group.group_id:
            raise UnknownCampaign(number="?")
        before, after = {
            "pause": (("scheduled", "sending"), "paused"),
            "resume": (("paused",), "sending"),
            "cancel": (("draft", "scheduled", "sending", "paused"), "cancelled"),
        }[action]
        extra = {"finished_at": now} if after == "cancelled" else {}
        if not await q.move(session, campaign_id, before, after, updated_at=now, **extra):
            raise CannotChange(status=found.status)
        if actor is not None:
            await audit.record(
                session,
                group_id=group.group_id,
                actor_id=actor,
                action=f"campaign_{action}",
                at=now,
                details={"campaign": found.number, "from": found.status},
            )
        await uow.commit()
        return await q.get(session, campaign_id)

    # ---- members -----------------------------------------------------------------------

    async def unsubscribe(self, uow: UnitOfWork, user_id: int, now: datetime) -> bool:
        changed = await q.opt_out(uow.session, user_id, now)
        await uow.commit()
        return changed

    async def subscribe(self, uow: UnitOfWork, user_id: int) -> bool:
        changed = await q.opt_in(uow.session, user_id)
        await uow.commit()
        return changed

    async def claim(
        self, uow: UnitOfWork, campaign_id: int, user_id: int, now: datetime
    ) -> tuple[object, int]:
        """A "claim N points" press: once per member, through the ledger (its key makes a
        second credit impossible even if the recipient row were changed by hand). A press by
        anyone who was not sent this campaign (a forged button) credits nothing."""
        session = uow.session
        found = await q.get(session, campaign_id)
        if found is None or found.button != "claim" or found.status == "draft":
            raise NothingToClaim()
        if not await q.claim(session, campaign_id, user_id, now):
            row = await q.recipient(session, campaign_id, user_id)
            if row is not None and row.claimed_at is not None:
                raise AlreadyClaimed()
            raise NothingToClaim()
        points = found.button_points
        await credit(session, found.group_id, user_id, points, f"campaign:{campaign_id}", now)
        await uow.commit()
        return found, points

    # ---- reading -------------------------------------------------------------------------

    async def find(self, session: AsyncSession, group_id: int, number: int) -> object:
        found = await q.by_number(session, group_id, number)
        if found is None:
            raise UnknownCampaign(number=number)
        return found

    async def listing(self, session: AsyncSession, group_id: int, limit: int = 10) -> list[object]:
        return await q.latest(session, group_id, limit)

    async def status_counts(self, session: AsyncSession, campaign_id: int) -> dict[str, int]:
        """Recipients by status (the progress: sent, blocked, skipped, unknown, pending…)."""
        return await q.status_counts(session, campaign_id)

    async def report(
        self, session: AsyncSession, group: GroupSettings, campaign: object, now: datetime
    ) -> Report:
        first, last, measured = report_window(campaign, group, now)
        arms = await q.arm_counts(session, campaign.id, first, last)  # type: ignore[attr-defined]
        statuses = await q.status_counts(session, campaign.id)  # type: ignore[attr-defined]
        empty = (0, 0, 0)
        return Report(
            campaign,
            statuses,
            ArmCounts(*arms.get("treated", empty)),
            ArmCounts(*arms.get("holdout", empty)),
            first,
            last,
            measured,
        )

    async def export_csv(
        self, session: AsyncSession, group: GroupSettings, campaign: object, now: datetime
    ) -> tuple[bytes, int]:
        first, last, _ = report_window(campaign, group, now)
        return await write_csv(
            EXPORT_COLUMNS,
            q.export_rows(session, campaign.id, first, last),  # type: ignore[attr-defined]
            lambda r: (
                r.user_id,
                r.arm,
                r.status,
                iso(r.sent_at),
                iso(r.clicked_at),
                iso(r.claimed_at),
                r.active,
            ),
        )


class AlreadyClaimed(CampaignError):
    key = "campaign-claim-already"


class _Reach:
    __slots__ = ("reachable", "opted_out", "capped", "unreachable")

    def __init__(self) -> None:
        self.reachable = self.opted_out = self.capped = self.unreachable = 0


def _recipient_rows(
    campaign_id: int, group_id: int, ids: list[int], held: set[int]
) -> list[dict[str, object]]:
    return [
        {
            "campaign_id": campaign_id,
            "user_id": user_id,
            "group_id": group_id,
            "arm": "holdout" if user_id in held else "treated",
            "status": "holdout" if user_id in held else "pending",
            "skip_reason": None,
            "claimed_by": None,
            "sending_at": None,
            "sent_at": None,
            "message_id": None,
            "clicked_at": None,
            "claimed_at": None,
        }
        for user_id in ids
    ]


def report_window(campaign: object, group: GroupSettings, now: datetime) -> tuple[date, date, int]:
    """The local days of "active again within 7 days": the 7 days after the day the campaign
    was due to start, the same for both arms (activity earlier that day, before any message,
    must not count; member_day knows days, not hours). `measured`: complete days so far."""
    start = campaign.start_at or campaign.confirmed_at or campaign.created_at  # type: ignore[attr-defined]
    first = local_day(start, group.timezone, group.day_start_hour) + timedelta(days=1)
    last = first + timedelta(days=REPORT_DAYS - 1)
    today = local_day(now, group.timezone, group.day_start_hour)
    measured = max(0, min(REPORT_DAYS, (today - first).days))
    return first, last, measured


async def credit(
    session: AsyncSession, group_id: int, user_id: int, points: int, key: str, now: datetime
) -> None:
    """Points for a claim or a reactivation bonus: the member row, the ledger row (its unique
    key: never twice)."""
    if points <= 0:
        return
    await member_rows.ensure_member(session, group_id, user_id, now)
    await member_rows.credit(session, group_id, user_id, points)
    await ledger.append(
        session,
        [
            {
                "group_id": group_id,
                "user_id": user_id,
                "amount": points,
                "reason": "campaign_bonus",
                "note": None,
                "source": "campaign",
                "actor_id": None,
                "idempotency_key": f"{key}:{user_id}",
                "created_at": now,
            }
        ],
    )


async def open_draft(session: AsyncSession, group_id: int, actor: int, now: datetime) -> object:
    """The admin's guided draft in this group, begun within the last hour (or None)."""
    return await q.open_draft(session, group_id, actor, now - DRAFT_KEPT)
