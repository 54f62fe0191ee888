"""leaderboards from indexes: running week and month totals on member, partial board indexes

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-01

Each member gets the points earned in their latest local week and month with earnings (week
starting Monday, days starting at the group's day_start hour in its timezone), backfilled here
from the ledger. The boards read present members (left_at IS NULL) in index order.

The backfill reads each group's calendar from chat_group (timezone, day_start_hour) as the
first migration created it.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EARNING_REASONS = ("checkin", "streak_bonus", "activity", "admin_grant")
BOARDS = {
    "ix_member_board_points": ["group_id", "points", "user_id"],
    "ix_member_board_checkins": ["group_id", "checkins", "user_id"],
    "ix_member_board_streak": ["group_id", "last_checkin_day", "streak", "user_id"],
    "ix_member_board_week": ["group_id", "week_start", "week_points", "user_id"],
    "ix_member_board_month": ["group_id", "month_start", "month_points", "user_id"],
}
PRESENT = "left_at IS NULL"
CHUNK = 10_000


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("week_start", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("week_points", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("month_start", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("month_points", sa.Integer(), server_default="0", nullable=False)
        )
    _backfill(op.get_bind())  # before the indexes exist: nothing to maintain while updating
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index("ix_member_group_points")
        for name, columns in BOARDS.items():
            batch_op.create_index(
                name,
                columns,
                unique=False,
                sqlite_where=sa.text(PRESENT),
                postgresql_where=sa.text(PRESENT),
            )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        for name in reversed(BOARDS):
            batch_op.drop_index(name)
        batch_op.create_index("ix_member_group_points", ["group_id", "points"], unique=False)
    # SQLite drops the columns in place (no table copy that could lose the CHECK constraint).
    with op.batch_alter_table("member", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("month_points")
        batch_op.drop_column("month_start")
        batch_op.drop_column("week_points")
        batch_op.drop_column("week_start")


def _local_day(instant: datetime, zone: ZoneInfo, day_start_hour: int) -> date:
    return (instant.astimezone(zone) - timedelta(hours=day_start_hour)).date()


def _day_start(day: date, zone: ZoneInfo, day_start_hour: int) -> datetime:
    return datetime.combine(day, time(hour=day_start_hour), tzinfo=zone).astimezone(UTC)


def _backfill(bind: sa.Connection) -> None:
    """week/month totals of every member from the ledger: the period of their latest earning
    row, and the sum of their earning rows since that period began (one pass of the ledger)."""
    when = storage.types.UTCDateTime()
    groups = sa.table(
        "chat_group",
        sa.column("id", sa.BigInteger()),
        sa.column("timezone", sa.String()),
        sa.column("day_start_hour", sa.Integer()),
    )
    ledger = sa.table(
        "ledger_entry",
        sa.column("group_id", sa.BigInteger()),
        sa.column("user_id", sa.BigInteger()),
        sa.column("amount", sa.Integer()),
        sa.column("reason", sa.String()),
        sa.column("created_at", when),
    )
    member = sa.table(
        "member",
        sa.column("group_id", sa.BigInteger()),
        sa.column("user_id", sa.BigInteger()),
        sa.column("week_start", sa.Date()),
        sa.column("week_points", sa.Integer()),
        sa.column("month_start", sa.Date()),
        sa.column("month_points", sa.Integer()),
    )
    scratch = sa.Table(
        "period_backfill",
        sa.MetaData(),
        sa.Column("group_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("week_since", storage.types.UTCDateTime(), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("month_since", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id"),
        prefixes=["TEMPORARY"],
    )
    calendars = {
        row.id: (ZoneInfo(row.timezone), row.day_start_hour)
        for row in bind.execute(sa.select(groups.c.id, groups.c.timezone, groups.c.day_start_hour))
    }
    latest = (
        sa.select(ledger.c.group_id, ledger.c.user_id, sa.func.max(ledger.c.created_at))
        .where(ledger.c.reason.in_(EARNING_REASONS))
        .group_by(ledger.c.group_id, ledger.c.user_id)
    )
    scratch.create(bind)
    rows: list[dict[str, object]] = []
    found = bind.execute(latest, execution_options={"stream_results": True, "yield_per": CHUNK})
    for group_id, user_id, at in found:
        zone, hour = calendars.get(group_id, (ZoneInfo("UTC"), 0))
        day = _local_day(at, zone, hour)
        week, month = day - timedelta(days=day.weekday()), day.replace(day=1)
        week_since, month_since = _day_start(week, zone, hour), _day_start(month, zone, hour)
        rows.append(
            {
                "group_id": group_id,
                "user_id": user_id,
                "week_start": week,
                "week_since": week_since,
                "month_start": month,
                "month_since": month_since,
            }
        )
        if len(rows) >= CHUNK:
            bind.execute(scratch.insert(), rows)
            rows = []
    if rows:
        bind.execute(scratch.insert(), rows)
    # Joined by member only (ix_ledger_group_user): with a time bound too, SQLite without
    # statistics walks the group's rows by time for every member instead.
    earned = sa.and_(
        ledger.c.group_id == scratch.c.group_id,
        ledger.c.user_id == scratch.c.user_id,
        ledger.c.reason.in_(EARNING_REASONS),
    )

    def since(start: sa.ColumnElement[datetime]) -> sa.ColumnElement[int]:
        return sa.func.sum(sa.case((ledger.c.created_at >= start, ledger.c.amount), else_=0))

    sums = (
        sa.select(
            scratch.c.group_id,
            scratch.c.user_id,
            scratch.c.week_start,
            scratch.c.month_start,
            since(scratch.c.week_since).label("week_points"),
            since(scratch.c.month_since).label("month_points"),
        )
        .select_from(scratch.join(ledger, earned))
        .group_by(
            scratch.c.group_id, scratch.c.user_id, scratch.c.week_start, scratch.c.month_start
        )
        .subquery("sums")
    )
    bind.execute(
        sa.update(member)
        .where(member.c.group_id == sums.c.group_id, member.c.user_id == sums.c.user_id)
        .values(
            week_start=sums.c.week_start,
            week_points=sums.c.week_points,
            month_start=sums.c.month_start,
            month_points=sums.c.month_points,
        )
    )
    scratch.drop(bind)
