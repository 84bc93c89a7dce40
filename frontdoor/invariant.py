"""The load's invariant, checked after every load before the new database replaces the old one.

For every table and file: rows read = loaded + rejected; a table's rows are the rows it says it
loaded; every rejected row is listed (file, line, reason); every required table has rows. A load
that cannot meet it stops (`LoadStopped`), so the database loaded before stays in use, byte for
byte. Every load path (the command line, the Data page, SSD files, the CIN census, Annex A) goes
through `frontdoor.loader.load_extract`, which calls `check_invariant` last.
"""

from __future__ import annotations

import duckdb

from frontdoor.schema import REQUIRED_TABLES
from frontdoor.sources import STOP, LoadStopped, Problem
from frontdoor.sources.staging import ident

OUR_FAULT = (
    "This is a fault in frontdoor, not in your files: please report it with the command you ran."
)


def check_invariant(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Raise LoadStopped naming the first table (and file) where the invariant does not hold."""
    for table, file, read, loaded, rejected in con.execute(
        "SELECT table_name, file, rows_read, rows_loaded, rows_rejected FROM load_report "
        "WHERE table_name IS NOT NULL AND rows_read <> rows_loaded + rows_rejected "
        "ORDER BY 1, 2"
    ).fetchall():
        raise LoadStopped(
            Problem(
                STOP,
                f"rows do not add up for {table}: {read:,} read, {loaded:,} loaded and "
                f"{rejected:,} rejected",
                file or source,
                table=table,
            ),
            OUR_FAULT,
        )
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table, loaded, rejected in con.execute(
        "SELECT table_name, sum(rows_loaded), sum(rows_rejected) FROM load_report "
        "WHERE status = 'loaded' AND table_name IS NOT NULL GROUP BY ALL ORDER BY 1"
    ).fetchall():
        n = (
            con.execute(f"SELECT count(*) FROM {ident(table)}").fetchall()[0][0]
            if (table in tables)
            else 0
        )
        listed = con.execute(
            "SELECT count(*) FROM rejected_rows WHERE table_name = ? AND file IS NOT NULL "
            "AND reason IS NOT NULL",
            [table],
        ).fetchall()[0][0]
        if n != loaded or listed < rejected:
            raise LoadStopped(
                Problem(
                    STOP,
                    f"table {table} holds {n:,} rows and lists {listed:,} rejected, but the load "
                    f"counted {loaded:,} loaded and {rejected:,} rejected",
                    source,
                    table=table,
                ),
                OUR_FAULT,
            )
    for table in REQUIRED_TABLES:
        files, read, loaded = con.execute(
            "SELECT string_agg(DISTINCT file, ', ' ORDER BY file), coalesce(sum(rows_read), 0), "
            "coalesce(sum(rows_loaded), 0) FROM load_report WHERE table_name = ?",
            [table],
        ).fetchall()[0]
        if loaded:
            continue
        where = files or source
        if not read:
            table_file = where.lower().endswith((".csv", ".tsv", ".txt", ".parquet", "]"))
            held = "holds only its header" if table_file else f"holds no row for {table}"
            raise LoadStopped(
                Problem(
                    STOP,
                    f"the required table {table} has no rows ({where} {held})",
                    where,
                    table=table,
                    line=2,
                ),
                f"Expected at least one row in {table}: loading it empty would replace the "
                "dashboard with one that has no children. The export may have stopped early: "
                "export the table again and load again.",
            )
        first = con.execute(
            "SELECT file, line, reason FROM rejected_rows WHERE table_name = ? "
            "ORDER BY file, line LIMIT 1",
            [table],
        ).fetchall()
        f, line, reason = first[0] if first else (where, None, "see rejected rows")
        raise LoadStopped(
            Problem(
                STOP,
                f"none of the {read:,} rows of the required table {table} could be loaded; the "
                f"first is rejected because: {reason}",
                f,
                table=table,
                line=line,
            ),
            f"Correct the rows of {table} (every reason is listed by line) and load again.",
        )
