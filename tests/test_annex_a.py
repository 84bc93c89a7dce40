"""The Annex A workbook reader, on both public samples and on hand-made workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, RECODED, REJECTED, STOP, WARNING
from frontdoor.sources.annex_a import (
    LAST_CP_REVIEW_TABLE,
    LAST_SEEN_TABLE,
    is_annex_a,
    read_annex_a,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
ANNEX = SAMPLES / "annex_a"
SAMPLE = ANNEX / "Annex_A.xlsx"
TEMPLATE = ANNEX / "annex_a_template_2019.xlsx"

# Counted by hand from Annex_A.xlsx, listing each sheet with openpyxl (headers in row 1):
#   List 1: rows 2-6, 5 contacts            List 2: rows 2-6, 5 early help assessments
#   List 3: rows 2-7, 6 referrals           List 4: rows 2-6, 5 assessments
#   List 5: rows 2-6, 5 S47s; an ICPC date in rows 2, 3 and 6 only, so 3 ICPCs
#   List 6: rows 2-6, 5 CIN episodes, none with the child and start date of a list 3 referral
#   List 7: rows 2-8, 7 CP plans; "Date of latest review conference" filled in rows 2, 5-8 (5)
# Children: 5+5+6+5+5+5+7 = 38 rows on lists 1-7, one child twice (6537810, lists 3 and 5): 37.
EXPECTED = {
    "ssd_person": 37,
    "ssd_contacts": 5,
    "ssd_early_help_episodes": 5,
    "ssd_cin_episodes": 6 + 5,
    "ssd_cin_assessments": 5,
    "ssd_s47_enquiry": 5,
    "ssd_initial_cp_conference": 3,
    "ssd_cp_plans": 7,
    LAST_CP_REVIEW_TABLE: 5,
    LAST_SEEN_TABLE: 5 + 7,  # list 6 "date child was last seen" + list 7 last statutory visit
}


def test_every_sample_is_covered():
    assert sorted(p.name for p in ANNEX.glob("*.xlsx")) == sorted([SAMPLE.name, TEMPLATE.name])


def test_sample_counts_match_the_hand_counts():
    st = read_annex_a(SAMPLE)
    assert {t: len(f) for t, f in st.frames.items()} == EXPECTED
    assert st.kinds == {"annex_a"}
    assert not [p for p in st.problems if p.severity in (STOP, REJECTED)]


@pytest.mark.parametrize("path", [SAMPLE, TEMPLATE], ids=lambda p: p.name)
def test_frames_are_text_with_sheet_and_row(path):
    st = read_annex_a(path)
    for table, frame in st.frames.items():
        assert FILE_COLUMN in frame and LINE_COLUMN in frame, table
        for col in frame.columns:
            if col in (FILE_COLUMN, LINE_COLUMN):
                continue
            assert all(v is None or isinstance(v, str) for v in frame[col]), (table, col)
        if len(frame):
            assert frame[FILE_COLUMN].str.startswith(f"{path}:List ").all()
            assert (frame[LINE_COLUMN] >= 2).all()


def test_na_cells_are_warnings_and_read_as_empty():
    # List 6 rows 2-6 hold #N/A in both Allocated Team and Allocated Worker: 10 cells.
    st = read_annex_a(SAMPLE)
    na = [p for p in st.problems if p.value == "#N/A"]
    assert len(na) == 10
    assert {(p.line, p.column) for p in na} == {
        (r, c) for r in range(2, 7) for c in ("Allocated Team", "Allocated Worker")
    }
    assert all(p.severity == WARNING and p.file == f"{SAMPLE}:List 6" for p in na)
    assert {p.record_id for p in na} == {"12598894", "8140425", "10160219", "7657294", "6434087"}
    cin = st.frames["ssd_cin_episodes"]
    from_list6 = cin[cin[FILE_COLUMN] == f"{SAMPLE}:List 6"]
    assert from_list6["cine_allocated_team"].isna().all()


def test_formulas_with_saved_values_are_read_silently():
    # Lists 10 and 11 of the sample are formulas (=H2+5) with values saved by Excel.
    st = read_annex_a(SAMPLE)
    assert not [p for p in st.problems if "formula" in p.reason]
    # The #N/A cells, nothing else (the notes on values read otherwise are apart).
    assert len([p for p in st.problems if p.severity != RECODED]) == 10


def test_values_are_cleaned():
    st = read_annex_a(SAMPLE)
    f = st.frames
    person = f["ssd_person"].set_index("pers_person_id")
    assert person.loc["9212044", "pers_sex"] == "F"  # "Female"
    assert person.loc["11973218", "pers_sex"] == "F"  # "b) Female"
    assert person.loc["6217392", "pers_sex"] == "M"  # "a) Male"
    assert person.loc["6890906", "pers_sex"] == "U"  # "c) Not stated/recorded"
    assert person.loc["11973218", "pers_ethnicity"] == "APKN"  # "k) APKN"
    assert person.loc["9212044", "pers_dob"] == "2015-01-25"
    assert person.loc["11973218", "pers_dob"] is None
    assert person.loc["6537810", FILE_COLUMN] == f"{SAMPLE}:List 3"  # first list naming him
    contacts = f["ssd_contacts"].set_index("cont_contact_id")
    c = contacts.loc["9212044/C/2020-09-16"]
    assert (c["cont_contact_source_code"], c["cont_contact_source_desc"]) == ("6", "Police")
    assert c[LINE_COLUMN] == 2
    refs = f["ssd_cin_episodes"].set_index("cine_referral_id")
    r = refs.loc["4653765/2020-09-16"]
    assert (r["cine_referral_source_code"], r["cine_referral_source_desc"]) == (
        "3D",
        "Health services",
    )
    assert r["cine_referral_nfa"] == "No"
    assert r["cine_referrals_last_12_months"] == "2"
    assert r["cine_allocated_worker"] == "Mathilde Cutsforth"  # non-breaking space made plain
    assert r["cine_referral_team"] == "Locality 4 Duty Team"
    assert r[LINE_COLUMN] == 3
    cin = refs.loc["12598894/2010-06-09"]
    assert cin["cine_cin_primary_need_code"] == "PSRMEM"
    assert cin["cine_case_status"] == "Child in need plan"
    assert refs.loc["8140425/2006-11-23", "cine_cin_primary_need_code"] == "N1"
    a = f["ssd_cin_assessments"].set_index("cina_assessment_id").loc["10692868/A/2019-05-16"]
    assert a["cina_assessment_auth_date"] == "2021-02-08"
    assert a["cina_assessment_child_seen"] == "Yes"
    assert a["cina_assessment_team"] == "Children in Care Team 1"
    assert a["cina_assessment_worker_id"] == "Lexie Defore"
    s47 = f["ssd_s47_enquiry"].set_index("s47e_s47_enquiry_id")
    # 6537810's S47 on the day of his list 3 referral belongs to that referral
    assert s47.loc["6537810/S47/2020-09-16", "s47e_referral_id"] == "6537810/2020-09-16"
    assert s47.loc["10273003/S47/2020-09-16", "s47e_icpc_not_required"] == "Yes"
    icpc = f["ssd_initial_cp_conference"].set_index("icpc_icpc_id")
    assert icpc.loc["11578763/ICPC/2020-10-01", "icpc_s47_enquiry_id"] == (
        "11578763/S47/2020-09-16"
    )
    assert icpc.loc["11578763/ICPC/2020-10-01", "icpc_icpc_outcome_cp_flag"] == "Yes"
    plans = f["ssd_cp_plans"].set_index("cppl_cp_plan_id")
    p = plans.loc["10721552/CPP/2020-11-23"]
    assert p["cppl_cp_plan_end_date"] == "2021-02-16"
    assert p["cppl_cp_plan_initial_category"] == "Physical abuse"
    assert p["cppl_allocated_worker"] == "Ezra Leigh"
    reviews = f[LAST_CP_REVIEW_TABLE].set_index("cp_plan_id")
    assert reviews.loc["10721552/CPP/2020-11-23", "last_review_date"] == "2021-02-16"
    seen = f[LAST_SEEN_TABLE]
    assert set(seen["source_list"]) == {"List 6", "List 7"}
    visit = seen[seen["person_id"] == "10721552"].iloc[0]
    assert (visit["last_seen_date"], visit["seen_alone"]) == ("2021-01-22", "Yes")


def test_unavailable_sections():
    st = read_annex_a(SAMPLE)
    assert set(st.unavailable) == {
        "allocation",
        "seen",
        "caseload",
        "cp_reviews",
        "oversight",
        "agencies",
    }
    # no involvements invented from names without dates, no review rows from the latest only
    assert "ssd_involvements" not in st.frames
    assert "ssd_cp_reviews" not in st.frames


def test_template_with_title_rows_and_empty_lists():
    # Ofsted's template: "List_1" sheets, a title in row 1, headers in row 2, no data.
    assert is_annex_a(TEMPLATE)
    st = read_annex_a(TEMPLATE)
    assert not st.problems
    for table in ("ssd_person", "ssd_cin_episodes", "ssd_contacts", "ssd_cp_plans"):
        assert table in st.frames and len(st.frames[table]) == 0


def test_is_annex_a(tmp_path):
    assert is_annex_a(SAMPLE)
    ssd = tmp_path / "extract.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "ssd_person"
    wb.create_sheet("ssd_cin_episodes")
    wb.create_sheet("List 1")  # even with a list-like sheet, SSD table sheets win
    wb.save(ssd)
    assert not is_annex_a(ssd)
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(other)
    assert not is_annex_a(other)
    assert not is_annex_a(SAMPLES / "cin_census" / "CIN2rows.xml")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    assert not is_annex_a(fake)


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_headers_that_differ_between_authorities(tmp_path):
    path = _workbook(
        tmp_path / "la.xlsx",
        {
            "List_3": [
                ["List 3: Referrals (the six months to 30 Sept)"],
                [],
                [
                    "Child unique ID ",
                    "GENDER",
                    "Ethnicity",
                    "Date of birth",
                    "Age of child (years)",
                    "Date of referral",
                    "Referral source",
                    "Referral NFA ?",
                    "No. of referrals in last 12 months",
                    "Allocated team",
                    "Allocated  worker",
                ],
                ["A1", "a) Male", "a) WBRI", "01/02/2015", "=2020-2015", "16/09/2020"]
                + ["q) 6: Police", "b) No", 1, "Team A", "Jo Bloggs"],
                ["A2", "b) Female", "NOBT", dt.datetime(2016, 3, 4), None, "31/02/2024"]
                + ["1A", "a) Yes", None, "#N/A", None],
                [None, None, None, None, "=1+1", None, None, None, None, None, None],
            ],
            "List 4 - Assessments": [
                ["Child ID", "Sex", "Assessment start date", "Child seen during the assessment"]
                + ["Assessment authorisation date", "Team", "Worker"],
                ["A1", "M", dt.date(2020, 9, 20), "Y", "=C2+10", "T", "W"],
            ],
        },
    )
    assert is_annex_a(path)
    st = read_annex_a(path)
    refs = st.frames["ssd_cin_episodes"].set_index("cine_referral_id")
    assert list(refs.index) == ["A1/2020-09-16", "A2/31/02/2024"]
    a1 = refs.loc["A1/2020-09-16"]
    assert a1["cine_referral_date"] == "2020-09-16"  # UK date made ISO
    assert a1["cine_referral_source_code"] == "6"
    assert a1["cine_referral_nfa"] == "No"
    assert a1["cine_referrals_last_12_months"] == "1"
    assert a1["cine_referral_worker_id"] == "Jo Bloggs"
    assert a1[LINE_COLUMN] == 4  # sheet row, below the title row and a blank row
    # an impossible date is passed on as written: the loader rejects the row with its line
    assert refs.loc["A2/31/02/2024", "cine_referral_date"] == "31/02/2024"
    people = st.frames["ssd_person"].set_index("pers_person_id")
    assert people.loc["A1", "pers_dob"] == "2015-02-01"
    assert people.loc["A2", "pers_dob"] == "2016-03-04"
    assert len(people) == 2  # the row holding only an age formula is not a child
    a = st.frames["ssd_cin_assessments"].iloc[0]
    assert a["cina_assessment_start_date"] == "2020-09-20"
    assert a["cina_referral_id"] == "A1/2020-09-16"
    assert a["cina_assessment_child_seen"] == "Y"
    # openpyxl saves no values for formulas: the authorisation date is empty, and warned
    assert a["cina_assessment_auth_date"] is None
    formula = [p for p in st.problems if "formula" in p.reason]
    assert len(formula) == 1
    f = formula[0]
    assert (f.severity, f.line, f.value, f.record_id) == (WARNING, 2, "=C2+10", "A1")
    assert f.file == f"{path}:List 4 - Assessments"
    assert f.column == "Assessment authorisation date"
    na = [p for p in st.problems if p.value == "#N/A"]
    assert [(p.line, p.record_id) for p in na] == [(5, "A2")]
    # lists missing from the workbook: their sections are unavailable, their tables absent
    assert "contacts" in st.unavailable and "ssd_contacts" not in st.frames
    assert "cp_plans" in st.unavailable and "ssd_cp_plans" not in st.frames


def test_rows_without_id_or_date_are_rejected(tmp_path):
    path = _workbook(
        tmp_path / "la.xlsx",
        {
            "List 1": [
                ["Child Unique ID", "Gender", "Date of Contact", "Contact Source"],
                [None, "a) Male", dt.date(2024, 1, 2), "6: Police"],
                ["B1", "x) Alien", None, "6: Police"],
                ["B1", "a) Male", dt.date(2024, 1, 2), "6: Police"],
                ["B1", "a) Male", dt.date(2024, 1, 2), "2A: Schools"],
            ]
        },
    )
    st = read_annex_a(path)
    rejected = [(p.line, p.record_id) for p in st.problems if p.severity == REJECTED]
    assert rejected == [(2, None), (3, "B1")]
    assert any("gender 'Alien'" in p.reason for p in st.problems)
    ids = list(st.frames["ssd_contacts"]["cont_contact_id"])
    assert ids == ["B1/C/2024-01-02", "B1/C/2024-01-02#2"]  # two contacts on one day


def test_a_list_without_its_date_column_stops(tmp_path):
    path = _workbook(
        tmp_path / "la.xlsx",
        {"List 3": [["Child Unique ID", "Gender", "Referral Source"], ["C1", "Male", "6"]]},
    )
    st = read_annex_a(path)
    stops = [p for p in st.problems if p.severity == STOP]
    assert len(stops) == 1
    assert "date of referral" in stops[0].reason and stops[0].file == f"{path}:List 3"


def test_unreadable_workbook_is_a_stop_not_a_crash(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    st = read_annex_a(bad)
    assert [p.severity for p in st.problems] == [STOP]


# -- end to end, through the loader -----------------------------------------------------------------


def test_end_to_end_annex_a(tmp_path):
    loader = pytest.importorskip("frontdoor.loader")
    db = tmp_path / "x.duckdb"
    report = loader.load_extract(SAMPLE, db)
    assert report.ok, report.stop
    con = duckdb.connect(str(db), read_only=True)
    for table, n in EXPECTED.items():
        if table in ("ssd_early_help_episodes", LAST_SEEN_TABLE, LAST_CP_REVIEW_TABLE):
            continue  # extra raw tables: not tables the loader writes
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, table  # noqa: S608
    assert con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0
    meta = dict(con.execute("SELECT key, value FROM load_meta").fetchall())
    assert "annex_a" in meta["source_kinds"]
    assert "allocation" in meta["unavailable"]


def test_an_empty_list_sheet_is_read_as_absent(tmp_path):
    path = _workbook(
        tmp_path / "la.xlsx",
        {"List 1": [], "List 3": [["Child Unique ID", "Date of Referral"], ["X", "05/01/2024"]]},
    )
    st = read_annex_a(path)
    assert [(p.severity, p.file) for p in st.problems if p.severity != RECODED] == [
        (WARNING, f"{path}:List 1")
    ]
    assert "ssd_contacts" not in st.frames and "contacts" in st.unavailable
    assert list(st.frames["ssd_cin_episodes"]["cine_referral_id"]) == ["X/2024-01-05"]
