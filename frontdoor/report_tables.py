"""The load's report in the database and on the `LoadReport`.

Apart from the load itself (frontdoor.loader) because it is what a reader of the database sees
of the load: `rejected_rows`, `data_issues`, `load_report` (rows read, loaded and rejected per
table and file, absent tables included), `load_meta` (where the data came from and when), and
the counts and first problems copied onto the `LoadReport` the command and the Data page show.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb

from frontdoor import __version__
from frontdoor.report import ABSENT, LoadReport, TableReport
from frontdoor.schema import SQL_TYPES, TABLES
from frontdoor.sources import RECODED, REJECTED, WARNING, Problem
from frontdoor.sources.staging import MALFORMED, Staged, ident, lit

MAX_PROBLEMS = 1000  # problems kept on the report object; the database has all of them


class ReportTables:
    """The load's report steps (a part of `frontdoor.loader._Load`): what they read and fill."""

    con: duckdb.DuckDBPyConnection
    source: Path
    extract_date: dt.date
    synthetic: bool
    report: LoadReport
    problems: list[Problem]
    kinds: set[str]
    unavailable: dict[str, str]
    staged: dict[str, list[Staged]]
    source_rejects: list[Problem]
    extra_tables: dict[str, list[Staged]]

    def _create_report_tables(self) -> None:
        self.con.execute(
            """
            CREATE TABLE rejected_rows (table_name VARCHAR, file VARCHAR, line BIGINT,
                column_name VARCHAR, value VARCHAR, reason VARCHAR, raw VARCHAR);
            CREATE TABLE data_issues (table_name VARCHAR, file VARCHAR, line BIGINT,
                record_id VARCHAR, person_id VARCHAR, column_name VARCHAR, value VARCHAR,
                issue VARCHAR, severity VARCHAR);
            CREATE TABLE _counts (table_name VARCHAR, file VARCHAR, rows_read BIGINT,
                rows_loaded BIGINT, rows_rejected BIGINT);
            """
        )

    def _finish(self) -> None:
        con = self.con
        # Problems handed over by readers: rejected rows and warnings, with what they located.
        if self.source_rejects:
            self._insert(
                "rejected_rows",
                [
                    (p.table, p.file, p.line, p.column, p.value, p.reason, None)
                    for p in self.source_rejects
                ],
            )
            self._insert("_counts", [(p.table, p.file, 1, 0, 1) for p in self.source_rejects])
        con.execute(
            f"""
            INSERT INTO rejected_rows
            SELECT table_name, file, line, NULL, NULL, reason, to_json(raw)::VARCHAR
            FROM {MALFORMED} ORDER BY file, line;
            INSERT INTO _counts SELECT table_name, file, 1, 0, 1 FROM {MALFORMED};
            """
        )
        warn_rows = [
            (p.table, p.file, p.line, p.record_id, None, p.column, p.value, p.reason, p.severity)
            for p in self.problems
            if p.severity in (WARNING, RECODED)
        ]
        if warn_rows:
            self._insert("data_issues", warn_rows)
        con.execute(
            """
            CREATE TABLE load_report AS
            WITH c AS (
                SELECT table_name, file, sum(rows_read) AS rows_read,
                       sum(rows_loaded) AS rows_loaded, sum(rows_rejected) AS rows_rejected
                FROM _counts GROUP BY ALL
            ), w AS (
                SELECT table_name, file, count(*) FILTER (WHERE severity <> 'recoded')
                       AS warnings
                FROM data_issues GROUP BY ALL
            )
            SELECT coalesce(c.table_name, w.table_name) AS table_name,
                   coalesce(c.file, w.file) AS file,
                   CASE WHEN coalesce(c.table_name, w.table_name) IS NULL THEN 'ignored'
                        ELSE 'loaded' END AS status,
                   CAST(coalesce(rows_read, 0) AS BIGINT) AS rows_read,
                   CAST(coalesce(rows_loaded, 0) AS BIGINT) AS rows_loaded,
                   CAST(coalesce(rows_rejected, 0) AS BIGINT) AS rows_rejected,
                   CAST(coalesce(warnings, 0) AS BIGINT) AS warnings
            FROM c FULL JOIN w
              ON c.table_name IS NOT DISTINCT FROM w.table_name AND c.file = w.file
            """
        )
        absent = [n for n in TABLES if n not in self.staged]
        if absent:
            con.executemany(
                "INSERT INTO load_report VALUES (?, NULL, 'absent', 0, 0, 0, 0)",
                [(n,) for n in absent],
            )
        # Absent tables exist, empty and typed, so measures can join optional tables without
        # guessing; load_report's 'absent' status is what marks a measure unavailable.
        for name in absent:
            cols = ", ".join(
                f"{ident(c)} {SQL_TYPES[kind]}" for c, kind in TABLES[name].columns.items()
            )
            con.execute(f"CREATE TABLE IF NOT EXISTS {ident(name)} ({cols})")
        # Tables a reader rejected every row of were never created: not 'loaded'.
        con.execute(
            "UPDATE load_report SET status = 'absent' WHERE status = 'loaded' AND table_name IN "
            f"(SELECT unnest([{', '.join(lit(n) for n in absent) or 'NULL'}]))"
        )
        for table_name, file, status, read, loaded, rejected, warnings in con.execute(
            "SELECT * FROM load_report ORDER BY table_name, file"
        ).fetchall():
            if table_name is None:
                continue  # files ignored: their warnings are among the problems
            t = self.report.tables.setdefault(table_name, TableReport(table_name, status=status))
            if file is not None and file not in t.files:
                t.files.append(file)
            t.rows_read += read
            t.rows_loaded += loaded
            t.rows_rejected += rejected
            t.warnings += warnings
        order = {n: i for i, n in enumerate(TABLES)}
        self.report.tables = dict(
            sorted(self.report.tables.items(), key=lambda kv: order.get(kv[0], len(order)))
        )
        for t in self.report.tables.values():
            if t.table in absent and t.rows_read == 0:
                t.status = ABSENT
        self.report.rejected = sum(t.rows_rejected for t in self.report.tables.values())
        self.report.warnings, self.report.recoded = con.execute(
            "SELECT count(*) FILTER (WHERE severity <> 'recoded'), "
            "count(*) FILTER (WHERE severity = 'recoded') FROM data_issues"
        ).fetchone()
        self._collect_problems()
        meta = {
            "source": str(self.source.resolve()),
            "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "extract_date": self.extract_date.isoformat(),
            "synthetic": "true" if self.synthetic else "false",
            "source_kinds": json.dumps(sorted(self.kinds)),
            "unavailable": json.dumps(self.unavailable, sort_keys=True),
            "tables": json.dumps([n for n in TABLES if n in self.staged]),
            "extra_tables": json.dumps(sorted(self.extra_tables)),
            "frontdoor_version": __version__,
        }
        con.execute("CREATE TABLE load_meta (key VARCHAR, value VARCHAR)")
        con.executemany("INSERT INTO load_meta VALUES (?, ?)", list(meta.items()))
        # Working tables (ordinary tables, as the tables' writers each have a connection).
        con.execute(f"DROP TABLE _counts; DROP TABLE {MALFORMED}")

    def _insert(self, table: str, rows: list[tuple]) -> None:
        """Insert many Python rows at once (through a frame, not one statement per row)."""
        import pandas as pd  # here: a clean extract's load has no such rows (0.5 s to import)

        described = [r[:2] for r in self.con.execute(f"DESCRIBE {table}").fetchall()]
        frame = pd.DataFrame(rows, columns=[n for n, _ in described], dtype=object)
        casts = ", ".join(f"CAST({ident(n)} AS {t})" for n, t in described)
        self.con.register("_py_rows", frame)
        try:
            self.con.execute(f"INSERT INTO {table} SELECT {casts} FROM _py_rows")
        finally:
            self.con.unregister("_py_rows")

    def _collect_problems(self) -> None:
        per_kind = MAX_PROBLEMS // 2
        rejected = self.con.execute(
            "SELECT table_name, file, line, column_name, value, reason FROM rejected_rows "
            f"ORDER BY file, line LIMIT {per_kind}"
        ).fetchall()
        issues = self.con.execute(
            "SELECT table_name, file, line, column_name, value, issue, record_id, severity "
            f"FROM data_issues ORDER BY severity = 'recoded', file, line LIMIT {per_kind}"
        ).fetchall()
        self.report.problems += [
            Problem(REJECTED, reason, file, table=t, line=line, column=col, value=val)
            for t, file, line, col, val, reason in rejected
        ]
        self.report.problems += [
            Problem(sev, text, file, table=t, line=line, column=col, value=val, record_id=rid)
            for t, file, line, col, val, text, rid, sev in issues
        ]
