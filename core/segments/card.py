"""A member's card (/whois), made of sections that features contribute.

A section has a name, a place (`order`) and lines: locale keys with their arguments, which
the handler translates (no section knows the language). Other features add theirs in their
Feature.setup with `card_sections(deps).put(MySection())`: the growth feature "invited by"
and onboarding answers, prediction a "risk" section that replaces the baseline one (same
name). The renderer never changes.

The "activity" section is where recorded activity plugs in: until per-member daily activity
is recorded (analytics), it counts the days with a check-in in the last 30 and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.engagement.profile import current_streak
from core.segments.risk import RiskFacts, baseline_risk
from core.segments.settings import thresholds
from core.segments.stages import effective_stage
from core.shop.levels import level_curve
from storage.queries.community import members as member_rows
from storage.queries.segments import card as card_rows
from storage.queries.segments import refresh as segment_rows
from storage.queries.segments import tags as tag_rows


@dataclass(frozen=True, slots=True)
class CardLine:
    """One line: a locale key and its arguments. An argument may itself be a CardLine (a
    localized word inside the line); `fallback` is used where `key` is not in the locale."""

    key: str
    args: dict[str, Any] = field(default_factory=dict)
    fallback: str | None = None


@dataclass(frozen=True, slots=True)
class CardContext:
    session: AsyncSession  # the use case's (SQLite has one connection)
    group: GroupSettings
    user_id: int
    name: str
    username: str | None
    member: Any  # the member row (storage.tables.Member)
    segment: Any | None  # the member_segment row, None before the first daily run
    stage: str  # as reports count it now (core/segments/stages.py effective_stage)
    now: datetime
    today: date  # the group's local day

    def local(self, instant: datetime | None) -> date | None:
        if instant is None:
            return None
        return local_day(instant, self.group.timezone, self.group.day_start_hour)

    @property
    def last_day(self) -> date:
        """The last sign of life (activity, join, first sighting), as a local day."""
        m = self.member
        signs = [t for t in (m.last_active_at, m.joined_at, m.first_seen_at) if t is not None]
        day = self.local(max(signs))
        assert day is not None
        return day


class CardSection(Protocol):
    name: str
    order: int  # sections are shown by order (identity 10 ... tags 80)

    async def lines(self, ctx: CardContext) -> list[CardLine]: ...


class CardSections:
    """The card's sections; `put` adds one, or replaces the one of the same name."""

    def __init__(self, sections: tuple[CardSection, ...] = ()) -> None:
        self._sections: dict[str, CardSection] = {}
        for section in sections:
            self.put(section)

    def put(self, section: CardSection) -> None:
        self._sections[section.name] = section

    def remove(self, name: str) -> None:
        self._sections.pop(name, None)

    def names(self) -> list[str]:
        return [s.name for s in self.ordered()]

    def ordered(self) -> list[CardSection]:
        return sorted(self._sections.values(), key=lambda s: (s.order, s.name))

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        found: list[CardLine] = []
        for section in self.ordered():
            found += await section.lines(ctx)
        return found


def card_sections(deps: dict[str, Any]) -> CardSections:
    """The app's card (made by whichever feature asks first, with the built-in sections)."""
    sections = deps.get("card_sections")
    if sections is None:
        sections = deps["card_sections"] = CardSections(builtin_sections())
    return sections  # type: ignore[no-any-return]


def day_text(day: date | None) -> str:
    return day.isoformat() if day is not None else "—"


# ---- the built-in sections ------------------------------------------------------------------


class Identity:
    name, order = "identity", 10

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        line = "whois-title-username" if ctx.username else "whois-title"
        return [
            CardLine(line, {"name": ctx.name, "username": ctx.username or "", "id": ctx.user_id})
        ]


class Dates:
    name, order = "dates", 20

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        m = ctx.member
        joined = ctx.local(m.joined_at)
        lines = [
            CardLine("whois-joined", {"date": day_text(joined)})
            if joined is not None
            else CardLine("whois-first-seen", {"date": day_text(ctx.local(m.first_seen_at))})
        ]
        last = ctx.local(m.last_active_at)
        if last is None:
            lines.append(CardLine("whois-never-active"))
        else:
            lines.append(
                CardLine(
                    "whois-last-active", {"date": day_text(last), "days": (ctx.today - last).days}
                )
            )
        if m.left_at is not None:
            lines.append(CardLine("whois-left", {"date": day_text(ctx.local(m.left_at))}))
        return lines


class Activity:
    """Active days in 30: check-in days until analytics records activity per member and day
    (replace this section, same name, with one that reads it)."""

    name, order = "activity", 30

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        days = await card_rows.checkin_days(
            ctx.session,
            ctx.group.group_id,
            ctx.user_id,
            ctx.today - timedelta(days=29),
            ctx.today,
        )
        return [CardLine("whois-checkin-days", {"days": days})]


class Points:
    name, order = "points", 40

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        m = ctx.member
        curve = level_curve(ctx.group)
        level = curve.level(m.lifetime_earned)
        title = curve.title(level)
        return [
            CardLine(
                "whois-streak",
                {
                    "streak": current_streak(m.last_checkin_day, m.streak, ctx.today),
                    "best": m.best_streak,
                    "checkins": m.checkins,
                },
            ),
            CardLine(
                "whois-points",
                {
                    "points": m.points,
                    "lifetime": m.lifetime_earned,
                    "level": level,
                    "title": title
                    if title is not None
                    else CardLine(
                        f"level-title-{level}", {"level": level}, fallback="level-title-other"
                    ),
                },
            ),
        ]


class Involvement:
    name, order = "involvement", 50

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        found = await card_rows.involvement(ctx.session, ctx.group.group_id, ctx.user_id)
        return [
            CardLine(
                "whois-involvement",
                {
                    "redemptions": found.redemptions,
                    "pending": found.redemptions_pending,
                    "feedback": found.feedback,
                    "surveys": found.surveys,
                    "polls": found.polls,
                },
            )
        ]


class Segment:
    name, order = "segment", 60

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        seg = ctx.segment
        stage = CardLine(f"segment-stage-{ctx.stage}")
        if seg is not None and seg.stage == ctx.stage:
            line = CardLine(
                "whois-stage-since", {"stage": stage, "date": day_text(seg.stage_since)}
            )
        else:
            line = CardLine("whois-stage", {"stage": stage})
        tier = seg.tier if seg is not None and ctx.member.left_at is None else "casual"
        earned = seg.earned_30d if seg is not None else 0
        return [
            line,
            CardLine("whois-tier", {"tier": CardLine(f"segment-tier-{tier}"), "earned": earned}),
        ]


class Risk:
    """The baseline (core/segments/risk.py); prediction replaces this section by name."""

    name, order = "risk", 70

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        m = ctx.member
        found = baseline_risk(
            RiskFacts(
                stage=ctx.stage,
                today=ctx.today,
                last_day=ctx.last_day,
                joined_day=ctx.local(m.joined_at),
                last_checkin_day=m.last_checkin_day,
                streak=m.streak,
                checkins=m.checkins,
                left=m.left_at is not None,
            ),
            thresholds(ctx.group),
        )
        level = CardLine(f"whois-risk-{found.level}")
        if not found.reasons:
            return [CardLine("whois-risk-plain", {"level": level})]
        reasons = [CardLine(r.key, r.args) for r in found.reasons]
        return [CardLine("whois-risk", {"level": level, "reasons": reasons})]


class Tags:
    name, order = "tags", 80

    async def lines(self, ctx: CardContext) -> list[CardLine]:
        found = await tag_rows.of_member(ctx.session, ctx.group.group_id, ctx.user_id)
        if not found:
            return [CardLine("whois-no-tags")]
        return [CardLine("whois-tags", {"tags": ", ".join(found)})]


def builtin_sections() -> tuple[CardSection, ...]:
    return (Identity(), Dates(), Activity(), Points(), Involvement(), Segment(), Risk(), Tags())


async def card_context(
    session: AsyncSession, group: GroupSettings, user_id: int, now: datetime
) -> CardContext | None:
    """What the sections read about a member of the group (None: the bot never saw them)."""
    member = await member_rows.get_member(session, group.group_id, user_id)
    if member is None:
        return None
    user = await card_rows.user(session, user_id)
    segment = await segment_rows.segment_row(session, group.group_id, user_id)
    today = local_day(now, group.timezone, group.day_start_hour)
    joined = member.joined_at
    th = thresholds(group)
    recently = (
        joined is not None
        and (today - local_day(joined, group.timezone, group.day_start_hour)).days < th.new
    )
    return CardContext(
        session=session,
        group=group,
        user_id=user_id,
        name=(user.display_name if user else "") or str(user_id),
        username=user.username if user else None,
        member=member,
        segment=segment,
        stage=effective_stage(
            segment.stage if segment is not None else None, member.left_at is not None, recently
        ),
        now=now,
        today=today,
    )
