"""Staging: every input file as a text table the loader types, and what all stagings share.

Every staged table has the file's columns, named as in the header (trimmed, lower case), every
value still text, plus `_file` (the file as shown to users) and `_line` (where the row is in it:
for CSV the header is line 1 and the first data row line 2; for a sheet the sheet row number; for
Parquet the row number, first row 1). Typing and validation are the loader's job. A CSV file is
staged by `frontdoor.sources.csv_rows`, a workbook sheet by `frontdoor.sources.workbook_sheets`;
Parquet files and the frames readers hand over are staged here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, STOP, WARNING, LoadStopped, Problem

if TYPE_CHECKING:  # pandas: a frame is only handed in (a CSV load never imports it)
    import pandas as pd

    from frontdoor.sources.csv_prepare import PreparedCsv

CSV_SUFFIXES = {".csv", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}

# Created by `create_malformed_table`: CSV lines that could not be split into the header's columns.
MALFORMED = "_malformed"


@dataclass
class Staged:
    """One file (or sheet, or reader frame) staged for one table.

    A CSV file is not read when staged (`csv` is set): the loader reads it straight into the
    table it types (`read_csv_into`), or into the temp table `relation` when the table has
    several parts (`materialise`)."""

    table: str
    file: str  # as shown to users
    relation: str  # temp table or view: `columns` (VARCHAR), _file, _line
    columns: list[str]
    order: int  # files are ordered for "first occurrence" by this, then by _file and _line
    csv: PreparedCsv | None = None  # a CSV file not read yet
    workdir: Path | None = None  # where repaired copies of `csv` go


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A SQL quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


# Endings of the loader's working column names (frontdoor.validate): no input column takes them.
LOADER_SUFFIXES = ("__v", "__o", "__k", "__r")


def normalise_columns(names: list[object], file: str, table: str | None) -> tuple[list[str], list]:
    """Trimmed lower-case column names; blank ones named `unnamed_<n>`, repeats `<name>_<k>`.

    Names starting with `_` or ending in `__v`/`__o`/`__k`/`__r` are the loader's own working names (`_file`,
    `_line`, `_faults`, `cont_contact_date__v`, `cont_contact_date__o`...): an input column so named is renamed `x<name>`
    with a warning, so it can never be mistaken for one of them."""
    out: list[str] = []
    problems = []
    for i, raw in enumerate(names):
        name = ("" if raw is None else str(raw)).strip().lower().lstrip("\ufeff")
        if not name:
            name = f"unnamed_{i + 1}"
        if name.startswith("_") or name.endswith(LOADER_SUFFIXES):
            problems.append(
                Problem(
                    WARNING,
                    f"column {name!r} renamed {'x' + name!r}: names starting with _ or ending "
                    "in __v, __o, __k or __r are the loader's own",
                    file,
                    table=table,
                    line=1,
                    column=name,
                )
            )
            name = "x" + name
        base, k = name, 2
        while name in out or name in (FILE_COLUMN, LINE_COLUMN):
            name = f"{base}_{k}"
            k += 1
        if name != base:
            problems.append(
                Problem(
                    WARNING,
                    f"column {base!r} appears more than once; column {i + 1} kept as {name!r}",
                    file,
                    table=table,
                    line=1,
                    column=base,
                )
            )
        out.append(name)
    return out, problems


def create_malformed_table(con: duckdb.DuckDBPyConnection) -> None:
    """Where the CSV lines that cannot be read go, for the load report's rejected rows."""
    con.execute(
        f"CREATE OR REPLACE TABLE {MALFORMED} (table_name VARCHAR, file VARCHAR, "
        "line BIGINT, reason VARCHAR, raw VARCHAR)"
    )


def unreadable(file: str, table: str | None, why: str, expected: str) -> LoadStopped:
    """The load stopped on a file that cannot be read, with what was expected and what to do."""
    return LoadStopped(
        Problem(STOP, f"cannot read {file}: {why}", file, table=table),
        f"Expected {expected}. Export the file again (from the SSD script or the case management "
        "system) and load again.",
    )


def stage_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, file: str, relation: str, order: int
) -> tuple[Staged, list[Problem]]:
    """Stage a Parquet file: every column as text (a date as YYYY-MM-DD, a whole number without
    '.0'), its row number as `_line`."""
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({lit(str(path))})").fetchall()
    except duckdb.Error as e:
        raise unreadable(file, table, str(e).splitlines()[0], "a Parquet file") from None
    names = [r[0] for r in described]
    columns, problems = normalise_columns(names, file, table)
    exprs = []
    for (name, sql_type, *_), col in zip(described, columns, strict=True):
        src = ident(name)
        t = str(sql_type).upper()
        if t.startswith("TIMESTAMP") or t == "DATE":
            e = f"strftime(CAST({src} AS DATE), '%Y-%m-%d')"  # a timestamp keeps its date
        elif t in ("FLOAT", "DOUBLE") or t.startswith("DECIMAL"):
            # 123.0 is the identifier 123, not "123.0"
            e = (
                f"CASE WHEN {src} = trunc({src}) AND abs({src}) < 1e15 "
                f"THEN CAST(CAST({src} AS BIGINT) AS VARCHAR) ELSE CAST({src} AS VARCHAR) END"
            )
        else:
            e = f"CAST({src} AS VARCHAR)"
        exprs.append(f"{e} AS {ident(col)}")
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {relation} AS SELECT {', '.join(exprs)}, "
            f"{lit(file)} AS _file, CAST(file_row_number + 1 AS BIGINT) AS _line "
            f"FROM read_parquet({lit(str(path))}, file_row_number=true)"
        )
    except duckdb.Error as e:
        raise unreadable(file, table, str(e).splitlines()[0], "a Parquet file") from None
    return Staged(table, file, relation, columns, order), problems


def stage_frame(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    table: str,
    file: str,
    relation: str,
    order: int,
    columns: list[str] | None = None,
) -> Staged:
    """Stage a pandas frame (text columns plus `_file` and `_line`) as a temp table."""
    names = [c for c in frame.columns if c not in (FILE_COLUMN, LINE_COLUMN)]
    if columns is None:
        columns, _ = normalise_columns(names, file, table)
    view = f"{relation}_df"
    con.register(view, frame)
    try:
        exprs = [
            f"CAST({ident(str(src))} AS VARCHAR) AS {ident(col)}"
            for src, col in zip(names, columns, strict=True)
        ]
        file_expr = (
            f"coalesce(CAST({ident(FILE_COLUMN)} AS VARCHAR), {lit(file)})"
            if FILE_COLUMN in frame.columns
            else lit(file)
        )
        line_expr = (
            f"CAST({ident(LINE_COLUMN)} AS BIGINT)"
            if LINE_COLUMN in frame.columns
            else "CAST(row_number() OVER () AS BIGINT)"
        )
        select = ", ".join([*exprs, f"{file_expr} AS _file", f"{line_expr} AS _line"])
        con.execute(f"CREATE OR REPLACE TEMP TABLE {relation} AS SELECT {select} FROM {view}")
    finally:
        con.unregister(view)
    return Staged(table, file, relation, columns, order)
