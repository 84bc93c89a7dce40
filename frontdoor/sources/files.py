"""Stage the files of an SSD extract (CSV, Parquet, workbook sheets) into DuckDB as raw text.

Every staged table has the file's columns, named as in the header (trimmed, lower case), every
value still text, plus `_file` (the file as shown to users) and `_line` (where the row is in it:
for CSV the header is line 1 and the first data row line 2; for a sheet the sheet row number; for
Parquet the row number, first row 1). Typing and validation are the loader's job.

CSV is read by DuckDB itself (parallel, no Python row loop), when the loader types the table:
staging finds only the dialect and header (`stage_csv`), and `read_csv_into` hands the rows to the
query that writes the typed table, then sets each row's physical line. The header is read here,
so the dialect never depends on DuckDB's sniffer guessing from broken rows; lines DuckDB cannot
parse are recorded in `_malformed` with their line number instead of being dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from frontdoor.schema import DATE, TABLES
from frontdoor.sources import FILE_COLUMN, LINE_COLUMN, STOP, WARNING, Problem, text
from frontdoor.sources.workbook import Sheet, Value, Workbook, WorkbookError, cell_name

CSV_SUFFIXES = {".csv", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}

# Created by `create_malformed_table`: CSV lines that could not be split into the header's columns.
MALFORMED = "_malformed"


class LoadStopped(Exception):
    """The load cannot go on: `problem` names the file and column, `advice` what to do next."""

    def __init__(self, problem: Problem, advice: str):
        super().__init__(problem.reason)
        self.problem = problem
        self.advice = advice


@dataclass
class Staged:
    """One file (or sheet, or reader frame) staged for one table.

    A CSV file is not read when staged (`csv` is set): the loader reads it straight into the
    table it types (`read_csv_into`), or into the temp table `relation` when the table has
    several parts (`materialise`)."""

    table: str
    file: str  # as shown to users
    relation: str  # temp table or view: `columns` (VARCHAR), _file, _line
    columns: list[str]
    order: int  # files are ordered for "first occurrence" by this, then by _file and _line
    csv: PreparedCsv | None = None  # a CSV file not read yet
    workdir: Path | None = None  # where repaired copies of `csv` go


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A SQL quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


# Endings of the loader's working column names (frontdoor.validate): no input column takes them.
LOADER_SUFFIXES = ("__v", "__o", "__k", "__r")


def normalise_columns(names: list[object], file: str, table: str | None) -> tuple[list[str], list]:
    """Trimmed lower-case column names; blank ones named `unnamed_<n>`, repeats `<name>_<k>`.

    Names starting with `_` or ending in `__v`/`__o`/`__k`/`__r` are the loader's own working names (`_file`,
    `_line`, `_faults`, `cont_contact_date__v`, `cont_contact_date__o`...): an input column so named is renamed `x<name>`
    with a warning, so it can never be mistaken for one of them."""
    out: list[str] = []
    problems = []
    for i, raw in enumerate(names):
        name = ("" if raw is None else str(raw)).strip().lower().lstrip("\ufeff")
        if not name:
            name = f"unnamed_{i + 1}"
        if name.startswith("_") or name.endswith(LOADER_SUFFIXES):
            problems.append(
                Problem(
                    WARNING,
                    f"column {name!r} renamed {'x' + name!r}: names starting with _ or ending "
                    "in __v, __o, __k or __r are the loader's own",
                    file,
                    table=table,
                    line=1,
                    column=name,
                )
            )
            name = "x" + name
        base, k = name, 2
        while name in out or name in (FILE_COLUMN, LINE_COLUMN):
            name = f"{base}_{k}"
            k += 1
        if name != base:
            problems.append(
                Problem(
                    WARNING,
                    f"column {base!r} appears more than once; column {i + 1} kept as {name!r}",
                    file,
                    table=table,
                    line=1,
                    column=base,
                )
            )
        out.append(name)
    return out, problems


def create_malformed_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"CREATE OR REPLACE TABLE {MALFORMED} (table_name VARCHAR, file VARCHAR, "
        "line BIGINT, reason VARCHAR, raw VARCHAR)"
    )


# ---------------------------------------------------------------------------------------- CSV


def _unreadable(file: str, table: str | None, why: str, expected: str) -> LoadStopped:
    return LoadStopped(
        Problem(STOP, f"cannot read {file}: {why}", file, table=table),
        f"Expected {expected}. Export the file again (from the SSD script or the case management "
        "system) and load again.",
    )


@dataclass
class PreparedCsv:
    """A text file made ready for DuckDB (see frontdoor.sources.text)."""

    path: Path  # UTF-8: the original, or a repaired copy in the load's working folder
    delimiter: str
    header: list[str]
    problems: list[Problem]
    set_aside: dict[int, str]  # physical line -> why the row was set aside (rejected)
    raw: dict[int, str]  # physical line -> its text
    survey: text.Survey | None = None  # of `path`, before any line repair
    lines_checked: bool = False  # `check_lines` has run (damaged rows set aside)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:80]


def prepare_csv(path: Path, file: str, table: str, workdir: Path) -> PreparedCsv:
    """Find the encoding, line endings and delimiter of a text file, and make a UTF-8 copy when
    DuckDB could not read it as it is: a UTF-16 or Windows-1252 file, CR-only line endings. The
    original is never changed. Damaged lines are `check_lines`' job (run only when needed)."""
    expected = "a CSV text file whose first line names the columns"
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(1 << 20)
    except OSError as e:
        raise _unreadable(file, table, e.strerror or str(e), expected) from None
    encoding = text.detect_encoding(head)
    if size == 0 or not head.replace(b"\x00", b"").strip():
        raise _unreadable(file, table, "the file is empty", expected)
    if encoding.startswith("utf-8") and b"\x00" in head:
        raise _unreadable(file, table, "it is not a text file (binary content)", expected)
    problems: list[Problem] = []
    ascii_head = head.replace(b"\x00", b"")
    cr_only = b"\n" not in ascii_head and b"\r" in ascii_head
    read = path
    found = None if encoding.startswith("utf-16") or cr_only else text.survey(path)
    if found is None or not found.utf8:
        workdir.mkdir(parents=True, exist_ok=True)
        read = workdir / f"{_safe(file)}.utf8.csv"
        n_bytes, lines = text.transcode(path, read, encoding, cr_only)
        found = text.survey(read)
        if encoding.startswith("utf-16"):
            order = "little-endian" if encoding.endswith("le") else "big-endian"
            problems.append(
                Problem(
                    WARNING, f"the file is UTF-16 ({order}) text; read as such", file, table=table
                )
            )
        if cr_only:
            problems.append(
                Problem(
                    WARNING,
                    "lines end in a carriage return (CR) alone, as on old Macs; read as line ends",
                    file,
                    table=table,
                )
            )
        if n_bytes:
            where = ", ".join(str(n) for n in lines[:5])
            problems.append(
                Problem(
                    WARNING,
                    f"{n_bytes:,} byte(s) are not UTF-8 (first on line {where}); read as "
                    "Windows-1252 characters (’ é £ ...) - check accented names look right",
                    file,
                    table=table,
                    line=lines[0] if lines else None,
                )
            )
    with read.open("rb") as f:
        decoded = f.read(1 << 20).decode("utf-8", errors="replace").lstrip("\ufeff")
    first_line = decoded.split("\n", 1)[0].rstrip("\r")
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    delim = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    try:
        header = next(csv.reader(io.StringIO(first_line), delimiter=delim, quotechar='"'))
    except (csv.Error, StopIteration):
        header = []
    if not any(h.strip() for h in header):
        raise _unreadable(file, table, "the first line (the header) is blank", expected)
    return PreparedCsv(read, delim, header, problems, {}, {}, found)


def check_lines(prep: PreparedCsv, file: str, workdir: Path) -> PreparedCsv:
    """Set aside the rows that would make DuckDB lose others: a CR alone inside a row, a quote
    that never closes (frontdoor.sources.text). The file is read line by line in Python only
    when a quick scan finds one of those or a value spanning lines."""
    if prep.lines_checked:
        return prep
    prep.lines_checked = True
    if text.needs_line_check(prep.path):
        workdir.mkdir(parents=True, exist_ok=True)
        repaired = workdir / f"{_safe(file)}.lines.csv"
        set_aside, raw = text.repair_lines(prep.path, repaired, prep.delimiter, len(prep.header))
        if set_aside:
            prep.path, prep.set_aside, prep.raw = repaired, set_aside, raw
        else:
            repaired.unlink()
    return prep


@dataclass
class RecordScan:
    """Where each record of a CSV file starts, found without parsing values.

    A newline ends a record when an even number of quotes comes before it (RFC 4180: a quoted
    value may hold newlines, a quote inside one is doubled). `lines[k]` is the physical line on
    which record k starts (record 0 is the header, on line 1); `blank[k]` says the record is an
    empty line, which DuckDB skips. DuckDB numbers records as `k + 1` in its rejects.
    """

    lines: np.ndarray
    blank: np.ndarray
    quotes_balanced: bool
    last_line: int  # the file's last physical line
    quotes: int = 0  # quote characters in the file


def scan_records(path: Path, chunk: int = 1 << 23) -> RecordScan:
    ranks: list[np.ndarray] = []  # rank among all newlines of each record-ending newline
    positions: list[np.ndarray] = []  # byte position of each record-ending newline
    before_cr: list[np.ndarray] = []  # a carriage return just before it
    quotes = newlines = offset = 0
    last_byte = 0
    with path.open("rb") as f:
        while block := f.read(chunk):
            data = np.frombuffer(block, dtype=np.uint8)
            nl = np.flatnonzero(data == 10)
            if len(nl):
                cum = np.cumsum(data == 34, dtype=np.int64)
                ends = ((cum[nl] + quotes) & 1) == 0
                idx = nl[ends]
                ranks.append(newlines + np.flatnonzero(ends))
                positions.append(offset + idx)
                prev = np.where(idx > 0, data[np.maximum(idx - 1, 0)], last_byte)
                before_cr.append(prev == 13)
                quotes += int(cum[-1])
            else:
                quotes += int(np.count_nonzero(data == 34))
            newlines += len(nl)
            offset += len(data)
            last_byte = int(data[-1])
    rank = np.concatenate(ranks) if ranks else np.zeros(0, dtype=np.int64)
    pos = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
    cr = np.concatenate(before_cr) if before_cr else np.zeros(0, dtype=bool)
    # Record k >= 1 starts just after record-ending newline k - 1.
    starts = np.concatenate([[0], pos + 1])
    stops = np.concatenate([pos, [offset]])
    length = stops - starts
    has_cr = np.concatenate([cr, [False]])
    blank = (length == 0) | ((length == 1) & has_cr)
    lines = np.concatenate([[1], rank + 2])
    if length[-1] > 0:  # a last record without a newline: blank if only spaces
        with path.open("rb") as f:
            f.seek(int(starts[-1]))
            blank[-1] = not f.read().strip()
    else:
        blank[-1] = True  # nothing after the final newline
    return RecordScan(lines, blank, quotes % 2 == 0, newlines + 1, quotes)


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    table: str,
    file: str,
    relation: str,
    order: int,
    workdir: Path,
) -> tuple[Staged, list[Problem]]:
    """Stage one CSV file: its dialect and header, read later (`read_csv_into`) as rows of
    `columns` (text), `_file` and `_line` (the physical line).

    The usual file (no CR alone, quotes balanced) is read by DuckDB at once, and its rows are
    numbered by counting: when the rows DuckDB read plus the lines it rejected plus the header
    are exactly the file's physical lines, every record is one line (no blank line, no value
    spanning lines), so row i is on line i + 2, shifted by the rejected lines before it. Any
    other file (or one where the counts differ) has its damaged rows set aside and its records
    found by a quote-aware scan of every byte (`scan_records`)."""
    prep = prepare_csv(path, file, table, workdir)
    columns, more = normalise_columns(prep.header, file, table)
    staged = Staged(table, file, relation, columns, order, csv=prep, workdir=workdir)
    return staged, prep.problems + more


def materialise(con: duckdb.DuckDBPyConnection, part: Staged) -> list[Problem]:
    """Read a staged CSV file into the temp table `part.relation` (a table of several parts is
    typed from the union of its parts)."""
    if part.csv is None:
        return []
    problems = read_csv_into(
        con,
        part,
        part.relation,
        lambda source: con.execute(
            f"CREATE OR REPLACE TEMP TABLE {ident(part.relation)} AS {source}"
        ),
    )
    part.csv = None
    return problems


def read_csv_into(
    con: duckdb.DuckDBPyConnection,
    part: Staged,
    target: str,
    create: Callable[[str], object],
) -> list[Problem]:
    """Read the staged CSV file `part` by `create(source)`, which makes the table `target` from
    the query `source` (the file's columns as text, `_file`, `_line`) in file order; then set
    `_line` in `target` to each row's physical line where counting rows gave another.

    `source` numbers rows as if each record were one line after the header; that holds when
    the rows read + the lines rejected + the header are the file's physical lines (see
    `stage_csv`), shifted past any rejected line. Otherwise the file's damaged rows are set
    aside, it is read again if so, and the lines come from a quote-aware scan."""
    prep, file, table, columns = part.csv, part.file, part.table, part.columns
    problems: list[Problem] = []
    found = prep.survey
    read = False
    if found is not None and not found.lone_cr and found.quotes % 2 == 0:
        read = _read_csv(con, prep, columns, target, file, table, create, quiet=True)
        if read and _number_by_count(con, prep, columns, target, file, table):
            return problems
    before = prep.path
    check_lines(prep, file, part.workdir)
    if read and prep.path != before:
        con.execute(f"DROP TABLE {ident(target)}")  # rows were set aside: read the repaired copy
        read = False
    if not read:
        _read_csv(con, prep, columns, target, file, table, create, quiet=False)
    _number_by_scan(con, prep, columns, target, file, table, problems)
    return problems


def _read_csv(
    con: duckdb.DuckDBPyConnection,
    prep: PreparedCsv,
    columns: list[str],
    target: str,
    file: str,
    table: str,
    create: Callable[[str], object],
    quiet: bool,
) -> bool:
    """Make `target` by `create` from the file's rows (every column text), the lines DuckDB
    cannot split into the header's columns going to `_csv_rejects`. `quiet`: a failure returns
    False (the caller falls back to repairing the file first) instead of stopping the load."""
    spec = "{" + ", ".join(f"{lit(c)}: 'VARCHAR'" for c in columns) + "}"
    con.execute("DROP TABLE IF EXISTS _csv_rejects; DROP TABLE IF EXISTS _csv_reject_scans")
    source = (
        f"SELECT *, {lit(file)} AS _file, CAST(row_number() OVER () + 1 AS BIGINT) AS _line "
        f"FROM read_csv({lit(str(prep.path))}, auto_detect=false, header=true, "
        f"delim={lit(prep.delimiter)}, quote='\"', escape='\"', columns={spec}, "
        "encoding='utf-8', store_rejects=true, rejects_table='_csv_rejects', "
        "rejects_scan='_csv_reject_scans')"
    )
    try:
        create(source)
    except duckdb.Error as e:
        con.execute(f"DROP TABLE IF EXISTS {ident(target)}")
        if quiet:
            return False
        raise _unreadable(
            file, table, str(e).splitlines()[0], "a CSV text file with one row per line"
        ) from None
    return True


def _number_by_count(
    con: duckdb.DuckDBPyConnection,
    prep: PreparedCsv,
    columns: list[str],
    target: str,
    file: str,
    table: str,
) -> bool:
    """Keep the counted lines of `target`, if the file's counts allow (see `stage_csv`),
    shifted past the malformed lines; False (and nothing done) if they do not."""
    found = prep.survey
    n_rows, n_bad = con.execute(
        f"SELECT (SELECT count(*) FROM {ident(target)}), "
        "(SELECT count(DISTINCT line) FROM _csv_rejects)"
    ).fetchone()
    if found is None or n_rows + n_bad + 1 != found.lines:
        return False
    # Every record is one physical line: DuckDB's line numbers are the physical lines.
    _check_unquoted_export(
        con, found.quotes, lambda line: line, file, table, prep.delimiter, len(columns)
    )
    if n_bad:
        # One malformed record per line, whatever number of errors DuckDB found in it.
        con.execute(
            f"""
            INSERT INTO {MALFORMED}
            SELECT {lit(table)}, {lit(file)}, line,
                   'malformed line: ' || string_agg(DISTINCT error_message, '; '),
                   any_value(csv_line)
            FROM _csv_rejects GROUP BY line
            """
        )
        _shift_lines(con, target)
    con.execute("DROP TABLE IF EXISTS _csv_rejects; DROP TABLE IF EXISTS _csv_reject_scans")
    return True


def _shift_lines(con: duckdb.DuckDBPyConnection, target: str) -> None:
    """Move each row of `target` past the malformed lines of `_csv_rejects` before it (its
    counted line is row i + 2)."""
    # Malformed line L_j (j = 1, 2, ...) comes after k_j = L_j - 2 - (j - 1) accepted rows, so
    # row i is on line i + 2 + #{j: k_j <= i}.
    con.execute(
        f"""
        UPDATE {ident(target)} AS t SET _line = m.moved
        FROM (
            SELECT r._line AS counted, r._line + s.shift AS moved
            FROM (SELECT _line FROM {ident(target)}) r
            ASOF JOIN (
                SELECT k, max(shift) AS shift FROM (
                    SELECT line - 2 - (row_number() OVER (ORDER BY line) - 1) AS k,
                           row_number() OVER (ORDER BY line) AS shift
                    FROM (SELECT DISTINCT line FROM _csv_rejects)
                ) GROUP BY k
            ) s ON r._line - 2 >= s.k
        ) m
        WHERE t._line = m.counted
        """
    )


def _number_by_scan(
    con: duckdb.DuckDBPyConnection,
    prep: PreparedCsv,
    columns: list[str],
    target: str,
    file: str,
    table: str,
    problems: list[Problem],
) -> None:
    """Set `_line` in `target` to the physical line each record starts on, found by a
    quote-aware scan of the file (blank lines, values spanning lines, rows set aside)."""
    if prep.set_aside:
        con.executemany(
            f"INSERT INTO {MALFORMED} VALUES (?, ?, ?, ?, ?)",
            [(table, file, n, reason, prep.raw.get(n)) for n, reason in prep.set_aside.items()],
        )
    n_rows = con.execute(f"SELECT count(*) FROM {ident(target)}").fetchone()[0]
    bad = con.execute("SELECT DISTINCT line FROM _csv_rejects ORDER BY line").fetchnumpy()["line"]
    bad = np.asarray(bad, dtype=np.int64)
    scan = scan_records(prep.path)

    def line_of(line: int) -> int:
        k = line - 1  # DuckDB numbers record k as line k + 1
        return int(scan.lines[k]) if 0 <= k < len(scan.lines) else line

    _check_unquoted_export(con, scan.quotes, line_of, file, table, prep.delimiter, len(columns))
    k = bad - 1
    usable = ~scan.blank
    usable[0] = False  # the header
    inside = k[(k >= 0) & (k < len(usable))]
    usable[inside] = False
    lines = bad_lines = None
    if int(usable.sum()) == n_rows and len(inside) == len(k):
        lines = scan.lines[usable]
        bad_lines = scan.lines[k]
    elif not scan.quotes_balanced:
        first = _first_long_record(scan)
        raise LoadStopped(
            Problem(
                STOP,
                'a quote (") opens a value that is never closed, so the rest of the file '
                "cannot be split into rows"
                + (
                    f"; the first value running over several lines starts on line {first}"
                    if first
                    else ""
                ),
                file,
                table=table,
                line=first,
            ),
            "Expected values that contain commas, quotes or line breaks to be enclosed in "
            'double quotes, with any quote inside doubled (""). Export the file again as '
            "standard CSV and load again.",
        )
    else:
        problems.append(
            Problem(
                WARNING,
                "rows could not be matched to their lines exactly; line numbers given for "
                "this file count records, not physical lines",
                file,
                table=table,
            )
        )
    # One malformed record per line, whatever number of errors DuckDB found in it.
    if len(bad):
        con.register(
            "_bad_lines",
            pd.DataFrame({"line": bad, "phys": bad if bad_lines is None else bad_lines}),
        )
        con.execute(
            f"""
            INSERT INTO {MALFORMED}
            SELECT {lit(table)}, {lit(file)}, any_value(b.phys),
                   'malformed line: ' || string_agg(DISTINCT error_message, '; '),
                   any_value(csv_line)
            FROM _csv_rejects r JOIN _bad_lines b USING (line) GROUP BY line
            """
        )
        con.unregister("_bad_lines")
    counted = np.arange(2, n_rows + 2)
    if lines is None:
        # records, not lines (warned above): counted, shifted past the malformed records
        if len(bad):
            _shift_lines(con, target)
    elif not np.array_equal(lines, counted):
        # `target` numbers row i as i + 2: move the rows whose physical line differs
        moved = lines != counted
        con.register("_row_lines", pd.DataFrame({"counted": counted[moved], "line": lines[moved]}))
        try:
            con.execute(
                f"UPDATE {ident(target)} AS t SET _line = CAST(m.line AS BIGINT) "
                "FROM _row_lines m WHERE t._line = m.counted"
            )
        finally:
            con.unregister("_row_lines")
    con.execute("DROP TABLE IF EXISTS _csv_rejects; DROP TABLE IF EXISTS _csv_reject_scans")


UNQUOTED_EXPORT_ADVICE = (
    "Expected text that contains the delimiter to be quoted. Re-export with text quoted - in "
    "SSMS: Tools → Options → Query Results → SQL Server → Results to Grid → Quote strings "
    "containing list separators when saving .csv results - or tab-separated, and load again."
)


def _check_unquoted_export(
    con: duckdb.DuckDBPyConnection,
    quotes: int,
    line_of: Callable[[int], int],
    file: str,
    table: str,
    delim: str,
    ncols: int,
) -> None:
    """Rows with more values than the header in a file with no quote at all: an export (SQL
    Server Management Studio's default) that did not quote text containing the delimiter.
    Rejecting those rows would lose every record whose text has a comma: stop instead."""
    if quotes:
        return
    n, first = con.execute(
        "SELECT count(DISTINCT line), min(line) FROM _csv_rejects "
        "WHERE error_type = 'TOO MANY COLUMNS'"
    ).fetchall()[0]
    if not n:
        return
    line = line_of(int(first))
    shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(delim, delim)
    raise LoadStopped(
        Problem(
            STOP,
            f"{n:,} row(s) have more values than the header's {ncols} columns (first on line "
            f"{line}) and no value in the file is quoted: text containing a {shown} was exported "
            "without quotes, so its values cannot be told apart",
            file,
            table=table,
            line=line,
        ),
        UNQUOTED_EXPORT_ADVICE,
    )


def _first_long_record(scan: RecordScan) -> int | None:
    """The line where the first record spanning several physical lines starts."""
    spans = np.diff(np.concatenate([scan.lines, [scan.last_line + 1]]))
    idx = np.flatnonzero(spans > 1)
    # a blank line also advances by one record; only a quoted value spans lines within one
    for k in idx:
        if not scan.blank[k]:
            return int(scan.lines[k])
    return None


# ------------------------------------------------------------------------------------ Parquet


def stage_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, file: str, relation: str, order: int
) -> tuple[Staged, list[Problem]]:
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({lit(str(path))})").fetchall()
    except duckdb.Error as e:
        raise _unreadable(file, table, str(e).splitlines()[0], "a Parquet file") from None
    names = [r[0] for r in described]
    columns, problems = normalise_columns(names, file, table)
    exprs = []
    for (name, sql_type, *_), col in zip(described, columns, strict=True):
        src = ident(name)
        t = str(sql_type).upper()
        if t.startswith("TIMESTAMP") or t == "DATE":
            e = f"strftime(CAST({src} AS DATE), '%Y-%m-%d')"  # a timestamp keeps its date
        elif t in ("FLOAT", "DOUBLE") or t.startswith("DECIMAL"):
            # 123.0 is the identifier 123, not "123.0"
            e = (
                f"CASE WHEN {src} = trunc({src}) AND abs({src}) < 1e15 "
                f"THEN CAST(CAST({src} AS BIGINT) AS VARCHAR) ELSE CAST({src} AS VARCHAR) END"
            )
        else:
            e = f"CAST({src} AS VARCHAR)"
        exprs.append(f"{e} AS {ident(col)}")
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {relation} AS SELECT {', '.join(exprs)}, "
            f"{lit(file)} AS _file, CAST(file_row_number + 1 AS BIGINT) AS _line "
            f"FROM read_parquet({lit(str(path))}, file_row_number=true)"
        )
    except duckdb.Error as e:
        raise _unreadable(file, table, str(e).splitlines()[0], "a Parquet file") from None
    return Staged(table, file, relation, columns, order), problems


# ---------------------------------------------------------------------------------- workbooks

_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _cell_text(value: Value) -> str | None:
    """A workbook cell as text: dates ISO (a datetime keeps its date), whole numbers without
    '.0', booleans as true/false."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value)


def _serial_date(value: float) -> str | None:
    """An Excel serial day number as an ISO date (1 is 1 Jan 1900), None out of range."""
    if 1 <= value < 2958466:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
    return None


def open_workbook(path: Path, file: str) -> Workbook:
    try:
        return Workbook(path, file)
    except WorkbookError as e:
        raise LoadStopped(
            Problem(STOP, f"cannot read {file}: {e.reason}", file), e.advice
        ) from None


def workbook_sheet_tables(wb: Workbook, file: str) -> tuple[dict[str, str], list[str]]:
    """({table: sheet name} for sheets named after tables, other sheet names). Two sheets that
    name one table (case and spaces aside) stop the load: one would be silently dropped."""
    tables: dict[str, str] = {}
    others: list[str] = []
    for name in wb.sheet_names:
        table = name.strip().lower()
        if table not in TABLES:
            others.append(name)
            continue
        if table in tables:
            raise LoadStopped(
                Problem(
                    STOP,
                    f"two sheets hold the table {table}: {tables[table]!r} and {name!r}",
                    file,
                    table=table,
                ),
                "Expected one sheet per table. Delete or rename the sheet that should not be "
                "read (or put both sets of rows on one sheet), save, and load again.",
            )
        tables[table] = name
    return tables, others


def stage_workbook_sheet(
    con: duckdb.DuckDBPyConnection,
    wb: Workbook,
    sheet: str,
    table: str,
    file: str,
    relation: str,
    order: int,
) -> tuple[Staged, list[Problem]]:
    """Stage one sheet named after a table: header in row 1, one record per non-empty row."""
    label = f"{file}[{sheet}]"
    try:
        ws = wb.read(sheet)
    except WorkbookError as e:
        raise LoadStopped(
            Problem(STOP, f"cannot read {label}: {e.reason}", label, table=table), e.advice
        ) from None
    rows = ws.rows
    if not rows or rows[0][0] != 1 or not any(_cell_text(v) for v in rows[0][1]):
        raise _unreadable(
            label, table, "the first row (the header) is blank", "column names in row 1"
        )
    header = rows[0][1]
    columns, problems = normalise_columns(list(header), label, table)
    spec = TABLES[table]
    width = len(columns)
    problems += _sheet_notes(ws, label, table, columns)
    data: list[list[str | None]] = [[] for _ in columns]
    lines: list[int] = []
    kinds = [spec.columns.get(c) for c in columns]
    for n, row in rows[1:]:
        texts: list[str | None] = []
        for i, v in enumerate(row[:width]):
            if isinstance(v, float) and kinds[i] == DATE:
                text = _serial_date(v)
                problems.append(
                    Problem(
                        WARNING,
                        f"date read from the number {_cell_text(v)} (an Excel day number; the "
                        "cell is not formatted as a date) - check it"
                        if text
                        else f"the number {_cell_text(v)} is not a date",
                        label,
                        table=table,
                        line=n,
                        column=columns[i],
                        value=_cell_text(v),
                    )
                )
                texts.append(text or _cell_text(v))
            else:
                texts.append(_cell_text(v))
        texts += [None] * (width - len(texts))
        for i, t in enumerate(texts):
            data[i].append(t)
        lines.append(n)
        extra = [v for v in row[width:] if v is not None and str(v).strip()]
        if extra:
            problems.append(
                Problem(
                    WARNING,
                    f"{len(extra)} value(s) beyond the last named column ignored",
                    label,
                    table=table,
                    line=n,
                )
            )
    frame = pd.DataFrame(
        {c: pd.Series(v, dtype=object) for c, v in zip(columns, data, strict=True)}
    )
    frame[FILE_COLUMN] = label
    frame[LINE_COLUMN] = pd.Series(lines, dtype="int64")
    staged = stage_frame(con, frame, table, label, relation, order, columns=columns)
    return staged, problems


def _sheet_notes(ws: Sheet, label: str, table: str, columns: list[str]) -> list[Problem]:
    """Warnings for what the sheet's cells do not show: hidden sheet, merged ranges, formulas
    without a saved value, Excel errors (each read as empty)."""
    out: list[Problem] = []
    if ws.hidden:
        out.append(
            Problem(
                WARNING,
                "the sheet is hidden in the workbook; read like the others",
                label,
                table=table,
            )
        )
    for rng in ws.merged:
        out.append(
            Problem(
                WARNING,
                f"cells {rng} are merged: the value is read in the first cell only, the others "
                "as empty",
                label,
                table=table,
                line=int(re.sub(r"^[A-Z]+", "", rng.split(":")[0])),
                value=rng,
            )
        )
    required = set(TABLES[table].required_columns)
    for (row, col), formula in sorted(ws.missing_formulas.items()):
        name = columns[col - 1] if col <= len(columns) else None
        need = (
            f"; {name} is required, so the row is rejected" if name in required and row > 1 else ""
        )
        out.append(
            Problem(
                WARNING,
                f"formula {formula} in cell {cell_name(row, col)} has no saved value (the workbook "
                f"was not recalculated before saving); read as empty{need}",
                label,
                table=table,
                line=row,
                column=name,
                value=formula,
            )
        )
    for (row, col), error in sorted(ws.errors.items()):
        name = columns[col - 1] if col <= len(columns) else None
        out.append(
            Problem(
                WARNING,
                f"Excel error {error} in cell {cell_name(row, col)}; read as empty",
                label,
                table=table,
                line=row,
                column=name,
                value=error,
            )
        )
    return out


# ----------------------------------------------------------------------------- reader frames


def stage_frame(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    table: str,
    file: str,
    relation: str,
    order: int,
    columns: list[str] | None = None,
) -> Staged:
    """Stage a pandas frame (text columns plus `_file` and `_line`) as a temp table."""
    names = [c for c in frame.columns if c not in (FILE_COLUMN, LINE_COLUMN)]
    if columns is None:
        columns, _ = normalise_columns(names, file, table)
    view = f"{relation}_df"
    con.register(view, frame)
    try:
        exprs = [
            f"CAST({ident(str(src))} AS VARCHAR) AS {ident(col)}"
            for src, col in zip(names, columns, strict=True)
        ]
        file_expr = (
            f"coalesce(CAST({ident(FILE_COLUMN)} AS VARCHAR), {lit(file)})"
            if FILE_COLUMN in frame.columns
            else lit(file)
        )
        line_expr = (
            f"CAST({ident(LINE_COLUMN)} AS BIGINT)"
            if LINE_COLUMN in frame.columns
            else "CAST(row_number() OVER () AS BIGINT)"
        )
        select = ", ".join([*exprs, f"{file_expr} AS _file", f"{line_expr} AS _line"])
        con.execute(f"CREATE OR REPLACE TEMP TABLE {relation} AS SELECT {select} FROM {view}")
    finally:
        con.unregister(view)
    return Staged(table, file, relation, columns, order)
