"""The load's notes on values it read as something other than their text.

Each column's values trimmed of spaces or spelled as missing (NULL, N/A...) summed up in one
data issue, and the values recoded (flags read as yes/no, a time of day dropped, dates written
day/month/year) in another (severity RECODED): nothing read is changed silently.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from frontdoor.schema import DATE, FLAG, Table
from frontdoor.sources import RECODED
from frontdoor.sources.staging import ident, lit
from frontdoor.value_rules import is_null_sql
from frontdoor.written import Written

# A time of day after a date ("2016-04-05 10:30"), and midnight (not a change when dropped).
_TIME = r"[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*$"
_MIDNIGHT = r"[ T]0{1,2}:00(?::00)?(?:\.0+)?\s*$"  # SQL Server's "2016-04-05 00:00:00.000"


def value_notes(con: duckdb.DuckDBPyConnection, w: Written, notes: int, worked: str) -> None:
    """One data issue per column for values the load changed: null spellings read as missing,
    values trimmed of spaces (count, the first by file and line, the value as written). Which
    columns have any is read from `notes`, every row's `_notes` (set as the values were
    cleaned) or'ed (`validate._survey`); the counts and first occurrences are looked up only for
    those (none, in a clean extract), among the rows whose values as written were kept
    (`_written`), every column's at once: `worked`, `Written.rows_sql` of the rows with working
    values alone (`_notes` is one of them)."""
    spec, noted = w.spec, w.noted
    file, order = w.file_sql(), w.ord_sql()
    flagged = [(i, c) for i, c in enumerate(noted) if notes & (1 << i)]
    if not flagged:
        return

    def spaced(x: str) -> str:  # any space trim removes: a no-break space too, not only ' '
        return f"(strlen(trim({x})) <> strlen({x}))"

    def spelled_null(x: str) -> str:
        return f"(trim({x}) <> '' AND {is_null_sql(f'trim({x})')})"

    def padded(x: str) -> str:
        return f"({spaced(x)} AND NOT {spelled_null(x)})"

    rows = (
        f"(SELECT {order} AS _ord, {file} AS _file, _line, _written FROM {worked} "
        "WHERE _notes <> 0)"
    )
    kinds = []  # (column, its value as written, condition, words)
    for i, c in flagged:
        x = f"_written[{i + 1}]"
        kinds += [
            (c, x, spelled_null(x), "written as {written} read as missing"),
            (c, x, padded(x), "had spaces around them, trimmed"),
        ]
    # Each kind's count, spellings and first row (by file, then line) in one scan.
    aggs = []
    for _, x, cond, _ in kinds:
        aggs += [
            f"count(*) FILTER (WHERE {cond})",
            f"list(DISTINCT trim({x})) FILTER (WHERE {cond})",
            f"arg_min({{'f': _file, 'l': _line, 'v': {x}}}, (_ord, _file, _line)) "
            f"FILTER (WHERE {cond})",
        ]
    found = con.execute(f"SELECT {', '.join(aggs)} FROM {rows}").fetchone()
    out = []
    for k, (c, _, _, text) in enumerate(kinds):
        count, spellings, first = found[3 * k : 3 * k + 3]
        if not count:
            continue
        written = ", ".join(repr(v) for v in sorted(spellings)[:5])
        out.append(
            _issue(
                spec.name,
                first,
                c,
                f"{count:,} value(s) " + text.format(written=written),
                "warning",
            )
        )
    if out:
        con.executemany("INSERT INTO data_issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", out)


def _issue(
    table: str, first: dict[str, object], column: str, words: str, severity: str
) -> tuple[object, ...]:
    """A `data_issues` row for values of one kind, at the first row that has one (`first`:
    its file `f`, line `l` and value `v`): one row says them all, with how many."""
    return (
        table,
        first["f"],
        first["l"],
        None,
        None,
        column,
        first["v"],
        words + " (first here)",
        severity,
    )


class RecodeKind(NamedTuple):
    """A kind of recoding of a column's values: the condition on a loaded row (`Written.rows_sql`
    names), the words, and whether it is a flag's (read as yes/no)."""

    column: str
    cond: str
    words: str
    flag: bool = False

    @property
    def plain(self) -> str | None:
        """The condition on a row without working values (`_w` NULL: `<c>__o` NULL), where
        only a flag, written Y or N (`Written.rows_sql`), is recoded; None: never."""
        return f"{ident(self.column)} IS NOT NULL" if self.flag else None


def recode_kinds(spec: Table) -> list[RecodeKind]:
    """The kinds of recoding of `spec`'s values."""
    kinds: list[RecodeKind] = []
    for c, t in spec.columns.items():
        # As written: a recoded value is never written as its typed value shows it, so
        # `<c>__o` holds it (every flag; a date not written YYYY-MM-DD).
        x, v = ident(c + "__o"), ident(c)
        if t == FLAG:
            kinds.append(
                RecodeKind(
                    c, f"{v} IS NOT NULL AND {x} NOT IN ('true', 'false')", "read as yes/no", True
                )
            )
        elif t == DATE:
            kinds.append(
                RecodeKind(
                    c,
                    # Only a value longer than a date can carry a time (keeps the regular
                    # expressions off the usual YYYY-MM-DD).
                    f"(CASE WHEN {v} IS NOT NULL AND strlen({x}) > 10 "
                    f"THEN regexp_matches({x}, {lit(_TIME)}) "
                    f"AND NOT regexp_matches({x}, {lit(_MIDNIGHT)}) ELSE false END)",
                    "had a time of day, which was dropped (a date is a day)",
                )
            )
            kinds.append(
                RecodeKind(c, f"{v} IS NOT NULL AND contains({x}, '/')", "read as day/month/year")
            )
    return kinds


def recode_notes(
    con: duckdb.DuckDBPyConnection,
    w: Written,
    kinds: list[RecodeKind],
    counts: list[int],
    worked: str,
) -> None:
    """One data issue (severity RECODED) per column and kind for values the load read as
    something other than their text: flags (Y, Yes, 1 -> yes), dates with a time of day (the
    time dropped), dates written day/month/year. Count, the distinct spellings (up to 5), the
    first by file and line with the value as written. `kinds`: `recode_kinds`; `counts`: each
    kind's loaded rows (`validate._survey`, a cheap count): the spellings and the first row
    are looked up only for the kinds there are any of, in one scan of the rows with working
    values (`worked`: `Written.rows_sql` of those rows alone) and one of the others (a flag
    written Y or N, read from its typed value)."""
    spec = w.spec
    file, order, line = w.file_sql(), w.ord_sql(), w.line_sql()
    kinds = [k for k, n in zip(kinds, counts, strict=True) if n]
    if not kinds:
        return
    # The first row: by file, then line; in a table read from one file (its file and place the
    # same on every row, `Written.file_sql`), by line alone, each row's own: about half the
    # cost of comparing (place, file, line) on every row the kind counts (every flag, often).
    one_file = "_file" not in w.located and "_ord" not in w.located

    def aggs(i: int, cond: str, x: str, line: str) -> list[str]:
        return [
            f"count(*) FILTER (WHERE {cond}) AS n{i}",
            # The first six in sorted order: six of the list as DuckDB gathers it would be any
            # six (its order follows how the rows are stored), and the note would change with it.
            f"list_sort(list(DISTINCT {x}) FILTER (WHERE {cond}))[1:6] AS s{i}",
            (
                f"{{'o': {order}, 'f': {file}, 'l': min({line}) FILTER (WHERE {cond}), "
                f"'v': arg_min({x}, {line}) FILTER (WHERE {cond})}}"
                if one_file
                else f"arg_min({{'o': {order}, 'f': {file}, 'l': {line}, 'v': {x}}}, "
                f"({order}, {file}, {line})) FILTER (WHERE {cond})"
            )
            + f" AS first{i}",
        ]

    found = [
        con.execute(
            "SELECT "
            + ", ".join(
                a
                for i, k in enumerate(kinds)
                for a in aggs(i, k.cond, ident(k.column + "__o"), "_line")
            )
            + f" FROM {worked} WHERE _faults IS NULL"
        ).fetchone()
    ]

    def flag_aggs(i: int, v: str) -> list[str]:
        """As `aggs`, on the rows without working values, where a flag was written Y or N:
        its spellings from its typed values (cheaper than gathering them)."""
        yn = "CASE {} WHEN true THEN 'Y' WHEN false THEN 'N' END"
        known = f"FILTER (WHERE {v} IS NOT NULL)"
        return [
            f"count({v}) AS n{i}",
            f"[CASE WHEN bool_or(NOT {v}) THEN 'N' END, "
            f"CASE WHEN bool_or({v}) THEN 'Y' END] AS s{i}",
            (
                f"{{'o': {order}, 'f': {file}, 'l': min({line}) {known}, "
                f"'v': {yn.format(f'arg_min({v}, {line}) {known}')}}}"
                if one_file
                else f"arg_min({{'o': {order}, 'f': {file}, 'l': {line}, 'v': {yn.format(v)}}}, "
                f"({order}, {file}, {line})) {known}"
            )
            + f" AS first{i}",
        ]

    plain = [(i, k) for i, k in enumerate(kinds) if k.flag]
    if plain:
        row = con.execute(
            "SELECT "
            + ", ".join(a for i, k in plain for a in flag_aggs(i, ident(k.column)))
            + f" FROM {ident(spec.name)} WHERE {w.unworked_sql()}"
        ).fetchone()
        part = [(0, [], None)] * len(kinds)
        for j, (i, _) in enumerate(plain):
            part[i] = row[3 * j : 3 * j + 3]
        found.append([x for p in part for x in p])
    out = []
    for i, k in enumerate(kinds):
        count = sum(r[3 * i] for r in found)
        if not count:
            continue
        spellings = sorted({x for r in found for x in (r[3 * i + 1] or []) if x is not None})[:6]
        firsts = [r[3 * i + 2] for r in found if r[3 * i + 2] and r[3 * i + 2]["l"] is not None]
        first = min(firsts, key=lambda f: (f["o"], f["f"], f["l"]))
        shown = spellings[:5]
        written = ", ".join(repr(x) for x in shown) + (", ..." if len(spellings) > 5 else "")
        out.append(
            _issue(
                spec.name,
                first,
                k.column,
                f"{count:,} value(s) written as {written} {k.words}",
                RECODED,
            )
        )
    if out:
        con.executemany("INSERT INTO data_issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", out)
