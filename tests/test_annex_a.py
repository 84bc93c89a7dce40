"""The Annex A workbook reader: on workbooks the tests write themselves (always), and on both
public samples in ../shared where they exist (CI has them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest

from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, RECODED, REJECTED, STOP, WARNING
from frontdoor.sources.annex_a import is_annex_a, read_annex_a
from frontdoor.sources.annex_a_layout import LAST_CP_REVIEW_TABLE, LAST_SEEN_TABLE, UNAVAILABLE
from tests.returns_files import HEADERS, annex_a, annex_a_lists, child_cells, d, save_formula_values

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
ANNEX = SAMPLES / "annex_a"
SAMPLE = ANNEX / "Annex_A.xlsx"
TEMPLATE = ANNEX / "annex_a_template_2019.xlsx"
needs_samples = pytest.mark.skipif(
    not ANNEX.is_dir(), reason=f"the public Annex A samples are not beside the repository ({ANNEX})"
)


FULL_COUNTS = {
    "ssd_person": 6,
    "ssd_contacts": 3,
    "ssd_early_help_episodes": 1,
    "ssd_cin_episodes": 2 + 1,  # list 3's two, and N6 from list 6 (C1's is list 3's)
    "ssd_cin_assessments": 1,
    "ssd_s47_enquiry": 2,
    "ssd_initial_cp_conference": 1,
    "ssd_cp_plans": 1,
    LAST_CP_REVIEW_TABLE: 1,
    LAST_SEEN_TABLE: 2,  # C1 on list 6 (last seen) and list 7 (last statutory visit)
}


@pytest.fixture
def full(tmp_path) -> Path:
    return annex_a(tmp_path / "annex_a.xlsx", annex_a_lists())


def test_counts_match_the_hand_counts(full):
    st = read_annex_a(full)
    assert {t: len(f) for t, f in st.frames.items()} == FULL_COUNTS
    assert st.kinds == {"annex_a"}
    # the only problems: the two #N/A cells, and the list 6 row merged into list 3's referral
    assert not [p for p in st.problems if p.severity in (STOP, REJECTED)]


def test_frames_are_text_with_sheet_and_row(full):
    st = read_annex_a(full)
    for table, frame in st.frames.items():
        assert FILE_COLUMN in frame and LINE_COLUMN in frame, table
        for col in frame.columns:
            if col in (FILE_COLUMN, LINE_COLUMN):
                continue
            assert all(v is None or isinstance(v, str) for v in frame[col]), (table, col)
        assert frame[FILE_COLUMN].str.startswith(f"{full}:List ").all(), table
        assert (frame[LINE_COLUMN] >= 2).all()


def test_na_cells_are_warnings_and_read_as_empty(full):
    st = read_annex_a(full)
    na = [p for p in st.problems if p.value == "#N/A"]
    assert [(p.line, p.column, p.record_id) for p in na] == [
        (3, "Allocated Team", "N6"),
        (3, "Allocated Worker", "N6"),
    ]
    assert all(p.severity == WARNING and p.file == f"{full}:List 6" for p in na)
    cin = st.frames["ssd_cin_episodes"].set_index("cine_referral_id")
    assert cin.loc["N6/2023-06-09", "cine_allocated_team"] is None


def test_values_are_cleaned(full):
    f = read_annex_a(full).frames
    person = f["ssd_person"].set_index("pers_person_id")
    assert person.loc["C1", "pers_sex"] == "F"  # "b) Female"
    assert person.loc["C2", "pers_sex"] == "M"  # "a) Male"
    assert person.loc["R2", "pers_sex"] == "U"  # "c) Not stated/recorded"
    assert person.loc["C1", "pers_ethnicity"] == "WBRI"  # "a) WBRI"
    assert person.loc["C1", "pers_dob"] == "2015-01-25"
    assert person.loc["C1", FILE_COLUMN].endswith(":List 1")  # the first list naming her
    contacts = f["ssd_contacts"].set_index("cont_contact_id")
    c = contacts.loc["C1/C/2024-10-01"]
    assert (c["cont_contact_source_code"], c["cont_contact_source_desc"]) == ("6", "Police")
    assert c[LINE_COLUMN] == 2
    assert contacts.loc["C1/C/2024-10-01#2", "cont_contact_source_code"] == "2A"
    assert contacts.loc["C2/C/2024-10-03", "cont_contact_source_code"] == "1A"
    refs = f["ssd_cin_episodes"].set_index("cine_referral_id")
    r = refs.loc["C1/2024-10-02"]
    assert (r["cine_referral_source_code"], r["cine_referral_source_desc"]) == ("8", "Other")
    assert r["cine_referral_nfa"] == "No"
    assert r["cine_referrals_last_12_months"] == "0"
    assert r["cine_allocated_worker"] == "Jo Bloggs"  # non-breaking space made plain
    assert r["cine_referral_team"] == "MASH"
    # completed by its list 6 row: need code, case status, and both lists named
    assert r["cine_cin_primary_need_code"] == "N1"
    assert r["cine_case_status"] == "Child in need plan"
    assert r["cine_source_lists"] == "List 3,List 6"
    assert refs.loc["R2/2024-10-05", "cine_referral_nfa"] == "Yes"
    assert refs.loc["N6/2023-06-09", "cine_cin_primary_need_code"] == "N4"
    a = f["ssd_cin_assessments"].set_index("cina_assessment_id").loc["C1/A/2024-10-03"]
    assert a["cina_referral_id"] == "C1/2024-10-02"  # the latest referral on or before it
    assert a["cina_assessment_auth_date"] == "2024-11-01"
    assert a["cina_assessment_child_seen"] == "Yes"
    assert (a["cina_assessment_team"], a["cina_assessment_worker_id"]) == (
        "Assessment Team 1",
        "Ann Worker",
    )
    s47 = f["ssd_s47_enquiry"].set_index("s47e_s47_enquiry_id")
    assert s47.loc["C1/S47/2024-10-03", "s47e_referral_id"] == "C1/2024-10-02"
    assert s47.loc["S2/S47/2024-10-10", "s47e_icpc_not_required"] == "Yes"
    icpc = f["ssd_initial_cp_conference"].set_index("icpc_icpc_id").loc["C1/ICPC/2024-10-20"]
    assert icpc["icpc_s47_enquiry_id"] == "C1/S47/2024-10-03"
    assert icpc["icpc_icpc_outcome_cp_flag"] == "Yes"
    assert icpc["icpc_cp_plan_id"] == "C1/CPP/2024-10-20"
    p = f["ssd_cp_plans"].set_index("cppl_cp_plan_id").loc["C1/CPP/2024-10-20"]
    assert p["cppl_icpc_id"] == "C1/ICPC/2024-10-20"
    assert p["cppl_cp_plan_initial_category"] == "Neglect"
    assert p["cppl_number_of_previous_cpp"] == "1"
    assert p["cppl_allocated_worker"] == "Ezra Leigh"
    reviews = f[LAST_CP_REVIEW_TABLE].set_index("cp_plan_id")
    assert reviews.loc["C1/CPP/2024-10-20", "last_review_date"] == "2025-01-10"
    seen = f[LAST_SEEN_TABLE]
    assert sorted(zip(seen["source_list"], seen["last_seen_date"], strict=True)) == [
        ("List 6", "2024-11-20"),
        ("List 7", "2024-11-25"),
    ]
    visit = seen[seen["source_list"] == "List 7"].iloc[0]
    assert visit["seen_alone"] == "Yes"
    eh = f["ssd_early_help_episodes"].iloc[0]
    assert (eh["earl_episode_id"], eh["earl_episode_end_date"]) == (
        "E1/EH/2024-09-01",
        "2024-09-20",
    )


def test_unavailable_sections(full):
    st = read_annex_a(full)
    assert st.unavailable == UNAVAILABLE
    # no involvements invented from names without dates, no review rows from the latest only
    assert "ssd_involvements" not in st.frames
    assert "ssd_cp_reviews" not in st.frames


def test_formulas_with_saved_values_are_read_silently(tmp_path):
    path = annex_a(
        tmp_path / "a.xlsx",
        {3: [{**child_cells("F1"), "Date of Referral": d("2024-10-02"), "Age": "=2024-2015"}]},
    )
    save_formula_values(path, "List 3", {"E2": "9"})
    st = read_annex_a(path)
    # Nothing but the notes on values read otherwise (severity RECODED: tests/test_recoded.py).
    assert [p for p in st.problems if p.severity != RECODED] == []
    assert list(st.frames["ssd_cin_episodes"]["cine_referral_id"]) == ["F1/2024-10-02"]


def test_template_with_title_rows_and_empty_lists(tmp_path):
    """Ofsted's template: "List_1" sheets, a title in row 1, headers in row 2, no data."""
    wb = openpyxl.Workbook()
    wb.active.title = "Guidance"
    wb.active.append(["List 1: contacts (guidance mentions lists but is not one)"])
    for n in range(1, 8):
        ws = wb.create_sheet(f"List_{n}")
        ws.append([f"List {n}: the title Ofsted gives the list"])
        ws.append(HEADERS[n])
    path = tmp_path / "template.xlsx"
    wb.save(path)
    assert is_annex_a(path)
    st = read_annex_a(path)
    assert not st.problems
    for table in ("ssd_person", "ssd_cin_episodes", "ssd_contacts", "ssd_cp_plans"):
        assert table in st.frames and len(st.frames[table]) == 0


def test_end_to_end_annex_a(full, tmp_path):
    loader = pytest.importorskip("frontdoor.loader")
    db = tmp_path / "x.duckdb"
    report = loader.load_extract(full, db)
    assert report.ok, report.stop
    con = duckdb.connect(str(db), read_only=True)
    for table, n in FULL_COUNTS.items():
        if table in ("ssd_early_help_episodes", LAST_SEEN_TABLE, LAST_CP_REVIEW_TABLE):
            continue  # extra raw tables: not tables the loader writes
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, table  # noqa: S608
    assert con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0
    meta = dict(con.execute("SELECT key, value FROM load_meta").fetchall())
    assert "annex_a" in meta["source_kinds"]
    assert "allocation" in meta["unavailable"]


def test_is_annex_a(full, tmp_path):
    assert is_annex_a(full)
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
    xml = tmp_path / "c.xml"
    xml.write_text("<Message/>")
    assert not is_annex_a(xml)
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


# -- the public samples, where they are beside the repository ---------------------------------------

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


@needs_samples
def test_every_sample_is_covered():
    assert sorted(p.name for p in ANNEX.glob("*.xlsx")) == sorted([SAMPLE.name, TEMPLATE.name])


@needs_samples
def test_sample_counts_match_the_hand_counts():
    st = read_annex_a(SAMPLE)
    assert {t: len(f) for t, f in st.frames.items()} == EXPECTED
    assert st.kinds == {"annex_a"}
    assert not [p for p in st.problems if p.severity in (STOP, REJECTED)]


@needs_samples
@pytest.mark.parametrize("path", [SAMPLE, TEMPLATE], ids=lambda p: p.name)
@needs_samples
def test_frames_are_text_with_sheet_and_row_sample(path):
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


@needs_samples
def test_na_cells_are_warnings_and_read_as_empty_sample():
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


@needs_samples
def test_formulas_with_saved_values_are_read_silently_sample():
    # Lists 10 and 11 of the sample are formulas (=H2+5) with values saved by Excel.
    st = read_annex_a(SAMPLE)
    assert not [p for p in st.problems if "formula" in p.reason]
    # The #N/A cells, nothing else (the notes on values read otherwise are apart).
    assert len([p for p in st.problems if p.severity != RECODED]) == 10


@needs_samples
def test_values_are_cleaned_sample():
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


@needs_samples
def test_unavailable_sections_sample():
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


@needs_samples
def test_template_with_title_rows_and_empty_lists_sample():
    # Ofsted's template: "List_1" sheets, a title in row 1, headers in row 2, no data.
    assert is_annex_a(TEMPLATE)
    st = read_annex_a(TEMPLATE)
    assert not st.problems
    for table in ("ssd_person", "ssd_cin_episodes", "ssd_contacts", "ssd_cp_plans"):
        assert table in st.frames and len(st.frames[table]) == 0


@needs_samples
def test_end_to_end_annex_a_sample(tmp_path):
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
