"""Finding an Annex A workbook's list sheets and reading their rows (a part of its reader).

Apart from turning the rows into tables (frontdoor.sources.annex_a_rows, annex_a_build) because
this is what the workbook looks like: which sheet holds which list (by name, else by a title
in its first cells), where the header row is and which column is which field, and each cell read
as text (Excel errors, formulas without a saved value and numbers in date columns read as empty,
and said).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from frontdoor.sources import STOP, WARNING
from frontdoor.sources.annex_a_layout import (
    COMMON_FIELDS,
    CORE_LISTS,
    DEFINING_FIELD,
    EXCEL_ERRORS,
    LIST_FIELDS,
    LIST_TABLE,
    LIST_TITLES,
    _list_number,
)
from frontdoor.sources.annex_a_values import _cell, _match_field, _to_text
from frontdoor.sources.workbook import Sheet, Workbook, cell_name


@dataclass
class ListSheet:
    """One list's sheet as read: its fields' columns and headers as written, its rows."""

    number: int
    title: str
    file: str
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as written
    rows: list[tuple[int, dict[str, str | None]]] = field(default_factory=list)


class SheetReading:
    """The Annex A reader's sheet steps (a part of `frontdoor.sources.annex_a._Reader`)."""

    path: Path
    _why_empty: dict[tuple[int, int, str], str]
    problem: Callable[..., None]  # the reader's: one problem, located
    _recode_value: Callable[..., None]

    def _sheets(self, wb: Workbook) -> dict[int, ListSheet]:
        # Sheets named "List N" first; then, for lists still missing, a sheet titled
        # "List N: ..." in its first cells (never the Guidance or FAQ sheets, which mention lists).
        named: list[tuple[int, str]] = []
        for name in wb.sheet_names:
            number = _list_number(name)
            if number is not None and number in LIST_FIELDS:
                named.append((number, name))
        taken = {n for n, _ in named}
        for name in wb.sheet_names:
            if _list_number(name) is None:
                number = self._number_from_title(wb.first_rows(name, 3))
                if number is not None and number in LIST_FIELDS and number not in taken:
                    named.append((number, name))
                    taken.add(number)
        found: dict[int, ListSheet] = {}
        for number, name in named:
            if number in found:
                # Which one is meant is not ours to guess: reading one would drop the other.
                self.problem(
                    STOP,
                    f"two sheets hold list {number} ({found[number].title!r} and {name!r}): "
                    "delete or rename the one that should not be read (or put all its rows on "
                    "one sheet)",
                    file=f"{self.path}:{name}",
                )
                continue
            sheet = ListSheet(number, name, f"{self.path}:{name}")
            self._read_sheet(sheet, wb.read(name))
            found[number] = sheet
        return found

    @staticmethod
    def _number_from_title(rows) -> int | None:
        for row in rows:
            v = row[0] if row else None
            if isinstance(v, str) and len(v) < 80 and "\n" not in v:
                m = re.match(r"^\s*list\s*(\d{1,2})\s*[:\-–]", v, re.IGNORECASE)
                if m:
                    return int(m.group(1))
        return None

    def _read_sheet(self, sheet: ListSheet, ws: Sheet) -> None:
        spec = {**COMMON_FIELDS, **LIST_FIELDS[sheet.number]}
        header_line = None
        anything = False
        if ws.hidden:
            self.problem(
                WARNING,
                f"the sheet of list {sheet.number} is hidden in the workbook; read like the others",
                file=sheet.file,
                table=LIST_TABLE.get(sheet.number),
            )
        for line, vals in ws.rows:
            if header_line is None:
                if line > 30:
                    break
                anything = anything or any(v not in (None, "") for v in vals)
                mapping = self._match_headers(vals, spec)
                if "child_id" in mapping or len(mapping) >= 3:
                    header_line = line
                    self._set_columns(sheet, vals, mapping, spec)
                continue
            record = self._record(sheet, spec, line, vals, ws)
            if record is not None:
                sheet.rows.append((line, record))
        if header_line is None and not anything:
            self.problem(
                WARNING,
                f"the sheet of list {sheet.number} ({LIST_TITLES[sheet.number]}) is empty; "
                "read as if the list were absent",
                file=sheet.file,
                table=LIST_TABLE.get(sheet.number),
            )
            sheet.columns = {}
            return
        if header_line is None:
            self.problem(
                WARNING if sheet.number not in CORE_LISTS else STOP,
                f"no header row found in the first 30 rows of list {sheet.number} "
                f"({LIST_TITLES[sheet.number]}): expected a row with 'Child Unique ID'",
                file=sheet.file,
                table=LIST_TABLE.get(sheet.number),
            )
            sheet.columns = {}
            return
        missing = [
            f
            for f in ("child_id", DEFINING_FIELD.get(sheet.number))
            if f and f not in sheet.columns
        ]
        if missing:
            expected = ", ".join(repr(spec[f][1][0]) for f in missing)
            self.problem(
                STOP if sheet.number in CORE_LISTS else WARNING,
                f"list {sheet.number} ({LIST_TITLES[sheet.number]}) has no column for {expected}",
                file=sheet.file,
                table=LIST_TABLE.get(sheet.number),
                line=header_line,
                column=", ".join(missing),
            )
            sheet.rows = []
            sheet.columns = {}

    @staticmethod
    def _match_headers(vals: Iterable, spec) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, v in enumerate(vals):
            f = _match_field(v, spec)
            if f and f not in out:
                out[f] = i
        return out

    def _set_columns(self, sheet: ListSheet, vals, mapping, spec) -> None:
        for i, v in enumerate(vals):
            if v is None or str(v).strip() == "":
                continue
            f = _match_field(v, spec)
            if f is None:
                continue
            if mapping.get(f) != i:
                self.problem(
                    WARNING,
                    f"column {str(v).strip()!r} matches {f!r} like an earlier column; ignored",
                    file=sheet.file,
                    table=LIST_TABLE.get(sheet.number),
                    column=str(v).strip(),
                )
                continue
            if spec[f][0] == "ignore":
                continue
            sheet.columns[f] = i
            sheet.headers[f] = str(v).strip()

    def _record(self, sheet, spec, line, vals, ws: Sheet) -> dict[str, str | None] | None:
        raw: dict[str, str | None] = {}
        child = _cell(vals, sheet.columns.get("child_id"))
        child_id = _to_text(child, "id") if child is not None else None
        if isinstance(child_id, str) and child_id.upper() in EXCEL_ERRORS:
            child_id = None
        for f, i in sheet.columns.items():
            v = _cell(vals, i)
            kind = spec[f][0]
            header = sheet.headers[f]
            if v is None and ws.errors.get((line, i + 1)):
                v = ws.errors[(line, i + 1)]  # an error cell: reported below, read as empty
            if v is None:
                form = ws.missing_formulas.get((line, i + 1))
                if form is not None:
                    self.problem(
                        WARNING,
                        f"formula {form} in cell {cell_name(line, i + 1)} has no saved value (the "
                        "workbook was not recalculated before saving); read as empty",
                        file=sheet.file,
                        table=LIST_TABLE.get(sheet.number),
                        line=line,
                        column=header,
                        value=form,
                        record_id=child_id,
                    )
                    self._why_empty[(sheet.number, line, f)] = (
                        f"formula {form} in cell {cell_name(line, i + 1)} has no saved value"
                    )
                raw[f] = None
                continue
            if kind == "date" and isinstance(v, int | float) and not isinstance(v, bool):
                self._number_in_date(sheet, line, f, v, child_id)
                raw[f] = None
                continue
            if isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS:
                self.problem(
                    WARNING,
                    f"Excel error {v.strip()} in {header!r}; read as empty",
                    file=sheet.file,
                    table=LIST_TABLE.get(sheet.number),
                    line=line,
                    column=header,
                    value=v.strip(),
                    record_id=child_id,
                )
                raw[f] = None
                continue
            raw[f] = _to_text(v, kind)
            self._recode_value(sheet, line, f, kind, v, raw[f])
        if all(v is None for v in raw.values()):
            return None
        return raw

    def _number_in_date(self, sheet: ListSheet, line: int, f: str, v: float, child_id) -> None:
        """A number in a date column whose cell is not formatted as a date: Excel shows it as a
        number, so it is not read as a date (a date cell arrives as a date). Missing, said."""
        shown = str(int(v)) if float(v).is_integer() else str(v)
        as_serial = ""
        if 1 <= v < 2958466:
            serial = dt.date(1899, 12, 30) + dt.timedelta(days=int(v))
            as_serial = f" (as an Excel date it would be {serial.day} {serial:%b %Y})"
        why = (
            f"{sheet.headers[f]!r} holds the number {shown} in a cell not formatted as a date"
            f"{as_serial}"
        )
        self._why_empty[(sheet.number, line, f)] = why
        if f == DEFINING_FIELD.get(sheet.number):
            return  # the row is rejected, saying why (rows_of)
        self.problem(
            WARNING,
            f"{why}: not read as a date; left missing. Format the column as dates in Excel if "
            "these are dates, and load again",
            file=sheet.file,
            table="ssd_person" if f == "dob" else LIST_TABLE.get(sheet.number),
            line=line,
            column=sheet.headers[f],
            value=shown,
            record_id=child_id,
        )
