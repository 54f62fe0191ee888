"""leaderboards from indexes: running week/month totals, partial board indexes, value counts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Each member gets the points earned in their latest local week and month with earnings (week
starting Monday, days starting at the group's day_start hour in its timezone), backfilled here
from the ledger. The boards read present members (left_at IS NULL) in index order, and ranks
from board_value_count (how many present members have each value on each board), which
triggers on member keep: row triggers on SQLite, statement triggers with transition tables on
PostgreSQL.

The backfill reads each group's calendar from its group_setting rows (timezone, day_start) as
migration 0003 stored them.

SQLite drops a table's triggers with the table: a later migration that rebuilds `member` in
batch mode ("move and copy") must create them again (see create_triggers).
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
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
ALL_TIME = "1970-01-01"  # the period of boards without one
# board -> (value column, period column or None); a member counts when present and value > 0.
COUNTED = {
    "points": ("points", None),
    "checkins": ("checkins", None),
    "streak": ("streak", "last_checkin_day"),
    "week": ("week_points", "week_start"),
    "month": ("month_points", "month_start"),
}


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
    op.create_table(
        "board_value_count",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("board", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("value", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "group_id", "board", "period", "value", name=op.f("pk_board_value_count")
        ),
    )
    dialect = op.get_bind().dialect.name
    arms = " UNION ALL ".join(_arms(dialect, "m", "member m", 1))
    op.execute(
        "INSERT INTO board_value_count (group_id, board, period, value, members) "
        f"SELECT group_id, board, period, value, sum(n) FROM ({arms}) AS d "
        "GROUP BY group_id, board, period, value"
    )
    for statement in create_triggers(dialect):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_triggers(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table("board_value_count")
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


def _arms(dialect: str, row: str, source: str | None, n: int) -> list[str]:
    """One SELECT per board of (group_id, board, period, value, n) for `row` if it counts."""
    all_time = f"DATE '{ALL_TIME}'" if dialect == "postgresql" else f"'{ALL_TIME}'"
    arms = []
    for board, (value, period) in COUNTED.items():
        where = f"{row}.left_at IS NULL AND {row}.{value} > 0"
        if period is not None:
            where += f" AND {row}.{period} IS NOT NULL"
        arms.append(
            f"SELECT {row}.group_id AS group_id, '{board}' AS board, "
            f"{f'{row}.{period}' if period else all_time} AS period, {row}.{value} AS value, "
            f"{n} AS n{f' FROM {source}' if source else ''} WHERE {where}"
        )
    return arms


_UPSERT = (
    "INSERT INTO board_value_count (group_id, board, period, value, members) {rows} "
    "ON CONFLICT (group_id, board, period, value) "
    "DO UPDATE SET members = board_value_count.members + excluded.members"
)
_PG_FUNCTION = "member_board_value_counts"


def create_triggers(dialect: str) -> list[str]:
    """board_value_count follows every insert, update and delete of member rows."""
    if dialect == "postgresql":
        # Every old row counted out, every new row counted in, summed per value: unchanged
        # rows cancel out. (No join of old and new rows: transition tables have no statistics,
        # and the planner's nested loops would pair them n * n.)
        branches = {}
        for op_name, sources in (
            ("INSERT", [("new_rows", 1)]),
            ("UPDATE", [("old_rows", -1), ("new_rows", 1)]),
            ("DELETE", [("old_rows", -1)]),
        ):
            arms = " UNION ALL ".join(
                arm for name, n in sources for arm in _arms(dialect, "r", f"{name} r", n)
            )
            rows = (
                f"SELECT group_id, board, period, value, sum(n) FROM ({arms}) AS d "
                "GROUP BY group_id, board, period, value HAVING sum(n) <> 0 "
                "ORDER BY group_id, board, period, value"  # one lock order for every writer
            )
            branches[op_name] = _UPSERT.format(rows=rows)
        body = " ".join(
            f"{'IF' if i == 0 else 'ELSIF'} TG_OP = '{op_name}' THEN {sql};"
            for i, (op_name, sql) in enumerate(branches.items())
        )
        statements = [
            f"CREATE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {body} END IF; RETURN NULL; END $$"
        ]
        for op_name, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            # (PostgreSQL takes no column list on triggers with transition tables.)
            statements.append(
                f"CREATE TRIGGER trg_member_board_counts_{op_name.lower()} AFTER {op_name} "
                f"ON member REFERENCING {tables} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {_PG_FUNCTION}()"
            )
        return statements

    def upserts(row: str, n: int, boards: list[str] | None = None) -> str:
        arms = _arms(dialect, row, None, n)
        chosen = [a for a, b in zip(arms, COUNTED, strict=True) if boards is None or b in boards]
        return " ".join(_UPSERT.format(rows=arm) + ";" for arm in chosen)

    # A member counted in another group: their group moved to a new chat id.
    presence = "(OLD.left_at IS NULL) <> (NEW.left_at IS NULL) OR OLD.group_id <> NEW.group_id"
    statements = [
        "CREATE TRIGGER trg_member_board_counts_insert AFTER INSERT ON member "
        f"WHEN NEW.left_at IS NULL BEGIN {upserts('NEW', 1)} END",
        "CREATE TRIGGER trg_member_board_counts_delete AFTER DELETE ON member "
        f"WHEN OLD.left_at IS NULL BEGIN {upserts('OLD', -1)} END",
    ]
    for board, (value, period) in COUNTED.items():
        changed = f"OLD.{value} IS NOT NEW.{value}"
        if period is not None:
            changed += f" OR OLD.{period} IS NOT NEW.{period}"
        columns = ", ".join(c for c in ("group_id", value, period, "left_at") if c)
        statements.append(
            f"CREATE TRIGGER trg_member_board_counts_{board} AFTER UPDATE OF {columns} "
            f"ON member WHEN {changed} OR {presence} "
            f"BEGIN {upserts('OLD', -1, [board])} {upserts('NEW', 1, [board])} END"
        )
    return statements


def drop_triggers(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [
            *(
                f"DROP TRIGGER trg_member_board_counts_{op_name} ON member"
                for op_name in ("insert", "update", "delete")
            ),
            f"DROP FUNCTION {_PG_FUNCTION}()",
        ]
    return [
        f"DROP TRIGGER trg_member_board_counts_{name}" for name in ("insert", "delete", *COUNTED)
    ]


def _local_day(instant: datetime, zone: ZoneInfo, day_start_hour: int) -> date:
    return (instant.astimezone(zone) - timedelta(hours=day_start_hour)).date()


def _day_start(day: date, zone: ZoneInfo, day_start_hour: int) -> datetime:
    return datetime.combine(day, time(hour=day_start_hour), tzinfo=zone).astimezone(UTC)


def _backfill(bind: sa.Connection) -> None:
    """week/month totals of every member from the ledger: the period of their latest earning
    row, and the sum of their earning rows since that period began (one pass of the ledger)."""
    when = storage.types.UTCDateTime()
    group_settings = sa.table(
        "group_setting",
        sa.column("group_id", sa.BigInteger()),
        sa.column("key", sa.String()),
        sa.column("value", sa.String()),
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
    stored: dict[int, dict[str, str]] = {}
    for row in bind.execute(
        sa.select(group_settings.c.group_id, group_settings.c.key, group_settings.c.value).where(
            group_settings.c.key.in_(["timezone", "day_start"])
        )
    ):
        stored.setdefault(row.group_id, {})[row.key] = row.value
    calendars = {
        group_id: (ZoneInfo(values.get("timezone", "UTC")), int(values.get("day_start", "0")))
        for group_id, values in stored.items()
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
