"""The load's notes on values it read as something other than their text.

Each column's values trimmed of spaces or spelled as missing (NULL, N/A...) summed up in one
data issue, and the values recoded (flags read as yes/no, a time of day dropped, dates written
day/month/year) in another (severity RECODED): nothing read is changed silently.
"""

from __future__ import annotations

import duckdb

from frontdoor.schema import DATE, FLAG
from frontdoor.sources import RECODED
from frontdoor.sources.staging import ident, lit
from frontdoor.table_write import Written
from frontdoor.value_rules import is_null_sql

# A time of day after a date ("2016-04-05 10:30"), and midnight (not a change when dropped).
_TIME = r"[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*$"
_MIDNIGHT = r"[ T]0{1,2}:00(?::00)?(?:\.0+)?\s*$"  # SQL Server's "2016-04-05 00:00:00.000"


def value_notes(con: duckdb.DuckDBPyConnection, w: Written) -> None:
    """One data issue per column for values the load changed: null spellings read as missing,
    values trimmed of spaces (count, the first by file and line, the value as written). Which
    columns have any is read from `_notes` (set as the values were cleaned); the counts and
    first occurrences are looked up only for those (none, in a clean extract), among the rows
    whose values as written were kept (`_written`)."""
    spec, noted = w.spec, w.noted
    file, order = w.file_sql(), w.ord_sql()
    if not noted:
        return

    def spaced(x: str) -> str:  # any space trim removes: a no-break space too, not only ' '
        return f"(strlen(trim({x})) <> strlen({x}))"

    def spelled_null(x: str) -> str:
        return f"(trim({x}) <> '' AND {is_null_sql(f'trim({x})')})"

    def padded(x: str) -> str:
        return f"({spaced(x)} AND NOT {spelled_null(x)})"

    t = w.rows_sql()
    bits = con.execute(f"SELECT bit_or(_notes) FROM {t}").fetchone()[0] or 0
    flagged = [(i, c) for i, c in enumerate(noted) if bits & (1 << i)]
    rows = f"(SELECT {order} AS _ord, {file} AS _file, _line, _written FROM {t} WHERE _notes <> 0)"
    out = []
    for i, c in flagged:
        x = f"_written[{i + 1}]"
        n, n_padded = con.execute(
            f"SELECT count(*) FILTER (WHERE {spelled_null(x)}), "
            f"count(*) FILTER (WHERE {padded(x)}) FROM {rows}"
        ).fetchall()[0]
        for count, cond, text in (
            (n, spelled_null(x), "written as {written} read as missing"),
            (n_padded, padded(x), "had spaces around them, trimmed"),
        ):
            if not count:
                continue
            f, line, value, spellings = con.execute(
                f"SELECT _file, _line, {x}, "
                f"(SELECT list(DISTINCT trim({x})) FROM {rows} WHERE {cond}) FROM {rows} "
                f"WHERE {cond} ORDER BY _ord, _file, _line LIMIT 1"
            ).fetchall()[0]
            written = ", ".join(repr(v) for v in sorted(spellings)[:5])
            out.append(
                (
                    spec.name,
                    f,
                    line,
                    None,
                    None,
                    c,
                    value,
                    f"{count:,} value(s) " + text.format(written=written) + " (first here)",
                    "warning",
                )
            )
    if out:
        con.executemany("INSERT INTO data_issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", out)


def recode_notes(con: duckdb.DuckDBPyConnection, w: Written) -> None:
    """One data issue (severity RECODED) per column and kind for values the load read as
    something other than their text: flags (Y, Yes, 1 -> yes), dates with a time of day (the
    time dropped), dates written day/month/year. Count, the distinct spellings (up to 5), the
    first by file and line with the value as written. One scan of the typed rows."""
    spec = w.spec
    file, order = w.file_sql(), w.ord_sql()
    rows = w.rows_sql()
    kinds: list[tuple[str, str, str]] = []  # (column, condition on the loaded row, words)
    for c, t in spec.columns.items():
        # As written: a recoded value is never written as its typed value shows it, so
        # `<c>__o` holds it (every flag; a date not written YYYY-MM-DD).
        x, v = ident(c + "__o"), ident(c)
        if t == FLAG:
            kinds.append((c, f"{v} IS NOT NULL AND {x} NOT IN ('true', 'false')", "read as yes/no"))
        elif t == DATE:
            kinds.append(
                (
                    c,
                    # Only a value longer than a date can carry a time (keeps the regular
                    # expressions off the usual YYYY-MM-DD).
                    f"(CASE WHEN {v} IS NOT NULL AND strlen({x}) > 10 "
                    f"THEN regexp_matches({x}, {lit(_TIME)}) "
                    f"AND NOT regexp_matches({x}, {lit(_MIDNIGHT)}) ELSE false END)",
                    "had a time of day, which was dropped (a date is a day)",
                )
            )
            kinds.append((c, f"{v} IS NOT NULL AND contains({x}, '/')", "read as day/month/year"))
    if not kinds:
        return
    # First a cheap count of each kind; the spellings and the first row only where there are any.
    counts = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE {cond})" for _, cond, _ in kinds)
        + f" FROM {rows} WHERE _faults IS NULL"
    ).fetchone()
    kinds = [k for k, n in zip(kinds, counts, strict=True) if n]
    if not kinds:
        return
    # The first row: by file, then line; in a table read from one file (its file and place the
    # same on every row, `Written.file_sql`), by line alone, each row's own: about half the
    # cost of comparing (place, file, line) on every row the kind counts (every flag, often).
    one_file = "_file" not in w.located and "_ord" not in w.located
    aggs = []
    for i, (c, cond, _) in enumerate(kinds):
        x = ident(c + "__o")
        aggs += [
            f"count(*) FILTER (WHERE {cond}) AS n{i}",
            # The first six in sorted order: six of the list as DuckDB gathers it would be any
            # six (its order follows how the rows are stored), and the note would change with it.
            f"list_sort(list(DISTINCT {x}) FILTER (WHERE {cond}))[1:6] AS s{i}",
            (
                f"{{'f': {file}, 'l': min(_line) FILTER (WHERE {cond}), "
                f"'v': arg_min({x}, _line) FILTER (WHERE {cond})}}"
                if one_file
                else f"arg_min({{'f': {file}, 'l': _line, 'v': {x}}}, ({order}, {file}, _line)) "
                f"FILTER (WHERE {cond})"
            )
            + f" AS first{i}",
        ]
    row = con.execute(f"SELECT {', '.join(aggs)} FROM {rows} WHERE _faults IS NULL").fetchone()
    out = []
    for i, (c, _, words) in enumerate(kinds):
        count, spellings, first = row[3 * i], row[3 * i + 1], row[3 * i + 2]
        if not count:
            continue
        shown = sorted(spellings or [])[:5]
        written = ", ".join(repr(x) for x in shown) + (", ..." if len(spellings) > 5 else "")
        out.append(
            (
                spec.name,
                first["f"],
                first["l"],
                None,
                None,
                c,
                first["v"],
                f"{count:,} value(s) written as {written} {words} (first here)",
                RECODED,
            )
        )
    if out:
        con.executemany("INSERT INTO data_issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", out)
