"""Storing a query's rows as a table, some columns without DuckDB's string compression.

Shared by the loaded tables (frontdoor.table_write) and the facts (frontdoor.facts): near-unique
record ids compress least for the most work (dict_fsst), so both declare them uncompressed
(docs/performance.md, "fact_note at load" and "The load, second pass").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import duckdb

from frontdoor.sources.staging import ident


def create_table_as(
    con: duckdb.DuckDBPyConnection,
    name: str,
    query: str,
    uncompressed: Collection[str] = (),
    *,
    replace: bool = False,
    kinds: Sequence[tuple[str, str]] | None = None,
) -> None:
    """Create table `name` holding `query`'s rows: the same column names, types, rows and
    order as `CREATE TABLE AS` gives, with the `uncompressed` columns declared so (the table
    is declared from the query's DESCRIBE, then filled). `kinds`: the query's columns and
    their types, where the caller knows them, instead of the DESCRIBE (binding a loaded
    table's query, about 7 ms a table)."""
    verb = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE"
    if not uncompressed:
        con.execute(f"{verb} {ident(name)} AS {query}")
        return
    columns = ", ".join(
        f"{ident(column)} {kind}"
        + (" USING COMPRESSION uncompressed" if column in uncompressed else "")
        for column, kind, *_ in (kinds or con.execute(f"DESCRIBE {query}").fetchall())
    )
    con.execute(f"{verb} {ident(name)} ({columns})")
    con.execute(f"INSERT INTO {ident(name)} {query}")
