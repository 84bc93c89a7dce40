"""Line numbers of CSV rows, on both of the loader's paths (frontdoor.sources.csv_rows.stage_csv).

The usual file is numbered by counting (rows read + lines rejected + header = physical lines);
any file where that does not hold (a value spanning lines, a blank line, a quote that never
closes) is numbered by a quote-aware scan. Either way a rejected row names its physical line.
Files are written here by hand; the expected lines are counted from the text in the comments.
"""

from __future__ import annotations

import pytest

from frontdoor.sources import text
from tests.test_loader import assert_counts_add_up, extract, load, query, rejected

HEADER = "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_desc\n"


def contacts_rejected(db) -> list[tuple[int, str]]:
    return [(line, col) for line, col, _value, _reason in rejected(db, "ssd_contacts")]


def test_a_value_spanning_lines_keeps_the_next_rejection_on_its_physical_line(tmp_path):
    contacts = (
        HEADER  # line 1
        + "C1,0001,2024-01-01,a\n"  # line 2
        + 'C2,0001,2024-01-02,"three\nlines\nlong"\n'  # lines 3-5
        + "C3,0001,31/02/2024,b\n"  # line 6: an unreadable date
        + "C4,0001,2024-01-04,c\n"  # line 7
    )
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts))
    assert report.ok, report.render()
    assert contacts_rejected(db) == [(6, "cont_contact_date")]
    assert query(
        db, "SELECT cont_contact_source_desc FROM ssd_contacts WHERE cont_contact_id = 'C2'"
    ) == [("three\nlines\nlong",)]
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (4, 3, 1)
    assert_counts_add_up(db)


def test_a_malformed_line_after_a_value_spanning_lines_names_its_physical_line(tmp_path):
    contacts = (
        HEADER  # line 1
        + 'C1,0001,2024-01-01,"two\nlines"\n'  # lines 2-3
        + "C2,0001,2024-01-02,x,too many\n"  # line 4: malformed
        + "C3,0001,,c\n"  # line 5: the contact date missing
    )
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts))
    assert report.ok, report.render()
    assert contacts_rejected(db) == [(4, None), (5, "cont_contact_date")]
    assert_counts_add_up(db)


def test_quoted_values_on_one_line_are_numbered_by_counting(tmp_path):
    """Quotes (balanced, none spanning lines) and malformed lines: lines shift past them."""
    contacts = (
        HEADER  # line 1
        + 'C1,0001,2024-01-01,"a, quoted"\n'  # line 2
        + "C2,0001\n"  # line 3: too few columns
        + 'C3,0001,2024-01-03,"say ""hi"""\n'  # line 4
        + "C4,0001,2024-13-01,d\n"  # line 5: no 13th month
        + "C5,0001,2024-01-05,e,f\n"  # line 6: too many columns
        + "C6,,2024-01-06,g\n"  # line 7: loaded (no person is a data issue, not a rejection)
        + ",0001,2024-01-07,h"  # line 8, no line end: the key missing
    )
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts))
    assert report.ok, report.render()
    assert contacts_rejected(db) == [
        (3, None),
        (5, "cont_contact_date"),
        (6, None),
        (8, "cont_contact_id"),
    ]
    assert query(
        db, "SELECT cont_contact_source_desc FROM ssd_contacts ORDER BY cont_contact_id"
    ) == [("a, quoted",), ('say "hi"',), ("g",)]
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (7, 3, 4)
    assert_counts_add_up(db)


@pytest.mark.parametrize("malformed", [False, True])
def test_a_duplicate_key_and_a_data_issue_name_their_lines_with_or_without_lines_stored(
    tmp_path, malformed
):
    """A file of one record a line is stored without `_line` (lines read from the stored
    order); a malformed line makes the lines after it move, so they are stored. Either way a
    duplicate's rejection names its line and the first occurrence's, and a data issue its
    line; the duplicate's update of its working values moves no other row's line."""
    bad = "C9,0001,2024-01-09,x,too many\n" if malformed else ""
    shift = 1 if malformed else 0
    contacts = (
        HEADER  # line 1
        + 'C1,0001,2024-01-01,"a"\n'  # line 2 (a quote: the extra value is no unquoted text)
        + bad  # line 3 if malformed: the lines below move down one
        + "C2,0001,2024-01-02,b\n"  # line 3 (4)
        + "C1,0001,2024-01-03,c\n"  # line 4 (5): C1 again, first on line 2
        + "C3,0001,2025-07-01,d\n"  # line 5 (6): after the extract date, 30 June 2025
        + "C4,0009,2024-01-04,e\n"  # line 6 (7): a person not in ssd_person
    )
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts))
    assert report.ok, report.render()
    assert rejected(db, "ssd_contacts") == [
        *([(3, None, None, "malformed line: Expected Number of Columns: 4 Found: 5")] * malformed),
        (
            4 + shift,
            "cont_contact_id",
            "C1",
            "duplicate key: cont_contact_id C1 was first on line 2 of ssd_contacts.csv; "
            "this row is rejected",
        ),
    ]
    assert query(
        db,
        "SELECT line, record_id, column_name FROM data_issues "
        "WHERE table_name = 'ssd_contacts' ORDER BY line",
    ) == [(5 + shift, "C3", "cont_contact_date"), (6 + shift, "C4", "cont_person_id")]
    assert query(db, "SELECT cont_contact_id FROM ssd_contacts") == [
        ("C1",),
        ("C2",),
        ("C3",),
        ("C4",),
    ]
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (5 + shift, 4, 1 + shift)
    assert_counts_add_up(db)


def test_blank_lines_at_the_end_do_not_shift_lines(tmp_path):
    contacts = (
        HEADER  # line 1
        + "\n"  # line 2: blank
        + "C1,0001,2024-02-30,a\n"  # line 3: no 30 February
        + "C2,0001,2024-01-02,b\n"  # line 4
        + "\n\n"  # lines 5 and 6: blank
    )
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=contacts))
    assert report.ok, report.render()
    assert contacts_rejected(db) == [(3, "cont_contact_date")]
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (2, 1, 1)


def test_two_quotes_that_never_close_are_each_set_aside(tmp_path):
    """An even number of quotes in the file, but two values that never close: counting alone
    would pair them up; the rows between must still load, each broken row rejected."""
    rows = [f"C{i},0001,2024-01-01,x" for i in range(1, 11)]  # lines 2-11
    rows[2] = 'C3,0001,2024-01-01,"never closed'  # line 4
    rows[6] = 'C7,0001,2024-01-01,"nor this'  # line 8
    report, db = load(tmp_path, extract(tmp_path, ssd_contacts=HEADER + "\n".join(rows) + "\n"))
    assert report.ok, report.render()
    assert [r[0] for r in rejected(db, "ssd_contacts")] == [4, 8]
    t = report.tables["ssd_contacts"]
    assert (t.rows_read, t.rows_loaded, t.rows_rejected) == (10, 8, 2)
    assert_counts_add_up(db)


@pytest.mark.parametrize(
    ("data", "lines", "lone_cr", "quotes"),
    [
        (b"a,b\n1,2\n", 2, False, 0),
        (b"a,b\r\n1,2", 2, False, 0),  # the last line has no line end
        (b'a,b\n"1\n2",3\n', 3, False, 2),  # a value spanning lines: 3 physical lines
        (b"a,b\n1,x\ry\n", 2, True, 0),  # a CR alone inside a row
        (b"a,b\r", 1, True, 0),
    ],
)
def test_survey_counts_lines_quotes_and_lone_carriage_returns(
    tmp_path, data, lines, lone_cr, quotes
):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    found = text.survey(path)
    assert (found.lines, found.lone_cr, found.quotes, found.utf8) == (lines, lone_cr, quotes, True)


def test_survey_finds_a_crlf_split_across_blocks_and_bytes_that_are_not_utf8(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "CHUNK", 4)
    path = tmp_path / "f.csv"
    path.write_bytes(b"abc\r\nde\r\n")  # the first CR ends block 1, its LF starts block 2
    assert not text.survey(path).lone_cr
    path.write_bytes(b"ab\x92c\n")  # a Windows apostrophe
    assert not text.survey(path).utf8
    path.write_bytes(b"abc\xc3\xa9fg\n")  # é split across blocks 1 and 2
    assert text.survey(path).utf8
    path.write_bytes(b"abc\xc3defg\n")  # a character begun, never finished: block 2 is ASCII
    assert not text.survey(path).utf8
