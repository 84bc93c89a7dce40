"""The CIN census XML reader: on census files the tests write themselves (always), and on every
public sample file and the DfE XSDs in ../shared where they exist (CI has them)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, REJECTED, STOP, WARNING, cin_checks
from frontdoor.sources.cin_census import is_cin_census, read_cin_census
from frontdoor.sources.cin_census_layout import (
    PRE_PROCEEDINGS_COLUMNS,
    PRE_PROCEEDINGS_TABLE,
    UNAVAILABLE,
)
from tests.returns_files import (
    assessment,
    census,
    child,
    cin_plan,
    cp_plan,
    line_of,
    pre_proceedings,
    referral,
    s47,
    write,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"
CIN = SAMPLES / "cin_census"
needs_samples = pytest.mark.skipif(
    not CIN.is_dir(), reason=f"the public census samples are not beside the repository ({CIN})"
)
needs_xsds = pytest.mark.skipif(
    not list(CIN.glob("CIN_schema_*.xsd")) if CIN.is_dir() else True,
    reason=f"the DfE XSDs are not beside the repository ({CIN})",
)

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


def rich() -> str:
    """Two children, every module, valid by the 2024-25 specification.

    A1: referral 2024-05-01 (closed 2025-01-10, its own ICPC date 2024-06-20) with an assessment
    (factors 3A, 4B), a CIN plan, an S47 started 2024-05-20 whose ICPC was 2024-06-07, and a CP
    plan from 2024-06-07 with two reviews; and an NFA referral 2025-02-01 from the police.
    B2: referral 2024-11-15 with an assessment not yet authorised.
    Counted: 2 children, 3 referrals, 2 assessments, 1 CIN plan, 1 S47, 2 ICPCs (the S47's and
    the referral's own, on different days), 1 CP plan, 2 reviews."""
    return census(
        child(
            "A1",
            referral(
                "2024-05-01",
                assessment("2024-05-02", "2024-06-10", factors=["3A", "4B"]),
                cin_plan("2024-06-11", "2024-09-30"),
                s47("2024-05-20", icpc="2024-06-07", target="2024-06-10"),
                cp_plan(
                    "2024-06-07",
                    "2025-01-10",
                    initial="NEG",
                    latest="EMO",
                    previous="1",
                    reviews=["2024-09-05", "2024-12-05"],
                ),
                source="3A",
                close="2025-01-10",
                reason="RC8",
                icpc="2024-06-20",
            ),
            referral("2025-02-01", source="6", need="N4", nfa="1"),
            sex="F",
            disabilities=["HAND", "HEAR"],
        ),
        child("B2", referral("2024-11-15", assessment("2024-11-18")), dob="2012-07-01"),
    )


RICH_COUNTS = (2, 3, 2, 1, 1, 2, 1, 2)


def test_counts_and_no_problems_on_a_valid_file(tmp_path):
    st = read_cin_census([write(tmp_path / "c.xml", rich())])
    assert tuple(len(st.frames[t]) for t in TABLES_COUNTED) == RICH_COUNTS
    assert st.kinds == {"cin_census"}
    assert st.problems == []  # valid by the built-in rules: nothing to say


def test_frames_are_text_with_file_and_line(tmp_path):
    path = write(tmp_path / "c.xml", rich())
    st = read_cin_census([path])
    for table, frame in st.frames.items():
        assert FILE_COLUMN in frame and LINE_COLUMN in frame, table
        assert (frame[FILE_COLUMN] == str(path)).all()
        assert (frame[LINE_COLUMN] > 0).all()
        for col in frame.columns:
            if col in (FILE_COLUMN, LINE_COLUMN):
                continue
            assert all(v is None or isinstance(v, str) for v in frame[col]), (table, col)


def test_synthesised_ids_lines_and_mapping(tmp_path):
    text = rich()
    st = read_cin_census([write(tmp_path / "c.xml", text)])
    f = st.frames
    ref = f["ssd_cin_episodes"].set_index("cine_referral_id").loc["A1/2024-05-01"]
    assert ref["cine_person_id"] == "A1"
    assert ref["cine_referral_source_code"] == "3A"
    assert ref["cine_referral_source_desc"] == "Health services: general practitioner (GP)"
    assert ref["cine_cin_primary_need_code"] == "N1"
    assert (ref["cine_close_date"], ref["cine_close_reason"]) == ("2025-01-10", "RC8")
    assert ref["cine_referral_nfa"] == "0"
    assert ref["cine_collection_year"] == "2025"
    assert ref[LINE_COLUMN] == line_of(text, "<CINdetails>")
    police = f["ssd_cin_episodes"].set_index("cine_referral_id").loc["A1/2025-02-01"]
    assert police["cine_referral_source_desc"] == "Police"
    a = f["ssd_cin_assessments"].set_index("cina_assessment_id")
    first = a.loc["A1/2024-05-01/A/2024-05-02"]
    assert first["cina_referral_id"] == "A1/2024-05-01"
    assert first["cina_assessment_auth_date"] == "2024-06-10"
    assert first["cina_assessment_factors"] == "3A,4B"
    assert a.loc["B2/2024-11-15/A/2024-11-18"]["cina_assessment_auth_date"] is None
    s = f["ssd_s47_enquiry"].iloc[0]
    assert s["s47e_s47_enquiry_id"] == "A1/2024-05-01/S47/2024-05-20"
    assert s["s47e_icpc_target_date"] == "2024-06-10"
    icpc = f["ssd_initial_cp_conference"].set_index("icpc_icpc_id")
    from_s47 = icpc.loc["A1/2024-05-01/ICPC/2024-06-07"]
    assert from_s47["icpc_s47_enquiry_id"] == s["s47e_s47_enquiry_id"]
    assert from_s47["icpc_icpc_target_date"] == "2024-06-10"
    assert from_s47["icpc_source_element"] == "Section47"
    # the plan starts on the day of the S47's conference: that conference led to it
    assert from_s47["icpc_cp_plan_id"] == "A1/2024-05-01/CPP/2024-06-07"
    assert from_s47["icpc_icpc_outcome_cp_flag"] == "Y"
    from_episode = icpc.loc["A1/2024-05-01/ICPC/2024-06-20"]
    assert from_episode["icpc_source_element"] == "CINdetails"
    assert from_episode["icpc_s47_enquiry_id"] is None  # its S47 had its own conference
    assert from_episode[LINE_COLUMN] == line_of(text, "<DateOfInitialCPC>2024-06-20")
    plan = f["ssd_cp_plans"].iloc[0]
    assert plan["cppl_icpc_id"] == "A1/2024-05-01/ICPC/2024-06-07"
    assert plan["cppl_cp_plan_initial_category"] == "NEG"
    assert plan["cppl_cp_plan_latest_category"] == "EMO"
    assert plan["cppl_number_of_previous_cpp"] == "1"
    reviews = f["ssd_cp_reviews"]
    assert list(reviews["cppr_cp_review_id"]) == [
        "A1/2024-05-01/CPP/2024-06-07/R/2024-09-05",
        "A1/2024-05-01/CPP/2024-06-07/R/2024-12-05",
    ]
    assert list(reviews[LINE_COLUMN]) == [
        line_of(text, "<CPPreviewDate>2024-09-05"),
        line_of(text, "<CPPreviewDate>2024-12-05"),
    ]
    cinp = f["ssd_cin_plans"].iloc[0]
    assert cinp["cinp_cin_plan_id"] == "A1/2024-05-01/CINP/2024-06-11"
    assert cinp["cinp_cin_plan_end_date"] == "2024-09-30"
    person = f["ssd_person"].set_index("pers_person_id").loc["A1"]
    assert person["pers_disabilities"] == "HAND,HEAR"
    assert (person["pers_dob"], person["pers_sex"], person["pers_ethnicity"]) == (
        "2015-03-27",
        "F",
        "WBRI",
    )


def test_is_cin_census(tmp_path):
    assert is_cin_census(write(tmp_path / "c.xml", rich()))
    # cut short, it is still recognised (the reader then says what is wrong with it)
    assert is_cin_census(write(tmp_path / "cut.xml", rich()[:400]))
    other = write(tmp_path / "other.xml", "<Workforce><Worker><ID>1</ID></Worker></Workforce>")
    assert not is_cin_census(other)
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"\x00\x01 not xml")
    assert not is_cin_census(broken)
    assert not is_cin_census(write(tmp_path / "c.txt", rich()))


def test_unavailable_sections_and_no_empty_tables_for_them(tmp_path):
    st = read_cin_census([write(tmp_path / "c.xml", rich())])
    assert st.unavailable == UNAVAILABLE
    assert set(st.unavailable) == {
        "contacts",
        "allocation",
        "seen",
        "caseload",
        "oversight",
        "agencies",
    }
    # No empty stand-ins: a table the census lacks must be absent, so its measures say why.
    for absent in ("ssd_contacts", "ssd_involvements", "ssd_cin_visits", "ssd_cp_visits"):
        assert absent not in st.frames


def test_gender_current_and_sex_become_m_f_u(tmp_path):
    old = census(
        child("G1", referral("2023-05-01"), gender="1"),
        child("G9", referral("2023-05-02"), gender="9"),
        child("G2", referral("2023-05-03"), gender="2"),
        year=2024,
        reference_date="2024-03-31",
    )
    people = read_cin_census([write(tmp_path / "old.xml", old)]).frames["ssd_person"]
    assert dict(zip(people["pers_person_id"], people["pers_sex"], strict=True)) == {
        "G1": "M",
        "G9": "U",  # indeterminate
        "G2": "F",
    }
    new = census(
        child("S1", referral("2024-05-01"), sex="M"), child("S2", referral("2024-05-02"), sex="1")
    )
    st = read_cin_census([write(tmp_path / "new.xml", new)])
    people = st.frames["ssd_person"]
    assert dict(zip(people["pers_person_id"], people["pers_sex"], strict=True)) == {
        "S1": "M",
        "S2": "M",  # <Sex>1</Sex>: an old code in the new element, read as M and warned
    }
    warned = [p for p in st.problems if p.column == "Sex"]
    assert len(warned) == 1 and "GenderCurrent code" in warned[0].reason
    assert (warned[0].record_id, warned[0].line) == ("S2", line_of(new, "<Sex>1</Sex>"))


def test_stray_text_node_is_a_warning_with_child_and_element(tmp_path):
    text = rich().replace(
        "<PersonBirthDate>2015-03-27</PersonBirthDate>",
        "<UPNunknown>UN3</UPNunknown>PersonBirthDate\n        <PersonBirthDate>2015-03-27</PersonBirthDate>",
        1,
    )
    st = read_cin_census([write(tmp_path / "c.xml", text)])
    stray = [p for p in st.problems if "stray text" in p.reason]
    assert len(stray) == 1
    p = stray[0]
    assert (p.severity, p.record_id, p.column, p.value, p.table) == (
        WARNING,
        "A1",
        "ChildIdentifiers",
        "PersonBirthDate",
        "ssd_person",
    )
    assert p.line == line_of(text, "<UPNunknown>")
    person = st.frames["ssd_person"].set_index("pers_person_id").loc["A1"]
    assert person["pers_dob"] == "2015-03-27"  # the real element's date is read


def damaged() -> str:
    """A census breaking the specification in every way the built-in rules check."""
    text = census(
        child(
            "D1",
            referral(
                "2024-05-01",
                assessment("2024-05-02", factors=["3A", "RB"]),
                s47("2024-05-20", not_required="false"),
                cp_plan("2024-06-07", initial="XYZ", previous="-1"),
                source="ZZ",
                nfa="true",
            ),
        ),
        child("D2", referral("2024-06-01", nfa=None), ethnicity="WXYZ"),
    )
    # a second birth date, and an element the header may not hold
    text = text.replace(
        "<PersonBirthDate>2015-03-27</PersonBirthDate>",
        "<PersonBirthDate>2015-03-27</PersonBirthDate>\n        <PersonBirthDate>2015-03-28</PersonBirthDate>",
        1,
    )
    return text.replace("<LEA>201</LEA>", "<LEA>2O1</LEA>\n      <Owner>me</Owner>")


# (line needle, element, words in the reason)
DAMAGE_FOUND = [
    ("<LEA>2O1", "LEA", "is not a three-digit local authority number"),
    ("<Owner>", "Owner", "unexpected element <Owner> in <Source>"),
    ("<PersonBirthDate>2015-03-28", "PersonBirthDate", "holds 2 <PersonBirthDate> elements"),
    ("<ReferralSource>ZZ", "ReferralSource", "'ZZ' is not a CIN census code"),
    ("<AssessmentFactors>RB", "AssessmentFactors", "'RB' is not a CIN census code"),
    ("<ICPCnotRequired>false", "ICPCnotRequired", "'false' is not 0 or 1"),
    ("<ReferralNFA>true", "ReferralNFA", "'true' is not 0 or 1"),
    ("<InitialCategoryOfAbuse>XYZ", "InitialCategoryOfAbuse", "'XYZ' is not a CIN census code"),
    ("<NumberOfPreviousCPP>-1", "NumberOfPreviousCPP", "is not a whole number, 0 or more"),
    ("<Ethnicity>WXYZ", "Ethnicity", "'WXYZ' is not a CIN census code"),
]


def test_built_in_rules_find_each_breach_with_its_line_and_child(tmp_path):
    text = damaged()
    st = read_cin_census([write(tmp_path / "d.xml", text)])
    for needle, element, words in DAMAGE_FOUND:
        found = [p for p in st.problems if p.column == element and words in p.reason]
        assert len(found) == 1, (element, [p.reason for p in st.problems])
        assert found[0].line == line_of(text, needle), element
        assert found[0].severity == WARNING
    # a missing required element is found at its container, in the right child
    missing = [p for p in st.problems if "has no <ReferralNFA>" in p.reason]
    assert [(p.record_id, p.line) for p in missing] == [("D2", line_of(text, "<CINdetails>", 2))]
    assert {p.record_id for p in st.problems if p.column == "ReferralSource"} == {"D1"}
    assert len(st.problems) == len(DAMAGE_FOUND) + 1
    # everything is still read
    assert len(st.frames["ssd_cin_episodes"]) == 2
    assert st.frames["ssd_cp_plans"].iloc[0]["cppl_number_of_previous_cpp"] == "-1"


def test_repeated_breaches_are_summed_up(tmp_path):
    # 25 referrals writing ReferralNFA "true": 20 one by one, then one for the other 5
    kids = [child(f"K{i}", referral("2024-05-01", nfa="true")) for i in range(25)]
    st = read_cin_census([write(tmp_path / "c.xml", census(*kids))])
    nfa = [p for p in st.problems if p.column == "ReferralNFA"]
    assert len(nfa) == 21
    assert "5 more errors like the 20 above" in nfa[-1].reason
    assert [p.record_id for p in nfa[:3]] == ["K0", "K1", "K2"]


def test_pre_proceedings_kept_in_an_extra_table(tmp_path):
    text = census(
        child(
            "P1",
            referral(
                "2025-06-01",
                pre_proceedings(
                    "2025-09-09", LBPSentDate="2025-09-20", ReviewMeetingsCount="3", PPOutcome="A"
                ),
            ),
        ),
        year=2026,
        reference_date="2026-03-31",
    )
    st = read_cin_census([write(tmp_path / "c.xml", text)])
    pp = st.frames[PRE_PROCEEDINGS_TABLE]
    assert list(pp.columns) == [*PRE_PROCEEDINGS_COLUMNS, FILE_COLUMN, LINE_COLUMN]
    row = pp.iloc[0]
    assert row["pp_id"] == "P1/2025-06-01/PP/2025-09-09"
    assert row["pp_referral_id"] == "P1/2025-06-01"
    assert (row["pp_lbp_sent_date"], row["pp_review_meetings_count"], row["pp_outcome"]) == (
        "2025-09-20",
        "3",
        "A",
    )
    assert row[LINE_COLUMN] == line_of(text, "<PreProceedingsandFGDM>")
    assert not st.problems
    assert PRE_PROCEEDINGS_TABLE not in read_cin_census([write(tmp_path / "r.xml", rich())]).frames


def test_pre_proceedings_directly_under_the_child_are_kept(tmp_path):
    """The specification allows <PreProceedingsandFGDM> under <Child> as well as under
    <CINdetails>: before, one under the child rejected it ("child could not be read") and
    its pre-proceedings were lost."""
    text = census(
        child(
            "P1",
            referral("2025-06-01"),
            pre_proceedings=[pre_proceedings("2025-09-09", PPOutcome="A")],
        ),
        year=2026,
        reference_date="2026-03-31",
    )
    st = read_cin_census([write(tmp_path / "c.xml", text)])
    assert not st.problems
    row = st.frames[PRE_PROCEEDINGS_TABLE].iloc[0]
    # no referral: the id starts with the child's id (frontdoor/sources/cin_census.py's table)
    assert (row["pp_id"], row["pp_person_id"], row["pp_referral_id"]) == (
        "P1/PP/2025-09-09",
        "P1",
        None,
    )
    assert row["pp_outcome"] == "A"
    assert row[LINE_COLUMN] == line_of(text, "<PreProceedingsandFGDM>")
    assert list(st.frames["ssd_cin_episodes"]["cine_referral_id"]) == ["P1/2025-06-01"]


def two_years(tmp_path: Path) -> tuple[Path, Path]:
    """The 2023-24 return (year 2024, GenderCurrent) holds A1's referral of 2024-05-01 still
    open, a birth date since corrected, and a referral of 2023-01-05 the 2025 return no longer
    holds; the 2024-25 return is `rich()`."""
    old = census(
        child(
            "A1",
            referral("2023-01-05", close="2023-03-01", reason="RC8"),
            referral("2024-05-01", source="3A"),
            dob="2015-03-28",
            gender="2",
        ),
        year=2024,
        reference_date="2024-03-31",
    )
    return write(tmp_path / "old.xml", old), write(tmp_path / "new.xml", rich())


@pytest.mark.parametrize("reverse", [False, True])
def test_newer_collection_year_wins_and_older_records_are_kept(tmp_path, reverse):
    old, new = two_years(tmp_path)
    st = read_cin_census([new, old] if reverse else [old, new])
    refs = st.frames["ssd_cin_episodes"].set_index("cine_referral_id")
    # A1's two referrals of 2025, B2's, and the 2023 referral only the old file holds
    assert sorted(refs.index) == [
        "A1/2023-01-05",
        "A1/2024-05-01",
        "A1/2025-02-01",
        "B2/2024-11-15",
    ]
    assert refs.loc["A1/2024-05-01", FILE_COLUMN] == str(new)
    assert refs.loc["A1/2024-05-01", "cine_close_date"] == "2025-01-10"  # its latest state
    assert refs.loc["A1/2023-01-05", FILE_COLUMN] == str(old)
    person = st.frames["ssd_person"].set_index("pers_person_id").loc["A1"]
    assert person["pers_dob"] == "2015-03-27"  # 2025's, not 2024's 2015-03-28
    for table, frame in st.frames.items():
        assert not frame[frame.columns[0]].duplicated().any(), table


def test_same_year_twice_is_warned(tmp_path):
    first = write(tmp_path / "a.xml", rich())
    second = write(tmp_path / "b.xml", census(child("A1", referral("2024-05-01", source="6"))))
    st = read_cin_census([first, second])
    assert any("both the 2025 collection" in p.reason for p in st.problems)
    refs = st.frames["ssd_cin_episodes"].set_index("cine_referral_id")
    assert refs.loc["A1/2024-05-01", "cine_referral_source_code"] == "6"  # the later file wins


def test_an_xsd_folder_without_xsds_falls_back_to_the_rules(tmp_path, monkeypatch):
    path = write(tmp_path / "c.xml", damaged())
    empty = tmp_path / "xsds"
    empty.mkdir()
    st = read_cin_census([path], xsd_dir=empty)
    warned = [p for p in st.problems if "no CIN census XSD found" in p.reason]
    assert len(warned) == 1 and warned[0].severity == WARNING and str(empty) in warned[0].reason
    assert any("'ZZ' is not a CIN census code" in p.reason for p in st.problems)
    # the environment variable names the folder too
    monkeypatch.setenv("FRONTDOOR_CIN_XSD_DIR", str(empty))
    assert any("no CIN census XSD found" in p.reason for p in read_cin_census([path]).problems)


def test_the_reader_needs_nothing_beside_the_repository(tmp_path, monkeypatch):
    """No XSD named: the built-in rules check the file, whatever lies beside the repository."""
    monkeypatch.delenv("FRONTDOOR_CIN_XSD_DIR", raising=False)
    st = read_cin_census([write(tmp_path / "d.xml", damaged())])
    assert not any("XSD" in p.reason or ".xsd" in p.reason for p in st.problems)
    assert any("'ZZ' is not a CIN census code" in p.reason for p in st.problems)


def test_xsd_chunks_give_the_same_problems(tmp_path, monkeypatch):
    """Validation in chunks (an XSD written here, so it runs without ../shared)."""
    xsds = tmp_path / "xsds"
    xsds.mkdir()
    (xsds / "CIN_schema_2025.xsd").write_text(MINI_XSD)
    kids = [child(f"K{i}", referral("2024-05-01", nfa="true" if i % 2 else "0")) for i in range(5)]
    path = write(tmp_path / "c.xml", census(*kids))
    whole = read_cin_census([path], xsd_dir=xsds).problems
    monkeypatch.setattr(cin_checks, "VALIDATION_CHUNK", 2)
    chunked = read_cin_census([path], xsd_dir=xsds).problems
    assert chunked == whole
    assert [p.record_id for p in whole] == ["K1", "K3"]
    assert all("does not match CIN_schema_2025.xsd" in p.reason for p in whole)


# A cut-down XSD of the same shape as DfE's (just enough for a child with a referral).
MINI_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Message"><xs:complexType><xs:sequence>
    <xs:element name="Header" minOccurs="0"><xs:complexType><xs:sequence>
      <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="Children"><xs:complexType><xs:sequence>
      <xs:element name="Child" maxOccurs="unbounded"><xs:complexType><xs:sequence>
        <xs:element name="ChildIdentifiers"><xs:complexType><xs:sequence>
          <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="ChildCharacteristics"><xs:complexType><xs:sequence>
          <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="CINdetails" type="cindetailstype" maxOccurs="unbounded"/>
      </xs:sequence></xs:complexType></xs:element>
    </xs:sequence></xs:complexType></xs:element>
  </xs:sequence></xs:complexType></xs:element>
  <xs:complexType name="cindetailstype"><xs:sequence>
    <xs:element name="CINreferralDate" type="xs:date"/>
    <xs:element name="ReferralSource" type="xs:string"/>
    <xs:element name="PrimaryNeedCode" type="xs:string" minOccurs="0"/>
    <xs:element name="ReferralNFA" type="yesnotype"/>
  </xs:sequence></xs:complexType>
  <xs:simpleType name="yesnotype"><xs:restriction base="xs:string">
    <xs:enumeration value="0"/><xs:enumeration value="1"/>
  </xs:restriction></xs:simpleType>
</xs:schema>
"""


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


def test_a_file_cut_short_stops_with_line_and_column(tmp_path):
    cut = tmp_path / "cut.xml"
    cut.write_text(BROKEN[: BROKEN.index("<CINdetails>\n        <ReferralSource>")])
    st = read_cin_census([cut])
    assert [p.severity for p in st.problems] == [STOP]
    stop = st.problems[0]
    assert "not well-formed XML at line" in stop.reason and "Export the census again" in stop.reason
    assert (
        stop.line
        == BROKEN[: BROKEN.index("<CINdetails>\n        <ReferralSource>")].count("\n") + 1
    )
    assert stop.column.startswith("column ")
    # nothing of it is read: no half census
    assert not any(len(f) for f in st.frames.values())


def test_entities_are_never_expanded(tmp_path):
    for name, doctype, use in [
        ("internal", '<!ENTITY id "E1">', "&id;"),
        ("external", '<!ENTITY id SYSTEM "file:///etc/hostname">', "&id;"),
    ]:
        text = rich().replace("<LAchildID>A1</LAchildID>", f"<LAchildID>{use}</LAchildID>")
        text = text.replace("<Message>", f"<!DOCTYPE Message [{doctype}]>\n<Message>", 1)
        st = read_cin_census([write(tmp_path / f"{name}.xml", text)])
        assert [p.severity for p in st.problems] == [STOP], name
        assert "does not expand" in st.problems[0].reason and st.problems[0].value == "&id;"
        assert st.problems[0].line == line_of(text, "<LAchildID>&id;")
        assert not any(len(f) for f in st.frames.values())


def test_foreign_and_garbage_files_stop(tmp_path):
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
    text = census(
        child("A1", referral("2024-05-01", cp_plan("2024-06-07", reviews=["2024-09-05"]))),
    )
    # the same plan twice (as CIN2rows.xml does): one id, so the loader rejects the second copy
    twice = text.replace(
        "</ChildProtectionPlans>",
        "</ChildProtectionPlans>\n" + "\n".join(cp_plan("2024-06-07", reviews=["2024-09-05"])),
        1,
    )
    con = _load(write(tmp_path / "c.xml", twice), tmp_path)
    counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in ("ssd_person", "ssd_cin_episodes", "ssd_cp_plans", "ssd_cp_reviews")
    }
    assert counts == {
        "ssd_person": 1,
        "ssd_cin_episodes": 1,
        "ssd_cp_plans": 1,
        "ssd_cp_reviews": 1,
    }
    rejected = con.execute("SELECT table_name, line FROM rejected_rows ORDER BY 1").fetchall()
    assert rejected == [
        ("ssd_cp_plans", line_of(twice, "<ChildProtectionPlans>", 2)),
        ("ssd_cp_reviews", line_of(twice, "<CPPreviewDate>", 2)),
    ]


def test_end_to_end_census_folder_of_years(tmp_path):
    folder = tmp_path / "census"
    folder.mkdir()
    two_years(folder)
    con = _load(folder, tmp_path)
    assert con.execute("SELECT count(*) FROM ssd_cin_episodes").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM ssd_person").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0


# -- the public samples and DfE's XSDs, where they are beside the repository ------------------------

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


@needs_xsds
def test_a_valid_built_file_passes_the_dfe_xsd_too(tmp_path):
    st = read_cin_census([write(tmp_path / "c.xml", rich())], xsd_dir=CIN)
    assert st.problems == []


@needs_xsds
def test_built_in_rules_and_the_dfe_xsd_find_the_same_lines(tmp_path):
    """Each breach the built-in rules find, the DfE XSD finds on the same line, and no other."""
    path = write(tmp_path / "d.xml", damaged())
    rules = read_cin_census([path]).problems
    xsd = read_cin_census([path], xsd_dir=CIN).problems
    assert sorted(p.line for p in rules) == sorted(
        p.line for p in xsd if p.reason.startswith("does not match")
    )


@needs_samples
def test_every_sample_is_covered():
    assert sorted(p.name for p in CIN.glob("*.xml")) == sorted(EXPECTED)


@needs_samples
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_counts_match_the_hand_counts(name):
    st = read_cin_census([CIN / name])
    got = tuple(len(st.frames[t]) for t in TABLES_COUNTED)
    assert got == EXPECTED[name]
    assert st.kinds == {"cin_census"}
    assert not [p for p in st.problems if p.severity == STOP]


@needs_samples
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_frames_are_text_with_file_and_line_sample(name):
    st = read_cin_census([CIN / name])
    for table, frame in st.frames.items():
        assert FILE_COLUMN in frame and LINE_COLUMN in frame, table
        assert (frame[FILE_COLUMN] == str(CIN / name)).all()
        assert (frame[LINE_COLUMN] > 0).all()
        for col in frame.columns:
            if col in (FILE_COLUMN, LINE_COLUMN):
                continue
            assert all(v is None or isinstance(v, str) for v in frame[col]), (table, col)


@needs_samples
def test_is_cin_census_sample():
    for p in CIN.glob("*.xml"):
        assert is_cin_census(p), p
    assert not is_cin_census(CIN / "CIN_schema_2024.xsd")
    assert not is_cin_census(SAMPLES / "annex_a" / "Annex_A.xlsx")


@needs_samples
def test_unavailable_sections_and_no_empty_tables_for_them_sample():
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


@needs_samples
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


@needs_samples
def test_gender_current_and_sex_become_m_f_u_sample():
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


@needs_samples
def test_stray_text_node_is_a_warning_with_child_and_element_sample():
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


@needs_samples
def test_xsd_failures_are_warnings_with_lines():
    st = read_cin_census([CIN / "CIN2rows.xml"], xsd_dir=CIN)
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


@needs_samples
def test_schema_chosen_by_year_and_content():
    # The 2024 sample says Year 2023 but uses <Sex> (2024-25 onwards): validated with 2025.
    st = read_cin_census([CIN / "CIN_Census_2024.xml"], xsd_dir=CIN)
    notes = [p for p in st.problems if p.reason.startswith("the header says")]
    assert len(notes) == 1 and "CIN_schema_2025.xsd" in notes[0].reason
    reasons = [p.reason for p in st.problems]
    assert any("'RB' is not an element" in r for r in reasons)  # bad assessment factor
    assert any("FactorsIdentifiedAtAssessment" in r for r in reasons)  # empty factors
    # 2026: the pre-proceedings module is read, but no XSD describes it.
    st = read_cin_census([CIN / "CIN_Census_2026.xml"], xsd_dir=CIN)
    assert any("CIN_schema_2026.xsd instead" in p.reason for p in st.problems)
    pp = [p for p in st.problems if p.column == "PreProceedingsandFGDM"]
    assert len(pp) == 1 and pp[0].line == 71 and "without schema validation" in pp[0].reason
    # cin-2022.xml, Year 2022: the nearest schema, 2024, with no note
    st = read_cin_census([CIN / "cin-2022.xml"], xsd_dir=CIN)
    assert not [p for p in st.problems if p.reason.startswith("the header says")]
    assert {p.line for p in st.problems} == {60, 62}


@needs_samples
def test_repeated_schema_errors_are_summed_up():
    # fake_CIN_data.xml writes ReferralNFA "true" in all 402 referrals.
    st = read_cin_census([CIN / "fake_CIN_data.xml"], xsd_dir=CIN)
    nfa = [p for p in st.problems if p.column == "ReferralNFA"]
    assert len(nfa) == 21  # 20 one by one, then one for the other 382
    assert "382 more errors" in nfa[-1].reason


@needs_samples
def test_pre_proceedings_kept_in_an_extra_table_sample():
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


@needs_samples
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


@needs_samples
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


@needs_samples
def test_same_year_twice_is_warned_sample():
    st = read_cin_census([CIN / "CIN2rows.xml", CIN / "CIN_Census_2024.xml"])
    assert any("both the 2023 collection" in p.reason for p in st.problems)
    # the later file wins: its one CP plan replaces CIN2rows' repeated pair
    assert len(st.frames["ssd_cp_plans"]) == 1


@needs_samples
def test_end_to_end_census_sample(tmp_path):
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


@needs_samples
def test_end_to_end_census_sample_folder_of_years(tmp_path):
    folder = tmp_path / "census"
    folder.mkdir()
    for name in ("cin-2022.xml", "CIN_Census_2021.xml", "fake_CIN_data.xml"):
        (folder / name).write_bytes((CIN / name).read_bytes())
    con = _load(folder, tmp_path)
    assert con.execute("SELECT count(*) FROM ssd_cin_episodes").fetchone()[0] == 402 + 1
    assert con.execute("SELECT count(*) FROM ssd_person").fetchone()[0] == 332 + 1
    assert con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0


@needs_samples
def test_validation_in_chunks_gives_the_same_problems_sample(monkeypatch):
    whole = read_cin_census([CIN / "CIN_Census_2024.xml"], xsd_dir=CIN).problems
    monkeypatch.setattr(cin_checks, "VALIDATION_CHUNK", 1)
    chunked = read_cin_census([CIN / "CIN_Census_2024.xml"], xsd_dir=CIN).problems
    assert chunked == whole
    second_child = [p for p in chunked if p.line in (95, 97)]
    assert {p.record_id for p in second_child} == {"child_fails_assessments"}
