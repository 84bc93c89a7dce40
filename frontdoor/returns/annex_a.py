"""Write Ofsted's ILACS Annex A workbook (lists 1 to 7) from the loaded data.

Each list the data supports is one sheet with the template's sheet name and column headings
(`annex_a_lists.LISTS`, `HEADINGS`), over the window the Annex A guidance sets for it, its
codes as the template's Codes_used sheet lists them (`annex_a_codes`), dates as real Excel dates
(shown DD/MM/YYYY, as the guidance asks). A list whose table the extract lacks is left out
(an empty sheet would say "none"); lists 8 to 11 (children in care, care leavers, adoption,
adopters) are never written: frontdoor holds no such data. Text cells can never be formulas
(`frontdoor.safe_text`).

Layouts: `ofsted-2019` (default): Ofsted's published 2019 template: sheets `List_1`..., a title
row `List 1: Contacts` above the headings. `later`: the layout of later workbooks in use
(Annex_A.xlsx): sheets `List 1`..., headings in row 1, `Age` for `Age of Child (Years)`.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from frontdoor.progress import ProgressFn, null_progress
from frontdoor.returns import (
    ExportError,
    ExportResult,
    Gap,
    flag,
    open_db,
    present_tables,
    table_columns,
    write_private,
)
from frontdoor.returns import annex_a_codes as codes
from frontdoor.returns import annex_a_lists as lists
from frontdoor.safe_text import cell_text
from metrics.words import date_text

KIND = "annex_a"
LAYOUTS = ("ofsted-2019", "later")
DATE_FORMAT = "DD/MM/YYYY"


def window(end: dt.date) -> tuple[dt.date, dt.date]:
    """The six months before and including `end`: 1 Oct 2025 to 31 Mar 2026 for 31 Mar 2026
    (calendar months, as the measures count them: 31 Aug less six months is 28/29 Feb)."""
    year, month = (end.year, end.month - 6) if end.month > 6 else (end.year - 1, end.month + 6)
    day = end.day
    while True:
        try:
            back = dt.date(year, month, day)
            break
        except ValueError:
            day -= 1
    return back + dt.timedelta(days=1), end


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[dict]:
    cur = con.cursor()
    try:
        cur.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql})
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        cur.close()


def _carried(cols: set[str], column: str, cast: str = "VARCHAR", alias: str = "") -> str:
    """A reader-added column (an Annex A or census load keeps its own) when the table has it."""
    if column not in cols:
        return "NULL"
    ref = f"{alias}.{column}" if alias else column
    return f"TRY_CAST({ref} AS {cast})"


def _queries(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    person = table_columns(con, "ssd_person")
    if "pers_disability" in person:
        disability = "pers_disability"
    elif "pers_disabilities" in person:
        disability = (
            "CASE WHEN pers_disabilities IS NULL THEN NULL "
            "WHEN upper(trim(pers_disabilities)) = 'NONE' THEN 'No' ELSE 'Yes' END"
        )
    else:
        disability = "NULL"
    ep = table_columns(con, "ssd_cin_episodes")
    asmt = table_columns(con, "ssd_cin_assessments")
    s47 = table_columns(con, "ssd_s47_enquiry")
    plan = table_columns(con, "ssd_cp_plans")
    return {
        "persons": lists.PERSONS_SQL.format(disability=disability),
        "contacts": lists.CONTACTS_SQL,
        "early_help": lists.EARLY_HELP_SQL,
        "referrals": lists.REFERRALS_SQL.format(
            alloc=lists.ALLOC,
            carried_12m=_carried(ep, "cine_referrals_last_12_months", "INTEGER", "e"),
        ),
        "assessments": lists.ASSESSMENTS_SQL.format(
            carried_outcome=_carried(asmt, "cina_assessment_outcome", alias="a")
        ),
        "s47": lists.S47_SQL.format(
            carried_not_required=_carried(s47, "s47e_icpc_not_required", alias="x"),
            carried_s47_12m=_carried(s47, "s47e_s47_enquiries_last_12_months", "INTEGER", "x"),
            carried_icpc_12m=_carried(s47, "s47e_icpcs_last_12_months", "INTEGER", "x"),
        ),
        "children_in_need": lists.CHILDREN_IN_NEED_SQL.format(
            alloc=lists.ALLOC,
            carried_team=_carried(ep, "cine_allocated_team", alias="e"),
            carried_worker=_carried(ep, "cine_allocated_worker", alias="e"),
        ),
        "child_protection": lists.CHILD_PROTECTION_SQL.format(
            alloc=lists.ALLOC,
            carried_epo=_carried(plan, "cppl_epo_or_police_protection", alias="p"),
            carried_previous=_carried(plan, "cppl_number_of_previous_cpp", "INTEGER", "p"),
            carried_team=_carried(plan, "cppl_allocated_team", alias="p"),
            carried_worker=_carried(plan, "cppl_allocated_worker", alias="p"),
        ),
    }


QUERY_OF_LIST = {
    1: "contacts",
    2: "early_help",
    3: "referrals",
    4: "assessments",
    5: "s47",
    6: "children_in_need",
    7: "child_protection",
}


def _age(dob: dt.date | None, born: bool, end: dt.date) -> int | None:
    """Age in whole years at `end`; -1 for a child not yet born (the guidance's rule)."""
    if dob is None:
        return None
    if not born or dob > end:
        return -1
    return end.year - dob.year - ((end.month, end.day) < (dob.month, dob.day))


class _Shaper:
    """Turns each list's query rows into the template's cells, collecting gaps."""

    def __init__(self, persons: dict[str, dict], end: dt.date):
        self.persons = persons
        self.end = end
        self.gaps: list[Gap] = []
        self.missing_people: set[str] = set()

    def person(self, pid: str) -> dict:
        p = self.persons.get(pid)
        if p is None:
            if pid not in self.missing_people:
                self.missing_people.add(pid)
                self.gaps.append(
                    Gap(pid, "child", "Gender, Ethnicity, Date of Birth", "no person record; blank")
                )
            return {"child_id": pid}
        dob = p["dob"] or p["expected_dob"]
        return {
            "child_id": pid,
            "gender": codes.gender(p["sex"]),
            "ethnicity": codes.ethnicity(p["ethnicity"]),
            "dob": dob,
            "age": _age(dob, p["dob"] is not None, self.end),
            "disability": codes.yes_no(p["disability"]),
        }

    @staticmethod
    def _alloc(r: dict) -> dict:
        a = r.get("alloc")
        if a:
            return {"team": a["team"], "worker": a["worker"]}
        return {"team": r.get("team_carried"), "worker": r.get("worker_carried")}

    def shape(self, number: int, r: dict) -> dict:
        out = self.person(r["person_id"])
        if number == 1:
            out |= {
                "contact_date": r["contact_date"],
                "contact_source": codes.source(r["source_code"], r["source_desc"]),
            }
        elif number == 2:
            out |= {
                "eh_start": r["start_date"],
                "eh_end": r["end_date"],
                "eh_org": r["organisation"],
            }
        elif number == 3:
            out |= {
                "referral_date": r["referral_date"],
                "referral_source": codes.source(r["source_code"], r["source_desc"]),
                "referral_nfa": codes.yes_no(r["nfa"]),
                "referrals_12m": r["referrals_12m"],
                "team": r["team"],
                "worker": r["worker"],
            }
        elif number == 4:
            outcome = codes.yes_no(r["outcome_carried"]) or r["outcome_carried"]
            if outcome is None and r["auth_date"] is not None:
                # Ofsted: not requiring support is "usually ... closed ... RC8".
                closed_nfa = str(r["close_reason"] or "").upper() in ("RC8", "RC9")
                outcome = codes.NO if closed_nfa else codes.YES
            out |= {
                "asmt_start": r["start_date"],
                "asmt_seen": codes.yes_no(r["seen"]),
                "asmt_auth": r["auth_date"],
                "asmt_outcome": outcome,
                "team": r["team"],
                "worker": r["worker"],
            }
        elif number == 5:
            unnecessary = codes.yes_no(r["not_required_carried"])
            if unnecessary is None:
                if r["icpc_date"] is not None:
                    unnecessary = codes.NO
                else:
                    unnecessary = codes.yes_no(r["nfa"])
            plan = None
            if r["icpc_date"] is not None:
                if r["plan_linked"] or flag(r["icpc_outcome"]) is True:
                    plan = codes.YES
                elif flag(r["icpc_outcome"]) is False:
                    plan = codes.NO
            out |= {
                "s47_start": r["start_date"],
                "icpc_unnecessary": unnecessary,
                "icpc_date": r["icpc_date"],
                "icpc_plan": plan,
                "s47_12m": r["s47_12m"],
                "icpc_12m": r["icpc_12m"],
                "team": r["team"],
                "worker": r["worker"],
            }
        elif number == 6:
            if r["need"] is None:
                self.gaps.append(
                    Gap(
                        r["person_id"],
                        f"episode of need {date_text(r['cin_start'])}",
                        "Primary Need Code",
                        "not recorded (Ofsted: 'should not be left blank'); left blank",
                    )
                )
            out |= {
                "cin_start": r["cin_start"],
                "primary_need": codes.coded(r["need"], codes.PRIMARY_NEED),
                "last_seen": r["last_seen"],
                "cin_close": r["close_date"],
                "close_reason": codes.coded(r["close_reason"], codes.CLOSURE_REASON),
                "case_status": codes.CASE_STATUS.get(r["status"] or ""),
                **self._alloc(r),
            }
        elif number == 7:
            visit = r["visit"] or {}
            if r["initial_category"] is None:
                self.gaps.append(
                    Gap(
                        r["person_id"],
                        f"CP plan {date_text(r['start_date'])}",
                        "Initial Category of Abuse",
                        "not recorded; left blank",
                    )
                )
            out |= {
                "cpp_start": r["start_date"],
                "initial_cat": codes.category(r["initial_category"]),
                "latest_cat": codes.category(r["latest_category"]),
                "last_visit": visit.get("d"),
                "seen_alone": codes.yes_no(visit.get("alone")) if visit else None,
                "last_review": r["last_review"],
                "cpp_end": r["end_date"],
                "epo": codes.yes_no(r["epo"]),
                "previous_cpp": r["previous"],
                **self._alloc(r),
            }
        return out


def _cell(ws, value: object, bold: bool = False):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, bool):
        value = codes.YES if value else codes.NO
    if isinstance(value, int | float):
        return WriteOnlyCell(ws, value=value)
    cell = WriteOnlyCell(ws, value=cell_text(value))
    if bold:
        cell.font = Font(bold=True)
    return cell


def _write_sheet(wb: Workbook, spec: lists.ListSpec, rows: list[dict], layout: str) -> None:
    later = layout == "later"
    ws = wb.create_sheet(f"List {spec.number}" if later else f"List_{spec.number}")
    headings = [lists.HEADINGS[f][1 if later else 0] for f in spec.fields]
    for i, h in enumerate(headings):
        ws.column_dimensions[_letter(i + 1)].width = max(12, min(len(h) + 2, 40))
    ws.freeze_panes = "A2" if later else "A3"
    if not later:
        ws.append([_cell(ws, f"List {spec.number}: {spec.title}", bold=True)])
    ws.append([_cell(ws, h, bold=True) for h in headings])
    for row in rows:
        ws.append([_cell(ws, row.get(f)) for f in spec.fields])


def _letter(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def build_annex_a(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    *,
    end: dt.date | None = None,
    layout: str = "ofsted-2019",
    progress: ProgressFn = null_progress,
) -> ExportResult:
    """The Annex A workbook (lists 1 to 7 that the data supports), in memory."""
    end = end or as_of
    if end > as_of:
        raise ExportError(
            f"the lists' end date ({date_text(end)}) is after the as-of date ({date_text(as_of)}): "
            "nothing after the as-of date is seen; give an end date on or before it"
        )
    if layout not in LAYOUTS:
        raise ExportError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    start, _ = window(end)
    params = {"start": start, "end": end, "as_of": as_of}
    have = present_tables(con)
    if "ssd_cin_episodes" not in have or "ssd_person" not in have:
        raise ExportError("the database has no referrals: load an extract first")
    queries = _queries(con)
    progress(0.02, "reading children")
    persons = {p["person_id"]: p for p in _rows(con, queries["persons"], {})}
    shaper = _Shaper(persons, end)
    wb = Workbook(write_only=True)
    counts: dict[str, int] = {}
    notes = [
        f"lists as at {date_text(end)}; six-month window {date_text(start)} to {date_text(end)}"
    ]
    for n, spec in lists.LISTS.items():
        progress(0.05 + 0.85 * (n - 1) / len(lists.LISTS), f"list {n}: {spec.short}")
        if spec.needs not in have:
            notes.append(f"list {n} ({spec.short}) not written: the extract has no {spec.needs}")
            continue
        rows = [shaper.shape(n, r) for r in _rows(con, queries[QUERY_OF_LIST[n]], params)]
        _write_sheet(wb, spec, rows, layout)
        counts[f"list {n} {spec.short}"] = len(rows)
    notes.append(
        "lists 8 to 11 (children in care, care leavers, adoption, adopters) not written: "
        "frontdoor holds no such data"
    )
    _notes_sheet(wb, end, start, as_of, layout, notes)
    progress(0.95, "writing the workbook")
    buffer = io.BytesIO()
    wb.save(buffer)
    progress(1.0, "done")
    return ExportResult(
        KIND, None, counts=counts, gaps=shaper.gaps, notes=notes, content=buffer.getvalue()
    )


def _notes_sheet(wb, end, start, as_of, layout, notes) -> None:
    """What the file is and how each list was chosen. Its first rows never read like a list
    title, so a reader looking for 'List N:' titles does not take it for a list."""
    ws = wb.create_sheet("Notes")
    ws.column_dimensions["A"].width = 110
    lines = [
        "Annex A child-level lists, produced by frontdoor from the loaded data",
        f"Lists end on {date_text(end)}; data as known on {date_text(as_of)}; layout {layout}",
        "",
        *(f"List {s.number} ({s.short}): {s.window}" for s in lists.LISTS.values()),
        "",
        *notes,
    ]
    for line in lines:
        ws.append([_cell(ws, line)])


def export_annex_a(
    db: Path,
    as_of: dt.date,
    out: Path,
    *,
    end: dt.date | None = None,
    layout: str = "ofsted-2019",
    force: bool = False,
    progress: ProgressFn = null_progress,
) -> ExportResult:
    """Write the Annex A workbook from the database `db` to `out` (0600; never over an existing
    file unless `force`)."""
    out = Path(out)
    if out.exists() and not force:
        raise ExportError(f"{out} already exists: choose another file name, or pass --force")
    con = open_db(db)
    try:
        result = build_annex_a(con, as_of, end=end, layout=layout, progress=progress)
    finally:
        con.close()
    write_private(out, result.content, force=force)
    result.path = out
    return result
