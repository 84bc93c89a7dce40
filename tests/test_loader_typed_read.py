"""The dates of a clean CSV file read typed by DuckDB itself (frontdoor.sources.csv_rows.
read_typed_csv, frontdoor.table_write): every table of the database the same as when every value
is read as text and typed in SQL, on clean files (the typed read holds) and damaged ones (it
does not, and the file is read as text): dates written otherwise than YYYY-MM-DD, null
spellings, dates out of range, blanks beside values, quotes, malformed lines.

Each extract is loaded twice, the typed read allowed and not, and the two databases compared
table by table, row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import frontdoor.table_write as table_write
from frontdoor.schema import TABLES
from tests.test_loader import extract, load

CONTACTS = "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_desc\n"
NOTES = "note_id,person_id,referral_id,note_type,event_date,recorded_date,worker_id\n"
PLANS = (
    "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,"
    "cppl_number_of_previous_cpp\n"
)
VISITS = "cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date,cinv_cin_visit_seen\n"


def _contacts(*dates: str) -> str:
    return CONTACTS + "".join(
        f"C{i},000{i % 3 + 1},{d},source {i}\n" for i, d in enumerate(dates, start=1)
    )


# case -> (tables, the tables whose typed read holds)
CASES = {
    "clean": (
        {
            "ssd_contacts": _contacts("2024-01-01", "2024-01-02", "", "2024-01-04"),
            "case_notes": NOTES
            + "N1,0001,R1,visit,2024-01-05,2024-01-06,W1\n"
            + "N2,0002,R2,other,2024-01-05,,W2\n"
            + "N3,0003,,visit,2024-01-07,2024-01-06,\n",
            "ssd_cp_plans": PLANS
            + "P1,0001,2024-01-01,2024-03-01,2\n"
            + "P2,0002,2024-02-01,,not known\n"
            + "P3,0003,2024-02-01,,\n",
            "ssd_cin_visits": VISITS
            + "V1,0001,2024-02-01,Y\n"
            + "V2,0002,2024-02-02,yes\n"
            + "V3,0003,2024-02-03,maybe\n"
            + "V4,0003,2024-02-04,\n",
        },
        {"ssd_contacts", "case_notes", "ssd_cp_plans", "ssd_cin_visits", "ssd_cin_episodes"},
    ),
    "null spellings beside dates, a duplicate key, a missing key and date": (
        {
            "ssd_contacts": CONTACTS
            + "C1,0001,2024-01-01,NULL\n"
            + "C1,0002,2024-01-02,a\n"
            + ",0003,2024-01-03,N/A\n"
            + "C4,-,,none\n",
            "ssd_cin_visits": VISITS + "V1,0001,2024-02-01,NULL\nV2,n/a,2024-02-02,N\n",
            "ssd_cp_plans": PLANS + "P1,0001,2024-01-01,,NULL\nP2,0002,2024-01-01,,1.5\n",
        },
        {"ssd_contacts", "ssd_cin_visits", "ssd_cp_plans", "ssd_cin_episodes"},
    ),
    "CRLF line ends, no last line end, an extra column": (
        {
            "ssd_contacts": (CONTACTS.rstrip("\n") + ",extra\n").replace("\n", "\r\n")
            + "C1,0001,2024-01-01,a,x\r\nC2,0002,2024-01-02,b,\r\nC3,0003,2024-01-03,c,zz",
            "case_notes": NOTES + "N1,0001,R1,visit,2024-01-05,2024-01-06,W1",
        },
        {"ssd_contacts", "case_notes", "ssd_cin_episodes"},
    ),
    "a byte order mark (beyond ASCII: read as text)": (
        {"ssd_contacts": "\ufeff" + _contacts("2024-01-01", "2024-01-02")},
        {"ssd_cin_episodes"},
    ),
    "a date written 2024-1-5": (
        {"ssd_contacts": _contacts("2024-01-01", "2024-1-5", "2024-01-03")},
        {"ssd_cin_episodes"},
    ),
    "a short date and a long one whose bytes would add up": (
        {"ssd_contacts": _contacts("2024-1-01", " 2024-01-02", "2024-01-03")},
        {"ssd_cin_episodes"},
    ),
    "a short date and a tab beside another": (
        {"ssd_contacts": _contacts("2024-1-01", "2024-01-02\t", "2024-01-03")},
        {"ssd_cin_episodes"},
    ),
    "a null spelling, an impossible date, a date out of range, a day/month/year": (
        {
            "ssd_contacts": _contacts("2024-01-01", "NULL", "2024-01-03"),
            "case_notes": NOTES
            + "N1,0001,R1,visit,2024-02-30,2024-01-06,W1\n"
            + "N2,0002,R2,visit,2024-01-05,2024-01-06,W1\n",
            "ssd_cp_plans": PLANS + "P1,0001,1850-01-01,,\nP2,0002,2024-01-01,2203-01-01,\n",
            "ssd_cin_visits": VISITS + "V1,0001,05/01/2024,Y\n",
        },
        {"ssd_cin_episodes"},
    ),
    "a quoted value, a malformed line, a blank line": (
        {
            "ssd_contacts": _contacts("2024-01-01") + 'C9,0001,2024-01-09,"quoted, value"\n',
            "case_notes": NOTES
            + "N1,0001,R1,visit,2024-01-05,2024-01-06,W1\n"
            + "N2,0002,R2,visit\n",
            "ssd_cin_visits": VISITS + "V1,0001,2024-02-01,Y\n\nV2,0002,2024-02-02,N\n",
        },
        {"ssd_cin_episodes"},
    ),
}


def _tables(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            cols = con.execute(f'DESCRIBE "{name}"').fetchall()
            rows = con.execute(
                f'SELECT * FROM "{name}"'
                + (" WHERE key <> 'loaded_at'" if name == "load_meta" else "")
            ).fetchall()
            out[name] = [cols, rows, sorted(rows, key=repr)]
        return out
    finally:
        con.close()


@pytest.mark.parametrize("case", CASES)
def test_dates_read_typed_load_the_same_tables_as_read_as_text(tmp_path, monkeypatch, case):
    files, holds = CASES[case]
    source = extract(tmp_path, **files)
    held: list[str] = []
    typed_read = table_write.read_typed_csv

    def spy(con, part, target, *args):
        ok = typed_read(con, part, target, *args)
        if ok:
            held.append(target)
        return ok

    monkeypatch.setattr(table_write, "read_typed_csv", spy)
    report, db = load(tmp_path / "typed", source)
    typed = _tables(db)
    assert set(held) == holds, held
    monkeypatch.setattr(table_write, "typed_read_possible", lambda part: False)
    report_text, db_text = load(tmp_path / "text", source)
    assert report.ok == report_text.ok
    assert report.problems == report_text.problems
    text = _tables(db_text)
    assert typed.keys() == text.keys()
    for name in text:
        cols, rows, ordered = text[name]
        assert typed[name][0] == cols, name
        assert typed[name][2] == ordered, name  # the same rows
        if name in TABLES:
            assert typed[name][1] == rows, name  # in the same order
