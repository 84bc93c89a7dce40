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
