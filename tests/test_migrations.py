"""The schema comes from Alembic: migrations must match the models, up and down, on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from core.community.groups import GroupService
from core.engagement.rules import ActivityRule
from core.engagement.settings import activity_rule, checkin_rule, milestone_map
from storage.db import create_engine, create_session_factory
from storage.migrate import alembic_config, downgrade, upgrade
from tests.group_service import SECTIONS


def _diff(connection) -> list:  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


async def _tables(engine) -> list[str]:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: inspect(c).get_table_names())


async def test_models_match_migrations(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        assert await _tables(engine) == []  # from nothing, not from the test template
        await upgrade(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
        assert diff == [], f"models and migrations disagree: {diff}"
    finally:
        await engine.dispose()


async def test_stairway_up_down_up(empty_db_url: str) -> None:
    revisions = list(ScriptDirectory.from_config(alembic_config()).walk_revisions("base", "heads"))
    revisions.reverse()
    engine = create_engine(empty_db_url)
    try:
        assert await _tables(engine) == []
        for revision in revisions:
            await upgrade(engine, revision.revision)
            await downgrade(engine, revision.down_revision or "base")
            await upgrade(engine, revision.revision)
    finally:
        await engine.dispose()


GROUPS_BEFORE = [
    # id, title, is_active, timezone, day_start_hour, language, checkin_points, milestones,
    # activity_points, activity_min_length, activity_cooldown_seconds, activity_daily_cap
    (-1001, "Berlin", True, "Europe/Berlin", 4, "zh", 25, "3:5,7:20", 2, 10, 300, 50),
    (-1002, "Defaults", False, "Asia/Shanghai", 0, "en", 10, "7:20,30:100", 1, 5, 60, 20),
    (-1003, "None", True, "UTC", 23, "en", 0, "none", 0, 0, 0, 0),
]
COLUMNS = (
    "id, title, is_active, timezone, day_start_hour, language, checkin_points, milestones, "
    "activity_points, activity_min_length, activity_cooldown_seconds, activity_daily_cap"
)


async def test_settings_move_from_columns_to_rows_and_back(empty_db_url: str) -> None:
    """0003 copies every group's settings into group_setting rows; downgrade puts them back."""
    engine = create_engine(empty_db_url)
    try:
        await upgrade(engine, "0001")
        async with engine.begin() as conn:
            for row in GROUPS_BEFORE:
                params = {f"p{i}": v for i, v in enumerate(row)}
                await conn.execute(
                    sa.text(
                        f"INSERT INTO chat_group ({COLUMNS}) VALUES "
                        f"({', '.join(':' + p for p in params)})"
                    ),
                    params,
                )
        await upgrade(engine, "0003")
        async with engine.connect() as conn:
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in sa.inspect(c).get_columns("chat_group")}
            )
            rows = await conn.execute(sa.text("SELECT group_id, key, value FROM group_setting"))
            stored: dict[int, dict[str, str]] = {}
            for group_id, key, value in rows:
                stored.setdefault(group_id, {})[key] = value
        assert columns == {"id", "title", "is_active", "added_at", "removed_at"}
        assert stored[-1001] == {
            "timezone": "Europe/Berlin",
            "day_start": "4",
            "language": "zh",
            "checkin_points": "25",
            "milestones": "3:5,7:20",
            "activity_points": "2",
            "activity_min_length": "10",
            "activity_cooldown": "300",
            "activity_daily_cap": "50",
        }
        assert set(stored) == {-1001, -1002, -1003} and all(len(s) == 9 for s in stored.values())

        # The bot reads them as they were (whatever this deployment's defaults are).
        groups = GroupService(
            create_session_factory(engine), "America/New_York", "zh", sections=SECTIONS
        )
        berlin, defaults, none = [await groups.settings_for(row[0]) for row in GROUPS_BEFORE]
        assert (berlin.timezone, berlin.day_start_hour, berlin.language) == (
            "Europe/Berlin",
            4,
            "zh",
        )
        assert (checkin_rule(berlin).points, checkin_rule(berlin).milestones) == (
            25,
            {3: 5, 7: 20},
        )
        assert activity_rule(berlin) == ActivityRule(2, 10, 300, 50)
        assert (defaults.timezone, defaults.language, defaults.is_active) == (
            "Asia/Shanghai",
            "en",
            False,
        )
        assert milestone_map(none) == {} and activity_rule(none) == ActivityRule(0, 0, 0, 0)

        await downgrade(engine, "0001")
        async with engine.connect() as conn:
            back = await conn.execute(
                sa.text(f"SELECT {COLUMNS} FROM chat_group ORDER BY id DESC")
            )
            assert [tuple(r) for r in back] == GROUPS_BEFORE
            tables = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
            assert "group_setting" not in tables
    finally:
        await engine.dispose()


async def test_replicas_starting_together_migrate_one_at_a_time(pg_run) -> None:  # type: ignore[no-untyped-def]
    """Three processes' start-ups on one empty PostgreSQL database: one migrates, the others
    wait for its lock and find the schema at head (without the lock: a duplicate
    alembic_version table)."""
    import asyncio

    name, url = await pg_run.create(migrated=False)
    engines = [create_engine(url) for _ in range(3)]
    try:
        await asyncio.gather(*(upgrade(engine) for engine in engines))
        async with engines[0].connect() as conn:
            heads = await conn.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_heads()
            )
        assert set(heads) == set(ScriptDirectory.from_config(alembic_config()).get_heads())
    finally:
        for engine in engines:
            await engine.dispose()
        pg_run.drop_later(name)
