"""A workbook's sheets named after tables, staged as text tables (header in row 1).

Kept apart from reading the workbook itself (frontdoor.sources.workbook): here a cell becomes
the text the loader types (an Excel day number in a date column read as a date, with a
warning), and what the cells do not show (hidden sheet, merged cells, formulas without a saved
value, Excel errors) becomes warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb

from frontdoor.schema import DATE, TABLES
from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, STOP, WARNING, LoadStopped, Problem
from frontdoor.sources.staging import Staged, normalise_columns, stage_frame, unreadable
from frontdoor.sources.workbook import Sheet, Value, Workbook, WorkbookError, cell_name

_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _cell_text(value: Value) -> str | None:
    """A workbook cell as text: dates ISO (a datetime keeps its date), whole numbers without
    '.0', booleans as true/false."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value)


def _serial_date(value: float) -> str | None:
    """An Excel serial day number as an ISO date (1 is 1 Jan 1900), None out of range."""
    if 1 <= value < 2958466:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
    return None


def open_workbook(path: Path, file: str) -> Workbook:
    """The workbook, or the load stopped with the reader's reason and advice."""
    try:
        return Workbook(path, file)
    except WorkbookError as e:
        raise LoadStopped(
            Problem(STOP, f"cannot read {file}: {e.reason}", file), e.advice
        ) from None


def workbook_sheet_tables(wb: Workbook, file: str) -> tuple[dict[str, str], list[str]]:
    """({table: sheet name} for sheets named after tables, other sheet names). Two sheets that
    name one table (case and spaces aside) stop the load: one would be silently dropped."""
    tables: dict[str, str] = {}
    others: list[str] = []
    for name in wb.sheet_names:
        table = name.strip().lower()
        if table not in TABLES:
            others.append(name)
            continue
        if table in tables:
            raise LoadStopped(
                Problem(
                    STOP,
                    f"two sheets hold the table {table}: {tables[table]!r} and {name!r}",
                    file,
                    table=table,
                ),
                "Expected one sheet per table. Delete or rename the sheet that should not be "
                "read (or put both sets of rows on one sheet), save, and load again.",
            )
        tables[table] = name
    return tables, others


def stage_workbook_sheet(
    con: duckdb.DuckDBPyConnection,
    wb: Workbook,
    sheet: str,
    table: str,
    file: str,
    relation: str,
    order: int,
) -> tuple[Staged, list[Problem]]:
    """Stage one sheet named after a table: header in row 1, one record per non-empty row."""
    label = f"{file}[{sheet}]"
    try:
        ws = wb.read(sheet)
    except WorkbookError as e:
        raise LoadStopped(
            Problem(STOP, f"cannot read {label}: {e.reason}", label, table=table), e.advice
        ) from None
    rows = ws.rows
    if not rows or rows[0][0] != 1 or not any(_cell_text(v) for v in rows[0][1]):
        raise unreadable(
            label, table, "the first row (the header) is blank", "column names in row 1"
        )
    header = rows[0][1]
    columns, problems = normalise_columns(list(header), label, table)
    spec = TABLES[table]
    width = len(columns)
    problems += _sheet_notes(ws, label, table, columns)
    data: list[list[str | None]] = [[] for _ in columns]
    lines: list[int] = []
    kinds = [spec.columns.get(c) for c in columns]
    for n, row in rows[1:]:
        texts: list[str | None] = []
        for i, v in enumerate(row[:width]):
            if isinstance(v, float) and kinds[i] == DATE:
                text = _serial_date(v)
                problems.append(
                    Problem(
                        WARNING,
                        f"date read from the number {_cell_text(v)} (an Excel day number; the "
                        "cell is not formatted as a date) - check it"
                        if text
                        else f"the number {_cell_text(v)} is not a date",
                        label,
                        table=table,
                        line=n,
                        column=columns[i],
                        value=_cell_text(v),
                    )
                )
                texts.append(text or _cell_text(v))
            else:
                texts.append(_cell_text(v))
        texts += [None] * (width - len(texts))
        for i, t in enumerate(texts):
            data[i].append(t)
        lines.append(n)
        extra = [v for v in row[width:] if v is not None and str(v).strip()]
        if extra:
            problems.append(
                Problem(
                    WARNING,
                    f"{len(extra)} value(s) beyond the last named column ignored",
                    label,
                    table=table,
                    line=n,
                )
            )
    import pandas as pd  # here: a load of CSV files alone never imports it (about 0.5 s)

    frame = pd.DataFrame(
        {c: pd.Series(v, dtype=object) for c, v in zip(columns, data, strict=True)}
    )
    frame[FILE_COLUMN] = label
    frame[LINE_COLUMN] = pd.Series(lines, dtype="int64")
    staged = stage_frame(con, frame, table, label, relation, order, columns=columns)
    return staged, problems


def _sheet_notes(ws: Sheet, label: str, table: str, columns: list[str]) -> list[Problem]:
    """Warnings for what the sheet's cells do not show: hidden sheet, merged ranges, formulas
    without a saved value, Excel errors (each read as empty)."""
    out: list[Problem] = []
    if ws.hidden:
        out.append(
            Problem(
                WARNING,
                "the sheet is hidden in the workbook; read like the others",
                label,
                table=table,
            )
        )
    for rng in ws.merged:
        out.append(
            Problem(
                WARNING,
                f"cells {rng} are merged: the value is read in the first cell only, the others "
                "as empty",
                label,
                table=table,
                line=int(re.sub(r"^[A-Z]+", "", rng.split(":")[0])),
                value=rng,
            )
        )
    required = set(TABLES[table].required_columns)
    for (row, col), formula in sorted(ws.missing_formulas.items()):
        name = columns[col - 1] if col <= len(columns) else None
        need = (
            f"; {name} is required, so the row is rejected" if name in required and row > 1 else ""
        )
        out.append(
            Problem(
                WARNING,
                f"formula {formula} in cell {cell_name(row, col)} has no saved value (the workbook "
                f"was not recalculated before saving); read as empty{need}",
                label,
                table=table,
                line=row,
                column=name,
                value=formula,
            )
        )
    for (row, col), error in sorted(ws.errors.items()):
        name = columns[col - 1] if col <= len(columns) else None
        out.append(
            Problem(
                WARNING,
                f"Excel error {error} in cell {cell_name(row, col)}; read as empty",
                label,
                table=table,
                line=row,
                column=name,
                value=error,
            )
        )
    return out
