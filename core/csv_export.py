"""CSV files of exports: one header, one row per record, cells safe for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any


def iso(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def safe_cell(value: object) -> object:
    """Spreadsheets run cells starting with = + - @ as formulas; names are user-controlled."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


async def write_csv(
    header: list[str], records: AsyncIterator[Any], cells: Callable[[Any], tuple[object, ...]]
) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    count = 0
    async for record in records:
        writer.writerow([safe_cell(v) for v in cells(record)])
        count += 1
    return out.getvalue().encode("utf-8"), count
