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
from pathlib import Path

from frontdoor.schema import TABLES
from frontdoor.sources import RECODED, STOP, Problem, SourceTables
from frontdoor.sources.annex_a_build import build_tables
from frontdoor.sources.annex_a_layout import _PREFIX, _UK_DATE, KIND, LIST_TABLE, _list_number
from frontdoor.sources.annex_a_rows import ListRows
from frontdoor.sources.annex_a_sheets import SheetReading
from frontdoor.sources.annex_a_values import _clean
from frontdoor.sources.workbook import WORKBOOK_SUFFIXES, Workbook, WorkbookError


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


class _Reader(SheetReading, ListRows):
    """Reads one Annex A workbook: its sheets (SheetReading), its rows judged (ListRows), the
    tables built (annex_a_build); collects problems, never raises on bad content."""

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


def read_annex_a(path: Path) -> SourceTables:
    """Read an Annex A workbook into raw tables (see the module docstring)."""
    reader = _Reader(Path(path))
    try:
        return reader.read()
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take the app down
        reader.problem(STOP, f"the workbook could not be read ({type(exc).__name__}: {exc})")
        return SourceTables(problems=reader.problems, kinds={KIND})
