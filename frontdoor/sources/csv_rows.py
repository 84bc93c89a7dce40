"""A staged CSV file's rows read into DuckDB, each with the physical line it starts on.

CSV is read by DuckDB itself (parallel, no Python row loop), when the loader types the table:
staging finds only the dialect and header (`stage_csv`, frontdoor.sources.csv_prepare), and
`read_csv_into` hands the rows to the query that writes the typed table, then sets each row's
physical line. Lines DuckDB cannot parse are recorded in `_malformed` with their line number
instead of being dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from frontdoor.sources import STOP, WARNING, LoadStopped, Problem
from frontdoor.sources.csv_prepare import PreparedCsv, check_lines, prepare_csv
from frontdoor.sources.staging import MALFORMED, Staged, ident, lit, normalise_columns, unreadable


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
    numbered: bool = True,
) -> list[Problem]:
    """Read the staged CSV file `part` by `create(source)`, which makes the table `target` from
    the query `source` (the file's columns as text, `_file`, `_line`) in file order; then set
    `_line` in `target` to each row's physical line where counting rows gave another.

    `source` numbers rows as if each record were one line after the header; that holds when
    the rows read + the lines rejected + the header are the file's physical lines (see
    `stage_csv`), shifted past any rejected line. Otherwise the file's damaged rows are set
    aside, it is read again if so, and the lines come from a quote-aware scan.

    `numbered` False: `source` has no `_line`, and `target` gets one (`store_lines`) only
    if a row's physical line is not its counted line (row i, in the stored order, on line
    i + 2): a file of one line per record, as nearly every export is, is stored without it,
    its lines read from the order its rows are stored in (`Written.rows_sql`)."""
    prep, file, table, columns = part.csv, part.file, part.table, part.columns
    problems: list[Problem] = []
    found = prep.survey
    read = False
    if found is not None and not found.lone_cr and found.quotes % 2 == 0:
        read = _read_csv(con, prep, columns, target, file, table, create, True, numbered)
        if read and _number_by_count(con, prep, columns, target, file, table):
            return problems
    before = prep.path
    check_lines(prep, file, part.workdir)
    if read and prep.path != before:
        con.execute(f"DROP TABLE {ident(target)}")  # rows were set aside: read the repaired copy
        read = False
    if not read:
        _read_csv(con, prep, columns, target, file, table, create, False, numbered)
    _number_by_scan(con, prep, columns, target, file, table, problems)
    return problems


def typed_read_possible(part: Staged) -> bool:
    """Whether `read_typed_csv` can read the staged CSV file `part`: one record a line can be
    told by counting (no quote, no CR alone), and no value has a blank character at its edge
    (no space beside a field's edge, no tab in a file not tab-separated, no vertical tab or
    form feed, nothing beyond ASCII), so every value's bytes are the file's."""
    prep = part.csv
    found = prep.survey if prep is not None else None
    return (
        found is not None
        and found.utf8
        and not found.lone_cr
        and found.quotes == 0
        and not found.padded
        and not found.other_blanks
        and (found.tabs == 0 or prep.delimiter == "\t")
        and not prep.set_aside
        and prep.path.stat().st_size > 0
    )


def read_typed_csv(
    con: duckdb.DuckDBPyConnection,
    part: Staged,
    target: str,
    create: Callable[[str], object],
    types: dict[str, str],
    check: Callable[[int], bool],
) -> bool:
    """Try to make `target` by `create(source)` from the staged CSV file `part` (see
    `typed_read_possible`) with the columns `types` read typed by DuckDB itself (a DATE
    written YYYY-MM-DD; DuckDB also reads 2021-4-1, or a date with blanks at its edges),
    instead of as text. It holds only when DuckDB rejected no line, every line is a record
    (rows + header = lines), and `check(n)` finds the values' bytes are exactly `n`: the file's
    bytes less the header's, the delimiters' and the line ends'. A date DuckDB read from
    another writing than YYYY-MM-DD is then impossible: with no blank in the file (the
    survey), each such writing it reads is shorter than the 10 bytes counted for the date.
    False (and `target` dropped): the caller reads the file as text, as before."""
    prep, found = part.csv, part.csv.survey
    with prep.path.open("rb") as f:
        first = f.readline()
    header = len(first.rstrip(b"\n").rstrip(b"\r"))
    ok = _read_csv(
        con, prep, part.columns, target, part.file, part.table, create, True, False, types
    )
    if ok:
        n_rows, n_bad = con.execute(
            f"SELECT (SELECT count(*) FROM {ident(target)}), (SELECT count(*) FROM _csv_rejects)"
        ).fetchone()
        values = (
            prep.path.stat().st_size
            - header
            - n_rows * (len(part.columns) - 1)
            - found.newlines
            - found.crs
        )
        ok = n_bad == 0 and n_rows + 1 == found.lines and check(values)
        if not ok:
            con.execute(f"DROP TABLE {ident(target)}")
    con.execute("DROP TABLE IF EXISTS _csv_rejects; DROP TABLE IF EXISTS _csv_reject_scans")
    return ok


def _read_csv(
    con: duckdb.DuckDBPyConnection,
    prep: PreparedCsv,
    columns: list[str],
    target: str,
    file: str,
    table: str,
    create: Callable[[str], object],
    quiet: bool,
    numbered: bool = True,
    types: dict[str, str] | None = None,
) -> bool:
    """Make `target` by `create` from the file's rows (every column text), the lines DuckDB
    cannot split into the header's columns going to `_csv_rejects`. `quiet`: a failure returns
    False (the caller falls back to repairing the file first) instead of stopping the load.
    `numbered`: each row's counted line as `_line` (see `read_csv_into`). `types`: columns
    read as another type than text (DATE: written YYYY-MM-DD; a value that is not goes to
    `_csv_rejects`), for `read_typed_csv`."""
    types = types or {}
    spec = "{" + ", ".join(f"{lit(c)}: {lit(types.get(c, 'VARCHAR'))}" for c in columns) + "}"
    con.execute("DROP TABLE IF EXISTS _csv_rejects; DROP TABLE IF EXISTS _csv_reject_scans")
    source = (
        f"SELECT *, {lit(file)} AS _file"
        + (", CAST(row_number() OVER () + 1 AS BIGINT) AS _line " if numbered else " ")
        + f"FROM read_csv({lit(str(prep.path))}, auto_detect=false, header=true, "
        f"delim={lit(prep.delimiter)}, quote='\"', escape='\"', columns={spec}, "
        "encoding='utf-8', "
        + ("dateformat='%Y-%m-%d', " if "DATE" in types.values() else "")
        + "store_rejects=true, rejects_table='_csv_rejects', "
        "rejects_scan='_csv_reject_scans')"
    )
    try:
        create(source)
    except duckdb.Error as e:
        con.execute(f"DROP TABLE IF EXISTS {ident(target)}")
        if quiet:
            return False
        raise unreadable(
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
    store_lines(con, target)
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
        import pandas as pd  # here: a clean file's load never needs it (about 0.5 s to import)

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
        store_lines(con, target)
        import pandas as pd  # here: a clean file's load never needs it (about 0.5 s to import)

        con.register("_row_lines", pd.DataFrame({"counted": counted[moved], "line": lines[moved]}))
        try:
            con.execute(
                f"UPDATE {ident(target)} AS t SET _line = CAST(m.line AS BIGINT) "
                "FROM _row_lines m WHERE t._line = m.counted"
            )
        finally:
            con.unregister("_row_lines")
    con.execute("DROP TABLE IF EXISTS _csv_rejects; DROP TABLE IF EXISTS _csv_reject_scans")


def has_lines(con: duckdb.DuckDBPyConnection, target: str) -> bool:
    """Whether `target` stores its rows' lines as `_line` (`store_lines`)."""
    return "_line" in [c for c, *_ in con.execute(f"DESCRIBE {ident(target)}").fetchall()]


def store_lines(con: duckdb.DuckDBPyConnection, target: str) -> None:
    """Give `target` its rows' counted lines as `_line` (row i in the stored order: i + 2), if
    it was read without them (`read_csv_into`'s `numbered`), so they can be moved."""
    if not has_lines(con, target):
        con.execute(f"ALTER TABLE {ident(target)} ADD COLUMN _line BIGINT")
        con.execute(f"UPDATE {ident(target)} SET _line = rowid + 2")


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
