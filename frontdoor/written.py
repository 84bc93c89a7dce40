"""A table as `frontdoor.table_write` writes it, before its checks: the working columns that say
where each row was read and what the load did to it, and the SQL the checks read them with.

Apart from the writing so that the checks (frontdoor.validate, frontdoor.value_notes) depend
only on what a written table holds, not on how it was read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from frontdoor.schema import DATE, FLAG, NUMBER, Table
from frontdoor.sources import Problem
from frontdoor.sources.staging import Staged, ident, lit


@dataclass
class Written:
    """A table written by `write_table`, its working columns still there for `check_table`."""

    spec: Table
    parts: list[Staged]
    problems: list[Problem]  # warnings of reading its CSV files
    noted: list[str]  # the columns whose changed values `_notes` marks, bit by bit
    typed: list[str]  # the columns typed (date, flag, number): each has `<c>__o`
    # The working columns that say where a row was read: `_ord` (the file's place among the
    # extract's), `_file` and `_line`. A table read from one CSV file keeps at most `_line`:
    # its file and place are the same on every row (`file_sql`, `ord_sql`), and a column of
    # one value still costs writing on every row. Nor `_line` where every row is on its
    # counted line (`line_sql`: one record a line, none rejected, as in nearly every export).
    located: tuple[str, ...] = ("_ord", "_file", "_line")
    # Whether the table has its column `_w`. A single CSV file whose every row is read as
    # written and usable (nearly every export) is written without it (`write_table`): every
    # row's working values are then NULL, of the type `work_type` (`_w`'s element).
    worked: bool = True
    work_type: str = ""

    def file_sql(self, prefix: str = "") -> str:
        """SQL: the file a row was read from (`prefix`: the table's alias and a dot)."""
        return f"{prefix}_file" if "_file" in self.located else lit(self.parts[0].file)

    def ord_sql(self, prefix: str = "") -> str:
        """SQL: the place of a row's file among the extract's files (files are ordered by it,
        then by name, for "first occurrence")."""
        return f"{prefix}_ord" if "_ord" in self.located else str(self.parts[0].order)

    def line_sql(self) -> str:
        """SQL: the line a row of the table starts on. Without `_line`, row i in the stored
        order (its `rowid`: the rows are stored in the file's order, and a row keeps its rowid
        until the rejected rows are deleted, after the checks; the one update that would move
        a row, of a duplicate's `_w`, stores the lines first) is on line i + 2, after the
        header (csv_rows.read_csv_into)."""
        return "_line" if "_line" in self.located else "(rowid + 2)"

    def usable_sql(self) -> str:
        """SQL: the row has no fault (`USABLE`; every row of a table without `_w`)."""
        return USABLE if self.worked else "true"

    def unworked_sql(self) -> str:
        """SQL: the row has no working values (`_w` NULL; every row of a table without it)."""
        return "_w IS NULL" if self.worked else "true"

    def rows_sql(self, worked_only: bool = False) -> str:
        """SQL: the table's rows with their working values as columns (`_w` unpacked): each
        typed column's `<c>__o`, `_faults`, `_raw`, `_notes` and `_written`. The checks read
        the table through it. The struct is taken out of its list once a row, and only where
        there is one (about five times cheaper than a list look-up for each value).
        `worked_only`: only the rows that have working values (`_w` not NULL; in a clean
        extract none or few), for the checks' survey (frontdoor.validate)."""
        cols = []
        for c in self.typed:
            x = f"_s.{ident(c + '__o')}"
            if self.spec.columns[c] == FLAG:  # Y and N are not kept: the typed value shows them
                x = f"coalesce({x}, CASE {ident(c)} WHEN true THEN 'Y' WHEN false THEN 'N' END)"
            cols.append(f"{x} AS {ident(c + '__o')}")
        cols += [
            "_s._faults AS _faults",
            "_s._raw AS _raw",
            "coalesce(_s._notes, 0) AS _notes",
            "_s._written AS _written",
        ]
        if self.worked:
            unpacked, work = "* EXCLUDE (_w), CASE WHEN _w IS NOT NULL THEN _w[1] END", "_w"
        else:  # no row has working values
            unpacked, work = f"*, CAST(NULL AS {self.work_type})", "NULL"
        return (
            f"(SELECT * EXCLUDE (_s), {', '.join(cols)} FROM (SELECT {unpacked} AS _s"
            + ("" if "_line" in self.located else f", {self.line_sql()} AS _line")
            + f" FROM {ident(self.spec.name)}"
            + (f" WHERE {work} IS NOT NULL" if worked_only else "")
            + "))"
        )


# A row with no fault (its working values, if any, name none): the duplicate-key test reads
# only these, and the checks delete the others (validate.py).
USABLE = "(_w IS NULL OR _w[1]._faults IS NULL)"


def work_struct(typed: list[str], value: Callable[[str], str]) -> str:
    """SQL: the struct of a row's working values (`_w`'s one element), each field's value
    `value(field)`: each typed column's `<c>__o`, then `_faults`, `_raw`, `_notes` and
    `_written`, in the one order the table's `_w` and the duplicate test's rewrite of it share
    (`Written.rows_sql` reads them by name)."""
    fields = [c + "__o" for c in typed] + ["_faults", "_raw", "_notes", "_written"]
    return "{" + ", ".join(f"{lit(f)}: {value(f)}" for f in fields) + "}"


def work_kinds(spec: Table, extras: list[str], typed: list[str]) -> list[tuple[str, str]]:
    """The columns of a single CSV file's typed table, as `write_table`'s query gives them
    (every value read as text): each schema column typed, the file's other columns text,
    then `_w` (`work_struct`). A declared type the query did not give would be cast to
    silently, so tests/test_loader_write.py checks every table's loaded types."""
    kind = {DATE: "DATE", FLAG: "BOOLEAN", NUMBER: "DOUBLE"}
    fields = [f"{ident(c + '__o')} VARCHAR" for c in typed] + [
        "_faults STRUCT(col VARCHAR, val VARCHAR, reason VARCHAR)[]",
        "_raw VARCHAR",
        "_notes INTEGER",
        "_written VARCHAR[]",
    ]
    return [
        *((c, kind.get(t, "VARCHAR")) for c, t in spec.columns.items()),
        *((c, "VARCHAR") for c in extras),
        ("_w", f"STRUCT({', '.join(fields)})[]"),
    ]
