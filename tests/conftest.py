"""Shared fixtures: small hand-built databases with the loaded extract's exact shape."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from frontdoor.calendar import create_calendar
from frontdoor.schema import SQL_TYPES, TABLES

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def build_db(path: Path, tables: dict[str, list[dict]]) -> duckdb.DuckDBPyConnection:
    """A database as the loader leaves it: calendar, every schema table (empty where the extract
    had none, and then marked absent in load_report), rows given as dicts of column -> value.

    Tables not named in `tables` are absent; name a table with [] for present-but-empty.
    """
    con = duckdb.connect(str(path))
    create_calendar(con)
    con.execute(
        "CREATE TABLE load_report (table_name VARCHAR, file VARCHAR, status VARCHAR, "
        "rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, warnings BIGINT)"
    )
    for table in TABLES.values():
        cols = ", ".join(f"{c} {SQL_TYPES[kind]}" for c, kind in table.columns.items())
        con.execute(f"CREATE TABLE {table.name} ({cols})")
        rows = tables.get(table.name)
        status = "absent" if rows is None else "loaded"
        for row in rows or []:
            unknown = set(row) - set(table.columns)
            assert not unknown, f"{table.name}: unknown columns {unknown}"
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            con.execute(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", list(row.values()))
        con.execute(
            "INSERT INTO load_report VALUES (?, ?, ?, ?, ?, 0, 0)",
            [table.name, f"{table.name}.csv", status, len(rows or []), len(rows or [])],
        )
    return con


@pytest.fixture
def make_db(tmp_path: Path) -> Callable[[dict[str, list[dict]]], duckdb.DuckDBPyConnection]:
    """Build a real DuckDB file in tmp_path from hand-written rows (see build_db)."""
    made: list[duckdb.DuckDBPyConnection] = []

    def make(tables: dict[str, list[dict]]) -> duckdb.DuckDBPyConnection:
        con = build_db(tmp_path / f"t{len(made)}.duckdb", tables)
        made.append(con)
        return con

    yield make
    for con in made:
        con.close()
