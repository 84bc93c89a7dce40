"""The loader: small extracts written by hand, loaded into a real DuckDB file in tmp_path."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from frontdoor.loader import load_extract
from frontdoor.schema import SQL_TYPES, TABLES
from frontdoor.sources import REJECTED, STOP, WARNING, Problem, SourceTables
from tests.returns_files import annex_a, annex_a_lists, assessment, census, child, referral

EXTRACT_DATE = dt.date(2025, 6, 30)

PERSON = """pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_expected_dob,pers_death_date
0001,M,WBRI,2015-01-02,,
0002,F,WBRI,03/04/2016,,
0003,F,ABAN,2016-04-05 10:30:00,,
"""

EPISODES = """cine_referral_id,cine_person_id,cine_referral_date,cine_referral_nfa,cine_close_date
R1,0001,2024-01-05,N,
R2,0002,2024-02-01,Y,2024-02-02
R3,0003,2024-03-01,no,
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def extract(tmp_path: Path, name: str = "extract", **tables: str) -> Path:
    """A folder with ssd_person and ssd_cin_episodes plus `tables` (name -> CSV text)."""
    files = {"ssd_person.csv": PERSON, "ssd_cin_episodes.csv": EPISODES}
    files.update({f"{t}.csv": text for t, text in tables.items()})
    return write(tmp_path / name, files)


def load(tmp_path: Path, source: Path, **kw):
    db = tmp_path / "out" / "front.duckdb"
    kw.setdefault("extract_date", EXTRACT_DATE)
    return load_extract(source, db, **kw), db


def query(db: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def rejected(db: Path, table: str) -> list[tuple]:
    return query(
        db,
        "SELECT line, column_name, value, reason FROM rejected_rows WHERE table_name = ? "
        "ORDER BY line, reason",
        [table],
    )


def issues(db: Path, table: str) -> list[tuple]:
    """The table's warnings (the notes on how values were read, severity 'recoded', apart:
    tests/test_recoded.py)."""
    return query(
        db,
        "SELECT line, record_id, column_name, value, issue FROM data_issues "
        "WHERE table_name = ? AND severity <> 'recoded' ORDER BY line, issue",
        [table],
    )


def assert_counts_add_up(db: Path) -> None:
    rows = query(
        db, "SELECT table_name, file, rows_read, rows_loaded, rows_rejected FROM load_report"
    )
    for table, file, read, loaded, rej in rows:
        assert read == loaded + rej, (table, file)
    for table, n in query(
        db,
        "SELECT table_name, sum(rows_loaded) FROM load_report WHERE status = 'loaded' "
        "AND table_name IS NOT NULL GROUP BY ALL",
    ):
        assert query(db, f'SELECT count(*) FROM "{table}"')[0][0] == n


# ------------------------------------------------------------------------------ round trip


def test_small_extract_round_trips_with_types(tmp_path):
    src = extract(
        tmp_path,
        ssd_professionals=(
            "PROF_PROFESSIONAL_ID , prof_full_time_equivalency,prof_agency_worker_flag,Notes\n"
            "W01,0.5,yes,first\nW02,1,FALSE,\n"
        ),
    )
    report, db = load(tmp_path, src, synthetic=True)
    assert report.ok, report.render()
    assert report.tables["ssd_person"].rows_loaded == 3
    assert report.tables["ssd_cin_episodes"].rows_read == 3
    assert report.tables["ssd_professionals"].rows_loaded == 2
    assert report.rejected == 0 and report.warnings == 0

    con = duckdb.connect(str(db), read_only=True)
    for name in ("ssd_person", "ssd_cin_episodes", "ssd_professionals"):
        cols = con.execute(f"DESCRIBE {name}").fetchall()
        spec = TABLES[name]
        assert [c[0] for c in cols[: len(spec.columns)]] == list(spec.columns)
        for (col, sql_type, *_), kind in zip(cols, spec.columns.values(), strict=False):
            assert sql_type == SQL_TYPES[kind], (name, col)
    # identifiers keep leading zeros; UK dates and datetimes give their date
    assert con.execute("SELECT pers_person_id, pers_dob FROM ssd_person ORDER BY 1").fetchall() == [
        ("0001", dt.date(2015, 1, 2)),
        ("0002", dt.date(2016, 4, 3)),
        ("0003", dt.date(2016, 4, 5)),
    ]
    assert con.execute(
        "SELECT cine_referral_id, cine_referral_nfa, cine_close_date FROM ssd_cin_episodes"
    ).fetchall() == [
        ("R1", False, None),
        ("R2", True, dt.date(2024, 2, 2)),
        ("R3", False, None),
    ]
    # column names matched case-insensitively and trimmed; other columns kept as text, last
    assert con.execute(
        "SELECT prof_professional_id, prof_full_time_equivalency, prof_agency_worker_flag, notes "
        "FROM ssd_professionals ORDER BY 1"
    ).fetchall() == [("W01", 0.5, True, "first"), ("W02", 1.0, False, None)]
    cols = [c[0] for c in con.execute("DESCRIBE ssd_professionals").fetchall()]
    assert cols[-1] == "notes"
    # absent tables exist empty (so optional joins work) and are reported absent
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert con.execute("SELECT count(*) FROM ssd_contacts").fetchone() == (0,)
    assert {"load_report", "rejected_rows", "data_issues", "load_meta", "calendar"} <= tables
    assert con.execute(
        "SELECT status, file FROM load_report WHERE table_name = 'ssd_contacts'"
    ).fetchall() == [("absent", None)]
    meta = dict(con.execute("SELECT key, value FROM load_meta").fetchall())
    assert meta["synthetic"] == "true"
    assert meta["extract_date"] == "2025-06-30"
    assert json.loads(meta["source_kinds"]) == ["ssd"]
    assert json.loads(meta["unavailable"]) == {}
    con.close()
    assert_counts_add_up(db)
    text = report.render()
    assert "ssd_person" in text and "absent" in text


def test_date_formats(tmp_path):
    person = (
        "pers_person_id,pers_dob\n"
        "1,2024-01-05\n2,5/1/2024\n3,05/01/2024\n4,2024-01-05T10:11:12.123Z\n"
        "5,05/01/2024 10:11\n6,2024-01-05 00:00:00.000\n7,2024-1-5\n8, 2024-01-05 \n"
    )
    src = write(tmp_path / "x", {"ssd_person.csv": person, "ssd_cin_episodes.csv": EPISODES})
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    dates = query(db, "SELECT DISTINCT pers_dob FROM ssd_person")
    assert dates == [(dt.date(2024, 1, 5),)]
    assert query(db, "SELECT count(*) FROM ssd_person")[0][0] == 8


def test_flags_and_numbers(tmp_path):
    src = extract(
        tmp_path,
        ssd_cin_visits=(
            "cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date,cinv_cin_visit_seen,"
            "cinv_cin_visit_seen_alone\n"
            "V1,0001,2024-01-01,Y,n\nV2,0001,2024-01-02,Yes,NO\nV3,0001,2024-01-03,TRUE,false\n"
            "V4,0001,2024-01-04,1,0\nV5,0001,2024-01-05,,\nV6,0001,2024-01-06,seen,\n"
        ),
        ssd_professionals="prof_professional_id,prof_full_time_equivalency\nW1,0.8\nW2,full\n",
    )
    report, db = load(tmp_path, src)
    assert report.ok
    assert query(
        db, "SELECT cinv_cin_visit_seen, cinv_cin_visit_seen_alone FROM ssd_cin_visits"
    ) == [
        (True, False),
        (True, False),
        (True, False),
        (True, False),
        (None, None),
        (None, None),
    ]
    assert issues(db, "ssd_cin_visits") == [
        (
            7,
            "V6",
            "cinv_cin_visit_seen",
            "seen",
            "unrecognised flag (expected Y/N, Yes/No, true/false or 1/0); loaded as unknown",
        )
    ]
    # How the flags were read, one note per column (V1 is the first of each, on line 2).
    assert query(
        db,
        "SELECT column_name, line, value, issue FROM data_issues WHERE severity = 'recoded' "
        "AND table_name = 'ssd_cin_visits' ORDER BY column_name",
    ) == [
        (
            "cinv_cin_visit_seen",
            2,
            "Y",
            "4 value(s) written as '1', 'TRUE', 'Y', 'Yes' read as yes/no (first here)",
        ),
        (
            "cinv_cin_visit_seen_alone",
            2,
            "n",
            "3 value(s) written as '0', 'NO', 'n' read as yes/no (first here)",
        ),
    ]
    assert issues(db, "ssd_professionals") == [
        (3, "W2", "prof_full_time_equivalency", "full", "unreadable number; loaded as blank")
    ]
    assert query(db, "SELECT prof_full_time_equivalency FROM ssd_professionals") == [
        (0.8,),
        (None,),
    ]


# ------------------------------------------------------------------------- load stops


def test_unreadable_file_stops(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_contacts.csv").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    report, db = load(tmp_path, src)
    assert not report.ok
    assert report.problems[0].severity == STOP
    assert report.problems[0].file == "ssd_contacts.csv"
    assert "cannot read ssd_contacts.csv" in report.stop
    assert "not a text file" in report.stop
    assert "Expected a CSV text file" in report.stop
    assert not db.exists()


def test_empty_and_broken_parquet_files_stop(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_contacts.csv").write_text("")
    report, _ = load(tmp_path, src)
    assert not report.ok and "the file is empty" in report.stop
    (src / "ssd_contacts.csv").unlink()
    (src / "ssd_contacts.parquet").write_bytes(b"not parquet at all")
    report, _ = load(tmp_path, src)
    assert not report.ok
    assert "cannot read ssd_contacts.parquet" in report.stop
    assert "Expected a Parquet file" in report.stop


def test_missing_required_column_stops(tmp_path):
    src = extract(tmp_path, ssd_contacts="cont_contact_id,cont_person_id,cont_source\nC1,0001,x\n")
    report, db = load(tmp_path, src)
    assert not report.ok
    p = report.problems[0]
    assert (p.severity, p.file, p.column) == (STOP, "ssd_contacts.csv", "cont_contact_date")
    assert "required column cont_contact_date is missing" in report.stop
    assert "Expected the columns cont_contact_id, cont_person_id, cont_contact_date" in report.stop
    assert "unchanged" in report.stop
    assert not db.exists()


def test_a_stop_in_staging_is_the_first_files_whatever_order_they_are_staged_in(tmp_path):
    # The files are staged in the tables' write order (the first checked if small, then the
    # largest: ssd_contacts here), not by name, and the workers write each as soon as staged;
    # the load still stops at the first file by name with a fault (ssd_cin_plans: the second
    # of them, ssd_s47_enquiry, is not named), whatever the writes in flight, and leaves no
    # database.
    rows = "".join(f"C{i},0001,2024-01-05,x\n" for i in range(20000))
    src = extract(
        tmp_path,
        ssd_contacts="cont_contact_id,cont_person_id,cont_contact_date,cont_source\n" + rows,
        ssd_cin_plans="cinp_cin_plan_id\nP1\n",
        ssd_s47_enquiry="s47e_s47_enquiry_id\nS1\n",
    )
    report, db = load(tmp_path, src)
    assert not report.ok
    assert report.problems[0].file == "ssd_cin_plans.csv"
    assert "required column" in report.stop and "ssd_cin_plans" in report.stop
    assert not db.exists()


def test_missing_required_table_stops(tmp_path):
    src = write(tmp_path / "x", {"ssd_person.csv": PERSON})
    report, _ = load(tmp_path, src)
    assert not report.ok
    assert "the required table ssd_cin_episodes is missing" in report.stop
    assert "ssd_cin_episodes.csv" in report.stop  # what to do next


def test_missing_source_stops(tmp_path):
    report, _ = load(tmp_path, tmp_path / "nowhere")
    assert not report.ok and "no such file or folder" in report.stop


def test_failed_load_keeps_old_data(tmp_path):
    good = extract(tmp_path, "good")
    report, db = load(tmp_path, good)
    assert report.ok
    bad = write(tmp_path / "bad", {"ssd_person.csv": "pers_person_id\n9\n"})
    report, db2 = load(tmp_path, bad)
    assert db2 == db and not report.ok
    assert "the database loaded before" in report.render()
    assert query(db, "SELECT count(*) FROM ssd_person")[0][0] == 3
    assert sorted(p.name for p in db.parent.iterdir()) == ["front.duckdb"]  # no temp left


def test_stale_wal_is_removed(tmp_path):
    src = extract(tmp_path)
    db = tmp_path / "out" / "front.duckdb"
    db.parent.mkdir()
    (db.parent / "front.duckdb.wal").write_bytes(b"garbage from an old crash")
    report = load_extract(src, db, extract_date=EXTRACT_DATE)
    assert report.ok
    assert not (db.parent / "front.duckdb.wal").exists()
    assert query(db, "SELECT count(*) FROM ssd_person")[0][0] == 3


# ------------------------------------------------------------------------- rows rejected

# (table, header, a good row, the same row with its key blank, ... with its defining date blank)
DEFINING = {
    "ssd_contacts": (
        "cont_contact_id,cont_person_id,cont_contact_date",
        "C1,0001,2024-01-01",
        ",0001,2024-01-01",
        "C2,0001,",
    ),
    "ssd_cin_episodes": (
        "cine_referral_id,cine_person_id,cine_referral_date",
        "R1,0001,2024-01-01",
        ",0001,2024-01-01",
        "R2,0001,",
    ),
    "ssd_cin_assessments": (
        "cina_assessment_id,cina_person_id,cina_assessment_start_date",
        "A1,0001,2024-01-01",
        ",0001,2024-01-01",
        "A2,0001,",
    ),
    "ssd_s47_enquiry": (
        "s47e_s47_enquiry_id,s47e_person_id,s47e_s47_start_date",
        "S1,0001,2024-01-01",
        ",0001,2024-01-01",
        "S2,0001,",
    ),
    "ssd_initial_cp_conference": (
        "icpc_icpc_id,icpc_person_id,icpc_icpc_date",
        "I1,0001,2024-01-01",
        ",0001,2024-01-01",
        "I2,0001,",
    ),
    "ssd_cp_reviews": (
        "cppr_cp_review_id,cppr_person_id,cppr_cp_review_date",
        "V1,0001,2024-01-01",
        ",0001,2024-01-01",
        "V2,0001,",
    ),
    "case_notes": (
        "note_id,person_id,event_date",
        "N1,0001,2024-01-01",
        ",0001,2024-01-01",
        "N2,0001,",
    ),
    "info_requests": (
        "request_id,person_id,requested_date",
        "Q1,0001,2024-01-01",
        ",0001,2024-01-01",
        "Q2,0001,",
    ),
}


@pytest.mark.parametrize("table", sorted(DEFINING))
def test_key_or_defining_date_missing_rejects_the_row(tmp_path, table):
    header, good, no_key, no_date = DEFINING[table]
    text = "\n".join([header, good, no_key, no_date]) + "\n"
    src = extract(tmp_path, **({table: text} if table != "ssd_cin_episodes" else {}))
    if table == "ssd_cin_episodes":
        (src / "ssd_cin_episodes.csv").write_text(text)
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    spec = TABLES[table]
    assert rejected(db, table) == [
        (3, spec.key, None, f"key missing: {spec.key} is blank; the row is rejected"),
        (
            4,
            spec.defining_date,
            None,
            f"defining date missing: {spec.defining_date} "
            f"({_date_name(spec.defining_date)}) is blank; the row is rejected",
        ),
    ]
    t = report.tables[table]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (3, 1, 2)
    assert_counts_add_up(db)


def _date_name(col: str) -> str:
    from frontdoor.value_rules import DEFINING_DATE_NAMES

    return DEFINING_DATE_NAMES[col]


def test_unreadable_date_rejects_the_whole_row(tmp_path):
    episodes = EPISODES + "R4,0001,2024-03-01,N,31/02/2024\nR5,0001,2024-13-01,N,\n"
    src = extract(tmp_path)
    (src / "ssd_cin_episodes.csv").write_text(episodes)
    report, db = load(tmp_path, src)
    reason = (
        "unreadable date (expected a real date as YYYY-MM-DD or DD/MM/YYYY); the row is rejected"
    )
    assert rejected(db, "ssd_cin_episodes") == [
        (5, "cine_close_date", "31/02/2024", reason),
        (6, "cine_referral_date", "2024-13-01", reason),
    ]
    assert query(db, "SELECT count(*) FROM ssd_cin_episodes WHERE cine_referral_id = 'R4'") == [
        (0,)
    ]
    assert report.tables["ssd_cin_episodes"].rows_rejected == 2
    assert "31/02/2024" in report.render()


def test_duplicate_key_after_the_first_is_rejected(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_person.csv").write_text(PERSON + "0002,M,WBRI,2017-01-01,,\n")
    report, db = load(tmp_path, src)
    assert rejected(db, "ssd_person") == [
        (
            5,
            "pers_person_id",
            "0002",
            "duplicate key: pers_person_id 0002 was first on line 3 of ssd_person.csv; "
            "this row is rejected",
        )
    ]
    assert query(db, "SELECT pers_sex FROM ssd_person WHERE pers_person_id = '0002'") == [("F",)]
    assert_counts_add_up(db)


def test_a_duplicate_among_rising_keys_is_rejected(tmp_path):
    """Keys that rise row by row are read as having no duplicate; a key repeated straight after
    itself does not rise, so the rows are grouped by key and the second is rejected."""
    src = extract(tmp_path)
    (src / "ssd_person.csv").write_text(PERSON + "0003,M,WBRI,2017-01-01,,\n0004,M,WBRI,,,\n")
    report, db = load(tmp_path, src)
    assert [(line, value) for line, _c, value, _r in rejected(db, "ssd_person")] == [(5, "0003")]
    assert query(db, "SELECT count(*) FROM ssd_person") == [(4,)]
    assert_counts_add_up(db)


def test_two_files_for_one_table_stop_naming_both(tmp_path):
    """Which of two files is meant is not the loader's to guess: before, one was read and the
    other silently merged or dropped."""
    src = extract(tmp_path)
    more = pd.DataFrame({"pers_person_id": ["0001", "0009"], "pers_sex": ["X", "M"]})
    more.to_parquet(src / "ssd_person.parquet")
    report, db = load(tmp_path, src)
    assert not report.ok
    assert "two files hold the table ssd_person: ssd_person.csv and ssd_person.parquet" in (
        report.stop
    )
    assert "Expected one file (or sheet) per table" in report.stop
    assert not db.exists()


def test_row_with_several_faults_counted_once_listed_for_each(tmp_path):
    src = extract(
        tmp_path,
        ssd_contacts="cont_contact_id,cont_person_id,cont_contact_date,cont_outcome_date\n"
        ",0001,,99/99/2024\n",
    )
    report, db = load(tmp_path, src)
    reasons = [r[1] for r in rejected(db, "ssd_contacts")]
    assert reasons == ["cont_contact_id", "cont_contact_date", "cont_outcome_date"] or sorted(
        reasons
    ) == sorted(["cont_contact_id", "cont_contact_date", "cont_outcome_date"])
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (1, 0, 1)
    raw = query(db, "SELECT DISTINCT raw FROM rejected_rows WHERE table_name = 'ssd_contacts'")
    assert json.loads(raw[0][0])["cont_outcome_date"] == "99/99/2024"


def test_malformed_csv_lines_are_rejected_with_their_line(tmp_path):
    contacts = (
        "cont_contact_id,cont_person_id,cont_contact_date\n"
        "C1,0001,2024-01-01\n"
        "C2,0001,2024-01-02,extra\n"
        "C3,0001\n"
        'C4,"0001, quoted",2024-01-04\n'
        "C5,0001,31/02/2024\n"
    )
    src = extract(tmp_path, ssd_contacts=contacts)
    report, db = load(tmp_path, src)
    assert report.ok
    rows = rejected(db, "ssd_contacts")
    assert [r[0] for r in rows] == [3, 4, 6]
    assert rows[0][3].startswith("malformed line: ")
    assert "Expected Number of Columns: 3 Found: 4" in rows[0][3]
    assert "Found: 2" in rows[1][3]
    assert rows[2][2] == "31/02/2024"  # the row after the malformed ones keeps its own line
    raw = query(db, "SELECT raw FROM rejected_rows WHERE line = 3 AND table_name = 'ssd_contacts'")
    assert json.loads(raw[0][0]) == "C2,0001,2024-01-02,extra"
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (5, 2, 3)
    assert query(db, "SELECT cont_person_id FROM ssd_contacts WHERE cont_contact_id = 'C4'") == [
        ("0001, quoted",)
    ]
    assert_counts_add_up(db)


# ---------------------------------------------------------------------- rows with issues


def test_end_before_start_is_loaded_and_listed(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_cin_episodes.csv").write_text(EPISODES + "R4,0001,2024-03-01,N,2024-02-28\n")
    report, db = load(tmp_path, src)
    assert issues(db, "ssd_cin_episodes") == [
        (
            5,
            "R4",
            "cine_close_date",
            "2024-02-28",
            "end before start: cine_close_date is before cine_referral_date 1 Mar 2024",
        )
    ]
    assert query(db, "SELECT count(*) FROM ssd_cin_episodes")[0][0] == 4
    assert report.tables["ssd_cin_episodes"].warnings == 1


def test_future_date_is_loaded_and_listed(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_cin_episodes.csv").write_text(EPISODES + "R4,0001,2025-07-01,N,\n")
    report, db = load(tmp_path, src)
    assert issues(db, "ssd_cin_episodes") == [
        (5, "R4", "cine_referral_date", "2025-07-01", "date after the extract date 2025-06-30")
    ]
    assert report.ok and report.warnings == 1


def test_expected_dob_in_the_future_is_not_an_issue(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_person.csv").write_text(PERSON + "0004,,,,2025-12-01,\n")
    _, db = load(tmp_path, src)
    assert issues(db, "ssd_person") == []


def test_unknown_person_is_loaded_and_listed(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_cin_episodes.csv").write_text(EPISODES + "R4,0099,2024-03-01,N,\n")
    _, db = load(tmp_path, src)
    assert query(
        db,
        "SELECT line, record_id, person_id, column_name, issue FROM data_issues "
        "WHERE table_name = 'ssd_cin_episodes' AND severity <> 'recoded'",
    ) == [(5, "R4", "0099", "cine_person_id", "person not in ssd_person")]


def test_icpc_before_its_s47_is_loaded_and_listed(tmp_path):
    src = extract(
        tmp_path,
        ssd_s47_enquiry="s47e_s47_enquiry_id,s47e_person_id,s47e_s47_start_date\n"
        "S1,0001,2024-02-01\nS2,0002,2024-02-01\n",
        ssd_initial_cp_conference="icpc_icpc_id,icpc_s47_enquiry_id,icpc_person_id,icpc_icpc_date\n"
        "I1,S1,0001,2024-01-31\nI2,S2,0002,2024-02-10\n",
    )
    report, db = load(tmp_path, src)
    assert issues(db, "ssd_initial_cp_conference") == [
        (
            2,
            "I1",
            "icpc_icpc_date",
            "2024-01-31",
            "ICPC dated before its S47 start (enquiry S1 started 1 Feb 2024)",
        )
    ]
    assert report.tables["ssd_initial_cp_conference"].rows_loaded == 2


def test_allocation_starting_before_its_linked_referral_is_loaded_and_listed(tmp_path):
    # R1 is dated 2024-01-05. I1 names R1 and starts the day before: listed. I2 names R1 but is
    # not an allocation (another role); I3 starts on the referral date; I4 names no referral.
    src = extract(
        tmp_path,
        ssd_involvements="invo_involvements_id,invo_person_id,invo_professional_role_id,"
        "invo_involvement_start_date,invo_referral_id\n"
        "I1,0001, Allocated Case Worker ,2024-01-04,R1\n"
        "I2,0001,Team Manager,2024-01-01,R1\n"
        "I3,0001,allocated case worker,2024-01-05,R1\n"
        "I4,0001,allocated case worker,2023-12-01,\n",
    )
    report, db = load(tmp_path, src)
    assert issues(db, "ssd_involvements") == [
        # the padded role is trimmed, and that change is listed (one line for the column)
        (
            2,
            None,
            "invo_professional_role_id",
            " Allocated Case Worker ",
            "1 value(s) had spaces around them, trimmed (first here)",
        ),
        (
            2,
            "I1",
            "invo_involvement_start_date",
            "2024-01-04",
            "allocation starts before its referral (R1 dated 5 Jan 2024): counted as allocated "
            "on the referral date",
        ),
    ]
    assert report.tables["ssd_involvements"].rows_loaded == 4


def test_a_value_with_no_break_spaces_around_it_is_trimmed_and_listed(tmp_path):
    # A spreadsheet's no-break space (U+00A0) before the role and after a worker's team: trim
    # removes them, so the load must say so, as it does for ordinary spaces.
    nbsp = "\u00a0"
    src = extract(
        tmp_path,
        ssd_involvements="invo_involvements_id,invo_person_id,invo_professional_role_id,"
        "invo_involvement_start_date,invo_professional_team\n"
        f"I1,0001,{nbsp}Allocated Case Worker,2024-01-04,T1\n"
        f"I2,0001,allocated case worker,2024-01-05,T2{nbsp}\n",
    )
    report, db = load(tmp_path, src)
    assert issues(db, "ssd_involvements") == [
        (
            2,
            None,
            "invo_professional_role_id",
            f"{nbsp}Allocated Case Worker",
            "1 value(s) had spaces around them, trimmed (first here)",
        ),
        (
            3,
            None,
            "invo_professional_team",
            f"T2{nbsp}",
            "1 value(s) had spaces around them, trimmed (first here)",
        ),
    ]
    assert query(db, "SELECT invo_professional_team FROM ssd_involvements ORDER BY 1") == [
        ("T1",),
        ("T2",),
    ]
    assert report.tables["ssd_involvements"].rows_loaded == 2


def test_second_round_tables_load_like_any_other(tmp_path):
    # The factors' JSON arrives quoted; a second voice record of one child is a duplicate key.
    src = extract(
        tmp_path,
        ssd_assessment_factors="cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json\n"
        'F1,A1,"[""3A"", ""4B""]"\n'
        'F2,A2,"{""3B"": ""Yes""}"\n'
        ",A3,21\n",
        ssd_voice_of_child="voch_person_id,voch_agree_worker,voch_plan_safe\n"
        "0001,Yes,\n"
        "0002,,No\n"
        "0001,No,No\n",
    )
    report, db = load(tmp_path, src)
    assert report.ok
    assert query(db, "SELECT * FROM ssd_assessment_factors ORDER BY 2") == [
        ("F1", "A1", '["3A", "4B"]'),
        ("F2", "A2", '{"3B": "Yes"}'),
        (None, "A3", "21"),
    ]
    assert report.tables["ssd_voice_of_child"].rows_loaded == 2
    assert report.tables["ssd_voice_of_child"].rows_rejected == 1
    assert [r[1] for r in rejected(db, "ssd_voice_of_child")] == ["voch_person_id"]
    assert_counts_add_up(db)


def test_reader_hook_hands_over_tables_and_problems(tmp_path):
    src = extract(tmp_path)
    (src / "census.fake").write_text("anything")

    def fake_reader(path: Path) -> SourceTables | None:
        if path.suffix != ".fake":
            return None
        frame = pd.DataFrame(
            {
                "cina_assessment_id": ["A1", "A2"],
                "cina_person_id": ["0001", "0002"],
                "cina_assessment_start_date": ["2024-01-01", "2024-01-02"],
                "_file": [path.name, path.name],
                "_line": [10, 20],
            }
        )
        return SourceTables(
            frames={"ssd_cin_assessments": frame},
            problems=[
                Problem(
                    REJECTED, "child has no id", path.name, table="ssd_cin_assessments", line=5
                ),
                Problem(WARNING, "odd value", path.name, table="ssd_cin_assessments", line=20),
            ],
            unavailable={"visits": "the census has no visits"},
            kinds={"cin_census"},
        )

    report, db = load(tmp_path, src, extra_readers=[fake_reader])
    assert report.ok, report.render()
    t = report.tables["ssd_cin_assessments"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected, t.warnings) == (3, 2, 1, 1)
    meta = dict(query(db, "SELECT key, value FROM load_meta"))
    assert json.loads(meta["source_kinds"]) == ["cin_census", "ssd"]
    assert json.loads(meta["unavailable"]) == {"visits": "the census has no visits"}
    assert rejected(db, "ssd_cin_assessments") == [(5, None, None, "child has no id")]
    assert_counts_add_up(db)


def test_reader_stop_stops_the_load(tmp_path):
    src = extract(tmp_path)
    (src / "census.fake").write_text("anything")

    def fake_reader(path: Path) -> SourceTables | None:
        if path.suffix != ".fake":
            return None
        return SourceTables(problems=[Problem(STOP, "not a CIN census file", path.name)])

    report, _ = load(tmp_path, src, extra_readers=[fake_reader])
    assert not report.ok and "not a CIN census file" in report.stop


def test_unknown_files_are_ignored_with_a_warning(tmp_path):
    src = extract(tmp_path)
    (src / "readme.txt").write_text("hello")
    (src / "ssd_unknown.csv").write_text("a,b\n1,2\n")
    report, db = load(tmp_path, src)
    assert report.ok
    texts = {(p.file, p.reason) for p in report.problems}
    assert ("readme.txt", "not a table the dashboard reads; ignored") in texts
    assert ("ssd_unknown.csv", "not a table the dashboard reads; ignored") in texts
    assert "ssd_unknown" not in {r[0] for r in query(db, "SHOW TABLES")}


# ------------------------------------------------------------------ xlsx, parquet, encodings


def test_xlsx_sheets_load(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ssd_person"
    ws.append(["pers_person_id", "pers_dob", "pers_sex"])
    ws.append(["0001", dt.datetime(2015, 1, 2, 9, 30), "M"])
    ws.append([2, 45000, "F"])  # a number id and an Excel serial date not formatted as a date
    ws.append([None, None, None])  # empty rows are not records
    ws.append(["0003", "03/04/2016", "F"])
    ws2 = wb.create_sheet("SSD_CIN_Episodes")
    ws2.append(["cine_referral_id", "cine_person_id", "cine_referral_date", "cine_referral_nfa"])
    ws2.append(["R1", "0001", dt.date(2024, 1, 5), True])
    ws2.append(["R2", "0003", "31/02/2024", "N"])
    wb.create_sheet("Notes").append(["not a table"])
    path = tmp_path / "extract.xlsx"
    wb.save(path)

    report, db = load(tmp_path, path)  # a single workbook as the source
    assert report.ok, report.render()
    assert query(db, "SELECT pers_person_id, pers_dob FROM ssd_person ORDER BY 1") == [
        ("0001", dt.date(2015, 1, 2)),
        ("0003", dt.date(2016, 4, 3)),
        ("2", dt.date(2023, 3, 15)),
    ]
    assert query(db, "SELECT cine_referral_id, cine_referral_nfa FROM ssd_cin_episodes") == [
        ("R1", True)
    ]
    assert query(db, "SELECT file, line FROM rejected_rows") == [
        ("extract.xlsx[SSD_CIN_Episodes]", 3)
    ]
    assert any("'Notes'" in p.reason for p in report.problems)

    folder = tmp_path / "folder"
    folder.mkdir()
    path.rename(folder / "extract.xlsx")
    report, db = load(tmp_path, folder)
    assert report.ok and report.tables["ssd_person"].rows_loaded == 3


def test_parquet_loads_with_text_and_dates(tmp_path):
    src = tmp_path / "pq"
    src.mkdir()
    pd.DataFrame(
        {
            "pers_person_id": ["0001", "0002"],
            "pers_dob": pd.to_datetime(["2015-01-02 10:00", "2016-04-03 00:00"]),
            "pers_death_date": [None, None],
        }
    ).to_parquet(src / "ssd_person.parquet")
    pd.DataFrame(
        {
            "cine_referral_id": [101, 102],
            "cine_person_id": ["0001", "0002"],
            "cine_referral_date": [dt.date(2024, 1, 5), dt.date(2024, 2, 1)],
            "cine_referral_nfa": [True, False],
            "cine_referral_team": [7.0, None],
        }
    ).to_parquet(src / "ssd_cin_episodes.parquet")
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    assert query(db, "SELECT pers_person_id, pers_dob FROM ssd_person") == [
        ("0001", dt.date(2015, 1, 2)),
        ("0002", dt.date(2016, 4, 3)),
    ]
    assert query(
        db,
        "SELECT cine_referral_id, cine_referral_date, cine_referral_nfa, cine_referral_team "
        "FROM ssd_cin_episodes",
    ) == [("101", dt.date(2024, 1, 5), True, "7"), ("102", dt.date(2024, 2, 1), False, None)]


def test_latin1_csv_loads_with_a_warning(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_department.csv").write_bytes(
        "dept_team_id,dept_team_name\nT1,Équipe\n".encode("cp1252")
    )
    report, db = load(tmp_path, src)
    assert report.ok
    assert query(db, "SELECT dept_team_name FROM ssd_department") == [("Équipe",)]
    assert any("not UTF-8" in p.reason for p in report.problems)


def test_semicolon_csv_with_bom_and_crlf(tmp_path):
    src = extract(tmp_path)
    (src / "ssd_department.csv").write_bytes(
        b"\xef\xbb\xbfdept_team_id;dept_team_name\r\nT1;North\r\n"
    )
    report, db = load(tmp_path, src)
    assert report.ok
    assert query(db, "SELECT * FROM ssd_department") == [("T1", "North", None, None)]


# ------------------------------------------------------------------------------ calendar


def test_macros_usable_from_a_read_only_connection(tmp_path):
    report, db = load(tmp_path, extract(tmp_path))
    assert report.ok
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(
        "SELECT wd_between(DATE '2025-12-24', DATE '2026-01-02'), wd_add(DATE '2025-12-24', 4)"
    ).fetchone() == (4, dt.date(2026, 1, 2))
    assert (
        con.execute(
            "SELECT min(wd_between(cine_referral_date, DATE '2024-03-01')) FROM ssd_cin_episodes"
        ).fetchone()[0]
        == 0
    )
    con.close()


# ---------------------------------------------------------------------------- larger file


def test_line_numbers_hold_in_a_large_file(tmp_path):
    """Parallel CSV reading keeps file order: faults far into a big file get their own line."""
    n = 400_000
    con = duckdb.connect()
    src = extract(tmp_path)
    path = src / "ssd_contacts.csv"
    con.execute(
        f"""COPY (SELECT 'C' || i AS cont_contact_id, '0001' AS cont_person_id,
                   CASE WHEN i IN (7, 250000, {n - 1}) THEN '31/02/2024' ELSE '2024-01-01' END
                       AS cont_contact_date,
                   'some source description' AS cont_contact_source_desc
            FROM range({n}) t(i)) TO '{path}' (HEADER)"""
    )
    lines = path.read_text().splitlines(keepends=True)
    lines[100_002] = "C100001,0001\n"  # malformed, at line 100003
    path.write_text("".join(lines))
    report, db = load(tmp_path, src)
    assert report.ok
    assert [r[0] for r in rejected(db, "ssd_contacts")] == [9, 100_003, 250_002, n + 1]
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_rejected) == (n, 4)


def test_blank_lines_and_multiline_values_keep_physical_line_numbers(tmp_path):
    contacts = (
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_desc\r\n"
        "C1,0001,2024-01-01,a\r\n"
        "\r\n"
        'C2,0001,2024-01-02,"two\r\nlines"\r\n'
        "C3,0001,2024-01-03,x,too many\r\n"
        "C4,0001,31/02/2024,b\r\n"
        "\r\n"
        "C5,0001,,c"
    )
    src = extract(tmp_path, ssd_contacts=contacts)
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    assert [r[0] for r in rejected(db, "ssd_contacts")] == [6, 7, 9]
    assert query(
        db, "SELECT cont_contact_source_desc FROM ssd_contacts WHERE cont_contact_id = 'C2'"
    ) == [("two\r\nlines",)]
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (5, 2, 3)


def test_unclosed_quote_rejects_its_row_and_the_rest_loads(tmp_path):
    rows = [f"C{i},0001,2024-01-01,x" for i in range(20_000)]
    rows[10] = 'C10,0001,2024-01-01,"never closed'
    rows[15_000] = 'C15000,0001,2024-01-01,"quoted, fine"'
    contacts = "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_desc\n"
    src = extract(tmp_path, ssd_contacts=contacts + "\n".join(rows) + "\n")
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    ((line, col, value, reason),) = rejected(db, "ssd_contacts")
    assert line == 12 and reason.startswith('a quote (") opens a value that is never closed')
    assert query(db, "SELECT raw FROM rejected_rows WHERE line = 12") == [
        ('"C10,0001,2024-01-01,\\"never closed"',)
    ]
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (20_000, 19_999, 1)
    assert query(
        db, "SELECT cont_contact_source_desc FROM ssd_contacts WHERE cont_contact_id = 'C15000'"
    ) == [("quoted, fine",)]
    assert_counts_add_up(db)


SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


@pytest.mark.parametrize(
    ("module", "sample", "kind"),
    [
        ("frontdoor.sources.cin_census", "cin_census/CIN_Census_2024.xml", "cin_census"),
        ("frontdoor.sources.annex_a", "annex_a/Annex_A.xlsx", "annex_a"),
    ],
)
def test_census_and_annex_a_files_load_through_their_readers(tmp_path, module, sample, kind):
    pytest.importorskip(module)
    path = SAMPLES / sample
    if not path.exists():
        pytest.skip(f"no sample {path}")
    report, db = load(tmp_path, path)  # a single file as the source
    assert report.ok, report.render()
    meta = dict(query(db, "SELECT key, value FROM load_meta"))
    assert kind in json.loads(meta["source_kinds"])
    assert json.loads(meta["unavailable"])  # each says what it cannot feed
    assert report.tables["ssd_person"].rows_loaded > 0
    assert_counts_add_up(db)


def test_a_readers_own_table_is_loaded_as_text(tmp_path):
    src = extract(tmp_path)
    (src / "x.fake").write_text("anything")

    def fake_reader(path: Path) -> SourceTables | None:
        if path.suffix != ".fake":
            return None
        frame = pd.DataFrame({"pp_id": ["P1"], "pp_start": ["2024-01-01"], "_file": ["x"]})
        frame["_line"] = [3]
        return SourceTables(frames={"cin_pre_proceedings": frame}, kinds={"cin_census"})

    report, db = load(tmp_path, src, extra_readers=[fake_reader])
    assert report.ok
    assert query(db, "SELECT * FROM cin_pre_proceedings") == [("P1", "2024-01-01")]
    assert report.tables["cin_pre_proceedings"].rows_loaded == 1


@pytest.mark.parametrize("kind", ["cin_census", "annex_a"])
def test_census_and_annex_a_files_built_here_load_through_their_readers(tmp_path, kind):
    if kind == "cin_census":
        path = tmp_path / "census.xml"
        path.write_text(census(child("K1", referral("2024-05-01", assessment("2024-05-02")))))
    else:
        path = annex_a(tmp_path / "Annex_A.xlsx", annex_a_lists())
    report, db = load(tmp_path, path)  # a single file as the source
    assert report.ok, report.render()
    meta = dict(query(db, "SELECT key, value FROM load_meta"))
    assert json.loads(meta["source_kinds"]) == [kind]
    assert json.loads(meta["unavailable"])  # each says what it cannot feed
    assert report.tables["ssd_person"].rows_loaded > 0
    assert_counts_add_up(db)


def test_a_folder_mixing_ssd_tables_census_and_annex_a_loads_them_all(tmp_path):
    """An authority's folder: SSD tables beside a census XML and an Annex A workbook."""
    src = extract(tmp_path)
    (src / "cin-2025.xml").write_text(census(child("DfEX0000001", referral("2024-05-01"))))
    annex_a(src / "Annex_A.xlsx", annex_a_lists())
    ssd_people = len(PERSON.strip().splitlines()) - 1
    report, db = load(tmp_path, src)
    assert report.ok, report.render()
    meta = dict(query(db, "SELECT key, value FROM load_meta"))
    assert set(json.loads(meta["source_kinds"])) == {"ssd", "cin_census", "annex_a"}
    files = {
        f for (f,) in query(db, "SELECT DISTINCT file FROM load_report WHERE file IS NOT NULL")
    }
    assert any(f.endswith("ssd_person.csv") for f in files)
    assert any(f.endswith("cin-2025.xml") for f in files)
    assert any("Annex_A.xlsx" in f for f in files)
    # Every source's children are in ssd_person: the SSD file's 3, the census's one child, and
    # Annex A's 6 (see returns_files.annex_a_lists): 10, no id shared between them.
    assert ssd_people == 3
    assert query(db, "SELECT count(*) FROM ssd_person")[0][0] == 3 + 1 + 6
    assert_counts_add_up(db)
