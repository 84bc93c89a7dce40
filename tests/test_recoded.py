"""Nothing read is changed silently: a value the loader reads as something other than its text
(a flag spelling, a time of day dropped, a day/month/year date) is listed in data_issues, one
issue per column and kind with the count, the spellings and the first value as written."""

from __future__ import annotations

from tests.test_loader import extract, load, query

PERSON = """pers_person_id,pers_dob
0001,2015-01-02 00:00:00.000
0002,03/04/2016
0003,2016-04-05 10:30:00
"""

EPISODES = """cine_referral_id,cine_person_id,cine_referral_date,cine_referral_nfa
R1,0001,2024-01-05,Y
R2,0002,2024-02-01,yes
R3,0003,2024-03-01,false
R4,0003,2024-03-02,1
R5,0003,2024-03-03,N
"""


def recoded(db, table: str) -> list[tuple]:
    return query(
        db,
        "SELECT column_name, line, value, issue FROM data_issues "
        "WHERE table_name = ? AND severity = 'recoded' ORDER BY column_name, issue",
        [table],
    )


def test_recoded_values_are_listed_with_the_original(tmp_path):
    src = extract(tmp_path, ssd_person=PERSON, ssd_cin_episodes=EPISODES)
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    # Read as: Y, yes, 1 -> yes; N -> no; 'false' is written as it is read (not listed).
    assert query(
        db, "SELECT cine_referral_id, cine_referral_nfa FROM ssd_cin_episodes ORDER BY 1"
    ) == [("R1", True), ("R2", True), ("R3", False), ("R4", True), ("R5", False)]
    assert recoded(db, "ssd_cin_episodes") == [
        (
            "cine_referral_nfa",
            2,  # R1, the first of the four, on line 2
            "Y",
            "4 value(s) written as '1', 'N', 'Y', 'yes' read as yes/no (first here)",
        )
    ]
    # 0001's midnight is no change (SQL Server writes every date so); 0003's 10:30 is dropped;
    # 0002's 03/04/2016 is read as 3 April 2016 (day/month/year).
    assert recoded(db, "ssd_person") == [
        (
            "pers_dob",
            3,
            "03/04/2016",
            "1 value(s) written as '03/04/2016' read as day/month/year (first here)",
        ),
        (
            "pers_dob",
            4,
            "2016-04-05 10:30:00",
            "1 value(s) written as '2016-04-05 10:30:00' had a time of day, which was dropped "
            "(a date is a day) (first here)",
        ),
    ]
    # Notes, not warnings: the rows are as they should be, and the report says where to look.
    assert report.warnings == 0
    assert report.recoded == 3
    assert "3 notes on values read as something other than their text" in report.render()
    assert query(db, "SELECT sum(warnings) FROM load_report")[0][0] == 0


def test_annex_a_recodes_are_listed_once_per_column(tmp_path):
    """Annex A's template values: the ordering prefix ("a) Male"), the sex and ethnicity codes,
    a time of day on a date, a date typed day/month/year: each read as something else and
    listed, one note per column and kind (a workbook frontdoor writes, then edited as people
    edit them)."""
    import datetime as dt

    import openpyxl

    from frontdoor.returns import write_private
    from frontdoor.returns.annex_a import build_annex_a
    from frontdoor.sources import RECODED
    from frontdoor.sources.annex_a import read_annex_a
    from tests.conftest import build_db
    from tests.test_returns_annex_a import AS_OF, HAND

    con = build_db(tmp_path / "hand.duckdb", HAND)
    try:
        path = tmp_path / "annex.xlsx"
        write_private(path, build_annex_a(con, AS_OF, layout="ofsted-2019").content)
    finally:
        con.close()
    wb = openpyxl.load_workbook(path)
    ws = wb["List_1"]
    ws["F3"] = dt.datetime(2025, 10, 1, 14, 30)  # K1's contact at 2.30 pm
    ws["F4"] = "31/03/2026"  # K2's contact, typed as text
    wb.save(path)
    notes = {
        (p.file.rsplit(":", 1)[-1], p.column, p.reason.split(", e.g.")[0]): (p.line, p.value)
        for p in read_annex_a(path).problems
        if p.severity == RECODED
    }
    list1 = {k[1:]: v for k, v in notes.items() if k[0] == "List_1"}
    assert list1[
        ("Date of Contact", "1 value(s) had a time of day, which was dropped (a date is a day)")
    ] == (3, "2025-10-01 14:30:00")
    assert list1[("Date of Contact", "1 value(s) read as day/month/year")] == (4, "31/03/2026")
    assert list1[("Contact Source", "1 value(s) had the template's ordering prefix stripped")] == (
        3,
        "q) 6: Police",
    )
    # Gender and ethnicity, on every list that names a child: read into the sex and
    # ethnicity codes (K1 'a) Male' -> M, on the first list, row 3).
    sex = [v for k, v in notes.items() if k[1] == "Gender" and "sex code" in k[2]]
    assert sex and sex[0] == (3, "Male")
    # 'a) WBRI': its prefix stripped, and then it is the code already.
    assert any(k[1] == "Ethnicity" and "ordering prefix" in k[2] for k in notes)
    assert not any(k[1] == "Ethnicity" and "ethnicity code" in k[2] for k in notes)
    # One note per column and kind, not per value.
    assert len(notes) == len([p for p in read_annex_a(path).problems if p.severity == RECODED])
