"""Many rows bound as one parameter set, so a statement runs once for a whole batch.

An executemany of N rows costs N executions on PostgreSQL and N rounds of SQLAlchemy's per-row
parameter processing on both backends. A RowSet is a FROM clause that yields the rows inside
the database instead: `unnest(array, array, ...)` on PostgreSQL, `json_each(json)` on SQLite.
Statements built on it (INSERT ... SELECT, UPDATE ... FROM) are compiled once per dialect.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import FromClause

_DIALECTS: dict[str, sa.Dialect] = {
    "postgresql": postgresql.asyncpg.dialect(),
    "sqlite": sqlite.aiosqlite.dialect(),
}


class RowSet:
    """`columns`: (name, type) pairs; `.c.<name>` in statements, `.params(rows)` to run them.

    Rows are sequences in column order, or dicts by column name.
    """

    def __init__(
        self, name: str, dialect: str, columns: Sequence[tuple[str, sa.types.TypeEngine[Any]]]
    ) -> None:
        self.name = name
        self.dialect = dialect
        self.columns = list(columns)
        if dialect == "postgresql":
            arrays = [
                sa.bindparam(f"{name}_{col}", type_=postgresql.ARRAY(_plain(typ)))
                for col, typ in self.columns
            ]
            self.table: FromClause = (
                sa.func.unnest(*arrays)
                .table_valued(*(sa.column(col, _plain(typ)) for col, typ in self.columns))
                .render_derived(name=name)
            )
            self._converters = [_decorator_bind(typ, dialect) for _, typ in self.columns]
        else:
            doc = sa.func.json_each(sa.bindparam(f"{name}_json", type_=sa.String)).table_valued(
                "value"
            )
            self.table = (
                sa.select(
                    *(
                        sa.type_coerce(doc.c.value.op("->>")(index), typ).label(col)
                        for index, (col, typ) in enumerate(self.columns)
                    )
                )
                .select_from(doc)
                .subquery(name)
            )
            # What SQLAlchemy would bind for each column (e.g. the exact datetime text).
            self._converters = [_full_bind(typ, dialect) for _, typ in self.columns]

    @property
    def c(self) -> Any:
        return self.table.c

    def params(self, rows: Sequence[Sequence[Any] | dict[str, Any]]) -> dict[str, Any]:
        names = [col for col, _ in self.columns]
        # dict, not Mapping: an ABC isinstance check per row is measurable here.
        rows = [[row[col] for col in names] if isinstance(row, dict) else row for row in rows]
        convert = self._converters
        if self.dialect == "postgresql":
            return {
                f"{self.name}_{col}": [
                    convert[i](row[i]) if convert[i] else row[i] for row in rows
                ]
                for i, (col, _) in enumerate(self.columns)
            }
        converted = [
            [convert[i](value) if convert[i] else value for i, value in enumerate(row)]
            for row in rows
        ]
        return {f"{self.name}_json": json.dumps(converted, separators=(",", ":"))}


def _plain(typ: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    return typ.impl_instance if isinstance(typ, sa.TypeDecorator) else typ  # type: ignore[return-value]


def _decorator_bind(typ: sa.types.TypeEngine[Any], dialect: str) -> Any:
    """PostgreSQL arrays take driver values; only our own TypeDecorators need applying."""
    if isinstance(typ, sa.TypeDecorator):
        target = _DIALECTS[dialect]
        return lambda value: typ.process_bind_param(value, target)
    return None


def _full_bind(typ: sa.types.TypeEngine[Any], dialect: str) -> Any:
    target = _DIALECTS[dialect]
    return typ.dialect_impl(target).bind_processor(target)
