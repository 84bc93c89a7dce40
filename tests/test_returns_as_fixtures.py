"""The census and Annex A readers' key assertions, run over files frontdoor writes itself, so
they hold on a fresh clone with nothing beside it (the reader tests proper use the public
samples in ../shared). The files come from the hand-built databases of the writer tests, whose
content is known row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from frontdoor.returns import write_private
from frontdoor.returns.annex_a import build_annex_a
from frontdoor.returns.cin_census import build_cin_census
from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, RECODED, STOP, WARNING, cin_checks
from frontdoor.sources.annex_a import is_annex_a, read_annex_a
from frontdoor.sources.annex_a_layout import UNAVAILABLE as ANNEX_UNAVAILABLE
from frontdoor.sources.cin_census import is_cin_census, read_cin_census
from frontdoor.sources.cin_census_layout import UNAVAILABLE as CENSUS_UNAVAILABLE
from tests.conftest import build_db
from tests.test_returns_annex_a import AS_OF
from tests.test_returns_annex_a import HAND as ANNEX_HAND
from tests.test_returns_cin_census import HAND as CENSUS_HAND

NO_XSD = "no CIN census XSD found"


def _write(result, path: Path) -> Path:
    write_private(path, result.content)
    return path


@pytest.fixture(scope="module")
def census_files(tmp_path_factory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("census_fixtures")
    con = build_db(root / "hand.duckdb", CENSUS_HAND)
    try:
        return {
            y: _write(build_cin_census(con, y), root / f"cin_{y}.xml") for y in (2024, 2025, 2026)
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def annex_files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("annex_fixtures")
    con = build_db(root / "hand.duckdb", ANNEX_HAND)
    try:
        return {
            layout: _write(build_annex_a(con, AS_OF, layout=layout), root / f"{layout}.xlsx")
            for layout in ("ofsted-2019", "later")
        }
    finally:
        con.close()


def _problems(read) -> list:
    """The read's problems but the missing-XSD warning and the notes on values read otherwise
    (severity RECODED: tests/test_recoded.py)."""
    return [
        p
        for p in read.problems
        if not (p.severity == WARNING and NO_XSD in p.reason) and p.severity != RECODED
    ]


# -- CIN census -------------------------------------------------------------------------------------

CENSUS_TABLES = (
    "ssd_person",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_cin_plans",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    "ssd_cp_reviews",
)


def test_census_counts_match_the_hand_counts(census_files):
    read = read_cin_census([census_files[2026]])
    # C1 and C2; R1, R2, R3; A1, A2 (R1) and A4 (R3); CP1; S1, S2; I1 (S47) and I2 (transfer-in);
    # P1; V1 (see tests/test_returns_cin_census.py for why the rest is left out)
    assert tuple(len(read.frames[t]) for t in CENSUS_TABLES) == (2, 3, 3, 1, 2, 2, 1, 1)
    assert read.kinds == {"cin_census"}
    assert _problems(read) == []


def test_census_frames_are_text_with_file_and_line(census_files):
    path = census_files[2026]
    read = read_cin_census([path])
    for table, frame in read.frames.items():
        assert (frame[FILE_COLUMN] == str(path)).all(), table
        assert (frame[LINE_COLUMN] > 0).all(), table
        for col in frame.columns:
            if col not in (FILE_COLUMN, LINE_COLUMN):
                assert all(v is None or isinstance(v, str) for v in frame[col]), (table, col)


def test_census_is_recognised(census_files, tmp_path):
    assert all(is_cin_census(p) for p in census_files.values())
    other = tmp_path / "other.xml"
    other.write_text("<Workforce><Worker/></Workforce>")
    assert not is_cin_census(other)


def test_census_unavailable_sections_and_no_empty_tables(census_files):
    read = read_cin_census([census_files[2026]])
    assert read.unavailable == CENSUS_UNAVAILABLE
    for absent in ("ssd_contacts", "ssd_involvements", "ssd_cin_visits", "ssd_cp_visits"):
        assert absent not in read.frames


def test_census_synthesised_ids_and_mapping(census_files):
    f = read_cin_census([census_files[2026]]).frames
    ref = f["ssd_cin_episodes"].set_index("cine_referral_id").loc["C1/2025-03-15"]
    assert (ref["cine_referral_source_code"], ref["cine_cin_primary_need_code"]) == ("6", "N1")
    assert ref["cine_referral_nfa"] == "0" and ref["cine_close_date"] is None
    a = f["ssd_cin_assessments"].set_index("cina_assessment_id")
    assert a.loc["C1/2025-03-15/A/2025-03-20"]["cina_assessment_auth_date"] == "2025-04-10"
    assert a.loc["C2/2025-09-01/A/2025-09-03"]["cina_referral_id"] == "C2/2025-09-01"
    icpc = f["ssd_initial_cp_conference"].set_index("icpc_icpc_id")
    from_s47 = icpc.loc["C1/2025-03-15/ICPC/2025-05-20"]
    assert from_s47["icpc_source_element"] == "Section47"
    assert from_s47["icpc_s47_enquiry_id"] == "C1/2025-03-15/S47/2025-05-01"
    assert from_s47["icpc_icpc_target_date"] == "2025-05-22"
    assert from_s47["icpc_cp_plan_id"] == "C1/2025-03-15/CPP/2025-05-20"
    assert icpc.loc["C1/2025-03-15/ICPC/2025-12-01"]["icpc_source_element"] == "CINdetails"
    s47 = f["ssd_s47_enquiry"].set_index("s47e_s47_enquiry_id")
    assert s47.loc["C1/2025-03-15/S47/2025-11-01"]["s47e_icpc_not_required"] == "1"
    plan = f["ssd_cp_plans"].iloc[0]
    assert plan["cppl_cp_plan_initial_category"] == "NEG"
    assert plan["cppl_number_of_previous_cpp"] == "1"
    assert plan["cppl_icpc_id"] == "C1/2025-03-15/ICPC/2025-05-20"
    review = f["ssd_cp_reviews"].iloc[0]
    assert review["cppr_cp_review_id"] == "C1/2025-03-15/CPP/2025-05-20/R/2025-08-20"
    people = f["ssd_person"].set_index("pers_person_id")
    assert people.loc["C1"][["pers_sex", "pers_ethnicity", "pers_dob"]].tolist() == [
        "F",
        "WBRI",
        "2015-05-01",
    ]
    assert people.loc["C2"]["pers_sex"] == "U"


def test_census_gender_current_years_read_as_sex(census_files):
    read = read_cin_census([census_files[2024]])
    sex = dict(
        zip(
            read.frames["ssd_person"]["pers_person_id"],
            read.frames["ssd_person"]["pers_sex"],
            strict=True,
        )
    )
    assert sex == {"C3": "M"}  # the one child of 2023-24, written <GenderCurrent>1
    assert _problems(read) == []


def test_census_years_merge_without_duplicates(census_files):
    both = read_cin_census([census_files[2025], census_files[2026]])
    ids = list(both.frames["ssd_cin_episodes"]["cine_referral_id"])
    assert len(ids) == len(set(ids))
    # R1 is in both years; R4 only in 2024-25, R2 only in 2025-26
    assert {"C1/2025-03-15", "C3/2024-01-01", "C1/2025-06-01"} <= set(ids)
    rows = both.frames["ssd_cin_episodes"].set_index("cine_referral_id")
    assert rows.loc["C1/2025-03-15"]["cine_collection_year"] == "2026"  # the newer year wins


def test_census_end_to_end(census_files, tmp_path):
    from frontdoor.loader import load_extract

    folder = tmp_path / "census"
    folder.mkdir()
    for year in (2025, 2026):
        (folder / census_files[year].name).write_bytes(census_files[year].read_bytes())
    report = load_extract(folder, tmp_path / "x.duckdb")
    assert report.ok and report.rejected == 0, report.render()
    con = duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM ssd_cin_episodes").fetchone()[0] == 4
        assert con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0
    finally:
        con.close()


def test_census_validation_in_chunks_gives_the_same_problems(census_files, monkeypatch):
    whole = read_cin_census([census_files[2026]]).problems
    monkeypatch.setattr(cin_checks, "VALIDATION_CHUNK", 1)
    assert read_cin_census([census_files[2026]]).problems == whole


# -- Annex A ---------------------------------------------------------------------------------------

ANNEX_TABLES = (
    "ssd_person",
    "ssd_contacts",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
)


# R1 is list 3's first row: row 3 under the 2019 template's two heading rows, row 2 in the later one
FIRST_ROW_OF_LIST_3 = {
    "ofsted-2019": "the same referral as row 3 of List_3",
    "later": "the same referral as row 2 of List 3",
}


@pytest.mark.parametrize("layout", ["ofsted-2019", "later"])
def test_annex_counts_match_the_hand_counts(annex_files, layout):
    read = read_annex_a(annex_files[layout])
    # K1-K3; C2, C3; R1 (lists 3 and 6, one row), R2 (3), R3 (6); A1, A3; S1; I1; P1
    assert tuple(len(read.frames[t]) for t in ANNEX_TABLES) == (3, 2, 3, 2, 1, 1, 1)
    assert read.kinds == {"annex_a"}
    assert [p for p in read.problems if p.severity == STOP] == []
    # R1 is in lists 3 and 6: read as one referral, and the merge is reported (issue 9), nothing
    # else (but the notes on values read otherwise, severity RECODED: tests/test_recoded.py)
    assert [
        (p.severity, p.record_id, p.reason.split(" (")[0])
        for p in read.problems
        if p.severity != RECODED
    ] == [(WARNING, "K1", FIRST_ROW_OF_LIST_3[layout])]


@pytest.mark.parametrize(
    ("layout", "sheet", "first"), [("ofsted-2019", "List_1", 3), ("later", "List 1", 2)]
)
def test_annex_frames_are_text_with_sheet_and_row(annex_files, layout, sheet, first):
    path = annex_files[layout]
    frames = read_annex_a(path).frames
    contacts = frames["ssd_contacts"]
    assert list(contacts[FILE_COLUMN]) == [f"{path}:{sheet}"] * 2
    assert list(contacts[LINE_COLUMN]) == [first, first + 1]
    for table, frame in frames.items():
        for col in frame.columns:
            if col not in (FILE_COLUMN, LINE_COLUMN):
                assert all(v is None or isinstance(v, str) for v in frame[col]), (table, col)


def test_annex_is_recognised(annex_files, census_files):
    assert all(is_annex_a(p) for p in annex_files.values())
    assert not is_annex_a(census_files[2026])


def test_annex_values_are_cleaned(annex_files):
    f = read_annex_a(annex_files["ofsted-2019"]).frames
    people = f["ssd_person"].set_index("pers_person_id")
    assert people.loc["K1"][["pers_sex", "pers_ethnicity", "pers_dob"]].tolist() == [
        "M",
        "WBRI",
        "2015-06-15",
    ]
    assert people.loc["K2"]["pers_dob"] == "2026-05-01"
    contact = f["ssd_contacts"].iloc[0]
    assert (contact["cont_contact_source_code"], contact["cont_contact_source_desc"]) == (
        "6",
        "Police",
    )
    eps = f["ssd_cin_episodes"].set_index("cine_referral_id")
    r1 = eps.loc["K1/2025-10-02"]
    assert r1["cine_source_lists"] == "List_3,List_6"  # one referral, completed by list 6
    assert (r1["cine_referral_nfa"], r1["cine_cin_primary_need_code"]) == ("No", "N1")
    assert r1["cine_referral_worker_id"].startswith("'=")  # neutralised, read as text
    assert eps.loc["K3/2025-08-01"]["cine_close_reason"] == "RC8"
    plan = f["ssd_cp_plans"].iloc[0]
    assert plan["cppl_cp_plan_initial_category"] == "Neglect"
    assert plan["cppl_icpc_id"] == "K1/ICPC/2025-10-20"
    icpc = f["ssd_initial_cp_conference"].iloc[0]
    assert icpc["icpc_cp_plan_id"] == "K1/CPP/2025-10-20"
    assert icpc["icpc_icpc_outcome_cp_flag"] == "Yes"


def test_annex_unavailable_sections(annex_files):
    read = read_annex_a(annex_files["later"])
    assert read.unavailable == ANNEX_UNAVAILABLE  # every front door list present


def test_annex_empty_list_is_a_true_zero(tmp_path):
    hand = dict(ANNEX_HAND, ssd_contacts=[])
    con = build_db(tmp_path / "no_contacts.duckdb", hand)
    try:
        path = _write(build_annex_a(con, AS_OF), tmp_path / "annex.xlsx")
    finally:
        con.close()
    read = read_annex_a(path)
    assert len(read.frames["ssd_contacts"]) == 0
    assert "contacts" not in read.unavailable


def test_annex_end_to_end(annex_files, tmp_path):
    from frontdoor.loader import load_extract

    report = load_extract(annex_files["ofsted-2019"], tmp_path / "a.duckdb")
    # one warning: R1's list 6 row merged into its list 3 referral, reported (issue 9)
    assert report.ok and report.rejected == 0 and report.warnings == 1, report.render()
    con = duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM ssd_cin_episodes").fetchone()[0] == 3
        last = con.execute("SELECT last_review_date FROM annex_a_last_cp_review").fetchall()
        assert last == [(dt.date(2026, 1, 15),)] or last == [("2026-01-15",)]
    finally:
        con.close()
