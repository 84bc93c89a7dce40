"""The CIN census XML reader, on every public sample file and on hand-made broken files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, REJECTED, STOP, WARNING
from frontdoor.sources.cin_census import (
    PRE_PROCEEDINGS_COLUMNS,
    PRE_PROCEEDINGS_TABLE,
    UNAVAILABLE,
    is_cin_census,
    read_cin_census,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
CIN = SAMPLES / "cin_census"

# Counted by hand in each file, with
#   grep -c '<LAchildID>'             children
#   grep -c '<CINdetails>'            referrals
#   grep -c '<Assessments>'           assessments
#   grep -c '<CINPlanDates>'          CIN plans
#   grep -c '<Section47>'             S47 enquiries
#   grep -c '<DateOfInitialCPC>'      ICPCs: every file has one in CINdetails and (except
#                                     fake_CIN_data) one in Section47, with different dates, so
#                                     they are two conferences; none coincide
#   grep -c '<ChildProtectionPlans>'  CP plans
#   grep -c '<CPPreviewDate>'         CP reviews
# fake_CIN_data.xml: 332 children, 402 CINdetails, 350 DateOfInitialCPC, no other module.
# CIN2rows.xml repeats the same ChildProtectionPlans block twice (deliberately): two rows with one
# id, of which the loader rejects the second.
EXPECTED = {
    # file: (children, referrals, assessments, cin plans, s47, icpc, cp plans, cp reviews)
    "CIN2rows.xml": (1, 1, 1, 1, 1, 2, 2, 2),
    "CIN_Census_2021.xml": (1, 1, 1, 1, 1, 2, 1, 1),
    "CIN_Census_2024.xml": (2, 2, 2, 1, 1, 2, 1, 1),
    "CIN_Census_2026.xml": (2, 2, 2, 1, 1, 2, 1, 1),
    "cin-2022.xml": (1, 1, 1, 1, 1, 2, 1, 1),
    "fake_CIN_data.xml": (332, 402, 0, 0, 0, 350, 0, 0),
}
TABLES_COUNTED = (
    "ssd_person",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_cin_plans",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    "ssd_cp_reviews",
)


def test_every_sample_is_covered():
    assert sorted(p.name for p in CIN.glob("*.xml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_counts_match_the_hand_counts(name):
    st = read_cin_census([CIN / name])
    got = tuple(len(st.frames[t]) for t in TABLES_COUNTED)
    assert got == EXPECTED[name]
    assert st.kinds == {"cin_census"}
    assert not [p for p in st.problems if p.severity == STOP]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_frames_are_text_with_file_and_line(name):
    st = read_cin_census([CIN / name])
    for table, frame in st.frames.items():
        assert FILE_COLUMN in frame and LINE_COLUMN in frame, table
        assert (frame[FILE_COLUMN] == str(CIN / name)).all()
        assert (frame[LINE_COLUMN] > 0).all()
        for col in frame.columns:
            if col in (FILE_COLUMN, LINE_COLUMN):
                continue
            assert all(v is None or isinstance(v, str) for v in frame[col]), (table, col)


def test_is_cin_census():
    for p in CIN.glob("*.xml"):
        assert is_cin_census(p), p
    assert not is_cin_census(CIN / "CIN_schema_2024.xsd")
    assert not is_cin_census(SAMPLES / "annex_a" / "Annex_A.xlsx")


def test_is_cin_census_rejects_other_xml(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text("<Workforce><Worker><ID>1</ID></Worker></Workforce>")
    assert not is_cin_census(other)
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"\x00\x01 not xml")
    assert not is_cin_census(broken)


def test_unavailable_sections_and_no_empty_tables_for_them():
    st = read_cin_census([CIN / "CIN2rows.xml"])
    assert set(st.unavailable) == {
        "contacts",
        "allocation",
        "seen",
        "caseload",
        "oversight",
        "agencies",
    }
    assert st.unavailable == UNAVAILABLE
    # No empty stand-ins: a table the census lacks must be absent, so its measures say why.
    for absent in ("ssd_contacts", "ssd_involvements", "ssd_cin_visits", "ssd_cp_visits"):
        assert absent not in st.frames


def test_synthesised_ids_and_mapping():
    st = read_cin_census([CIN / "CIN_Census_2024.xml"])
    f = st.frames
    ref = f["ssd_cin_episodes"].set_index("cine_referral_id").loc["DfEX0000001/2022-10-06"]
    assert ref["cine_person_id"] == "DfEX0000001"
    assert ref["cine_referral_source_code"] == "1A"
    assert ref["cine_cin_primary_need_code"] == "N4"
    assert ref["cine_close_date"] == "2023-02-27"
    assert ref["cine_close_reason"] == "RC1"
    assert ref["cine_referral_nfa"] == "0"
    assert ref["cine_referral_source_desc"]  # label from the XSD annotation
    assert ref[LINE_COLUMN] == 34  # the <CINdetails> line
    a = f["ssd_cin_assessments"].set_index("cina_assessment_id")
    first = a.loc["DfEX0000001/2022-10-06/A/2028-04-28"]
    assert first["cina_referral_id"] == "DfEX0000001/2022-10-06"
    assert first["cina_assessment_auth_date"] == "2020-09-19"
    assert first["cina_assessment_factors"] == "1C,RB,6B"
    assert (
        a.loc["child_fails_assessments/2024-10-24/A/2023-12-25"]["cina_assessment_factors"] is None
    )
    s47 = f["ssd_s47_enquiry"].iloc[0]
    assert s47["s47e_s47_enquiry_id"] == "DfEX0000001/2022-10-06/S47/2022-06-02"
    assert s47["s47e_icpc_target_date"] == "2022-06-23"
    assert s47["s47e_icpc_not_required"] == "false"
    icpc = f["ssd_initial_cp_conference"].set_index("icpc_icpc_id")
    from_s47 = icpc.loc["DfEX0000001/2022-10-06/ICPC/2022-06-17"]
    assert from_s47["icpc_s47_enquiry_id"] == s47["s47e_s47_enquiry_id"]
    assert from_s47["icpc_icpc_target_date"] == "2022-06-23"
    assert from_s47["icpc_source_element"] == "Section47"
    from_episode = icpc.loc["DfEX0000001/2022-10-06/ICPC/2022-12-06"]
    assert from_episode["icpc_source_element"] == "CINdetails"
    # its S47 already had its own conference, so this one is tied to none
    assert from_episode["icpc_s47_enquiry_id"] is None
    plan = f["ssd_cp_plans"].iloc[0]
    assert plan["cppl_cp_plan_id"] == "DfEX0000001/2022-10-06/CPP/2022-02-17"
    assert plan["cppl_cp_plan_initial_category"] == "PHY"
    assert plan["cppl_number_of_previous_cpp"] == "10"
    review = f["ssd_cp_reviews"].iloc[0]
    assert review["cppr_cp_review_id"] == "DfEX0000001/2022-10-06/CPP/2022-02-17/R/2023-02-15"
    assert review["cppr_cp_plan_id"] == plan["cppl_cp_plan_id"]
    cinp = f["ssd_cin_plans"].iloc[0]
    assert cinp["cinp_cin_plan_id"] == "DfEX0000001/2022-10-06/CINP/2023-01-24"
    assert cinp["cinp_cin_plan_end_date"] == "2023-01-26"
    person = f["ssd_person"].set_index("pers_person_id").loc["DfEX0000001"]
    assert person["pers_disabilities"] == "HAND,HEAR"
    assert person["pers_dob"] == "2015-03-27"
    assert person["pers_ethnicity"] == "WBRI"


def test_gender_current_and_sex_become_m_f_u():
    old = read_cin_census([CIN / "fake_CIN_data.xml"]).frames["ssd_person"]
    sex = dict(zip(old["pers_person_id"], old["pers_sex"], strict=True))
    assert sex["RND000215205141"] == "M"  # GenderCurrent 1
    assert sex["RND000824303014"] == "U"  # GenderCurrent 9 (indeterminate)
    assert set(old["pers_sex"]) <= {"M", "F", "U"}
    new = read_cin_census([CIN / "CIN_Census_2024.xml"])
    people = new.frames["ssd_person"]
    sex = dict(zip(people["pers_person_id"], people["pers_sex"], strict=True))
    assert sex["child_fails_assessments"] == "M"  # Sex M
    assert sex["DfEX0000001"] == "M"  # <Sex>1</Sex>: an old code in the new element, warned
    warned = [p for p in new.problems if p.column == "Sex" and "GenderCurrent code" in p.reason]
    assert len(warned) == 1 and warned[0].record_id == "DfEX0000001" and warned[0].line == 25


def test_stray_text_node_is_a_warning_with_child_and_element():
    # CIN_Census_2024.xml line 23: <UPNunknown>UN3</UPNunknown>PersonBirthDate
    st = read_cin_census([CIN / "CIN_Census_2024.xml"])
    stray = [p for p in st.problems if "stray text" in p.reason]
    assert len(stray) == 1
    p = stray[0]
    assert p.severity == WARNING
    assert p.record_id == "DfEX0000001"
    assert p.column == "ChildIdentifiers"
    assert p.value == "PersonBirthDate"
    assert p.line == 23
    assert p.table == "ssd_person"
    # the child is still loaded, with the birth date of the real element
    person = st.frames["ssd_person"].set_index("pers_person_id").loc["DfEX0000001"]
    assert person["pers_dob"] == "2015-03-27"


def test_xsd_failures_are_warnings_with_lines():
    st = read_cin_census([CIN / "CIN2rows.xml"])
    xsd = [p for p in st.problems if p.reason.startswith("does not match")]
    # CIN2rows.xml: Year 2023, GenderCurrent -> CIN_schema_2024.xsd; line 52 ICPCnotRequired false
    assert [(p.line, p.column, p.value) for p in xsd] == [(52, "ICPCnotRequired", "false")]
    assert all(p.severity == WARNING and "CIN_schema_2024.xsd" in p.reason for p in xsd)
    assert xsd[0].record_id == "DfEX0000001"
    # the same stray text as CIN_Census_2024.xml, after <UPNunknown> on line 23
    stray = [(p.line, p.record_id, p.column) for p in st.problems if "stray text" in p.reason]
    assert stray == [(23, "DfEX0000001", "ChildIdentifiers")]
    assert len(st.problems) == 2
    assert not [p for p in st.problems if p.severity in (STOP, REJECTED)]


def test_schema_chosen_by_year_and_content():
    # The 2024 sample says Year 2023 but uses <Sex> (2024-25 onwards): validated with 2025.
    st = read_cin_census([CIN / "CIN_Census_2024.xml"])
    notes = [p for p in st.problems if p.reason.startswith("the header says")]
    assert len(notes) == 1 and "CIN_schema_2025.xsd" in notes[0].reason
    reasons = [p.reason for p in st.problems]
    assert any("'RB' is not an element" in r for r in reasons)  # bad assessment factor
    assert any("FactorsIdentifiedAtAssessment" in r for r in reasons)  # empty factors
    # 2026: the pre-proceedings module is read, but no XSD describes it.
    st = read_cin_census([CIN / "CIN_Census_2026.xml"])
    assert any("CIN_schema_2026.xsd instead" in p.reason for p in st.problems)
    pp = [p for p in st.problems if p.column == "PreProceedingsandFGDM"]
    assert len(pp) == 1 and pp[0].line == 71 and "without schema validation" in pp[0].reason
    # cin-2022.xml, Year 2022: the nearest schema, 2024, with no note
    st = read_cin_census([CIN / "cin-2022.xml"])
    assert not [p for p in st.problems if p.reason.startswith("the header says")]
    assert {p.line for p in st.problems} == {60, 62}


def test_repeated_schema_errors_are_summed_up():
    # fake_CIN_data.xml writes ReferralNFA "true" in all 402 referrals.
    st = read_cin_census([CIN / "fake_CIN_data.xml"])
    nfa = [p for p in st.problems if p.column == "ReferralNFA"]
    assert len(nfa) == 21  # 20 one by one, then one for the other 382
    assert "382 more errors" in nfa[-1].reason


def test_pre_proceedings_kept_in_an_extra_table():
    st = read_cin_census([CIN / "CIN_Census_2026.xml"])
    pp = st.frames[PRE_PROCEEDINGS_TABLE]
    assert list(pp.columns) == [*PRE_PROCEEDINGS_COLUMNS, FILE_COLUMN, LINE_COLUMN]
    row = pp.iloc[0]
    assert row["pp_id"] == "DfEX0000001/2022-10-06/PP/2026-09-09"
    assert row["pp_referral_id"] == "DfEX0000001/2022-10-06"
    assert row["pp_lbp_sent_date"] == "2026-09-20"
    assert row["pp_review_meetings_count"] == "3"
    assert row["pp_outcome"] == "A"
    assert row["pp_letter_init_cp_date"] == "2027-02-05"
    assert PRE_PROCEEDINGS_TABLE not in read_cin_census([CIN / "cin-2022.xml"]).frames


def test_years_merge_without_duplicates():
    files = sorted(CIN.glob("*.xml"))
    st = read_cin_census(files)
    for table, frame in st.frames.items():
        key = frame.columns[0]
        assert not frame[key].duplicated().any(), table
    refs = st.frames["ssd_cin_episodes"]
    # distinct referrals over all files: fake 402 + DfEX0000001/1970-10-06 (2021, 2022)
    # + DfEX0000001/2022-10-06 (CIN2rows, 2024, 2026) + child_fails_assessments (2024, 2026)
    assert len(refs) == 402 + 3
    assert len(st.frames["ssd_person"]) == 332 + 2


@pytest.mark.parametrize("reverse", [False, True])
def test_newer_collection_year_wins(reverse):
    # cin-2022.xml (Year 2022) and CIN_Census_2021.xml (Year 2023) hold the same referral.
    files = [CIN / "cin-2022.xml", CIN / "CIN_Census_2021.xml"]
    st = read_cin_census(files[::-1] if reverse else files)
    refs = st.frames["ssd_cin_episodes"]
    assert list(refs["cine_referral_id"]) == ["DfEX0000001/1970-10-06"]
    assert refs.iloc[0][FILE_COLUMN] == str(CIN / "CIN_Census_2021.xml")
    assert refs.iloc[0]["cine_collection_year"] == "2023"
    person = st.frames["ssd_person"].iloc[0]
    assert person["pers_dob"] == "1965-03-27"  # 2023's, not 2022's 1966-03-24
    assert len(st.frames["ssd_cin_assessments"]) == 1


def test_same_year_twice_is_warned():
    st = read_cin_census([CIN / "CIN2rows.xml", CIN / "CIN_Census_2024.xml"])
    assert any("both the 2023 collection" in p.reason for p in st.problems)
    # the later file wins: its one CP plan replaces CIN2rows' repeated pair
    assert len(st.frames["ssd_cp_plans"]) == 1


def test_no_xsd_means_a_warning_not_a_failure(tmp_path, monkeypatch):
    st = read_cin_census([CIN / "CIN2rows.xml"], xsd_dir=tmp_path)
    warned = [p for p in st.problems if "no CIN census XSD found" in p.reason]
    assert len(warned) == 1 and warned[0].severity == WARNING
    assert len(st.frames["ssd_cin_episodes"]) == 1
    # the environment variable is the default
    monkeypatch.setenv("FRONTDOOR_CIN_XSD_DIR", str(tmp_path))
    st = read_cin_census([CIN / "CIN2rows.xml"])
    assert any("no CIN census XSD found" in p.reason for p in st.problems)
    monkeypatch.setenv("FRONTDOOR_CIN_XSD_DIR", str(CIN))
    st = read_cin_census([CIN / "CIN2rows.xml"])
    assert not any("no CIN census XSD found" in p.reason for p in st.problems)


BROKEN = """<Message>
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
  <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C1</LAchildID>
        <PersonBirthDate>2015-02-30</PersonBirthDate>
        <Sex>X</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2024-13-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <Assessments><AssessmentAuthorisationDate>2024-05-01</AssessmentAuthorisationDate>
        </Assessments>
        <ReferralNFA>0</ReferralNFA>
        <Surprise>boo</Surprise>
      </CINdetails>
      <CINdetails>
        <ReferralSource>1A</ReferralSource>
        <Section47><InitialCPCtarget>2024-01-01</InitialCPCtarget></Section47>
        <ReferralNFA>0</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><Sex>F</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2024-01-01</CINreferralDate>
      <ReferralSource>1A</ReferralSource><ReferralNFA>0</ReferralNFA></CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_broken_content_never_crashes(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(BROKEN)
    st = read_cin_census([path])
    by_column = {}
    for p in st.problems:
        by_column.setdefault(p.column, []).append(p)
    # impossible dates: warned with the child and element; kept, for the loader to reject
    dob = [p for p in by_column["PersonBirthDate"] if "not a valid date" in p.reason]
    assert dob and dob[0].record_id == "C1" and dob[0].value == "2015-02-30" and dob[0].line == 8
    ref = [p for p in by_column["CINreferralDate"] if "not a valid date" in p.reason]
    assert ref and ref[0].record_id == "C1"
    assert st.frames["ssd_cin_episodes"].iloc[0]["cine_referral_date"] == "2024-13-01"
    # an assessment with no start date and a CINdetails with no referral date: rejected
    rejected = [p for p in st.problems if p.severity == REJECTED]
    assert {p.column for p in rejected} == {
        "AssessmentActualStartDate",
        "CINreferralDate",
        "LAchildID",
    }
    assert all(p.record_id == "C1" for p in rejected if p.column != "LAchildID")
    # an unknown element is reported, not loaded
    assert any("unexpected element <Surprise>" in p.reason for p in st.problems)
    # an unknown sex code is kept as written and warned
    assert st.frames["ssd_person"].iloc[0]["pers_sex"] == "X"
    assert len(st.frames["ssd_person"]) == 1  # the child with no LAchildID is skipped
    assert not [p for p in st.problems if p.severity == STOP]


def test_malformed_and_foreign_files(tmp_path):
    cut = tmp_path / "cut.xml"
    cut.write_text(BROKEN[: BROKEN.index("<CINdetails>\n        <ReferralSource>")])
    st = read_cin_census([cut])
    assert any("not well-formed" in p.reason for p in st.problems)
    assert len(st.frames["ssd_person"]) == 1
    foreign = tmp_path / "foreign.xml"
    foreign.write_text("<Workforce/>")
    st = read_cin_census([foreign])
    assert [p.severity for p in st.problems] == [STOP]
    garbage = tmp_path / "garbage.xml"
    garbage.write_bytes(b"\x00\x01\x02")
    st = read_cin_census([garbage])
    assert st.problems and st.problems[0].severity == STOP


# -- end to end, through the loader -----------------------------------------------------------------


def _load(src: Path, tmp_path: Path):
    loader = pytest.importorskip("frontdoor.loader")
    db = tmp_path / "x.duckdb"
    report = loader.load_extract(src, db)
    assert report.ok, report.stop
    return duckdb.connect(str(db), read_only=True)


def test_end_to_end_census(tmp_path):
    con = _load(CIN / "CIN2rows.xml", tmp_path)
    counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in TABLES_COUNTED
    }
    # as read, less the repeated CP plan and its review, which the loader rejects as duplicates
    assert counts == {
        "ssd_person": 1,
        "ssd_cin_episodes": 1,
        "ssd_cin_assessments": 1,
        "ssd_cin_plans": 1,
        "ssd_s47_enquiry": 1,
        "ssd_initial_cp_conference": 2,
        "ssd_cp_plans": 1,
        "ssd_cp_reviews": 1,
    }
    rejected = con.execute("SELECT table_name, line FROM rejected_rows ORDER BY 1").fetchall()
    assert rejected == [("ssd_cp_plans", 65), ("ssd_cp_reviews", 72)]


def test_end_to_end_census_folder_of_years(tmp_path):
    folder = tmp_path / "census"
    folder.mkdir()
    for name in ("cin-2022.xml", "CIN_Census_2021.xml", "fake_CIN_data.xml"):
        (folder / name).write_bytes((CIN / name).read_bytes())
    con = _load(folder, tmp_path)
    assert con.execute("SELECT count(*) FROM ssd_cin_episodes").fetchone()[0] == 402 + 1
    assert con.execute("SELECT count(*) FROM ssd_person").fetchone()[0] == 332 + 1
    assert con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0


def test_validation_in_chunks_gives_the_same_problems(monkeypatch):
    from frontdoor.sources import cin_census

    whole = read_cin_census([CIN / "CIN_Census_2024.xml"]).problems
    monkeypatch.setattr(cin_census, "VALIDATION_CHUNK", 1)
    chunked = read_cin_census([CIN / "CIN_Census_2024.xml"]).problems
    assert chunked == whole
    second_child = [p for p in chunked if p.line in (95, 97)]
    assert {p.record_id for p in second_child} == {"child_fails_assessments"}
