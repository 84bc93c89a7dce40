"""How the loader writes a table (frontdoor.table_write.write_table, frontdoor.validate.check_table): once, straight
from its CSV file, several tables at once, working columns dropped after the checks; and the
survey that lets a file with nothing to trim skip the trimming (frontdoor.sources.text).

Files are written here by hand; expected lines are counted from the text in the comments.
"""

from __future__ import annotations

import datetime as dt

import pytest

from frontdoor.sources import text
from tests.test_loader import (
    assert_counts_add_up,
    extract,
    issues,
    load,
    query,
    rejected,
)

CONTACTS = "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_desc\n"
VISITS = "cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date,cinv_cin_visit_seen\n"


def test_tables_written_at_once_each_keep_their_own_faults_lines_and_counts(tmp_path):
    """Every single-file table is written on its own connection, two at a time: each table's
    rejected rows, lines, duplicate keys and counts stay its own."""
    contacts = (
        CONTACTS  # line 1
        + "C1,0001,2024-01-01,a\n"  # line 2
        + "C2,0001,2024-13-01,b\n"  # line 3: no 13th month
        + "C1,0002,2024-01-03,c\n"  # line 4: C1 again
        + "C4,0001\n"  # line 5: malformed (too few values)
        + "C5,0003,2024-01-05,e\n"  # line 6
    )
    visits = (
        VISITS  # line 1
        + "V1,0001,2024-02-01,Y\n"  # line 2
        + ",0001,2024-02-02,N\n"  # line 3: the key missing
        + "V3,0002,,Y\n"  # line 4: the visit date missing
        + "V4,0003,2024-02-04,maybe\n"  # line 5: loaded, the flag unknown (a data issue)
    )
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts, ssd_cin_visits=visits))
    assert report.ok, report.render()
    assert [(line, col) for line, col, _v, _r in rejected(db, "ssd_contacts")] == [
        (3, "cont_contact_date"),
        (4, "cont_contact_id"),
        (5, None),
    ]
    duplicate = [r for _l, _c, _v, r in rejected(db, "ssd_contacts") if "duplicate" in r]
    assert duplicate == [
        "duplicate key: cont_contact_id C1 was first on line 2 of ssd_contacts.csv; "
        "this row is rejected"
    ]
    assert [(line, col) for line, col, _v, _r in rejected(db, "ssd_cin_visits")] == [
        (3, "cinv_cin_visit_id"),
        (4, "cinv_cin_visit_date"),
    ]
    assert [(line, col, value) for line, _k, col, value, _i in issues(db, "ssd_cin_visits")] == [
        (5, "cinv_cin_visit_seen", "maybe")
    ]
    c, v = report.tables["ssd_contacts"], report.tables["ssd_cin_visits"]
    assert (c.rows_read, c.rows_loaded, c.rows_rejected) == (5, 2, 3)
    assert (v.rows_read, v.rows_loaded, v.rows_rejected) == (4, 2, 2)
    assert query(db, "SELECT cont_contact_id FROM ssd_contacts ORDER BY 1") == [("C1",), ("C5",)]
    assert query(db, "SELECT cinv_cin_visit_seen FROM ssd_cin_visits ORDER BY 1") == [
        (True,),  # V1
        (None,),  # V4: 'maybe'
    ]
    assert_counts_add_up(db)


def test_no_working_column_or_table_is_left_in_the_database(tmp_path):
    """Each table has the schema's columns then the file's others, nothing of the load's own."""
    visits = VISITS.rstrip("\n") + ",notes\n" + "V1,0001,05/02/2024,Yes,hello\n"
    report, db = load(tmp_path, extract(tmp_path, ssd_cin_visits=visits))
    assert report.ok, report.render()
    columns = query(
        db,
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE column_name LIKE '\\_%' ESCAPE '\\' OR column_name LIKE '%\\_\\_%' ESCAPE '\\'",
    )
    assert columns == []
    tables = {t for (t,) in query(db, "SELECT table_name FROM duckdb_tables()")}
    assert not {t for t in tables if t.startswith("_")}
    assert query(db, "SELECT * FROM ssd_cin_visits") == [
        ("V1", "0001", dt.date(2024, 2, 5), True, None, "hello")
    ]


def test_a_load_stopped_while_tables_are_written_at_once_keeps_the_old_database(tmp_path):
    good = extract(tmp_path, "good")
    report, db = load(tmp_path, good)
    assert report.ok
    before = db.read_bytes()
    # Two files written at once; one has a row with more values than the header and not a
    # quote in the file (an export that did not quote text with commas): the load stops.
    bad = extract(
        tmp_path,
        "bad",
        ssd_contacts=CONTACTS + "C1,0001,2024-01-01,a\n" * 50,
        ssd_cin_visits=VISITS + "V1,0001,2024-02-01,Y\nV2,0001,2024-02-02,Y,extra\n",
    )
    report, db2 = load(tmp_path, bad)
    assert db2 == db and not report.ok
    assert "ssd_cin_visits.csv line 3" in report.render()
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["front.duckdb"]


# ------------------------------------------------------------------- nothing to trim (survey)


@pytest.mark.parametrize(
    "body, padded",
    [
        ("a,b\n1,2\n", False),
        ("a,b\nx y,2\n", False),  # a space inside a value
        ("a,b\n x,2\n", True),  # at the start of a line
        ("a,b\n1,x \n", True),  # before the line end
        ("a,b\r\n1,x \r\n", True),  # before a CR
        ("a,b\n1, x\n", True),  # after the delimiter
        ("a;b\n1 ;x\n", True),  # before another delimiter
        ('a,b\n1," x"\n', True),  # inside quotes
        ("a,b\n1,x ", True),  # the file's last byte
        ("a,b\n1,caf\u00e9\n", True),  # beyond ASCII (Unicode spaces are trimmed too)
    ],
)
def test_survey_says_whether_a_value_may_need_trimming(tmp_path, body, padded):
    path = tmp_path / "t.csv"
    path.write_bytes(body.encode("utf-8"))
    assert text.survey(path).padded is padded


def test_survey_sees_a_space_at_the_edge_of_a_block(tmp_path, monkeypatch):
    """The file is read in blocks: a space ending one block, or starting the next after a
    delimiter ending the one before, is judged with its neighbour."""
    monkeypatch.setattr(text, "CHUNK", 4)
    for body, padded in [
        ("ab,c\nx,y \n", True),  # "ab,c" "\nx,y" " \n": the space starts a block
        ("abc,\n x,\n", True),  # "abc," "\n x," "\n": after a line end in the block before
        ("abc, d,e\n", True),  # "abc," " d,e": after the delimiter ending the block before
        ("ab c,d e\n", False),  # "ab c" ",d e" "\n": inside values only
    ]:
        path = tmp_path / "t.csv"
        path.write_bytes(body.encode("utf-8"))
        assert text.survey(path).padded is padded, body


def test_a_file_with_nothing_to_trim_loads_as_written(tmp_path):
    """No value of the file has a space at its edge: nothing is trimmed and nothing listed;
    a null spelling is still read as missing, and listed."""
    contacts = (
        CONTACTS  # line 1
        + "C1,0001,2024-01-01,Health visitor\n"  # line 2
        + "C2,NULL,2024-01-02,Police\n"  # line 3: the person a null spelling
    )
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts))
    assert report.ok, report.render()
    assert query(
        db, "SELECT cont_contact_id, cont_person_id, cont_contact_source_desc FROM ssd_contacts"
    ) == [("C1", "0001", "Health visitor"), ("C2", None, "Police")]
    notes = query(
        db,
        "SELECT line, column_name, value, issue FROM data_issues "
        "WHERE table_name = 'ssd_contacts' ORDER BY line",
    )
    assert notes == [
        (
            3,
            "cont_person_id",
            "NULL",
            "1 value(s) written as 'NULL' read as missing (first here)",
        )
    ]


def test_a_padded_value_far_into_a_file_is_still_trimmed_and_listed(tmp_path):
    """One padded value among many clean rows: the survey finds it, so the file is trimmed."""
    rows = [f"C{i},0001,2024-01-01,a" for i in range(1, 3000)]
    rows[2500] = "C2501,0001,2024-01-01,  padded  "  # line 2502
    contacts = CONTACTS + "\n".join(rows) + "\n"
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts))
    assert report.ok, report.render()
    assert query(
        db, "SELECT cont_contact_source_desc FROM ssd_contacts WHERE cont_contact_id = 'C2501'"
    ) == [("padded",)]
    assert query(
        db,
        "SELECT line, value, issue FROM data_issues WHERE table_name = 'ssd_contacts' "
        "AND column_name = 'cont_contact_source_desc'",
    ) == [(2502, "  padded  ", "1 value(s) had spaces around them, trimmed (first here)")]
    assert_counts_add_up(db)


def test_record_ids_are_stored_uncompressed_and_read_back_as_written(tmp_path):
    """A table's ids of records (its key, the child, referral, plan or enquiry a row names) are
    stored without DuckDB's string compression (a value a row: compressing them cost most of
    writing them), the ids of teams and workers as before; the values read back the same."""
    from frontdoor.schema import TABLES
    from frontdoor.table_write import plain_ids

    assert plain_ids(TABLES["ssd_involvements"]) == {
        "invo_involvements_id",
        "invo_person_id",
        "invo_referral_id",
    }
    contacts = CONTACTS + "C1,0001,2024-01-01,a\n" + "C2,0002,2024-01-02,b\n"
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts))
    assert report.ok, report.render()
    stored = query(
        db,
        "SELECT column_name, list(DISTINCT compression) FROM pragma_storage_info('ssd_contacts') "
        "WHERE column_name IN ('cont_contact_id', 'cont_person_id') AND segment_type = 'VARCHAR' "
        "GROUP BY ALL ORDER BY 1",
    )
    assert stored == [("cont_contact_id", ["Uncompressed"]), ("cont_person_id", ["Uncompressed"])]
    assert query(db, "SELECT cont_contact_id, cont_person_id FROM ssd_contacts") == [
        ("C1", "0001"),
        ("C2", "0002"),
    ]


def test_every_table_read_from_one_csv_file_has_the_schema_types(tmp_path):
    """A single CSV file's table is declared from the types the loader knows its query gives
    (`written.work_kinds`), not from binding the query: every column has its schema type (a
    date DATE, a flag BOOLEAN, a number DOUBLE, the rest text) and a column beyond the schema
    is text. Each table but the two with rows is a header alone, with one column more."""
    from frontdoor.schema import DATE, FLAG, NUMBER, TABLES

    kind = {DATE: "DATE", FLAG: "BOOLEAN", NUMBER: "DOUBLE"}
    others = {
        name: ",".join([*spec.columns, "local_note"]) + "\n"
        for name, spec in TABLES.items()
        if name not in ("ssd_person", "ssd_cin_episodes")
    }
    report, db = load(tmp_path, extract(tmp_path, **others))
    assert report.ok, report.render()
    for name, spec in TABLES.items():
        expected = [(c, kind.get(t, "VARCHAR")) for c, t in spec.columns.items()]
        if name in others:
            expected.append(("local_note", "VARCHAR"))
        assert query(db, f'SELECT column_name, column_type FROM (DESCRIBE "{name}")') == expected


def _written(tmp_path, name: str, text: str):
    """Stage and write one CSV file as the loader's workers do; the table's Written and the
    open connection (a temporary DuckDB file)."""
    import duckdb

    from frontdoor.schema import TABLES
    from frontdoor.sources.csv_rows import stage_csv
    from frontdoor.sources.staging import create_malformed_table
    from frontdoor.table_write import write_table

    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    create_malformed_table(con)
    staged, _problems = stage_csv(con, path, name, path.name, "_s1", 0, tmp_path / "files")
    return write_table(con, TABLES[name], [staged]), con


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_a_clean_file_is_written_without_working_values(tmp_path):
    """Every row read as written and usable: no `_w` column is stored (a column of NULLs costs
    writing on every row); a row needing working values makes the table carry it."""
    clean = CONTACTS + "C1,0001,2024-01-01,a\nC2,0002,2024-01-02,b\n"
    w, con = _written(tmp_path, "ssd_contacts", clean)
    assert not w.worked and "_w" not in _columns(con, "ssd_contacts")
    assert con.execute("SELECT count(*) FROM ssd_contacts WHERE " + w.usable_sql()).fetchone() == (
        2,
    )
    con.close()

    bad = tmp_path / "bad"
    bad.mkdir()
    faulty = CONTACTS + "C1,0001,2024-01-01,a\nC2,0002,2024-13-01,b\n"  # line 3: no 13th month
    w, con = _written(bad, "ssd_contacts", faulty)
    assert w.worked and "_w" in _columns(con, "ssd_contacts")
    assert con.execute("SELECT count(*) FROM ssd_contacts WHERE " + w.usable_sql()).fetchone() == (
        1,
    )
    con.close()


def test_a_duplicate_key_in_an_otherwise_clean_file_is_still_rejected(tmp_path):
    """A file written without `_w` whose only fault is a repeated key: the column is added for
    the duplicate's fault, and the load rejects the second row with its line."""
    contacts = CONTACTS + "C1,0001,2024-01-01,a\nC2,0002,2024-01-02,b\nC1,0003,2024-01-03,c\n"
    w, con = _written(tmp_path, "ssd_contacts", contacts)
    assert w.worked and "_w" in _columns(con, "ssd_contacts")
    assert con.execute("SELECT count(*) FROM ssd_contacts WHERE " + w.usable_sql()).fetchone() == (
        2,
    )
    con.close()
    report, db = load(tmp_path / "x", extract(tmp_path / "x", ssd_contacts=contacts))
    assert report.ok, report.render()
    assert [(line, col) for line, col, _v, _r in rejected(db, "ssd_contacts")] == [
        (4, "cont_contact_id")
    ]
    assert query(db, "SELECT cont_contact_id, cont_person_id FROM ssd_contacts ORDER BY 1") == [
        ("C1", "0001"),
        ("C2", "0002"),
    ]
    assert_counts_add_up(db)
