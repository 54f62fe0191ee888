"""CSV exports of members and of the ledger (UTF-8, header, ISO 8601 UTC timestamps)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.analytics.recording import Facts
from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.csv_export import iso, write_csv
from core.engagement.profile import current_streak
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.community import export as rows

MEMBER_COLUMNS = [
    "user_id",
    "username",
    "display_name",
    "points",
    "streak",
    "best_streak",
    "checkins",
    "joined_at",
    "last_active_at",
    "left_at",
    "level",
    "badges",
    "stage",
    "tier",
    "risk",  # chance of going quiet in the next 7 days, 0-1 (core/prediction); empty: not scored
    "tags",
    "active_days_30",  # of the 30 local days ending today (core/analytics)
]
LEDGER_COLUMNS = ["id", "user_id", "amount", "reason", "created_at", "actor_id", "note", "source"]


async def members_csv(
    session: AsyncSession, group: GroupSettings, now: datetime
) -> tuple[bytes, int]:
    from core.segments.export import member_segments  # stage, tier and tags
    from core.shop.export import member_ranks  # the shop's levels and badges

    today = local_day(now, group.timezone, group.day_start_hour)
    ranks = await member_ranks(session, group)
    segments = await member_segments(session, group, now)
    return await write_csv(
        MEMBER_COLUMNS,
        rows.member_rows(session, group.group_id),
        lambda r: (
            r.user_id,
            r.username or "",
            r.display_name or "",
            r.points,
            current_streak(r.last_checkin_day, r.streak, today),
            r.best_streak,
            r.checkins,
            iso(r.joined_at),
            iso(r.last_active_at),
            iso(r.left_at),
            ranks.level(r.user_id),
            ranks.badge_list(r.user_id),
            segments.stage(r),
            segments.tier(r),
            _risk(r),
            segments.tag_list(r.user_id),
            Facts(active_day=r.active_day, bits=r.active_bits).active_days_in(today),
        ),
    )


def _risk(row: object) -> str:
    """The chance of going quiet (1 - the stored chance of being active), empty for members not
    scored."""
    p, source = getattr(row, "risk_p", None), getattr(row, "risk_source", None)
    if p is None or source not in ("model", "baseline"):
        return ""
    return f"{1 - p:.2f}"


async def ledger_csv(session: AsyncSession, group_id: int) -> tuple[bytes, int]:
    return await write_csv(
        LEDGER_COLUMNS,
        rows.ledger_rows(session, group_id),
        lambda r: (
            r.id,
            r.user_id,
            r.amount,
            r.reason,
            iso(r.created_at),
            "" if r.actor_id is None else r.actor_id,
            r.note or "",
            r.source,
        ),
    )


async def record_export(
    uow: UnitOfWork, group_id: int, actor_id: int, kind: str, count: int, at: datetime
) -> None:
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action=f"export_{kind}",
        at=at,
        details={"rows": count},
    )
    await uow.commit()


# An export another feature adds to /export: (session, group) -> (CSV bytes, rows).
ExportBuilder = Callable[[AsyncSession, GroupSettings], Awaitable[tuple[bytes, int]]]
# One that reads the words after its kind (`/export campaign 3`): -> (CSV, rows, file kind).
ArgsExportBuilder = Callable[
    [AsyncSession, GroupSettings, list[str]], Awaitable[tuple[bytes, int, str]]
]


@dataclass(frozen=True)
class ExtraExport:
    kind: str  # the file's name and the caption's locale key export-<kind>
    words: tuple[str, ...]  # what admins type after /export (the kind itself included)
    build: ExportBuilder | None = None
    build_with_args: ArgsExportBuilder | None = None


class Exports:
    """Exports features add to /export (e.g. `/export invites`); the features register them
    at setup (deps["exports"])."""

    def __init__(self) -> None:
        self._by_word: dict[str, ExtraExport] = {}

    def add(self, export: ExtraExport) -> None:
        for word in {export.kind, *export.words}:
            key = word.lower()
            if key in self._by_word:
                raise ValueError(f"/export {word} is declared twice")
            self._by_word[key] = export

    def find(self, word: str) -> ExtraExport | None:
        return self._by_word.get(word.lower())

    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.kind for e in self._by_word.values()))
