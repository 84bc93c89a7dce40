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
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

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
    raw_frame,
)
from frontdoor.sources.workbook import WORKBOOK_SUFFIXES, Sheet, Workbook, WorkbookError, cell_name

KIND = "annex_a"

LAST_SEEN_TABLE = "annex_a_last_seen"
LAST_CP_REVIEW_TABLE = "annex_a_last_cp_review"
EARLY_HELP_TABLE = "ssd_early_help_episodes"

UNAVAILABLE = {
    "allocation": (
        "Annex A names the allocated team and worker but not when the case was allocated "
        "(needs ssd_involvements with start dates)"
    ),
    "seen": (
        "Annex A gives only the date each child was last seen, not every visit, so the time "
        "to see a referred child cannot be measured (needs ssd_cin_visits / ssd_cp_visits)"
    ),
    "caseload": (
        "Annex A has no allocation history or worker FTE (needs ssd_involvements and "
        "ssd_professionals)"
    ),
    "cp_reviews": (
        "Annex A gives only the latest review conference of each CP plan, not every review "
        "(kept in annex_a_last_cp_review)"
    ),
    "oversight": "Annex A has no case notes or management oversight records",
    "agencies": "Annex A has no information requests to partner agencies",
}
# Sections fed by a list, made unavailable when the workbook lacks the list.
SECTIONS_BY_LIST = {
    1: ("contacts",),
    3: ("referrals",),
    4: ("assessments",),
    5: ("s47", "icpc"),
    7: ("cp_plans",),
}
LIST_TITLES = {
    1: "contacts",
    2: "early help",
    3: "referrals",
    4: "assessments",
    5: "section 47 enquiries and ICPCs",
    6: "children in need",
    7: "child protection",
    8: "children in care",
    9: "care leavers",
    10: "adoption",
    11: "adopters",
}

# Extra columns, besides the schema's, of each table this reader writes.
EXTRA_COLUMNS = {
    "ssd_person": ["pers_disability"],
    "ssd_contacts": [],
    "ssd_cin_episodes": [
        "cine_allocated_team",
        "cine_allocated_worker",
        "cine_case_status",
        "cine_source_lists",
    ],
    "ssd_cin_assessments": ["cina_assessment_outcome"],
    "ssd_s47_enquiry": [
        "s47e_icpc_not_required",
        "s47e_s47_enquiries_last_12_months",
        "s47e_icpcs_last_12_months",
    ],
    "ssd_initial_cp_conference": [],
    "ssd_cp_plans": [
        "cppl_epo_or_police_protection",
        "cppl_allocated_team",
        "cppl_allocated_worker",
    ],
}
OWN_COLUMNS = {
    EARLY_HELP_TABLE: [
        "earl_episode_id",
        "earl_person_id",
        "earl_episode_start_date",
        "earl_episode_end_date",
        "earl_episode_organisation",
        "earl_episode_worker_id",
    ],
    LAST_SEEN_TABLE: ["person_id", "last_seen_date", "source_list", "source_field", "seen_alone"],
    LAST_CP_REVIEW_TABLE: ["person_id", "cp_plan_id", "last_review_date"],
}

# -- headers ---------------------------------------------------------------------------------------

# field -> (kind, wordings). Kinds: id, text, code (ordering prefix stripped), date, flag, number.
COMMON_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "child_id": (
        "id",
        (
            "child unique id",
            "child unique identifier",
            "child id",
            "unique child id",
            "childs unique id",
            "la child id",
            "child identifier",
            "unique id",
            "child unique ref",
        ),
    ),
    "gender": ("code", ("gender", "sex", "gender sex")),
    "ethnicity": ("code", ("ethnicity", "ethnic origin", "ethnic group")),
    "dob": ("date", ("date of birth", "dob", "birth date", "date of birth expected")),
    "disability": (
        "code",
        ("does the child have a disability", "disability", "disabled", "child has a disability"),
    ),
    "team": ("text", ("allocated team", "team", "allocated team name", "current team")),
    "worker": (
        "text",
        (
            "allocated worker",
            "worker",
            "allocated social worker",
            "allocated worker name",
            "lead worker",
            "current worker",
        ),
    ),
    "age": ("ignore", ("age", "age of child years", "age of child", "age years")),
}

LIST_FIELDS: dict[int, dict[str, tuple[str, tuple[str, ...]]]] = {
    1: {
        "contact_date": ("date", ("date of contact", "contact date", "date contact received")),
        "contact_source": ("code", ("contact source", "source of contact")),
    },
    2: {
        "eh_start": (
            "date",
            (
                "assessment start date",
                "early help assessment start date",
                "date early help assessment started",
                "start date",
            ),
        ),
        "eh_end": (
            "date",
            (
                "assessment completion date",
                "early help assessment completion date",
                "date early help assessment completed",
                "completion date",
            ),
        ),
        "eh_org": (
            "text",
            ("organisation completing assessment", "organisation completing the assessment"),
        ),
    },
    3: {
        "referral_date": ("date", ("date of referral", "referral date")),
        "referral_source": ("code", ("referral source", "source of referral")),
        "referral_nfa": (
            "flag",
            ("referral nfa", "referral no further action", "nfa", "was the referral nfa"),
        ),
        "referrals_12m": (
            "number",
            (
                "number of referrals in last 12 months",
                "number of referrals in the last 12 months",
                "referrals in last 12 months",
                "previous referrals in last 12 months",
            ),
        ),
    },
    4: {
        "asmt_start": (
            "date",
            (
                "continuous assessment start date",
                "assessment start date",
                "single assessment start date",
                "date assessment started",
            ),
        ),
        "asmt_seen": (
            "flag",
            (
                "child seen during continuous assessment",
                "child seen during assessment",
                "was the child seen during the assessment",
                "child seen",
            ),
        ),
        "asmt_auth": (
            "date",
            (
                "continuous assessment date of authorisation",
                "assessment date of authorisation",
                "date of authorisation",
                "assessment authorisation date",
                "assessment completion date",
                "date assessment authorised",
            ),
        ),
        "asmt_outcome": (
            "code",
            (
                "was the child assessed as requiring la childrens social care support",
                "was the child assessed as being in need at assessment",
                "was the child assessed as being in need",
                "assessment outcome",
            ),
        ),
    },
    5: {
        "s47_start": (
            "date",
            (
                "strategy discussion initiating section 47 enquiry start date",
                "section 47 enquiry start date",
                "s47 start date",
                "date of strategy discussion initiating section 47 enquiry",
                "section 47 start date",
            ),
        ),
        "icpc_unnecessary": (
            "flag",
            (
                "was an initial child protection conference deemed unnecessary",
                "icpc deemed unnecessary",
                "icpc not required",
            ),
        ),
        "icpc_date": (
            "date",
            ("date of initial child protection conference", "icpc date", "date of icpc"),
        ),
        "icpc_plan": (
            "flag",
            (
                "did the initial child protection conference result in a child protection plan",
                "did the icpc result in a child protection plan",
                "icpc resulted in cp plan",
            ),
        ),
        "s47_12m": (
            "number",
            (
                "number of section 47 enquiries in the last 12 months",
                "number of section 47 enquiries in last 12 months",
            ),
        ),
        "icpc_12m": (
            "number",
            ("number of icpcs in the last 12 months", "number of icpcs in last 12 months"),
        ),
    },
    6: {
        "cin_start": ("date", ("cin start date", "date cin started", "cin episode start date")),
        "primary_need": ("code", ("primary need code", "primary need", "category of need")),
        "last_seen": (
            "date",
            ("date child was last seen", "date child last seen", "date the child was last seen"),
        ),
        "cin_close": ("date", ("cin closure date", "cin close date", "date cin closed")),
        "close_reason": ("code", ("reason for closure", "closure reason", "cin closure reason")),
        "case_status": ("code", ("case status",)),
    },
    7: {
        "cpp_start": (
            "date",
            ("child protection plan start date", "cp plan start date", "cpp start date"),
        ),
        "initial_cat": ("code", ("initial category of abuse",)),
        "latest_cat": ("code", ("latest category of abuse",)),
        "last_visit": (
            "date",
            ("date of the last statutory visit", "date of last statutory visit"),
        ),
        "seen_alone": ("flag", ("was the child seen alone", "child seen alone")),
        "last_review": (
            "date",
            (
                "date of latest review conference",
                "date of last review",
                "date of last review conference",
                "date of latest review",
                "date of the last review conference",
            ),
        ),
        "cpp_end": (
            "date",
            ("child protection plan end date", "cp plan end date", "cpp end date"),
        ),
        "epo": (
            "flag",
            (
                "subject to emergency protection order or protected under police powers in "
                "last six months y n",
                "subject to emergency protection order or protected under police powers in "
                "last six months",
            ),
        ),
        "previous_cpp": (
            "number",
            (
                "number of previous child protection plans",
                "number of previous cp plans",
                "previous child protection plans",
            ),
        ),
    },
    8: {},
    9: {},
    10: {},
}
# The field without which a row of the list is unusable (besides the child id).
DEFINING_FIELD = {
    1: "contact_date",
    2: "eh_start",
    3: "referral_date",
    4: "asmt_start",
    5: "s47_start",
    6: "cin_start",
    7: "cpp_start",
}
# What besides the child and the defining date makes two rows of a list the same record: one
# child can have two contacts on a day, from two sources; any other repeat is a duplicate.
DUPLICATE_KEY = {1: ("contact_date", "contact_source")}
# Columns of a referral a list 6 row completes -> its field, to name it when merging.
MERGED_FIELDS = {
    "cine_cin_primary_need_code": "primary_need",
    "cine_close_date": "cin_close",
    "cine_close_reason": "close_reason",
    "cine_case_status": "case_status",
    "cine_allocated_team": "team",
    "cine_allocated_worker": "worker",
}
# Lists whose required column missing stops the load (they feed the dashboard's tables).
CORE_LISTS = {1, 3, 4, 5, 6, 7}
# Lists whose children become ssd_person rows: the front door lists. Lists 8 to 10 (children in
# care, care leavers, adoption) feed no measure here; list 11 lists adopters.
PERSON_LISTS = {1, 2, 3, 4, 5, 6, 7}
# The main table each list feeds, to say which table a problem concerns.
LIST_TABLE = {
    1: "ssd_contacts",
    2: EARLY_HELP_TABLE,
    3: "ssd_cin_episodes",
    4: "ssd_cin_assessments",
    5: "ssd_s47_enquiry",
    6: "ssd_cin_episodes",
    7: "ssd_cp_plans",
}

EXCEL_ERRORS = {
    "#N/A",
    "#N/A N/A",
    "#NA",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}

_LIST_NAME = re.compile(r"^\s*list[\s_\-.:]*(\d{1,2})(?!\d)", re.IGNORECASE)
_PREFIX = re.compile(r"^\(?[a-z]{1,2}\)\s*")
_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_CODE_DESC = re.compile(r"^([0-9A-Za-z]{1,8})\s*(?::|\s-|–)\s*(.+)$")

SEX = {
    "male": "M",
    "m": "M",
    "boy": "M",
    "man": "M",
    "female": "F",
    "f": "F",
    "girl": "F",
    "woman": "F",
    "not stated/recorded": "U",
    "not stated/recorded (or unborn)": "U",
    "not stated": "U",
    "not recorded": "U",
    "not known": "U",
    "unknown": "U",
    "unborn": "U",
    "neither": "U",
    "indeterminate": "U",
    "u": "U",
    "1": "M",
    "2": "F",
    "0": "U",
    "9": "U",
}
FLAG_EMPTY = {"unknown", "not known", "n/a", "na", "not applicable", "not recorded"}


def _norm(text: object) -> str:
    """A header as compared: lower case, apostrophes dropped, other punctuation as spaces."""
    s = str(text or "").replace("\xa0", " ").lower()
    s = re.sub(r"['‘’`´]", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def _list_number(name: str) -> int | None:
    m = _LIST_NAME.match(name or "")
    return int(m.group(1)) if m else None


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
        tables = self._build(sheets)
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

    def _build(self, sheets: dict[int, _Sheet]) -> SourceTables:
        # Persons first, from the front door lists (1 to 7) in list order.
        for n in sorted(sheets):
            if n not in PERSON_LISTS:
                continue
            sheet = sheets[n]
            for line, r in sheet.rows:
                child_id = r.get("child_id")
                if not child_id:
                    self.problem(
                        REJECTED,
                        f"row without a child id in list {n} ({LIST_TITLES[n]}); skipped",
                        file=sheet.file,
                        table=LIST_TABLE.get(sheet.number),
                        line=line,
                        column=sheet.headers.get("child_id"),
                    )
                    continue
                self._person(sheet, line, child_id, r)

        usable = {
            n: list(self._usable_rows(sheets.get(n), n, keep_rejected=n == 5))
            for n in DEFINING_FIELD
        }

        # List 1: contacts. A child can have two contacts on a day (from two sources): "#2".
        counts: dict[str, int] = {}
        for sheet, line, pid, r in usable[1]:
            base = f"{pid}/C/{r['contact_date']}"
            counts[base] = counts.get(base, 0) + 1
            code, desc = _code_desc(r.get("contact_source"))
            self._add(
                "ssd_contacts",
                sheet,
                line,
                {
                    "cont_contact_id": base if counts[base] == 1 else f"{base}#{counts[base]}",
                    "cont_person_id": pid,
                    "cont_contact_date": r["contact_date"],
                    "cont_contact_source_code": code,
                    "cont_contact_source_desc": desc,
                },
            )
        # List 2: early help assessments.
        for sheet, line, pid, r in usable[2]:
            self._add(
                EARLY_HELP_TABLE,
                sheet,
                line,
                {
                    "earl_episode_id": f"{pid}/EH/{r['eh_start']}",
                    "earl_person_id": pid,
                    "earl_episode_start_date": r["eh_start"],
                    "earl_episode_end_date": r.get("eh_end"),
                    "earl_episode_organisation": r.get("eh_org"),
                    "earl_episode_worker_id": r.get("worker"),
                },
            )
        # Lists 3 and 6: referrals and CIN episodes, one row per child and referral date.
        episodes: dict[str, dict] = {}
        for sheet, line, pid, r in usable[3]:
            ref_id = f"{pid}/{r['referral_date']}"
            code, desc = _code_desc(r.get("referral_source"))
            row = {
                "cine_referral_id": ref_id,
                "cine_person_id": pid,
                "cine_referral_date": r["referral_date"],
                "cine_referral_source_code": code,
                "cine_referral_source_desc": desc,
                "cine_referral_nfa": _flag(r.get("referral_nfa")),
                "cine_referral_team": r.get("team"),
                "cine_referral_worker_id": r.get("worker"),
                "cine_allocated_team": r.get("team"),
                "cine_allocated_worker": r.get("worker"),
                "cine_referrals_last_12_months": r.get("referrals_12m"),
                "cine_source_lists": sheet.title,
            }
            episodes[ref_id] = row
            self._add("ssd_cin_episodes", sheet, line, row)
        for sheet, line, pid, r in usable[6]:
            ref_id = f"{pid}/{r['cin_start']}"
            need, _ = _code_desc(r.get("primary_need"))
            reason, _ = _code_desc(r.get("close_reason"))
            extra = {
                "cine_cin_primary_need_code": need,
                "cine_close_date": r.get("cin_close"),
                "cine_close_reason": reason,
                "cine_case_status": r.get("case_status"),
                "cine_allocated_team": r.get("team"),
                "cine_allocated_worker": r.get("worker"),
            }
            row = episodes.get(ref_id)
            if row is None:
                row = {
                    "cine_referral_id": ref_id,
                    "cine_person_id": pid,
                    "cine_referral_date": r["cin_start"],
                    "cine_referral_team": r.get("team"),
                    "cine_referral_worker_id": r.get("worker"),
                    "cine_source_lists": sheet.title,
                    **extra,
                }
                episodes[ref_id] = row
                self._add("ssd_cin_episodes", sheet, line, row)
            else:
                self._merge_into_referral(sheet, line, pid, r, row, extra)
            if r.get("last_seen"):
                self._add(
                    LAST_SEEN_TABLE,
                    sheet,
                    line,
                    {
                        "person_id": pid,
                        "last_seen_date": r["last_seen"],
                        "source_list": sheet.title,
                        "source_field": sheet.headers.get("last_seen"),
                    },
                )
        referral_dates: dict[str, list[tuple[str, str]]] = {}
        for ref_id, row in episodes.items():
            iso = _iso_or_none(row["cine_referral_date"])
            if iso:
                referral_dates.setdefault(row["cine_person_id"], []).append((iso, ref_id))

        def referral_for(pid: str, date: str | None) -> str | None:
            iso = _iso_or_none(date)
            if not iso:
                return None
            before = [x for x in referral_dates.get(pid, []) if x[0] <= iso]
            return max(before)[1] if before else None

        # List 4: assessments.
        for sheet, line, pid, r in usable[4]:
            self._add(
                "ssd_cin_assessments",
                sheet,
                line,
                {
                    "cina_assessment_id": f"{pid}/A/{r['asmt_start']}",
                    "cina_person_id": pid,
                    "cina_referral_id": referral_for(pid, r["asmt_start"]),
                    "cina_assessment_start_date": r["asmt_start"],
                    "cina_assessment_child_seen": _flag(r.get("asmt_seen")),
                    "cina_assessment_auth_date": r.get("asmt_auth"),
                    "cina_assessment_team": r.get("team"),
                    "cina_assessment_worker_id": r.get("worker"),
                    "cina_assessment_outcome": r.get("asmt_outcome"),
                },
            )
        # List 7 before 5: an ICPC names the plan that starts on its date.
        plans_by_date: dict[tuple[str, str], str] = {}
        for _sheet, _line, pid, r in usable[7]:
            plans_by_date.setdefault((pid, r["cpp_start"]), f"{pid}/CPP/{r['cpp_start']}")
        # List 5: S47 enquiries, and the ICPC a row names. A row whose S47 part is rejected
        # (no start date, or a duplicate) still gives its ICPC: a conference that was held is
        # never dropped with the enquiry it is written beside.
        icpc_by_date: dict[tuple[str, str], str] = {}
        icpc_first: dict[tuple[str, str], int] = {}
        for sheet, line, pid, r in usable[5]:
            s47_ok = r.get("_s47_rejected") is None
            s47_id = f"{pid}/S47/{r['s47_start']}" if r.get("s47_start") else None
            ref_id = referral_for(pid, r.get("s47_start") or r.get("icpc_date"))
            if s47_ok:
                self._add(
                    "ssd_s47_enquiry",
                    sheet,
                    line,
                    {
                        "s47e_s47_enquiry_id": s47_id,
                        "s47e_referral_id": ref_id,
                        "s47e_person_id": pid,
                        "s47e_s47_start_date": r["s47_start"],
                        "s47e_s47_completed_by_team": r.get("team"),
                        "s47e_s47_completed_by_worker_id": r.get("worker"),
                        "s47e_icpc_not_required": _flag(r.get("icpc_unnecessary")),
                        "s47e_s47_enquiries_last_12_months": r.get("s47_12m"),
                        "s47e_icpcs_last_12_months": r.get("icpc_12m"),
                    },
                )
            if not r.get("icpc_date"):
                continue
            key = (pid, r["icpc_date"])
            header = sheet.headers.get("icpc_date")
            if key in icpc_first:
                self.problem(
                    REJECTED,
                    f"duplicate ICPC: the same child and {header!r} ({r['icpc_date']}) as row "
                    f"{icpc_first[key]} of {sheet.title}; this one is rejected, the first is "
                    "loaded",
                    file=sheet.file,
                    table="ssd_initial_cp_conference",
                    line=line,
                    column=header,
                    value=r["icpc_date"],
                    record_id=pid,
                )
                continue
            icpc_first[key] = line
            icpc_id = f"{pid}/ICPC/{r['icpc_date']}"
            icpc_by_date[key] = icpc_id
            if not s47_ok and s47_id is None:
                self.problem(
                    WARNING,
                    f"the ICPC on this row ({r['icpc_date']}) is loaded without an S47 enquiry: "
                    f"the row's S47 was rejected ({r['_s47_rejected']}). It counts among ICPCs "
                    "but cannot be timed from its S47",
                    file=sheet.file,
                    table="ssd_initial_cp_conference",
                    line=line,
                    column=header,
                    value=r["icpc_date"],
                    record_id=pid,
                )
            self._add(
                "ssd_initial_cp_conference",
                sheet,
                line,
                {
                    "icpc_icpc_id": icpc_id,
                    # a duplicate S47 row's ICPC belongs to the S47 it repeats (same id)
                    "icpc_s47_enquiry_id": s47_id,
                    "icpc_person_id": pid,
                    "icpc_cp_plan_id": plans_by_date.get(key),
                    "icpc_referral_id": ref_id,
                    "icpc_icpc_date": r["icpc_date"],
                    "icpc_icpc_outcome_cp_flag": _flag(r.get("icpc_plan")),
                    "icpc_icpc_team": r.get("team"),
                    "icpc_icpc_worker_id": r.get("worker"),
                },
            )
        for sheet, line, pid, r in usable[7]:
            plan_id = f"{pid}/CPP/{r['cpp_start']}"
            self._add(
                "ssd_cp_plans",
                sheet,
                line,
                {
                    "cppl_cp_plan_id": plan_id,
                    "cppl_referral_id": referral_for(pid, r["cpp_start"]),
                    "cppl_icpc_id": icpc_by_date.get((pid, r["cpp_start"])),
                    "cppl_person_id": pid,
                    "cppl_cp_plan_start_date": r["cpp_start"],
                    "cppl_cp_plan_end_date": r.get("cpp_end"),
                    "cppl_cp_plan_initial_category": r.get("initial_cat"),
                    "cppl_cp_plan_latest_category": r.get("latest_cat"),
                    "cppl_number_of_previous_cpp": r.get("previous_cpp"),
                    "cppl_epo_or_police_protection": _flag(r.get("epo")),
                    "cppl_allocated_team": r.get("team"),
                    "cppl_allocated_worker": r.get("worker"),
                },
            )
            if r.get("last_review"):
                self._add(
                    LAST_CP_REVIEW_TABLE,
                    sheet,
                    line,
                    {
                        "person_id": pid,
                        "cp_plan_id": plan_id,
                        "last_review_date": r["last_review"],
                    },
                )
            if r.get("last_visit"):
                self._add(
                    LAST_SEEN_TABLE,
                    sheet,
                    line,
                    {
                        "person_id": pid,
                        "last_seen_date": r["last_visit"],
                        "source_list": sheet.title,
                        "source_field": sheet.headers.get("last_visit"),
                        "seen_alone": _flag(r.get("seen_alone")),
                    },
                )

        frames: dict[str, pd.DataFrame] = {
            "ssd_person": _frame("ssd_person", self.persons.values()),
        }
        tables_by_list = {
            1: ["ssd_contacts"],
            2: [EARLY_HELP_TABLE],
            3: ["ssd_cin_episodes"],
            4: ["ssd_cin_assessments"],
            5: ["ssd_s47_enquiry", "ssd_initial_cp_conference"],
            6: ["ssd_cin_episodes", LAST_SEEN_TABLE],
            7: ["ssd_cp_plans", LAST_CP_REVIEW_TABLE, LAST_SEEN_TABLE],
        }
        # A list present (even empty) gives its tables, so zero means zero; an absent list
        # gives none, so its measures say "not available" instead of 0.
        wanted = {"ssd_cin_episodes"}
        for n, tables in tables_by_list.items():
            if n in sheets and sheets[n].columns:
                wanted.update(tables)
        for table in sorted(wanted):
            frames[table] = _frame(table, self.rows.get(table, []))

        unavailable = dict(UNAVAILABLE)
        for n, sections in SECTIONS_BY_LIST.items():
            if n not in sheets or not sheets[n].columns:
                for s in sections:
                    unavailable.setdefault(
                        s, f"the Annex A workbook has no usable list {n} ({LIST_TITLES[n]})"
                    )
        return SourceTables(
            frames=frames, problems=self.problems, unavailable=unavailable, kinds={KIND}
        )


# -- values ----------------------------------------------------------------------------------------


def _match_field(header: object, spec) -> str | None:
    h = _norm(header)
    if not h:
        return None
    for f, (_, aliases) in spec.items():
        if h in aliases:
            return f
    best, best_score = None, 0.0
    for f, (_, aliases) in spec.items():
        for a in aliases:
            score = difflib.SequenceMatcher(None, h, a).ratio()
            if score > best_score:
                best, best_score = f, score
    if best_score >= 0.88:
        return best
    # A known wording inside a longer header ("Allocated Team (current)"), longest first.
    contained = [
        (len(a), f)
        for f, (_, aliases) in spec.items()
        for a in aliases
        if len(a) >= 8 and re.search(rf"\b{re.escape(a)}\b", h)
    ]
    if contained:
        return max(contained)[1]
    return None


def _cell(row, i):
    if i is None or i >= len(row):
        return None
    return row[i]


def _clean(s: str) -> str | None:
    s = " ".join(s.replace("\xa0", " ").split())
    return s or None


def _to_text(v, kind: str) -> str | None:
    """A cell as text: dates ISO, whole numbers without '.0', codes without 'a) '."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if kind != "text" or v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return "Yes" if v else "No"
    if isinstance(v, int | float):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    s = _clean(str(v))
    if s is None:
        return None
    if kind == "date":
        return _date_text(s)
    if kind in ("code", "flag"):
        s = _PREFIX.sub("", s) or s
    return s


def _date_text(s: str) -> str:
    """UK or ISO date text as ISO when it is a real date; otherwise as written (the loader
    rejects it with its line)."""
    m = _UK_DATE.match(s)
    if m:
        d, mth, y = (int(x) for x in m.groups())
    else:
        m = _ISO_DATE.match(s)
        if not m:
            return s
        y, mth, d = (int(x) for x in m.groups())
    try:
        return dt.date(y, mth, d).isoformat()
    except ValueError:
        return s


def _iso_or_none(s: str | None) -> str | None:
    if s and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return s
    return None


def _flag(s: str | None) -> str | None:
    if s is None:
        return None
    if s.strip().lower() in FLAG_EMPTY:
        return None
    return s


def _sex(s: str | None) -> str | None:
    if s is None:
        return None
    return SEX.get(s.strip().lower())


def _ethnicity(s: str | None) -> str | None:
    if s is None:
        return None
    m = re.match(r"^([A-Z]{4})\b", s)
    return m.group(1) if m else s


def _code_desc(s: str | None) -> tuple[str | None, str | None]:
    """'6: Police' -> ('6', 'Police'); 'N1 - Abuse or neglect' -> ('N1', 'Abuse or neglect')."""
    if s is None:
        return None, None
    m = _CODE_DESC.match(s)
    if m:
        return m.group(1), m.group(2).strip()
    if re.fullmatch(r"[0-9][A-Z]?|[A-Z]{1,3}[0-9]{0,2}[A-Z]?", s):
        return s, None
    return s, s


def _columns(table: str) -> list[str]:
    if table in OWN_COLUMNS:
        base = list(OWN_COLUMNS[table])
    else:
        base = list(TABLES[table].columns) + EXTRA_COLUMNS.get(table, [])
    return [*base, FILE_COLUMN, LINE_COLUMN]


def _frame(table: str, rows: Iterable[dict]) -> pd.DataFrame:
    return raw_frame(_columns(table), rows)


def read_annex_a(path: Path) -> SourceTables:
    """Read an Annex A workbook into raw tables (see the module docstring)."""
    reader = _Reader(Path(path))
    try:
        return reader.read()
    except Exception as exc:  # noqa: BLE001 - a reader bug must not take the app down
        reader.problem(STOP, f"the workbook could not be read ({type(exc).__name__}: {exc})")
        return SourceTables(problems=reader.problems, kinds={KIND})
