"""The damaged-input suite for the returns: CIN census files and Annex A workbooks damaged the way
real ones are, one case per kind of damage.

Each case writes a good return (tests/returns_files.py), loads it with `frontdoor load` into a
good database, then loads the damaged one over it. A load that stops must exit non-zero, say where
(file, line, column or field) and what to do, and leave the good database byte for byte; a load
that completes must keep the invariant (rows read = loaded + rejected for every table and file,
every required table has rows, every table's loaded count is its row count), and the damage must
show where it was promised: a rejected row, a data issue, or a value left missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path

import duckdb
import pytest

from frontdoor.cli import main
from tests.returns_files import (
    annex_a,
    annex_a_lists,
    census,
    child,
    child_cells,
    cp_plan,
    d,
    line_of,
    referral,
    s47,
    write,
)
from tests.test_damaged_files import assert_invariant, digest

END = dt.date(2025, 3, 31)


class Case:
    """A good database loaded from a valid census; damaged returns are loaded over it."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.db = tmp_path / "db" / "front.duckdb"
        good = write(tmp_path / "good.xml", census(child("G1", referral("2024-05-01"))))
        code, out = self.load(good)
        assert code == 0, out
        self.good = digest(self.db)

    def load(self, source: Path) -> tuple[int, str]:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(
                ["load", "--extract", str(source), "--db", str(self.db)]
                + ["--extract-date", END.isoformat()]
            )
        return code, buf.getvalue()

    def stopped(self, source: Path) -> str:
        """Load, expect a stop: non-zero exit, the good database byte for byte, no temp file."""
        code, out = self.load(source)
        assert code != 0, out
        assert "LOAD STOPPED" in out and "unchanged" in out
        assert digest(self.db) == self.good
        assert sorted(p.name for p in self.db.parent.iterdir()) == [self.db.name]
        return out

    def loaded(self, source: Path) -> str:
        code, out = self.load(source)
        assert code == 0, out
        assert_invariant(self.db)
        return out

    def query(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def rejected(self, table: str) -> list[tuple]:
        return self.query(
            "SELECT line, column_name, value, reason FROM rejected_rows WHERE table_name = ? "
            "ORDER BY line",
            [table],
        )

    def issues(self, table: str) -> list[tuple]:
        """The table's warnings (the notes on values read otherwise, severity 'recoded', apart:
        tests/test_recoded.py)."""
        return self.query(
            "SELECT line, column_name, value, issue FROM data_issues WHERE table_name = ? "
            "AND severity <> 'recoded' ORDER BY line",
            [table],
        )


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Case:
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "audit.jsonl"))
    monkeypatch.delenv("FRONTDOOR_CIN_XSD_DIR", raising=False)
    return Case(tmp_path)


def two_children() -> str:
    return census(
        child("A1", referral("2024-05-01", s47("2024-05-20", icpc="2024-06-07"))),
        child("B2", referral("2024-11-15")),
    )


# -- CIN census ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cut_at", ["<Child>", "<CINdetails>", "</ChildIdentifiers>", "</Children>"]
)
def test_census_cut_short_stops_naming_line_and_column(case, cut_at):
    """Half a census never loads: wherever the copy failed, the load stops."""
    text = two_children()
    cut = text[: text.index(cut_at, text.index("</Child>"))]  # within the second child
    out = case.stopped(write(case.tmp / "cut.xml", cut))
    last = cut.count("\n") + 1
    assert f"line {last}, column" in out  # where the file ends
    assert "not well-formed XML" in out and "Export the census again" in out


def test_census_with_an_unclosed_element_stops(case):
    text = two_children().replace("</LAchildID>", "", 1)
    out = case.stopped(write(case.tmp / "bad.xml", text))
    assert "not well-formed XML at line" in out
    assert "Opening and ending tag mismatch" in out  # the parser's own words


@pytest.mark.parametrize(
    ("doctype", "use"),
    [
        ('<!ENTITY who SYSTEM "file:///etc/hostname">', "&who;"),  # an outside file
        ('<!ENTITY who "B2">', "&who;"),  # plain text substitution
    ],
)
def test_census_with_entities_stops(case, doctype, use):
    text = two_children().replace("<LAchildID>B2</LAchildID>", f"<LAchildID>{use}</LAchildID>")
    text = text.replace("<Message>", f"<!DOCTYPE Message [{doctype}]>\n<Message>", 1)
    out = case.stopped(write(case.tmp / "entity.xml", text))
    assert "does not expand" in out
    assert f"line {line_of(text, '<LAchildID>&who;')}" in out


def test_census_with_an_entity_bomb_stops(case):
    levels = ['<!ENTITY a0 "aaaaaaaaaa">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9)
    ]
    text = two_children().replace("<LAchildID>B2</LAchildID>", "<LAchildID>&a8;</LAchildID>")
    text = text.replace("<Message>", f"<!DOCTYPE Message [{''.join(levels)}]>\n<Message>", 1)
    out = case.stopped(write(case.tmp / "bomb.xml", text))
    assert "not well-formed XML" in out or "does not expand" in out


def test_census_section47_without_start_keeps_its_icpc(case):
    text = census(
        child(
            "A1",
            referral(
                "2024-05-01",
                s47(None, icpc="2024-06-07", target="2024-06-10"),
                cp_plan("2024-06-07"),
            ),
        )
    )
    case.loaded(write(case.tmp / "c.xml", text))
    assert case.query(
        "SELECT icpc_icpc_id, icpc_s47_enquiry_id, icpc_cp_plan_id FROM ssd_initial_cp_conference"
    ) == [("A1/2024-05-01/ICPC/2024-06-07", None, "A1/2024-05-01/CPP/2024-06-07")]
    # the S47 is rejected, with its line; the ICPC says it is loaded without it
    [(line, column, _, reason)] = case.rejected("ssd_s47_enquiry")
    assert (line, column) == (line_of(text, "<Section47>"), "S47ActualStartDate")
    [(line, column, value, issue)] = case.issues("ssd_initial_cp_conference")
    assert (line, column, value) == (
        line_of(text, "<DateOfInitialCPC>"),
        "DateOfInitialCPC",
        "2024-06-07",
    )
    assert "loaded without its S47" in issue


def test_census_section47_with_an_unreadable_start_keeps_its_icpc(case):
    text = census(child("A1", referral("2024-05-01", s47("2024-02-30", icpc="2024-06-07"))))
    case.loaded(write(case.tmp / "c.xml", text))
    [(line, column, value, _)] = case.rejected("ssd_s47_enquiry")
    assert (line, column, value) == (
        line_of(text, "<Section47>"),
        "s47e_s47_start_date",
        "2024-02-30",
    )
    assert case.query("SELECT count(*) FROM ssd_initial_cp_conference") == [(1,)]
    issues = [i for i in case.issues("ssd_initial_cp_conference") if "not loaded" in i[3]]
    assert [(i[1], i[2]) for i in issues] == [
        ("icpc_s47_enquiry_id", "A1/2024-05-01/S47/2024-02-30")
    ]


def test_census_unreadable_optional_date_is_an_issue_not_a_rejection(case):
    """An impossible ICPC target date: the conference happened; the target is left missing."""
    text = census(
        child(
            "A1", referral("2024-05-01", s47("2024-05-20", icpc="2024-06-07", target="2024-06-31"))
        )
    )
    case.loaded(write(case.tmp / "c.xml", text))
    assert case.query(
        "SELECT icpc_icpc_date, icpc_icpc_target_date FROM ssd_initial_cp_conference"
    ) == [(dt.date(2024, 6, 7), None)]
    assert case.rejected("ssd_initial_cp_conference") == []
    assert any(
        column == "icpc_icpc_target_date" and value == "2024-06-31"
        for _, column, value, _ in case.issues("ssd_initial_cp_conference")
    )


def test_census_unreadable_date_of_birth_keeps_the_child(case):
    text = census(child("A1", referral("2024-05-01"), dob="2015-02-29"))
    case.loaded(write(case.tmp / "c.xml", text))
    assert case.query("SELECT pers_person_id, pers_dob FROM ssd_person") == [("A1", None)]
    assert any(
        column == "pers_dob" and value == "2015-02-29"
        for _, column, value, _ in case.issues("ssd_person")
    )


def test_census_bad_codes_load_with_warnings(case):
    text = census(child("A1", referral("2024-05-01", source="ZZ", nfa="true")))
    case.loaded(write(case.tmp / "c.xml", text))
    issues = case.issues("ssd_cin_episodes")
    assert (line_of(text, "<ReferralSource>"), "ReferralSource", "ZZ") in [i[:3] for i in issues]
    assert case.query(
        "SELECT cine_referral_source_code, cine_referral_nfa FROM ssd_cin_episodes"
    ) == [("ZZ", True)]


# -- Annex A ---------------------------------------------------------------------------------------


def workbook(case: Case, lists: dict[int, list[dict]]) -> Path:
    return annex_a(case.tmp / "Annex_A.xlsx", lists)


def test_annex_a_as_filled_in_loads(case):
    case.loaded(workbook(case, annex_a_lists()))
    assert case.query("SELECT count(*) FROM rejected_rows") == [(0,)]


def test_annex_a_duplicate_early_help_rows_are_rejected_like_every_list(case):
    lists = annex_a_lists()
    lists[2].append(dict(lists[2][0]))  # row 3 repeats row 2
    lists[2].append({**lists[2][0], "Organisation completing assessment": "Elsewhere"})  # row 4
    book = workbook(case, lists)
    case.loaded(book)
    rejected = case.rejected("ssd_early_help_episodes")
    assert [(line, value) for line, _, value, _ in rejected] == [
        (3, "2024-09-01"),
        (4, "2024-09-01"),
    ]
    assert "as row 2 of List 1" not in rejected[0][3] and "as row 2 of List 2" in rejected[0][3]
    assert "differs in Organisation completing assessment" in rejected[1][3]
    assert case.query("SELECT count(*) FROM ssd_early_help_episodes") == [(1,)]
    assert case.query(
        "SELECT rows_read, rows_loaded, rows_rejected FROM load_report "
        "WHERE table_name = 'ssd_early_help_episodes'"
    ) == [(3, 1, 2)]


def test_annex_a_duplicate_rows_in_lists_3_6_and_1(case):
    lists = annex_a_lists()
    lists[3].append(dict(lists[3][1]))  # R2's referral again: list 3 row 4
    lists[6].append(dict(lists[6][1]))  # N6's episode again: list 6 row 4
    lists[1].append(dict(lists[1][0]))  # C1's police contact again: list 1 row 5
    case.loaded(workbook(case, lists))
    rejected = case.query("SELECT file, line, reason FROM rejected_rows ORDER BY file, line")
    assert [(f.rsplit(":", 1)[1], line) for f, line, _ in rejected] == [
        ("List 1", 5),
        ("List 3", 4),
        ("List 6", 4),
    ]
    assert all("duplicate: the same child and" in reason for _, _, reason in rejected)
    assert "and contact source as row 2 of List 1" in rejected[0][2]
    assert case.query("SELECT count(*) FROM ssd_cin_episodes") == [(3,)]
    assert case.query("SELECT count(*) FROM ssd_contacts") == [(3,)]


def test_annex_a_list_6_row_merged_into_its_referral_is_reported(case):
    lists = annex_a_lists()
    lists[6][0]["Allocated Team"] = "CIN Team"  # list 3 says MASH for the same referral
    case.loaded(workbook(case, lists))
    [merged] = [i for i in case.issues("ssd_cin_episodes") if "same referral" in i[3]]
    line, column, value, issue = merged
    assert (line, column, value) == (2, "CIN Start Date", "2024-10-02")
    assert "the same referral as row 2 of List 3" in issue
    assert "completed by this row's Primary Need Code, Case Status" in issue
    assert "Allocated Team 'CIN Team' (list 3: 'MASH')" in issue
    assert case.query(
        "SELECT cine_cin_primary_need_code FROM ssd_cin_episodes WHERE cine_referral_id = 'C1/2024-10-02'"
    ) == [("N1",)]


def test_annex_a_number_in_a_date_column(case):
    """A date cell Excel does not show as a date (General format): never read as a 1900 date."""
    lists = annex_a_lists()
    lists[3][1]["Date of Referral"] = 45570  # defining: the row cannot be dated
    lists[6][1]["CIN Closure Date"] = 45600  # optional: left missing
    lists[1][2]["Date of Birth"] = 42000  # the child is kept, without a date of birth
    case.loaded(workbook(case, lists))
    [(line, column, value, reason)] = case.rejected("ssd_cin_episodes")
    assert (line, column) == (3, "Date of Referral")
    assert "holds the number 45570 in a cell not formatted as a date" in reason
    assert "it would be 5 Oct 2024" in reason and "format the column as dates" in reason
    [closure] = [i for i in case.issues("ssd_cin_episodes") if i[1] == "CIN Closure Date"]
    assert closure[:3] == (3, "CIN Closure Date", "45600") and "left missing" in closure[3]
    assert case.query(
        "SELECT cine_close_date FROM ssd_cin_episodes WHERE cine_referral_id = 'N6/2023-06-09'"
    ) == [(None,)]
    assert case.query("SELECT pers_dob FROM ssd_person WHERE pers_person_id = 'C2'") == [(None,)]
    assert [i[:3] for i in case.issues("ssd_person") if i[1] == "Date of Birth"] == [
        (4, "Date of Birth", "42000")
    ]
    # nothing anywhere is a 1900s date read from a number
    assert case.query("SELECT count(*) FROM ssd_person WHERE pers_dob < DATE '1990-01-01'") == [
        (0,)
    ]


def test_annex_a_formula_without_a_saved_value(case):
    lists = annex_a_lists()
    lists[3][1]["Date of Referral"] = "=DATE(2024,10,5)"  # openpyxl saves no value for it
    lists[4][0]["Continuous Assessment Date of Authorisation"] = "=I2+20"
    case.loaded(workbook(case, lists))
    [(line, column, _, reason)] = case.rejected("ssd_cin_episodes")
    assert (line, column) == (3, "Date of Referral")
    assert "has no saved value" in reason and "=DATE(2024,10,5)" in reason
    formula = [i for i in case.issues("ssd_cin_assessments") if "formula" in i[3]]
    assert [i[:3] for i in formula] == [
        (2, "Continuous Assessment Date of Authorisation", "=I2+20")
    ]
    assert case.query("SELECT cina_assessment_auth_date FROM ssd_cin_assessments") == [(None,)]


def test_annex_a_icpc_beside_a_rejected_s47_is_kept(case):
    lists = annex_a_lists()
    row = lists[5][0]
    row["Strategy discussion initiating Section 47 Enquiry Start Date"] = None
    case.loaded(workbook(case, lists))
    [(line, _, _, reason)] = case.rejected("ssd_s47_enquiry")
    assert line == 2 and "cannot be identified" in reason
    assert case.query(
        "SELECT icpc_icpc_id, icpc_s47_enquiry_id, icpc_cp_plan_id FROM ssd_initial_cp_conference"
    ) == [("C1/ICPC/2024-10-20", None, "C1/CPP/2024-10-20")]
    [issue] = [i for i in case.issues("ssd_initial_cp_conference") if "without an S47" in i[3]]
    assert issue[:3] == (2, "Date of Initial Child Protection Conference", "2024-10-20")


def test_annex_a_duplicate_s47_row_with_a_second_conference_keeps_it(case):
    lists = annex_a_lists()
    again = dict(lists[5][0])
    again["Date of Initial Child Protection Conference"] = d("2024-10-27")
    lists[5].append(again)  # row 4: the same S47, another conference date
    case.loaded(workbook(case, lists))
    [(line, _, _, reason)] = case.rejected("ssd_s47_enquiry")
    assert line == 4 and "duplicate" in reason
    assert case.query(
        "SELECT icpc_icpc_id, icpc_s47_enquiry_id FROM ssd_initial_cp_conference ORDER BY 1"
    ) == [
        ("C1/ICPC/2024-10-20", "C1/S47/2024-10-03"),
        ("C1/ICPC/2024-10-27", "C1/S47/2024-10-03"),
    ]


def test_annex_a_without_a_defining_date_rejects_the_row(case):
    lists = annex_a_lists()
    lists[7].append({**child_cells("X9"), "Initial Category of Abuse": "Neglect"})
    case.loaded(workbook(case, lists))
    [(line, column, _, reason)] = case.rejected("ssd_cp_plans")
    assert (line, column) == (3, "Child Protection Plan Start Date")
    assert "no 'Child Protection Plan Start Date'" in reason
    # the child is still a child of the authority
    assert case.query("SELECT count(*) FROM ssd_person WHERE pers_person_id = 'X9'") == [(1,)]
