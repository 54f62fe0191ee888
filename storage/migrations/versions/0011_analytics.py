"""analytics: member_day, group_day, members' activity facts; backfilled from what is stored

Revision ID: 0011
Revises: 0013
Create Date: 2026-12-02

member_day (what each member did on each local day of a group) and group_day (each group's day
as running totals: members, joins, leaves, DAU, the WAU/MAU difference arrays, retention and
funnel cohorts, the hour matrix) are new; member gains its activity facts (active_day,
active_bits, first_checkin_day, streak3_day, streak7_day, first_redeem_day) with ALTER TABLE
ADD COLUMN, so SQLite does not rebuild member (the board triggers of 0004 stay).
daily_checkin_count is folded into group_day.checkins and dropped.

The backfill is set-based (INSERT ... SELECT; no row goes through Python) from what the tables
hold: check-ins (their stored local day), the ledger (points earned and spent, credited chat
messages), redemptions, feedback items, survey answers, poll votes, and the member rows (joins,
leaves, presence). Chat messages that earned no points were never stored: backfilled days count
credited messages only. Local days use each group's calendar as stored (group_setting timezone
and day_start; UTC and 0 without rows): PostgreSQL converts with AT TIME ZONE; SQLite, which
has no time zone database, joins each instant to its group's span of one UTC offset (spans
computed here from the zone's transitions).
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As the tables were written (storage/tables/analytics.py): a later change of the models must
# not change what this migration creates.
MEMBER_DAY_COUNTS = (
    "messages",
    "checkins",
    "presses",
    "reactions",
    "answers",
    "feedback",
    "redemptions",
    "points_earned",
    "points_spent",
)
RETENTION_DAYS = (1, 7, 14, 30)
RETENTION_WEEKS = tuple(range(1, 9))
FUNNEL = {  # group_day column: member column
    "fun_checkin": "first_checkin_day",
    "fun_streak3": "streak3_day",
    "fun_streak7": "streak7_day",
    "fun_redeem": "first_redeem_day",
}
HOURS = [f"h{h:02d}" for h in range(24)]
GROUP_DAY_COUNTS = (
    "members_delta",
    "joins",
    "leaves",
    "active",
    "posters",
    "messages",
    "checkins",
    "presses",
    "reactions",
    "answers",
    "feedback",
    "redemptions",
    "points_issued",
    "points_spent",
    "wau_delta",
    "mau_delta",
    *(f"ret_d{n}" for n in RETENTION_DAYS),
    *(f"ret_w{n}" for n in RETENTION_WEEKS),
    *FUNNEL,
    *HOURS,
)
BIG = ("points_issued", "points_spent")
MEMBER_FACTS = (
    ("join_day", sa.Date()),
    ("active_day", sa.Date()),
    ("first_checkin_day", sa.Date()),
    ("streak3_day", sa.Date()),
    ("streak7_day", sa.Date()),
    ("first_redeem_day", sa.Date()),
)
BITS = 62
SPANS = {"wau_delta": 7, "mau_delta": 30}
# The member's own doings in the ledger that are not in a table of their own.
MESSAGE_REASON = "activity"
SHOP_REASONS = ("shop_redeem", "shop_refund")


def upgrade() -> None:
    for name, typ in MEMBER_FACTS:
        op.add_column("member", sa.Column(name, typ, nullable=True))
    op.add_column(
        "member", sa.Column("active_bits", sa.BigInteger(), server_default="0", nullable=False)
    )
    op.create_table(
        "member_day",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("active", sa.Integer(), server_default="0", nullable=False),
        *(
            sa.Column(name, sa.Integer(), server_default="0", nullable=False)
            for name in MEMBER_DAY_COUNTS
        ),
        sa.PrimaryKeyConstraint("group_id", "day", "user_id", name=op.f("pk_member_day")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "group_day",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(
            sa.Column(
                name,
                sa.BigInteger() if name in BIG else sa.Integer(),
                server_default="0",
                nullable=False,
            )
            for name in GROUP_DAY_COUNTS
        ),
        sa.PrimaryKeyConstraint("group_id", "day", name=op.f("pk_group_day")),
    )
    bind = op.get_bind()
    _backfill(bind, _Sql(bind.dialect.name))
    op.drop_table("daily_checkin_count")


def downgrade() -> None:
    op.create_table(
        "daily_checkin_count",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "day", name=op.f("pk_daily_checkin_count")),
    )
    op.execute(
        "INSERT INTO daily_checkin_count (group_id, day, count) "
        "SELECT group_id, day, checkins FROM group_day WHERE checkins > 0"
    )
    op.drop_index("ix_member_day_member", table_name="member_day")
    op.drop_table("group_day")
    op.drop_table("member_day")
    # Dropped in place on SQLite too: a copy of member would lose the board triggers of 0004.
    with op.batch_alter_table("member", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("active_bits")
        for name, _ in reversed(MEMBER_FACTS):
            batch_op.drop_column(name)


class _Sql:
    """The few expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def add_days(self, day: str, n: str) -> str:
        return f"({day} + ({n}))" if self.pg else f"date({day}, ({n}) || ' days')"

    def diff_days(self, a: str, b: str) -> str:
        return f"({a} - {b})" if self.pg else f"CAST(julianday({a}) - julianday({b}) AS INTEGER)"

    def monday(self, day: str) -> str:
        if self.pg:
            return f"CAST(date_trunc('week', {day}) AS date)"
        return f"date({day}, '-' || ((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7) || ' days')"

    def member_days(self, alias: str) -> str:
        """member_day read member by member: SQLite, with no statistics, would rather range
        over the primary key (group, day, user) — every member's days for each member, 44 s
        for 2,000 members of 10 days — than look up the member's own (ix_member_day_member);
        PostgreSQL has statistics and needs no hint."""
        return (
            f"member_day {alias}"
            if self.pg
            else f"member_day {alias} INDEXED BY ix_member_day_member"
        )

    def greatest(self, a: str, b: str) -> str:
        return f"greatest({a}, {b})" if self.pg else f"max({a}, {b})"

    def bit(self, n: str) -> str:
        return f"(CAST(1 AS BIGINT) << ({n}))" if self.pg else f"(1 << ({n}))"

    def cal_join(self, group: str, ts: str) -> str:
        """JOIN the calendar (alias c) of the row whose group id is `group`, for instant `ts`."""
        if self.pg:
            return f"JOIN tmp_cal c ON c.group_id = {group}"
        return f"JOIN tmp_cal c ON c.group_id = {group} AND {ts} >= c.since AND {ts} < c.until"

    def local_day(self, ts: str) -> str:
        if self.pg:
            return f"CAST((({ts}) AT TIME ZONE c.tz) - make_interval(hours => c.ds) AS date)"
        return f"date({ts}, (c.off_s - c.ds * 3600) || ' seconds')"

    def hour(self, ts: str) -> str:
        if self.pg:
            return f"CAST(extract(hour FROM ({ts}) AT TIME ZONE c.tz) AS INTEGER)"
        return f"CAST(strftime('%H', {ts}, c.off_s || ' seconds') AS INTEGER)"


def _calendars(bind: sa.Connection) -> dict[int, tuple[str, int]]:
    """Every group's (timezone, day_start) as stored."""
    ids = [
        row[0]
        for row in bind.execute(
            sa.text("SELECT id FROM chat_group UNION SELECT DISTINCT group_id FROM member")
        )
    ]
    stored: dict[int, dict[str, str]] = {}
    for group_id, key, value in bind.execute(
        sa.text(
            "SELECT group_id, key, value FROM group_setting WHERE key IN ('timezone', 'day_start')"
        )
    ):
        stored.setdefault(group_id, {})[key] = value
    calendars = {}
    for group_id in ids:
        values = stored.get(group_id, {})
        hour = values.get("day_start", "0")
        calendars[group_id] = (values.get("timezone", "UTC"), int(hour) if hour.isdecimal() else 0)
    return calendars


_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a datetime in SQLite
_FIRST, _LAST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def _offset(zone: ZoneInfo, at: datetime) -> int:
    offset = at.astimezone(zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _spans(name: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime, int]]:
    """[since, until) instants of one UTC offset of the zone, covering start..end (each
    transition found to the quarter hour: every zone's rules change on one)."""
    zone = ZoneInfo(name)
    spans: list[tuple[datetime, datetime, int]] = []
    since, current = _FIRST, _offset(zone, start)
    at = start
    while at < end:
        following = at + timedelta(days=1)
        if _offset(zone, following) != current:
            step = at
            while _offset(zone, step) == current:
                step += timedelta(minutes=15)
            spans.append((since, step, current))
            since, current = step, _offset(zone, step)
        at = following
    spans.append((since, _LAST, current))
    return spans


def _fill_calendars(bind: sa.Connection, sql: _Sql) -> None:
    calendars = _calendars(bind)
    if sql.pg:
        bind.execute(sa.text("CREATE TEMP TABLE tmp_cal (group_id BIGINT, tz TEXT, ds INTEGER)"))
        rows = [{"g": g, "tz": tz, "ds": ds} for g, (tz, ds) in calendars.items()]
        if rows:
            bind.execute(sa.text("INSERT INTO tmp_cal VALUES (:g, :tz, :ds)"), rows)
        return
    bind.execute(
        sa.text(
            "CREATE TEMP TABLE tmp_cal (group_id BIGINT, since TEXT, until TEXT, "
            "off_s INTEGER, ds INTEGER)"
        )
    )
    first = bind.execute(sa.text("SELECT min(first_seen_at) FROM member")).scalar()
    start = (
        datetime.strptime(first[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        if isinstance(first, str)
        else datetime.now(UTC)
    ) - timedelta(days=2)
    end = datetime.now(UTC) + timedelta(days=2 * 366)
    by_zone: dict[str, list[tuple[datetime, datetime, int]]] = {}
    rows = []
    for group_id, (tz, ds) in calendars.items():
        if tz not in by_zone:
            by_zone[tz] = _spans(tz, start, end)
        for since, until, off in by_zone[tz]:
            rows.append(
                {
                    "g": group_id,
                    "since": since.replace(tzinfo=None).strftime(_SQLITE_TIME),
                    "until": until.replace(tzinfo=None).strftime(_SQLITE_TIME),
                    "off": off,
                    "ds": ds,
                }
            )
    if rows:
        bind.execute(sa.text("INSERT INTO tmp_cal VALUES (:g, :since, :until, :off, :ds)"), rows)
    bind.execute(sa.text("CREATE INDEX tmp_cal_group ON tmp_cal (group_id, since)"))


def _backfill(bind: sa.Connection, sql: _Sql) -> None:
    run = lambda statement: bind.execute(sa.text(statement))  # noqa: E731
    _fill_calendars(bind, sql)
    counts = ", ".join(MEMBER_DAY_COUNTS)
    run(
        "CREATE TEMP TABLE tmp_act (group_id BIGINT, user_id BIGINT, day DATE, hour INTEGER, "
        f"events INTEGER, active INTEGER, {', '.join(f'{c} INTEGER' for c in MEMBER_DAY_COUNTS)})"
    )

    def act(columns: dict[str, str], source: str, group: str, ts: str, day: str | None = None):
        """One source's rows into tmp_act: columns given, the rest 0."""
        values = {"events": "0", "active": "0", **{c: "0" for c in MEMBER_DAY_COUNTS}, **columns}
        names = ["events", "active", *MEMBER_DAY_COUNTS]
        run(
            f"INSERT INTO tmp_act (group_id, user_id, day, hour, {', '.join(names)}) "
            f"SELECT {group}, x.user_id, {day or sql.local_day(ts)}, {sql.hour(ts)}, "
            f"{', '.join(values[n] for n in names)} FROM {source} {sql.cal_join(group, ts)}"
        )

    one = {"events": "1", "active": "1"}
    act({**one, "checkins": "1"}, "checkin x", "x.group_id", "x.created_at", day="x.day")
    shop = ", ".join(f"'{r}'" for r in SHOP_REASONS)
    act(
        {
            "events": f"CASE WHEN x.reason = '{MESSAGE_REASON}' THEN 1 ELSE 0 END",
            "active": f"CASE WHEN x.reason = '{MESSAGE_REASON}' THEN 1 ELSE 0 END",
            "messages": f"CASE WHEN x.reason = '{MESSAGE_REASON}' THEN 1 ELSE 0 END",
            "points_earned": "CASE WHEN x.amount > 0 AND x.reason <> 'shop_refund' "
            "THEN x.amount ELSE 0 END",
            "points_spent": f"CASE WHEN x.reason IN ({shop}) THEN -x.amount ELSE 0 END",
        },
        "ledger_entry x",
        "x.group_id",
        "x.created_at",
    )
    act({**one, "redemptions": "1"}, "redemption x", "x.group_id", "x.created_at")
    act({**one, "feedback": "1"}, "feedback_item x", "x.group_id", "x.created_at")
    act(
        {**one, "answers": "1"},
        "survey_answer x JOIN survey s ON s.id = x.survey_id",
        "s.group_id",
        "x.answered_at",
    )
    act(
        {**one, "answers": "1"},
        "poll_vote x JOIN poll p ON p.id = x.poll_id",
        "p.group_id",
        "x.answered_at",
    )
    sums = ", ".join(f"max({c})" if c == "checkins" else f"sum({c})" for c in MEMBER_DAY_COUNTS)
    run(
        f"INSERT INTO member_day (group_id, day, user_id, active, {counts}) "
        f"SELECT group_id, day, user_id, max(active), {sums} FROM tmp_act "
        "GROUP BY group_id, day, user_id"
    )
    # Built once the rows are in (not maintained row by row), and before the reads of each
    # member's days below: without it every member's correlated read scanned the whole table
    # (SQLite: more than 2 minutes for 10,000 members).
    op.create_index(
        "ix_member_day_member", "member_day", ["group_id", "user_id", "day"], unique=False
    )
    _facts(run, sql)
    _group_days(run, sql)
    for table in ("tmp_gd", "tmp_join", "tmp_fact", "tmp_act", "tmp_cal"):
        run(f"DROP TABLE {table}")


def _facts(run, sql: _Sql) -> None:  # type: ignore[no-untyped-def]
    """Each member's latest active day, the 62 days before it as bits, and their firsts."""
    run(
        "CREATE TEMP TABLE tmp_fact (group_id BIGINT, user_id BIGINT, active_day DATE, "
        "bits BIGINT, fc DATE, s3 DATE, s7 DATE, fr DATE)"
    )
    run(
        "INSERT INTO tmp_fact (group_id, user_id, active_day, fc, fr, bits) "
        "SELECT group_id, user_id, max(CASE WHEN active > 0 THEN day END), "
        "min(CASE WHEN checkins > 0 THEN day END), min(CASE WHEN redemptions > 0 THEN day END), 0 "
        "FROM member_day GROUP BY group_id, user_id"
    )
    run("CREATE INDEX tmp_fact_member ON tmp_fact (group_id, user_id)")
    for column, length in (("s3", 3), ("s7", 7)):
        run(
            f"UPDATE tmp_fact SET {column} = (SELECT min(k.day) FROM checkin k "
            "WHERE k.group_id = tmp_fact.group_id AND k.user_id = tmp_fact.user_id "
            f"AND k.streak >= {length})"
        )
    diff = sql.diff_days("tmp_fact.active_day", "d.day")
    run(
        f"UPDATE tmp_fact SET bits = (SELECT coalesce(sum({sql.bit(diff)}), 0) "
        f"FROM {sql.member_days('d')} "
        "WHERE d.group_id = tmp_fact.group_id AND d.user_id = tmp_fact.user_id AND d.active > 0 "
        f"AND d.day <= tmp_fact.active_day AND {diff} < {BITS}) "
        "WHERE active_day IS NOT NULL"
    )
    run(
        "UPDATE member SET active_day = t.active_day, active_bits = t.bits, "
        "first_checkin_day = t.fc, streak3_day = t.s3, streak7_day = t.s7, "
        "first_redeem_day = t.fr FROM tmp_fact t "
        "WHERE member.group_id = t.group_id AND member.user_id = t.user_id"
    )


def _group_days(run, sql: _Sql) -> None:  # type: ignore[no-untyped-def]
    columns = ", ".join(f"{c} INTEGER DEFAULT 0" for c in GROUP_DAY_COUNTS)
    run(f"CREATE TEMP TABLE tmp_gd (group_id BIGINT, day DATE, {columns})")

    def part(names: Sequence[str], select: str) -> None:
        run(f"INSERT INTO tmp_gd (group_id, day, {', '.join(names)}) {select}")

    part(
        [
            "active",
            "posters",
            "messages",
            "checkins",
            "presses",
            "reactions",
            "answers",
            "feedback",
            "redemptions",
            "points_issued",
            "points_spent",
        ],
        "SELECT group_id, day, sum(active), sum(CASE WHEN messages > 0 THEN 1 ELSE 0 END), "
        "sum(messages), sum(checkins), sum(presses), sum(reactions), sum(answers), "
        "sum(feedback), sum(redemptions), sum(points_earned), sum(points_spent) "
        "FROM member_day GROUP BY group_id, day",
    )
    part(
        HOURS,
        "SELECT group_id, day, "
        + ", ".join(f"sum(CASE WHEN hour = {h} THEN events ELSE 0 END)" for h in range(24))
        + " FROM tmp_act WHERE events > 0 GROUP BY group_id, day",
    )
    # Joins, leaves and presence from the member rows: present from the join (or from when
    # first seen) until the leave.
    for column, ts, amount, where in (
        ("joins", "x.joined_at", "1", "x.joined_at IS NOT NULL"),
        ("leaves", "x.left_at", "1", "x.left_at IS NOT NULL"),
        ("members_delta", "coalesce(x.joined_at, x.first_seen_at)", "1", "1 = 1"),
        ("members_delta", "x.left_at", "-1", "x.left_at IS NOT NULL"),
    ):
        part(
            [column],
            f"SELECT x.group_id, {sql.local_day(ts)}, {amount} FROM member x "
            f"{sql.cal_join('x.group_id', ts)} WHERE {where}",
        )
    # WAU / MAU: each active day covers [day, day + span) minus what the day before covers.
    run(
        "CREATE TEMP TABLE tmp_days AS SELECT group_id, day, "
        "lag(day) OVER (PARTITION BY group_id, user_id ORDER BY day) AS prev "
        "FROM member_day WHERE active > 0"
    )
    for column, span in SPANS.items():
        start = f"CASE WHEN prev IS NULL THEN day ELSE {sql.greatest('day', sql.add_days('prev', str(span)))} END"
        part([column], f"SELECT group_id, {start}, count(*) FROM tmp_days GROUP BY 1, 2")
        part(
            [column],
            f"SELECT group_id, {sql.add_days('day', str(span))}, -count(*) FROM tmp_days "
            "GROUP BY 1, 2",
        )
    run("DROP TABLE tmp_days")
    # Cohorts: members who joined, by their join day in the group's calendar.
    run(
        "CREATE TEMP TABLE tmp_join AS "
        f"SELECT x.group_id, x.user_id, {sql.local_day('x.joined_at')} AS jday, "
        + ", ".join(f"x.{member} AS {name}" for name, member in FUNNEL.items())
        + f" FROM member x {sql.cal_join('x.group_id', 'x.joined_at')} "
        "WHERE x.joined_at IS NOT NULL"
    )
    # Joined to member_day below: without an index SQLite scanned the cohort table once per
    # member day (44 s for 2,000 members with 10 active days each).
    run("CREATE INDEX tmp_join_member ON tmp_join (group_id, user_id)")
    run(
        "UPDATE member SET join_day = j.jday FROM tmp_join j "
        "WHERE member.group_id = j.group_id AND member.user_id = j.user_id"
    )
    offset = sql.diff_days("d.day", "j.jday")
    part(
        [f"ret_d{n}" for n in RETENTION_DAYS],
        "SELECT j.group_id, j.jday, "
        + ", ".join(f"sum(CASE WHEN {offset} = {n} THEN 1 ELSE 0 END)" for n in RETENTION_DAYS)
        + f" FROM tmp_join j JOIN {sql.member_days('d')} ON d.group_id = j.group_id "
        f"AND d.user_id = j.user_id AND d.active > 0 AND d.day > j.jday "
        f"AND {offset} <= {max(RETENTION_DAYS)} GROUP BY j.group_id, j.jday",
    )
    weeks = f"({sql.diff_days(sql.monday('d.day'), sql.monday('j.jday'))} / 7)"
    cohort = sql.monday("j.jday")
    run(
        "CREATE TEMP TABLE tmp_weeks AS "
        f"SELECT j.group_id, {cohort} AS wday, {weeks} AS wk, count(DISTINCT j.user_id) AS n "
        f"FROM tmp_join j JOIN {sql.member_days('d')} ON d.group_id = j.group_id "
        f"AND d.user_id = j.user_id AND d.active > 0 AND d.day > j.jday "
        f"WHERE {weeks} BETWEEN 1 AND {max(RETENTION_WEEKS)} GROUP BY 1, 2, 3"
    )
    part(
        [f"ret_w{n}" for n in RETENTION_WEEKS],
        "SELECT group_id, wday, "
        + ", ".join(f"sum(CASE WHEN wk = {n} THEN n ELSE 0 END)" for n in RETENTION_WEEKS)
        + " FROM tmp_weeks GROUP BY group_id, wday",
    )
    run("DROP TABLE tmp_weeks")
    part(
        list(FUNNEL),
        "SELECT group_id, jday, "
        + ", ".join(f"count({name})" for name in FUNNEL)
        + " FROM tmp_join GROUP BY group_id, jday",
    )
    names = ", ".join(GROUP_DAY_COUNTS)
    run(
        f"INSERT INTO group_day (group_id, day, {names}) SELECT group_id, day, "
        + ", ".join(f"sum({c})" for c in GROUP_DAY_COUNTS)
        + " FROM tmp_gd GROUP BY group_id, day"
    )
