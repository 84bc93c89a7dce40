"""The damaged-input suite: files damaged the way real exports are, one case per kind of damage.

Every case starts from a small synthetic authority (`frontdoor generate`, 40 children), built at
test time and loaded once into a good database; then the damaged extract is loaded over it with
the `frontdoor load` command. A load that stops must exit non-zero, say where (file, line, field)
and what to do, and leave the good database byte for byte; a load that completes must satisfy
the invariant (rows read = loaded + rejected for every table and file, every required table has
rows, every table's loaded count is its row count).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from frontdoor.cli import main
from frontdoor.generate import generate_extract

END = dt.date(2025, 3, 31)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the extract, a good database loaded from it); seed 11 gives every table some rows."""
    from frontdoor.loader import load_extract

    root = tmp_path_factory.mktemp("damaged")
    generate_extract(root / "extract", seed=11, children=40, start=dt.date(2024, 4, 1), end=END)
    report = load_extract(root / "extract", root / "good.duckdb", extract_date=END)
    assert report.ok, report.render()
    assert_invariant(root / "good.duckdb")
    return root / "extract", root / "good.duckdb"


@pytest.fixture
def case(generated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Case:
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "audit.jsonl"))
    return Case(*generated, tmp_path)


class Case:
    """A copy of the generated extract to damage, and a good database loaded from it."""

    def __init__(self, extract: Path, good: Path, tmp_path: Path):
        self.src = tmp_path / "extract"
        shutil.copytree(extract, self.src)
        self.db = tmp_path / "db" / "front.duckdb"
        self.db.parent.mkdir()
        shutil.copy(good, self.db)
        self.tmp = tmp_path
        self.good = digest(self.db)

    def load(self, source: Path, capsys=None) -> tuple[int, str]:
        import contextlib
        import io

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(
                [
                    "load",
                    "--extract",
                    str(source),
                    "--db",
                    str(self.db),
                    "--extract-date",
                    END.isoformat(),
                ]
            )
        return code, buf.getvalue()

    def stopped(self, source: Path | None = None) -> str:
        """Load, expect a stop: non-zero exit, the good database byte for byte, no temp file."""
        code, out = self.load(source or self.src)
        assert code != 0, out
        assert "LOAD STOPPED" in out
        assert "unchanged" in out
        assert digest(self.db) == self.good
        assert sorted(p.name for p in self.db.parent.iterdir()) == [self.db.name]
        return out

    def loaded(self, source: Path | None = None) -> str:
        code, out = self.load(source or self.src)
        assert code == 0, out
        assert_invariant(self.db)
        return out

    def query(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def csv_rows(self, table: str) -> list[list[str]]:
        import csv

        with (self.src / f"{table}.csv").open(newline="", encoding="utf-8") as f:
            return list(csv.reader(f))

    def workbook(self, tables: tuple[str, ...] = ("ssd_person", "ssd_cin_episodes")) -> Path:
        """The extract's tables as sheets of one .xlsx (values as text), the CSVs removed."""
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for table in tables:
            ws = wb.create_sheet(table)
            for row in self.csv_rows(table):
                ws.append(row)
        folder = self.tmp / "book"
        folder.mkdir(exist_ok=True)
        path = folder / "extract.xlsx"
        wb.save(path)
        return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_invariant(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table, file, read, loaded, rejected in con.execute(
            "SELECT table_name, file, rows_read, rows_loaded, rows_rejected FROM load_report "
            "WHERE table_name IS NOT NULL"
        ).fetchall():
            assert read == loaded + rejected, (table, file, read, loaded, rejected)
        for table, n in con.execute(
            "SELECT table_name, sum(rows_loaded) FROM load_report WHERE status = 'loaded' "
            "GROUP BY ALL"
        ).fetchall():
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == n, table
        for table in ("ssd_person", "ssd_cin_episodes"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    finally:
        con.close()


# ------------------------------------------------------------------------------- workbooks


def _rewrite_sheet_xml(path: Path, sheet_index: int, edit) -> None:
    """Rewrite one sheet's XML inside an .xlsx (what other programs write, openpyxl won't)."""
    import zipfile

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet_index}.xml":
                data = edit(data.decode()).encode()
            out.writestr(item, data)
    tmp.replace(path)


def test_workbook_of_the_extract_loads(case):
    book = case.workbook()
    out = case.loaded(book)
    n = len(case.csv_rows("ssd_person")) - 1
    assert case.query("SELECT count(*) FROM ssd_person") == [(n,)]
    assert "ssd_cin_episodes" in out


def test_declared_dimensions_do_not_drive_the_read(case):
    """A sheet declaring A1:XFD1048576 with rows spanning 16,384 columns and a styled empty cell
    at XFD on every row is read by its values (openpyxl would walk every declared column)."""
    import re

    book = case.workbook()

    def widen(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        xml = re.sub(r'<row r="(\d+)"', r'<row r="\1" spans="1:16384"', xml)
        return re.sub(r"</row>", lambda m: '<c r="XFD1" s="0"/></row>', xml)

    _rewrite_sheet_xml(book, 1, widen)
    assert book.stat().st_size < 50_000
    case.loaded(book)
    n = len(case.csv_rows("ssd_person")) - 1
    assert case.query("SELECT count(*) FROM ssd_person") == [(n,)]


def test_a_stray_cell_far_outside_the_data_stops_naming_it(case):
    book = case.workbook()
    _rewrite_sheet_xml(
        book,
        1,
        lambda xml: xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData>",
        ),
    )
    out = case.stopped(book)
    assert "extract.xlsx" in out and "'ssd_person'" in out
    assert "cell XFD1048576, far outside its data" in out
    assert "Delete the rows and columns beyond the data" in out


def test_formula_without_saved_value_is_listed_and_its_row_rejected_when_required(case):
    book = case.workbook()
    wb = openpyxl.load_workbook(book)
    ws = wb["ssd_cin_episodes"]
    ws["C2"] = "=DATE(2024,5,1)"  # the referral date (required) of the first referral
    ws["H3"] = "=TODAY()"  # the close date (optional) of the second
    wb.save(book)
    out = case.loaded(book)
    first, second = ws["A2"].value, ws["A3"].value
    assert "formula =DATE(2024,5,1) in cell C2 has no saved value" in out
    issues = case.query(
        "SELECT line, column_name, value, issue FROM data_issues WHERE issue LIKE 'formula%' "
        "ORDER BY line"
    )
    assert [(r[0], r[1], r[2]) for r in issues] == [
        (2, "cine_referral_date", "=DATE(2024,5,1)"),
        (3, "cine_close_date", "=TODAY()"),
    ]
    assert "the row is rejected" in issues[0][3]
    assert case.query(
        "SELECT line, column_name FROM rejected_rows WHERE table_name = 'ssd_cin_episodes'"
    ) == [(2, "cine_referral_date")]
    assert case.query(
        "SELECT count(*) FROM ssd_cin_episodes WHERE cine_referral_id IN (?, ?)", [first, second]
    ) == [(1,)]


def test_hidden_sheets_are_read_and_merged_cells_reported(case):
    book = case.workbook()
    wb = openpyxl.load_workbook(book)
    wb["ssd_cin_episodes"].sheet_state = "hidden"
    ws = wb["ssd_person"]
    ws.merge_cells("B2:C2")  # sex and ethnicity of the first child: ethnicity read as empty
    wb.save(book)
    out = case.loaded(book)
    assert "the sheet is hidden in the workbook; read like the others" in out
    assert "cells B2:C2 are merged" in out
    n = len(case.csv_rows("ssd_cin_episodes")) - 1
    assert case.query("SELECT count(*) FROM ssd_cin_episodes") == [(n,)]
    first = case.csv_rows("ssd_person")[1][0]
    assert case.query(
        "SELECT pers_ethnicity FROM ssd_person WHERE pers_person_id = ?", [first]
    ) == [(None,)]


def test_two_sheets_for_one_table_stop_naming_both(case):
    book = case.workbook()
    wb = openpyxl.load_workbook(book)
    copy = wb.copy_worksheet(wb["ssd_person"])
    copy.title = "SSD_Person "
    wb.save(book)
    out = case.stopped(book)
    assert "two sheets hold the table ssd_person: 'ssd_person' and 'SSD_Person '" in out
    assert "Expected one sheet per table" in out


def test_a_sheet_and_a_csv_for_one_table_stop_naming_both(case):
    book = case.workbook(("ssd_person",))
    shutil.copy(book, case.src / "extract.xlsx")
    out = case.stopped()
    assert "two files hold the table ssd_person: " in out
    assert "extract.xlsx[ssd_person]" in out and "ssd_person.csv" in out


def test_xls_workbook_loads(case):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook()
    for table in ("ssd_person", "ssd_cin_episodes"):
        ws = wb.add_sheet(table)
        for i, row in enumerate(case.csv_rows(table)):
            for j, v in enumerate(row):
                ws.write(i, j, v)
    path = case.tmp / "extract.xls"
    wb.save(str(path))
    case.loaded(path)
    n = len(case.csv_rows("ssd_cin_episodes")) - 1
    assert case.query("SELECT count(*) FROM ssd_cin_episodes") == [(n,)]


def test_xls_error_cells_are_listed_not_silently_empty(case):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook()
    # The first child's date of birth (D2) is #N/A; the second's sex (B3) is #REF!.
    errors = {("ssd_person", 1, 3): 0x2A, ("ssd_person", 2, 1): 0x17}
    for table in ("ssd_person", "ssd_cin_episodes"):
        ws = wb.add_sheet(table)
        for i, row in enumerate(case.csv_rows(table)):
            for j, v in enumerate(row):
                if (table, i, j) in errors:
                    ws.row(i).set_cell_error(j, errors[table, i, j])
                else:
                    ws.write(i, j, v)
    path = case.tmp / "extract.xls"
    wb.save(str(path))
    out = case.loaded(path)
    assert "Excel error #N/A in cell D2; read as empty" in out
    assert "Excel error #REF! in cell B3; read as empty" in out
    assert case.query(
        "SELECT line, column_name, value FROM data_issues WHERE issue LIKE 'Excel error%' "
        "ORDER BY line"
    ) == [(2, "pers_dob", "#N/A"), (3, "pers_sex", "#REF!")]
    first = case.csv_rows("ssd_person")[1][0]
    assert case.query("SELECT pers_dob FROM ssd_person WHERE pers_person_id = ?", [first]) == [
        (None,)
    ]


def _xlsb(case, name: str = "extract.xlsb", **kw) -> Path:
    from tests.xlsb_files import write_xlsb

    sheets = {t: case.csv_rows(t) for t in ("ssd_person", "ssd_cin_episodes")}
    return write_xlsb(case.tmp / name, sheets, **kw)


def test_xlsb_workbook_loads_and_lists_its_error_cells(case):
    from tests.xlsb_files import Error, write_xlsb

    sheets = {t: case.csv_rows(t) for t in ("ssd_person", "ssd_cin_episodes")}
    sheets["ssd_person"][1][3] = Error("#N/A")  # D2: the first child's date of birth
    path = write_xlsb(case.tmp / "extract.xlsb", sheets)
    out = case.loaded(path)
    n = len(case.csv_rows("ssd_cin_episodes")) - 1
    assert case.query("SELECT count(*) FROM ssd_cin_episodes") == [(n,)]
    assert "Excel error #N/A in cell D2; read as empty" in out
    assert case.query(
        "SELECT line, column_name, value FROM data_issues WHERE issue LIKE 'Excel error%'"
    ) == [(2, "pers_dob", "#N/A")]


def test_an_xlsb_stray_cell_far_outside_the_data_stops_before_reading(case):
    """A value at XFD1048576 would make calamine build a grid of 17 billion cells: the sheet's
    records are scanned first and the load stops naming the cell."""
    path = _xlsb(case, far={"ssd_person": (1048575, 16383)})
    assert path.stat().st_size < 50_000
    out = case.stopped(path)
    assert "extract.xlsb" in out and "'ssd_person'" in out
    assert "cell XFD1048576, far outside its data" in out
    assert "Delete the rows and columns beyond the data" in out


def test_a_file_that_is_not_a_workbook_says_so(case):
    path = case.tmp / "extract.xls"
    path.write_text("<html><table><tr><td>pers_person_id</td></tr></table></html>")
    out = case.stopped(path)
    assert "cannot read extract.xls: it cannot be opened as an Excel workbook" in out
    assert "ssd_person is missing" not in out


# ----------------------------------------------------------------------- required tables


def test_required_table_with_only_its_header_stops(case):
    (case.src / "ssd_person.csv").write_text(
        "pers_person_id,pers_sex,pers_ethnicity,pers_dob,pers_expected_dob,pers_death_date\n"
    )
    out = case.stopped()
    assert "the required table ssd_person has no rows (ssd_person.csv holds only its header)" in out
    assert "export the table again" in out


def test_required_table_whose_every_row_is_rejected_stops(case):
    rows = case.csv_rows("ssd_cin_episodes")
    col = rows[0].index("cine_referral_date")
    for r in rows[1:]:
        r[col] = "31/02/2024"
    write_csv(case.src / "ssd_cin_episodes.csv", rows)
    out = case.stopped()
    assert f"none of the {len(rows) - 1} rows of the required table ssd_cin_episodes" in out
    assert "ssd_cin_episodes.csv line 2" in out
    assert "unreadable date" in out


# ------------------------------------------------------------------------------ text files


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding="utf-8") -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def _department(case) -> list[list[str]]:
    rows = case.csv_rows("ssd_department")
    rows[1][1] = "O’Brien Court – Référé £"  # a Windows apostrophe, an en dash, accents, a pound
    return rows


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1252"])
def test_encodings_councils_export_in_load(case, encoding):
    rows = _department(case)
    write_csv(case.src / "ssd_department.csv", rows, encoding=encoding)
    case.loaded()
    assert case.query(
        "SELECT dept_team_name FROM ssd_department WHERE dept_team_id = ?", [rows[1][0]]
    ) == [(rows[1][1],)]
    assert case.query("SELECT count(*) FROM ssd_department") == [(len(rows) - 1,)]


def test_one_windows_apostrophe_in_a_utf8_file_is_read_and_reported(case):
    rows = _department(case)
    rows[2][1] = "Équipe"  # real UTF-8 elsewhere in the file
    text = "\r\n".join(",".join(r) for r in rows).replace("O’Brien", "O{q}Brien") + "\r\n"
    data = text.encode("utf-8").replace(b"{q}", b"\x92")  # one byte pasted from Windows
    (case.src / "ssd_department.csv").write_bytes(data)
    out = case.loaded()
    assert case.query(
        "SELECT dept_team_name FROM ssd_department WHERE dept_team_id IN (?, ?) ORDER BY 1",
        [rows[1][0], rows[2][0]],
    ) == [("O’Brien Court – Référé £",), ("Équipe",)]
    assert "1 byte(s) are not UTF-8 (first on line 2); read as Windows-1252" in out


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_delimiters_are_detected(case, delimiter):
    rows = case.csv_rows("ssd_cin_episodes")
    write_csv(case.src / "ssd_cin_episodes.csv", rows, delimiter=delimiter)
    case.loaded()
    assert case.query("SELECT count(*) FROM ssd_cin_episodes") == [(len(rows) - 1,)]


def test_a_bare_carriage_return_rejects_its_row_only(case):
    rows = case.csv_rows("ssd_contacts")
    col = rows[0].index("cont_contact_source_desc")
    rows[3][col] = "Police\rteam"  # unquoted, as some exports write it
    text = "\n".join(",".join(r) for r in rows) + "\n"
    (case.src / "ssd_contacts.csv").write_text(text, newline="")
    out = case.loaded()
    assert case.query(
        "SELECT line, reason FROM rejected_rows WHERE table_name = 'ssd_contacts'"
    ) == [(4, "a carriage return (CR) alone inside the row splits it in two; the row is rejected")]
    assert "ssd_contacts.csv:4" in out
    assert case.query("SELECT count(*) FROM ssd_contacts") == [(len(rows) - 2,)]


def test_old_mac_line_endings_load(case):
    rows = case.csv_rows("ssd_person")
    (case.src / "ssd_person.csv").write_bytes(
        ("\r".join(",".join(r) for r in rows) + "\r").encode()
    )
    out = case.loaded()
    assert "carriage return (CR) alone, as on old Macs" in out
    assert case.query("SELECT count(*) FROM ssd_person") == [(len(rows) - 1,)]


def test_an_unbalanced_quote_rejects_its_row_only(case):
    rows = case.csv_rows("ssd_contacts")
    col = rows[0].index("cont_contact_source_desc")
    text_rows = [",".join(r) for r in rows]
    text_rows[5] = text_rows[5].replace(rows[5][col], '"Police')  # the quote never closes
    (case.src / "ssd_contacts.csv").write_text("\n".join(text_rows) + "\n")
    out = case.loaded()
    assert 'ssd_contacts.csv:6  ssd_contacts  [rejected] a quote (") opens a value' in out
    assert case.query("SELECT count(*) FROM ssd_contacts") == [(len(rows) - 2,)]


def test_unquoted_ssms_export_with_commas_in_text_stops_with_the_fix(case):
    rows = case.csv_rows("ssd_cin_episodes")
    col = rows[0].index("cine_referral_source_desc")
    rows[4][col] = "Health services, GP"
    # SSMS's default: no quotes at all, NULL written for missing values
    text = "\r\n".join(",".join(v or "NULL" for v in r) for r in rows) + "\r\n"
    (case.src / "ssd_cin_episodes.csv").write_text(text, newline="")
    out = case.stopped()
    assert "ssd_cin_episodes.csv line 5" in out
    assert "no value in the file is quoted" in out
    assert "Quote strings containing list separators" in out and "tab-separated" in out


# ---------------------------------------------------------------------------------- values

NULLS = ["NULL", "null", "N/A", "NA", "#N/A", "-", "None", "NaN", "(null)", ""]


def test_null_spellings_are_missing_values_never_rejections(case):
    rows = case.csv_rows("ssd_cin_episodes")
    close = rows[0].index("cine_close_date")
    for i, spelling in enumerate(NULLS, start=1):
        rows[i][close] = spelling
    write_csv(case.src / "ssd_cin_episodes.csv", rows)
    case.loaded()
    assert case.query("SELECT count(*) FROM rejected_rows") == [(0,)]
    ids = [r[0] for r in rows[1 : len(NULLS) + 1]]
    marks = ", ".join("?" for _ in ids)
    assert case.query(
        f"SELECT count(*) FROM ssd_cin_episodes WHERE cine_referral_id IN ({marks}) "
        "AND cine_close_date IS NULL",
        ids,
    ) == [(len(NULLS),)]
    ((issue, value, line),) = case.query(
        "SELECT issue, value, line FROM data_issues WHERE column_name = 'cine_close_date' "
        "AND issue LIKE '%read as missing%'"
    )
    assert issue.startswith(f"{len(NULLS) - 1} value(s) written as ")  # the blank is not listed
    assert (value, line) == ("NULL", 2)


def test_a_null_spelling_in_the_key_rejects_the_row_showing_it(case):
    rows = case.csv_rows("ssd_contacts")
    rows[2][0] = "N/A"
    write_csv(case.src / "ssd_contacts.csv", rows)
    case.loaded()
    assert case.query(
        "SELECT line, column_name, value FROM rejected_rows WHERE table_name = 'ssd_contacts'"
    ) == [(3, "cont_contact_id", "N/A")]


def test_unreadable_optional_dates_are_data_issues_and_the_rows_stay(case):
    icpc = case.csv_rows("ssd_initial_cp_conference")
    target = icpc[0].index("icpc_icpc_target_date")
    icpc[1][target] = "31/02/2024"
    write_csv(case.src / "ssd_initial_cp_conference.csv", icpc)
    people = case.csv_rows("ssd_person")
    people[1][people[0].index("pers_dob")] = "2015-13-45"
    people[2][people[0].index("pers_death_date")] = "not known yet"
    write_csv(case.src / "ssd_person.csv", people)
    case.loaded()
    assert case.query("SELECT count(*) FROM rejected_rows") == [(0,)]
    assert case.query("SELECT count(*) FROM ssd_initial_cp_conference") == [(len(icpc) - 1,)]
    child = people[1][0]
    assert case.query("SELECT pers_dob FROM ssd_person WHERE pers_person_id = ?", [child]) == [
        (None,)
    ]
    assert case.query(
        "SELECT table_name, line, column_name, value FROM data_issues "
        "WHERE issue LIKE 'unreadable date%left missing, the row is kept' ORDER BY 1, 2"
    ) == [
        ("ssd_initial_cp_conference", 2, "icpc_icpc_target_date", "31/02/2024"),
        ("ssd_person", 2, "pers_dob", "2015-13-45"),
        ("ssd_person", 3, "pers_death_date", "not known yet"),
    ]
    # the child's episodes are not orphaned
    assert case.query(
        "SELECT count(*) FROM data_issues WHERE issue = 'person not in ssd_person' "
        "AND person_id = ?",
        [child],
    ) == [(0,)]


def test_a_date_read_from_a_number_is_listed_with_the_number(case):
    book = case.workbook()
    wb = openpyxl.load_workbook(book)
    ws = wb["ssd_person"]
    ws["D2"] = 45000  # pers_dob as an Excel day number, not formatted as a date
    wb.save(book)
    case.loaded(book)
    child = ws["A2"].value
    assert case.query("SELECT pers_dob FROM ssd_person WHERE pers_person_id = ?", [child]) == [
        (dt.date(2023, 3, 15),)
    ]
    ((issue, value),) = case.query(
        "SELECT issue, value FROM data_issues WHERE column_name = 'pers_dob' AND line = 2"
    )
    assert value == "45000" and issue.startswith("date read from the number 45000")


# ------------------------------------------------------------------------------------ safety


def test_a_second_load_into_the_same_folder_is_refused(case):
    from frontdoor.swap import load_lock

    with load_lock(case.db):
        out = case.stopped()
    assert f"another load into {case.db.parent} is running" in out
    assert "Wait for the other load to finish" in out
    case.loaded()  # the lock is released with the first load


def test_db_naming_a_file_that_is_not_a_frontdoor_database_is_refused(case):
    log = case.tmp / "old-audit.jsonl"  # e.g. an audit log named by mistake
    log.write_text('{"user": "x", "action": "load"}\n')
    before = digest(log)
    code, out = _load_into(case, log)
    assert code == 1
    assert "exists and is not a frontdoor database (not a DuckDB file)" in out
    assert digest(log) == before
    other = case.tmp / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE accounts (id INTEGER)")
    con.close()
    before = digest(other)
    code, out = _load_into(case, other)
    assert code == 1 and "a DuckDB database that frontdoor did not load" in out
    assert digest(other) == before


def _load_into(case, db: Path) -> tuple[int, str]:
    saved = case.db
    case.db = db
    try:
        return case.load(case.src)
    finally:
        case.db = saved


def test_a_killed_loads_temporary_files_are_removed_by_the_next(case):
    folder = case.db.parent
    stale = folder / f".{case.db.name}.loading-99999-1"
    stale.write_bytes(b"half a database")
    (folder / f"{stale.name}.wal").write_bytes(b"wal")
    (folder / f"{stale.name}.files").mkdir()
    (folder / f"{stale.name}.files" / "x.utf8.csv").write_text("a,b\n")
    case.loaded()
    assert sorted(p.name for p in folder.iterdir()) == [case.db.name]


def test_control_characters_in_values_are_escaped_in_what_the_loader_prints(case):
    rows = case.csv_rows("ssd_contacts")
    col = rows[0].index("cont_contact_date")
    rows[2][col] = "2024-01-01\x1b[2J\u202e"  # clear the screen; reverse the text after it
    write_csv(case.src / "ssd_contacts.csv", rows)
    (case.src / "notes\x1b[31m.txt").write_text("hello")
    out = case.loaded()
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[2J\\u202e" in out
    assert "notes\\x1b[31m.txt" in out


def test_input_columns_cannot_collide_with_the_loaders_own_names(case):
    rows = case.csv_rows("ssd_contacts")
    rows[0] += [
        "_faults",
        "_line",
        "_ord",
        "cont_contact_date__v",
        "cont_contact_date__o",
        "cont_contact_id__k",
    ]
    for r in rows[1:]:
        r += ["x", "y", "z", "2000-01-01", "2000-01-02", "K"]
    write_csv(case.src / "ssd_contacts.csv", rows)
    out = case.loaded()
    assert "column '_faults' renamed 'x_faults'" in out
    n = len(rows) - 1
    assert case.query("SELECT count(*) FROM ssd_contacts WHERE x_faults = 'x'") == [(n,)]
    assert case.query(
        "SELECT count(*) FROM ssd_contacts WHERE cont_contact_date = DATE '2000-01-01'"
    ) == [(0,)]
    assert case.query("SELECT min(x_line), max(xcont_contact_date__v) FROM ssd_contacts") == [
        ("y", "2000-01-01")
    ]
    # the typed column's value as written (__o) and a key as written (__k) are the loader's too
    assert case.query(
        "SELECT min(xcont_contact_date__o), min(xcont_contact_id__k), count(*) FROM ssd_contacts"
    ) == [("2000-01-02", "K", n)]


def test_two_annex_a_sheets_for_one_list_stop_naming_both(case):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in ("List 1", "List_1 (old)"):
        ws = wb.create_sheet(name)
        ws.append(["Child Unique ID", "Gender", "Date of Contact", "Contact Source"])
        ws.append(["A1", "a) Male", dt.date(2024, 9, 1), "q) 6: Police"])
    path = case.tmp / "annex_a.xlsx"
    wb.save(path)
    out = case.stopped(path)
    assert "two sheets hold list 1 ('List 1' and 'List_1 (old)')" in out


def test_an_annex_a_workbook_declaring_16384_columns_is_read_by_its_values(case):
    """The 24 KB workbook that hung: every row spans 16,384 columns with a styled empty cell at
    XFD, the dimension says A1:XFD1048576."""
    import re

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List 3"
    ws.append(["Child Unique ID", "Gender", "Date of Birth", "Date of Referral", "Referral Source"])
    for i in range(200):
        ws.append([f"A{i}", "a) Male", dt.date(2015, 1, 1), dt.date(2024, 9, 1), "q) 6: Police"])
    path = case.tmp / "annex_a.xlsx"
    wb.save(path)

    def widen(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        xml = re.sub(r'<row r="(\d+)"', r'<row r="\1" spans="1:16384"', xml)
        return re.sub(r'<row r="(\d+)"([^>]*)>', r'<row r="\1"\2><c r="XFD\1" s="0"/>', xml)

    _rewrite_sheet_xml(path, 1, widen)
    assert path.stat().st_size < 30_000
    case.loaded(path)
    assert case.query("SELECT count(*) FROM ssd_cin_episodes") == [(200,)]
