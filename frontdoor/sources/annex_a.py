"""Read Ofsted's ILACS Annex A workbook (lists 1 to 7) into the extract's raw tables.

Annex A is one sheet per list ("List 1" ... "List 11", or "List_1" in Ofsted's template), each a
table with a header row that may sit below a title row. Headers vary a little between
authorities and years, so each is matched after normalising (lower case, no punctuation) against
known wordings, then fuzzily. Values keep the template's ordering prefixes ("a) Male"), which are
stripped from coded fields; Excel errors (#N/A) and formulas without a saved value are read as
empty and reported.

| list | tables |
|---|---|
| 1 contacts | ssd_contacts |
| 2 early help | ssd_early_help_episodes (extra: SSD's early help table, not read by measures) |
| 3 referrals | ssd_cin_episodes |
| 4 assessments | ssd_cin_assessments |
| 5 S47 and ICPC | ssd_s47_enquiry, ssd_initial_cp_conference |
| 6 children in need | ssd_cin_episodes (same referral id as list 3: merged), annex_a_last_seen |
| 7 child protection | ssd_cp_plans, annex_a_last_cp_review, annex_a_last_seen |
| 1 to 7 | ssd_person (every child named on a front door list) |

Annex A names the allocated team and worker but never says since when, so no involvements are
made up: the names go on the rows they appear on (and in `*_allocated_team/_worker` columns).
Ids are synthesised from the child id and the list's defining date, e.g. referral
`{child}/{referral date}`, so a referral in lists 3 and 6 is one row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from frontdoor.schema import TABLES
from frontdoor.sources import (
    FILE_COLUMN,
    LINE_COLUMN,
    RECODED,
    REJECTED,
    STOP,
    WARNING,
    Problem,
    SourceTables,
)
from frontdoor.sources.annex_a_build import build_tables
from frontdoor.sources.annex_a_layout import (  # noqa: F401 - the tables' names, re-exported
    _PREFIX,
    _UK_DATE,
    COMMON_FIELDS,
    CORE_LISTS,
    DEFINING_FIELD,
    DUPLICATE_KEY,
    EXCEL_ERRORS,
    KIND,
    LAST_CP_REVIEW_TABLE,
    LAST_SEEN_TABLE,
    LIST_FIELDS,
    LIST_TABLE,
    LIST_TITLES,
    MERGED_FIELDS,
    UNAVAILABLE,
    _list_number,
)
from frontdoor.sources.annex_a_values import (
    _cell,
    _clean,
    _ethnicity,
    _match_field,
    _sex,
    _to_text,
)
from frontdoor.sources.workbook import WORKBOOK_SUFFIXES, Sheet, Workbook, WorkbookError, cell_name


def is_annex_a(path: Path) -> bool:
    """True for a workbook whose sheets are Annex A lists ("List 1", "List_3"...), not SSD
    tables."""
    path = Path(path)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES or not path.is_file():
        return False
    try:
        with Workbook(path) as wb:
            names = wb.sheet_names
    except WorkbookError:  # not a readable workbook, so not Annex A
        return False
    table_names = set(TABLES) | {"ssd_early_help_episodes"}
    if any(n.strip().lower() in table_names or n.strip().lower().startswith("ssd_") for n in names):
        return False
    return any(_list_number(n) is not None for n in names)


# -- reading ---------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    number: int
    title: str
    file: str
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as written
    rows: list[tuple[int, dict[str, str | None]]] = field(default_factory=list)


class _Reader:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.problems: list[Problem] = []
        self.rows: dict[str, list[dict]] = {}
        self.persons: dict[str, dict] = {}
        self._person_conflicts: set[tuple[str, str]] = set()
        # (file, table, column, what was done) -> [count, first line, as written, as read]
        self._recoded: dict[tuple[str, str | None, str, str], list] = {}
        # (list, line, field) -> why a cell that held something was read as empty
        self._why_empty: dict[tuple[int, int, str], str] = {}

    def problem(self, severity: str, reason: str, file: str | None = None, **kw) -> None:
        self.problems.append(
            Problem(severity=severity, reason=reason, file=file or str(self.path), **kw)
        )

    # -- workbook
    def read(self) -> SourceTables:
        try:
            wb = Workbook(self.path)
        except WorkbookError as exc:  # report, never crash
            self.problem(STOP, f"cannot open the workbook: {exc.reason}")
            return SourceTables(problems=self.problems, kinds={KIND})
        try:
            sheets = self._sheets(wb)
        except WorkbookError as exc:
            self.problem(STOP, f"{exc.reason}. {exc.advice}")
            return SourceTables(problems=self.problems, kinds={KIND})
        finally:
            wb.close()
        tables = build_tables(self, sheets)
        self._recode_notes()
        return tables

    # -- values read as something other than their text
    def _recode(self, sheet, line: int, column: str, table: str | None, what: str, v, read):
        """Count one value read as something other than its text (listed once per column)."""
        key = (sheet.file, table, column, what)
        seen = self._recoded.get(key)
        if seen is None:
            self._recoded[key] = [1, line, str(v), str(read)]
        else:
            seen[0] += 1

    def _recode_value(self, sheet, line: int, f: str, kind: str, v, read) -> None:
        """Note how a cell's value was read, where that is not its text: an ordering prefix
        stripped from a code, a time of day dropped from a date, a day/month/year date."""
        if v is None or read is None:
            return
        column, table = sheet.headers.get(f, f), LIST_TABLE.get(sheet.number)
        if kind == "date":
            if isinstance(v, dt.datetime) and v.time() != dt.time():
                what = "had a time of day, which was dropped (a date is a day)"
                self._recode(sheet, line, column, table, what, v.isoformat(sep=" "), read)
            elif isinstance(v, str) and _UK_DATE.match(v.strip()) and read != v.strip():
                self._recode(sheet, line, column, table, "read as day/month/year", v, read)
        elif kind in ("code", "flag") and isinstance(v, str):
            written = _clean(v)
            if written and _PREFIX.match(written) and read != written:
                what = "had the template's ordering prefix stripped"
                self._recode(sheet, line, column, table, what, written, read)

    def _recode_notes(self) -> None:
        for (file, table, column, what), (n, line, written, read) in self._recoded.items():
            self.problem(
                RECODED,
                f"{n:,} value(s) {what}, e.g. {written!r} read as {read!r} (first here)",
                file=file,
                table=table,
                line=line,
                column=column,
                value=written,
            )

    def _sheets(self, wb: Workbook) -> dict[int, _Sheet]:
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
        found: dict[int, _Sheet] = {}
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
            sheet = _Sheet(number, name, f"{self.path}:{name}")
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

    def _read_sheet(self, sheet: _Sheet, ws: Sheet) -> None:
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

    def _set_columns(self, sheet: _Sheet, vals, mapping, spec) -> None:
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

    def _number_in_date(self, sheet: _Sheet, line: int, f: str, v: float, child_id) -> None:
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

    # -- tables
    def _add(self, table: str, sheet: _Sheet, line: int, row: dict) -> None:
        row[FILE_COLUMN] = sheet.file
        row[LINE_COLUMN] = line
        self.rows.setdefault(table, []).append(row)

    def _person(self, sheet: _Sheet, line: int, child_id: str, r: dict) -> None:
        attrs = {
            "pers_sex": _sex(r.get("gender")),
            "pers_ethnicity": _ethnicity(r.get("ethnicity")),
            "pers_dob": r.get("dob"),
            "pers_disability": r.get("disability"),
        }
        for f, column, what in (
            ("gender", "pers_sex", "read as the census's sex code (M, F, U)"),
            ("ethnicity", "pers_ethnicity", "read as the ethnicity code they start with"),
        ):
            if r.get(f) and attrs[column] and attrs[column] != r[f]:
                header = sheet.headers.get(f, f)
                self._recode(sheet, line, header, "ssd_person", what, r[f], attrs[column])
        if r.get("gender") and attrs["pers_sex"] is None:
            self.problem(
                WARNING,
                f"gender {r['gender']!r} is not male, female or not recorded; left empty",
                file=sheet.file,
                table="ssd_person",
                line=line,
                column=sheet.headers.get("gender"),
                value=r["gender"],
                record_id=child_id,
            )
        person = self.persons.get(child_id)
        if person is None:
            self.persons[child_id] = {
                "pers_person_id": child_id,
                **attrs,
                FILE_COLUMN: sheet.file,
                LINE_COLUMN: line,
            }
            return
        for k, v in attrs.items():
            if v is None:
                continue
            if person.get(k) is None:
                person[k] = v
            elif person[k] != v and (child_id, k) not in self._person_conflicts:
                self._person_conflicts.add((child_id, k))
                self.problem(
                    WARNING,
                    f"{k} differs between lists: {person[k]!r} at {person[FILE_COLUMN]} row "
                    f"{person[LINE_COLUMN]}, {v!r} here; the first was kept",
                    file=sheet.file,
                    table="ssd_person",
                    line=line,
                    column=k,
                    value=v,
                    record_id=child_id,
                )

    def _usable_rows(self, sheet: _Sheet | None, n: int, keep_rejected: bool = False):
        """The rows of list n the tables are built from, judged by one rule in every list.

        A row needs a child id (else it is rejected with the persons) and the list's defining
        date. A row with the same child and defining date as an earlier row of the same list
        (for contacts, also the same source) repeats it: rejected, naming the row it repeats,
        the first is loaded. With `keep_rejected`, rejected rows come too, marked with why
        (`_s47_rejected`), so that list 5 keeps the ICPC written beside a rejected S47."""
        if sheet is None:
            return
        defining = DEFINING_FIELD[n]
        header = sheet.headers.get(defining, defining)
        first: dict[tuple, tuple[int, dict]] = {}
        for line, r in sheet.rows:
            pid = r.get("child_id")
            if not pid:
                continue
            if not r.get(defining):
                cause = self._why_empty.get((n, line, defining))
                why = f"no {header!r}" if cause is None else cause
                reason = (
                    f"{why}: the row of list {n} ({LIST_TITLES[n]}) cannot be identified and "
                    "was rejected"
                )
                if cause and "number" in cause:
                    reason += "; format the column as dates in Excel and load again"
                value = None
            else:
                key = (pid, *(r.get(f) for f in DUPLICATE_KEY.get(n, (defining,))))
                if key not in first:
                    first[key] = (line, r)
                    yield sheet, line, pid, r
                    continue
                m, earlier = first[key]
                differ = [sheet.headers[f] for f in sheet.columns if r.get(f) != earlier.get(f)]
                why = f"a duplicate of row {m}"
                also = " and contact source" if n == 1 else ""
                reason = (
                    f"duplicate: the same child and {header!r} ({r[defining]}){also} as row {m} "
                    f"of {sheet.title}; this row is rejected, the first is loaded"
                    + (f" (this row differs in {', '.join(differ)})" if differ else "")
                )
                value = r[defining]
            self.problem(
                REJECTED,
                reason,
                file=sheet.file,
                table=LIST_TABLE[n],
                line=line,
                column=header,
                value=value,
                record_id=pid,
            )
            if keep_rejected:
                yield sheet, line, pid, {**r, "_s47_rejected": why}

    def _merge_into_referral(
        self, sheet: _Sheet, line: int, pid: str, r: dict, row: dict, extra: dict
    ) -> None:
        """A list 6 row for a referral list 3 already holds (same child and date): one referral,
        completed by what list 6 adds; a value the two lists give differently keeps list 3's.
        Said either way, so no row of list 6 disappears without a word."""
        filled, differ = [], []
        for k, v in extra.items():
            if v is None:
                continue
            label = sheet.headers.get(MERGED_FIELDS[k], MERGED_FIELDS[k])
            if row.get(k) is None:
                row[k] = v
                filled.append(label)
            elif row[k] != v:
                differ.append(f"{label} {v!r} (list 3: {row[k]!r})")
        first_list = row["cine_source_lists"]
        row["cine_source_lists"] = f"{first_list},{sheet.title}"
        reason = (
            f"the same referral as row {row[LINE_COLUMN]} of {first_list} (same child and "
            f"date): read as one referral, "
            + (f"completed by this row's {', '.join(filled)}" if filled else "which it repeats")
            + (
                f"; where they differ, {first_list}'s value is kept: {'; '.join(differ)}"
                if differ
                else ""
            )
        )
        self.problem(
            WARNING,
            reason,
            file=sheet.file,
            table="ssd_cin_episodes",
            line=line,
            column=sheet.headers.get("cin_start"),
            value=r["cin_start"],
            record_id=pid,
        )


def read_annex_a(path: Path) -> SourceTables:
    """Read an Annex A workbook into raw tables (see the module docstring)."""
    reader = _Reader(Path(path))
    try:
        return reader.read()
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take the app down
        reader.problem(STOP, f"the workbook could not be read ({type(exc).__name__}: {exc})")
        return SourceTables(problems=reader.problems, kinds={KIND})
