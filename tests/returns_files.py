"""CIN census XML and Annex A workbooks written by the tests themselves (no committed files).

The census builders return XML text with one element per line in the specification's order, so a
valid file passes the DfE XSD as well as frontdoor's own rules, and `line_of` finds the line of any
element for assertions. The Annex A builder writes a workbook with Ofsted's headers, dates as
date-formatted cells (as Excel saves them), one sheet per list given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import openpyxl

# -- CIN census ------------------------------------------------------------------------------------


def _el(name: str, value: object | None, indent: int) -> list[str]:
    if value is None:
        return []
    return [f"{' ' * indent}<{name}>{value}</{name}>"]


def _box(name: str, inner: Iterable[str], indent: int) -> list[str]:
    pad = " " * indent
    return [f"{pad}<{name}>", *inner, f"{pad}</{name}>"]


def census(
    *children: list[str],
    year: int | None = 2025,
    reference_date: str | None = "2025-03-31",
    header: bool = True,
) -> str:
    """A whole census file around the given children (from `child`)."""
    lines = ["<?xml version='1.0' encoding='utf-8'?>", "<Message>"]
    if header:
        details = _el("Collection", "CIN", 6) + _el("Year", year, 6)
        details += _el("ReferenceDate", reference_date, 6)
        source = _el("SourceLevel", "L", 6) + _el("LEA", "201", 6)
        source += _el("DateTime", "2025-05-01T09:30:00", 6)
        lines += _box(
            "Header", _box("CollectionDetails", details, 4) + _box("Source", source, 4), 2
        )
    body: list[str] = []
    for c in children:
        body += c
    lines += _box("Children", body, 2)
    lines.append("</Message>")
    return "\n".join(lines) + "\n"


def child(
    la_id: str | None,
    *referrals: list[str],
    dob: str | None = "2015-03-27",
    expected_dob: str | None = None,
    death: str | None = None,
    sex: str | None = "M",
    gender: str | None = None,
    ethnicity: str = "WBRI",
    disabilities: Iterable[str] = (),
    upn_unknown: str | None = None,
    pre_proceedings: Iterable[list[str]] = (),
) -> list[str]:
    """A <Child>: `sex` (2024-25 on) or `gender` (GenderCurrent, to 2023-24); its referrals."""
    ids = _el("LAchildID", la_id, 8) + _el("UPNunknown", upn_unknown, 8)
    ids += _el("PersonBirthDate", dob, 8) + _el("ExpectedPersonBirthDate", expected_dob, 8)
    ids += _el("GenderCurrent", gender, 8) if gender is not None else _el("Sex", sex, 8)
    ids += _el("PersonDeathDate", death, 8)
    chars = _el("Ethnicity", ethnicity, 8)
    disabilities = list(disabilities)
    if disabilities:
        chars += _box(
            "Disabilities", [f"{' ' * 10}<Disability>{d}</Disability>" for d in disabilities], 8
        )
    inner = _box("ChildIdentifiers", ids, 6) + _box("ChildCharacteristics", chars, 6)
    for r in referrals:
        inner += r
    for pp in pre_proceedings:
        inner += pp
    return _box("Child", inner, 4)


def referral(
    date: str | None,
    *modules: list[str],
    source: str | None = "1A",
    need: str | None = "N1",
    close: str | None = None,
    reason: str | None = None,
    icpc: str | None = None,
    nfa: str | None = "0",
) -> list[str]:
    """A <CINdetails>; `modules` from assessment, cin_plan, s47 and cp_plan, in any order (they
    are written in the specification's order)."""
    order = ("Assessments", "CINPlanDates", "Section47")
    inner = _el("CINreferralDate", date, 8) + _el("ReferralSource", source, 8)
    inner += _el("PrimaryNeedCode", need, 8) + _el("CINclosureDate", close, 8)
    inner += _el("ReasonForClosure", reason, 8) + _el("DateOfInitialCPC", icpc, 8)
    for name in order:
        for m in modules:
            if m[0].strip() == f"<{name}>":
                inner += m
    inner += _el("ReferralNFA", nfa, 8)
    for m in modules:
        if m[0].strip() == "<ChildProtectionPlans>":
            inner += m
    for m in modules:
        if m[0].strip() == "<PreProceedingsandFGDM>":
            inner += m
    return _box("CINdetails", inner, 6)


def assessment(
    start: str | None, auth: str | None = None, factors: Iterable[str] = ()
) -> list[str]:
    inner = _el("AssessmentActualStartDate", start, 10)
    inner += _el("AssessmentAuthorisationDate", auth, 10)
    factors = list(factors)
    if factors:
        inner += _box(
            "FactorsIdentifiedAtAssessment",
            [f"{' ' * 12}<AssessmentFactors>{f}</AssessmentFactors>" for f in factors],
            10,
        )
    return _box("Assessments", inner, 8)


def cin_plan(start: str | None, end: str | None = None) -> list[str]:
    return _box(
        "CINPlanDates", _el("CINPlanStartDate", start, 10) + _el("CINPlanEndDate", end, 10), 8
    )


def s47(
    start: str | None,
    icpc: str | None = None,
    target: str | None = None,
    not_required: str | None = "0",
) -> list[str]:
    inner = _el("S47ActualStartDate", start, 10) + _el("InitialCPCtarget", target, 10)
    inner += _el("DateOfInitialCPC", icpc, 10) + _el("ICPCnotRequired", not_required, 10)
    return _box("Section47", inner, 8)


def cp_plan(
    start: str | None,
    end: str | None = None,
    *,
    initial: str = "PHY",
    latest: str = "PHY",
    previous: str | None = "0",
    reviews: Iterable[str] = (),
) -> list[str]:
    inner = _el("CPPstartDate", start, 10) + _el("CPPendDate", end, 10)
    inner += _el("InitialCategoryOfAbuse", initial, 10) + _el("LatestCategoryOfAbuse", latest, 10)
    inner += _el("NumberOfPreviousCPP", previous, 10)
    reviews = list(reviews)
    if reviews:
        inner += _box(
            "Reviews", [f"{' ' * 12}<CPPreviewDate>{r}</CPPreviewDate>" for r in reviews], 10
        )
    return _box("ChildProtectionPlans", inner, 8)


def pre_proceedings(start: str | None, **fields: str) -> list[str]:
    """A 2025-26 <PreProceedingsandFGDM> block (fields by element name, e.g. PPOutcome="A")."""
    inner = _el("PPStartDate", start, 10)
    for name, value in fields.items():
        inner += _el(name, value, 10)
    return _box("PreProceedingsandFGDM", inner, 8)


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The line (1-based) of the nth line containing `needle`."""
    seen = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return i
    raise ValueError(f"{needle!r} not found {nth} times")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- Annex A ---------------------------------------------------------------------------------------

PERSON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age"]
HEADERS: dict[int, list[str]] = {
    1: [*PERSON, "Date of Contact", "Contact Source"],
    2: [
        *PERSON,
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ],
    3: [
        *PERSON,
        "Date of Referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        "Allocated Team",
        "Allocated Worker",
    ],
    4: [
        *PERSON,
        "Does the Child have a Disability",
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        "Allocated Team",
        "Allocated Worker",
    ],
    5: [
        *PERSON,
        "Does the Child have a Disability",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        "Allocated Team",
        "Allocated Worker",
    ],
    6: [
        *PERSON,
        "Does the Child have a Disability",
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        "Allocated Team",
        "Allocated Worker",
    ],
    7: [
        *PERSON,
        "Does the Child have a Disability",
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
        "Number of Previous Child Protection Plans",
        "Allocated Team",
        "Allocated Worker",
    ],
}


def d(text: str) -> dt.datetime:
    """A date cell as Excel saves one: a datetime, shown with a date format."""
    return dt.datetime.fromisoformat(text)


def annex_a(
    path: Path,
    lists: dict[int, list[dict[str, object]]],
    *,
    headers: dict[int, list[str]] | None = None,
    sheet_name: str = "List {n}",
) -> Path:
    """A workbook with one sheet per list: Ofsted's headers (or `headers`), then one row per dict
    (header -> cell value; a header not given is blank). Datetime values are date-formatted."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n, rows in lists.items():
        names = (headers or {}).get(n, HEADERS[n])
        ws = wb.create_sheet(sheet_name.format(n=n))
        ws.append(names)
        for row in rows:
            unknown = set(row) - set(names)
            assert not unknown, f"list {n}: unknown headers {unknown}"
            ws.append([row.get(h) for h in names])
    wb.save(path)
    return path


def child_cells(child_id: object, gender: str = "a) Male", dob: str = "2015-01-25") -> dict:
    """The person columns every list starts with."""
    return {
        "Child Unique ID": child_id,
        "Gender": gender,
        "Ethnicity": "a) WBRI",
        "Date of Birth": d(dob),
        "Age": 9,
    }


def annex_a_lists() -> dict[int, list[dict]]:
    """Lists 1-7 as an authority fills them in (rows from sheet row 2):
    List 1, 3 contacts: C1 twice on 1 Oct 2024 (police, then a school), C2 on 3 Oct.
    List 2, 1 early help assessment: E1.
    List 3, 2 referrals: C1 on 2 Oct (not NFA, none in the 12 months before), R2 on 5 Oct (NFA,
      2 in the 12 months before).
    List 4, 1 assessment: C1 from 3 Oct, authorised 1 Nov.
    List 5, 2 S47s: C1 from 3 Oct with an ICPC on 20 Oct that led to a plan; S2 from 10 Oct,
      ICPC deemed unnecessary.
    List 6, 2 children in need: C1 from 2 Oct (the list 3 referral: one row), N6 from 9 Jun 2023
      with #N/A for team and worker.
    List 7, 1 CP plan: C1 from 20 Oct, one previous plan.
    Children: C1, C2, E1, R2, S2, N6 = 6."""
    c1 = child_cells("C1", "b) Female")
    return {
        1: [
            {**c1, "Date of Contact": d("2024-10-01"), "Contact Source": "q) 6: Police"},
            {**c1, "Date of Contact": d("2024-10-01"), "Contact Source": "2A: Schools"},
            {**child_cells("C2"), "Date of Contact": d("2024-10-03"), "Contact Source": "1A"},
        ],
        2: [
            {
                **child_cells("E1"),
                "Assessment start date": d("2024-09-01"),
                "Assessment completion date": d("2024-09-20"),
                "Organisation completing assessment": "Top Town Academy",
            }
        ],
        3: [
            {
                **c1,
                "Date of Referral": d("2024-10-02"),
                "Referral Source": "s) 8: Other",
                "Referral NFA?": "No",
                "Number of Referrals in Last 12 Months": 0,
                "Allocated Team": "MASH",
                "Allocated Worker": "Jo\xa0Bloggs",
            },
            {
                **child_cells("R2", "c) Not stated/recorded"),
                "Date of Referral": d("2024-10-05"),
                "Referral Source": "3D: Health services",
                "Referral NFA?": "a) Yes",
                "Number of Referrals in Last 12 Months": 2,
            },
        ],
        4: [
            {
                **c1,
                "Continuous Assessment Start Date": d("2024-10-03"),
                "Child Seen During Continuous Assessment": "Yes",
                "Continuous Assessment Date of Authorisation": d("2024-11-01"),
                "Was the child assessed as requiring LA children's social care support?": "Yes",
                "Allocated Team": "Assessment Team 1",
                "Allocated Worker": "Ann Worker",
            }
        ],
        5: [
            {
                **c1,
                "Strategy discussion initiating Section 47 Enquiry Start Date": d("2024-10-03"),
                "Was an Initial Child Protection Conference deemed unnecessary?": "No",
                "Date of Initial Child Protection Conference": d("2024-10-20"),
                "Did the Initial Child Protection Conference Result in a Child Protection Plan": (
                    "Yes"
                ),
                "Number of Section 47 Enquiries in the last 12 months": 0,
                "Number of ICPCs in the last 12 months": 0,
            },
            {
                **child_cells("S2"),
                "Strategy discussion initiating Section 47 Enquiry Start Date": d("2024-10-10"),
                "Was an Initial Child Protection Conference deemed unnecessary?": "Yes",
            },
        ],
        6: [
            {
                **c1,
                "CIN Start Date": d("2024-10-02"),
                "Primary Need Code": "N1 - Abuse or neglect",
                "Date Child Was Last Seen": d("2024-11-20"),
                "Case Status": "c) Child in need plan",
            },
            {
                **child_cells("N6"),
                "CIN Start Date": d("2023-06-09"),
                "Primary Need Code": "N4 - Family in acute stress",
                "Allocated Team": "#N/A",
                "Allocated Worker": "#N/A",
            },
        ],
        7: [
            {
                **c1,
                "Child Protection Plan Start Date": d("2024-10-20"),
                "Initial Category of Abuse": "Neglect",
                "Latest Category of Abuse": "Neglect",
                "Date of the Last Statutory Visit": d("2024-11-25"),
                "Was the Child Seen Alone?": "a) Yes",
                "Date of latest review conference": d("2025-01-10"),
                "Number of Previous Child Protection Plans": 1,
                "Allocated Team": "CP Team",
                "Allocated Worker": "Ezra Leigh",
            }
        ],
    }


def save_formula_values(path: Path, sheet: str, values: dict[str, str]) -> Path:
    """Give formula cells the value Excel saves beside them (openpyxl writes formulas with none):
    `values` maps a cell ("E2") of the sheet named `sheet` to the text of its saved value."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    names = re.findall(rb'<sheet [^>]*name="([^"]+)"', parts["xl/workbook.xml"])
    index = [n.decode() for n in names].index(sheet) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    xml = parts[part].decode()
    for cell, value in values.items():
        xml, n = re.subn(
            rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?',
            rf"\g<1>\g<2><v>{value}</v>",
            xml,
        )
        assert n == 1, f"no formula in {sheet}!{cell}"
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path
