"""Many rows bound as one parameter set, so a statement runs once for a whole batch.

An executemany of N rows costs N executions on PostgreSQL and N rounds of SQLAlchemy's per-row
parameter processing on both backends. A RowSet is a FROM clause that yields the rows inside
the database instead: `unnest(array, array, ...)` on PostgreSQL, `json_each(json)` on SQLite.
Statements built on it (INSERT ... SELECT, UPDATE ... FROM) are compiled once per dialect.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import itemgetter
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
            converters = [_decorator_bind(typ, dialect) for _, typ in self.columns]
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
            converters = [_full_bind(typ, dialect) for _, typ in self.columns]
        self._conversions = [(i, f) for i, f in enumerate(converters) if f is not None]
        names = [col for col, _ in self.columns]
        self._pick = (lambda row: (row[names[0]],)) if len(names) == 1 else itemgetter(*names)

    @property
    def c(self) -> Any:
        return self.table.c

    def params(self, rows: Sequence[Sequence[Any] | dict[str, Any]]) -> dict[str, Any]:
        if rows and isinstance(rows[0], dict):
            rows = [self._pick(row) for row in rows]  # type: ignore[arg-type]
        columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in self.columns]
        for index, convert in self._conversions:
            # A burst's events mostly share their second: convert each value once.
            memo: dict[Any, Any] = {}
            columns[index] = [
                memo[value] if value in memo else memo.setdefault(value, convert(value))
                for value in columns[index]
            ]
        if self.dialect == "postgresql":
            return {
                f"{self.name}_{col}": list(values)
                for (col, _), values in zip(self.columns, columns, strict=True)
            }
        return {
            f"{self.name}_json": json.dumps(
                list(zip(*columns, strict=True)), separators=(",", ":")
            )
        }


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
