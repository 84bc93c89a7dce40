"""Load a case extract into a DuckDB database file, with a load report.

`load_extract(source, db_path)` reads an SSD extract folder (CSV, Parquet or workbook sheets),
a single workbook (.xlsx, .xlsm, .xls, .xlsb), or any file a registered reader understands (CIN census XML, Annex A), types
every column as `frontdoor.schema` says, and writes:

- one table per extract table present, named as in the schema, typed columns in schema order then
  any other columns of the files as text;
- `rejected_rows`: rows that cannot be used, with file, line, column, value and reason;
- `data_issues`: rows loaded but looking wrong;
- `load_report`: rows read, loaded and rejected per table and file (absent tables included);
- `load_meta`: where the data came from and when;
- the working-day calendar and its macros (`frontdoor.calendar`).

Reading and validation are DuckDB SQL over the whole table at once. The database is built in a
temporary file beside `db_path` and moved onto it only when complete, so a failed load leaves the
database loaded before untouched.

Rows with several faults: a rejected row is counted once in the counts, and every fault found is
listed in `rejected_rows` (one line per fault, each with the raw record). A duplicate key is judged
among rows with no other fault: the first usable occurrence (by file, then line) is loaded.

Values: identifiers and text are trimmed of spaces; blank, `NULL` or `null` (as SQL Server
exports write it) is missing. Lines: a CSV row's line is the physical line it starts on (header
line 1): counted when every record is one line, else found by a quote-aware scan, so blank lines
and values spanning lines do not shift it (frontdoor.sources.files.stage_csv); a quote that
never closes stops the load rather than lose the rows after it. Other tables a reader
hands over (e.g. `cin_pre_proceedings`) are loaded as text, unchecked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from frontdoor import __version__, calendar
from frontdoor.calendar import create_calendar
from frontdoor.facts import build_facts
from frontdoor.invariant import check_invariant
from frontdoor.private import FILE_MODE, private_dir, private_umask
from frontdoor.progress import ProgressFn, null_progress
from frontdoor.report import ABSENT, LOADED, NOT_LOADED, LoadReport, TableReport, printable
from frontdoor.schema import (
    REPORT_TABLES,
    REQUIRED_TABLES,
    SQL_TYPES,
    TABLES,
)
from frontdoor.sources import RECODED, REJECTED, STOP, WARNING, Problem, SourceTables
from frontdoor.sources.files import (
    CSV_SUFFIXES,
    MALFORMED,
    PARQUET_SUFFIXES,
    LoadStopped,
    Staged,
    create_malformed_table,
    ident,
    lit,
    open_workbook,
    stage_csv,
    stage_frame,
    stage_parquet,
    stage_workbook_sheet,
    workbook_sheet_tables,
)
from frontdoor.sources.workbook import WORKBOOK_SUFFIXES, Workbook
from frontdoor.swap import check_target, load_lock, remove_stale, temp_name
from frontdoor.validate import (  # noqa: F401 - DEFINING_DATE_NAMES, load_table re-exported
    DEFINING_DATE_NAMES,
    Written,
    check_table,
    load_table,
    write_table,
)

Reader = Callable[[Path], "SourceTables | None"]

# Readers for files that are not SSD table files, consulted in order; each returns None for a
# file it does not understand. The CIN census and Annex A readers are found by `_builtin_reader`.
READERS: list[Reader] = []

# Names a reader's own tables cannot take.
RESERVED = {*REPORT_TABLES, "calendar"}

MAX_PROBLEMS = 1000  # problems kept on the report object; the database has all of them

# Tables written at once (each on its own connection; DuckDB's threads work within each).
WRITERS = 2


def _size(part: Staged) -> int:
    """A staged CSV file's size in bytes (which tables to write first)."""
    try:
        return part.csv.path.stat().st_size if part.csv is not None else 0
    except OSError:
        return 0


def load_extract(
    source: Path,
    db_path: Path,
    *,
    synthetic: bool = False,
    extract_date: dt.date | None = None,
    progress: ProgressFn = null_progress,
    extra_readers: Iterable[Reader] | None = None,
) -> LoadReport:
    """Load `source` into the DuckDB file `db_path`, replacing it only if the load completes."""
    started = time.monotonic()
    source, db_path = Path(source), Path(db_path)
    report = LoadReport(ok=False, source=str(source), db_path=str(db_path))
    # Beside the target (same file system, so the final move is atomic); one per load.
    tmp = temp_name(db_path, os.getpid(), threading.get_ident())
    con = None
    lock = ExitStack()
    try:
        private_umask()  # the database, its WAL, spill and lock files: the owner's alone
        private_dir(db_path.parent)
        check_target(db_path)
        lock.enter_context(load_lock(db_path))
        remove_stale(db_path)  # what a killed load left; we hold the lock, so none is in use
        con = duckdb.connect(str(tmp))
        con.execute("SET enable_progress_bar = false")  # the caller's progress shows instead
        _Load(
            con,
            source,
            extract_date or dt.date.today(),
            synthetic,
            progress,
            [*(extra_readers or []), *READERS],
            report,
            tmp.with_name(tmp.name + ".files"),
        ).run()
        con.close()
        con = None
        _remove(db_path.with_name(db_path.name + ".wal"))  # a stale WAL would replay onto it
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, db_path)
        report.ok = True
        progress(1.0, "loaded")
    except LoadStopped as e:
        report.problems.insert(0, e.problem)
        report.stop = _stop_message(e, db_path)
    except Exception as e:  # noqa: BLE001 - any failure must leave the old database in use
        report.problems.insert(0, Problem(STOP, f"{type(e).__name__}: {e}", str(source)))
        report.stop = (
            f"The load failed unexpectedly: {type(e).__name__}: {e}\n"
            "Please report this with the command you ran. "
            f"The database loaded before ({db_path}) is unchanged."
        )
    finally:
        if con is not None:
            con.close()
        shutil.rmtree(tmp.with_name(tmp.name + ".files"), ignore_errors=True)
        if not report.ok:
            _remove_db(tmp)
        lock.close()
        if not report.ok:
            progress(1.0, "stopped")
            for t in report.tables.values():
                if t.status == LOADED:
                    t.status = NOT_LOADED
        report.seconds = time.monotonic() - started
    return report


def _stop_message(e: LoadStopped, db_path: Path) -> str:
    p = e.problem
    where = p.file + (f" line {p.line}" if p.line else "")
    return (
        f"{where}: {p.reason}\n{e.advice}\n"
        f"Nothing was loaded: the database loaded before ({db_path}) is unchanged and still in use."
    )


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _remove_db(path: Path) -> None:
    _remove(path)
    _remove(path.with_name(path.name + ".wal"))
    shutil.rmtree(path.with_name(path.name + ".tmp"), ignore_errors=True)  # DuckDB's spill
    shutil.rmtree(path.with_name(path.name + ".files"), ignore_errors=True)  # repaired copies


# --------------------------------------------------------------------------------- discovery


def _builtin_reader(path: Path) -> tuple[str, Callable[[], SourceTables]] | None:
    """The CIN census or Annex A reader for `path`, if that reader is installed and claims it."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        try:
            from frontdoor.sources import annex_a
        except ImportError:
            return None
        try:
            claimed = annex_a.is_annex_a(path)
        except Exception:  # noqa: BLE001 - a workbook it cannot open is not Annex A
            claimed = False
        if claimed:
            return "annex_a", lambda: annex_a.read_annex_a(path)
    return None


def _census_module():
    try:
        from frontdoor.sources import cin_census
    except ImportError:
        return None
    return cin_census


@dataclass
class _Item:
    """One unit of input: an SSD table file or sheet, or tables handed over by a reader."""

    kind: str  # "csv", "parquet", "sheet" or "reader"
    file: str
    path: Path | None = None
    table: str | None = None
    sheet: str | None = None
    workbook: Workbook | None = None
    tables: SourceTables | None = None
    size: int = 1


class _Load:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        source: Path,
        extract_date: dt.date,
        synthetic: bool,
        progress: ProgressFn,
        readers: list[Reader],
        report: LoadReport,
        workdir: Path,
    ):
        self.con = con
        self.source = source
        self.extract_date = extract_date
        self.synthetic = synthetic
        self.progress = progress
        self.readers = readers
        self.report = report
        self.problems: list[Problem] = []  # warnings and reader problems not tied to a row
        self.kinds: set[str] = set()
        self.unavailable: dict[str, str] = {}
        self.staged: dict[str, list[Staged]] = {}
        self.source_rejects: list[Problem] = []
        self.extra_tables: dict[str, list[Staged]] = {}
        self.workbooks: list[Workbook] = []
        self.workdir = workdir  # repaired copies of text files; removed with the load

    # ------------------------------------------------------------------------------- run

    def run(self) -> None:
        try:
            self._run()
        finally:
            for wb in self.workbooks:
                wb.close()

    def _run(self) -> None:
        con = self.con
        self.progress(0.0, "finding files")
        items = self._discover()
        self._check_one_source_per_table(items)
        create_malformed_table(con)
        self._create_report_tables()
        self._stage_all(items)
        self._check_required_tables()
        names = [n for n in TABLES if n in self.staged]
        written = self._write_at_once(names)
        s47_loaded = "ssd_s47_enquiry" in self.staged
        for i, name in enumerate(names):
            self.progress(0.75 + 0.15 * i / max(len(names), 1), f"checking {name}")
            if name not in written:
                written[name] = write_table(self.con, TABLES[name], self.staged[name])
            self.problems += written[name].problems
            check_table(self.con, written[name], self.extract_date, s47_loaded)
            self._drop_staged(self.staged[name])
        for name, parts in self.extra_tables.items():
            self._load_extra_table(name, parts)
            self._drop_staged(parts)
        self.progress(0.92, "writing the load report")
        self._finish()
        check_invariant(con, str(self.source))
        self.progress(0.97, "building the calendar")
        create_calendar(con, *calendar.span(*calendar.data_span(con)))
        self.progress(0.98, "building the facts")
        build_facts(con)
        con.execute("CHECKPOINT")

    # ------------------------------------------------------------------------ discovery

    def _warn(self, reason: str, file: str, **kw) -> None:
        self.problems.append(Problem(WARNING, reason, file, **kw))

    def _discover(self) -> list[_Item]:
        src = self.source
        if not src.exists():
            raise LoadStopped(
                Problem(STOP, "no such file or folder", str(src)),
                "Expected a folder of table files (ssd_person.csv, ssd_cin_episodes.csv, ...), "
                "an Excel workbook, a CIN census .xml or an Annex A workbook. Check the path.",
            )
        if src.is_dir():
            files = sorted(
                p for p in src.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
            )
        else:
            files = [src]
        items: list[_Item] = []
        xml: list[Path] = []
        for p in files:
            suffix, stem, label = p.suffix.lower(), p.stem.strip().lower(), p.name
            size = max(p.stat().st_size, 1)
            if suffix in CSV_SUFFIXES | PARQUET_SUFFIXES and stem in TABLES:
                kind = "csv" if suffix in CSV_SUFFIXES else "parquet"
                items.append(_Item(kind, label, path=p, table=stem, size=size))
                continue
            census = _census_module()
            if suffix == ".xml" and census is not None:
                claims = getattr(census, "is_cin_census", None)
                if claims is None or claims(p):
                    xml.append(p)
                    continue
            if self._try_readers(p, items):
                continue
            if suffix in WORKBOOK_SUFFIXES:
                wb = open_workbook(p, label)
                self.workbooks.append(wb)
                sheets, others = workbook_sheet_tables(wb, label)
                if sheets:
                    for table, sheet in sheets.items():
                        items.append(
                            _Item(
                                "sheet",
                                label,
                                path=p,
                                table=table,
                                sheet=sheet,
                                workbook=wb,
                                size=size,
                            )
                        )
                    for other in others:
                        self._warn(
                            f"sheet {other!r} is not a table the dashboard reads; ignored", label
                        )
                    continue
                self._warn(
                    "no sheet is named after a table the dashboard reads, and it is not an "
                    "Annex A workbook; ignored",
                    label,
                )
                continue
            self._warn("not a table the dashboard reads; ignored", label)
        if xml:
            census = _census_module()
            self._run_reader(
                ", ".join(p.name for p in xml), lambda: census.read_cin_census(xml), items
            )
        if any(i.kind != "reader" for i in items):
            self.kinds.add("ssd")
        return items

    def _check_one_source_per_table(self, items: list[_Item]) -> None:
        """Two SSD files or sheets for one table stop the load: which one is meant is not ours
        to guess (a reader's tables, e.g. the census's ssd_person, add to the SSD files)."""
        seen: dict[str, str] = {}
        for item in items:
            if item.kind == "reader":
                continue
            where = item.file + (f"[{item.sheet}]" if item.sheet else "")
            if item.table in seen:
                raise LoadStopped(
                    Problem(
                        STOP,
                        f"two files hold the table {item.table}: {seen[item.table]} and {where}",
                        where,
                        table=item.table,
                    ),
                    "Expected one file (or sheet) per table. Remove the one that should not be "
                    "read from the folder (or put all the rows in one file), and load again.",
                )
            seen[item.table] = where

    def _try_readers(self, path: Path, items: list[_Item]) -> bool:
        builtin = _builtin_reader(path)
        if builtin is not None:
            self._run_reader(path.name, builtin[1], items)
            return True
        for reader in self.readers:
            try:
                tables = reader(path)
            except Exception as e:  # noqa: BLE001
                raise LoadStopped(
                    Problem(STOP, f"cannot read {path.name}: {type(e).__name__}: {e}", path.name),
                    "Check the file opens in the program that wrote it, export it again and "
                    "load again.",
                ) from None
            if tables is not None:
                self._add_source_tables(path.name, tables, items)
                return True
        return False

    def _run_reader(self, label: str, read: Callable[[], SourceTables], items: list[_Item]) -> None:
        try:
            tables = read()
        except LoadStopped:
            raise
        except Exception as e:  # noqa: BLE001
            raise LoadStopped(
                Problem(STOP, f"cannot read {label}: {type(e).__name__}: {e}", label),
                "Check the file opens in the program that wrote it, export it again and load "
                "again.",
            ) from None
        self._add_source_tables(label, tables, items)

    def _add_source_tables(self, label: str, tables: SourceTables, items: list[_Item]) -> None:
        for p in tables.problems:
            if p.severity == STOP:
                raise LoadStopped(p, "Correct the file and load again.")
        self.kinds |= set(tables.kinds)
        self.unavailable.update(tables.unavailable)
        for p in tables.problems:
            if p.severity == REJECTED:
                self.source_rejects.append(p)
            else:
                self.problems.append(p)
        items.append(_Item("reader", label, tables=tables, size=1))

    # -------------------------------------------------------------------------- staging

    def _stage_all(self, items: list[_Item]) -> None:
        total = sum(i.size for i in items) or 1
        done = 0
        n = 0
        for order, item in enumerate(items):
            self.progress(0.05 + 0.35 * done / total, f"reading {printable(item.file)}")
            done += item.size
            if item.kind == "reader":
                for table, frame in item.tables.frames.items():
                    name = str(table).strip().lower()
                    n += 1
                    if name in TABLES:
                        staged = stage_frame(self.con, frame, name, item.file, f"_s{n}", order)
                        self._add_staged(staged)
                    elif re.fullmatch(r"[a-z][a-z0-9_]*", name) and name not in RESERVED:
                        # A table the reader adds beside the schema's: loaded as text, unchecked.
                        staged = stage_frame(self.con, frame, name, item.file, f"_s{n}", order)
                        self.extra_tables.setdefault(name, []).append(staged)
                    else:
                        self._warn(
                            f"reader table {table!r} has an unusable name; ignored", item.file
                        )
                continue
            n += 1
            rel = f"_s{n}"
            if item.kind == "csv":
                staged, problems = stage_csv(
                    self.con, item.path, item.table, item.file, rel, order, self.workdir
                )
            elif item.kind == "parquet":
                staged, problems = stage_parquet(
                    self.con, item.path, item.table, item.file, rel, order
                )
            else:
                staged, problems = stage_workbook_sheet(
                    self.con, item.workbook, item.sheet, item.table, item.file, rel, order
                )
            self.problems += problems
            self._add_staged(staged)

    def _add_staged(self, staged: Staged) -> None:
        spec = TABLES[staged.table]
        for col in spec.required_columns:
            if col not in staged.columns:
                raise LoadStopped(
                    Problem(
                        STOP,
                        f"required column {col} is missing from table {staged.table}",
                        staged.file,
                        table=staged.table,
                        line=1,
                        column=col,
                    ),
                    f"Expected the columns {', '.join(spec.required_columns)} (the key"
                    + (", the person" if spec.person else "")
                    + (", the defining date" if spec.defining_date else "")
                    + f") in the header of {staged.file}; found: "
                    + (", ".join(staged.columns[:20]) or "no columns")
                    + ". Add the column (named as in the SSD) and load again.",
                )
        self.staged.setdefault(staged.table, []).append(staged)

    def _check_required_tables(self) -> None:
        for name in REQUIRED_TABLES:
            if name not in self.staged:
                raise LoadStopped(
                    Problem(
                        STOP,
                        f"the required table {name} is missing from the extract",
                        str(self.source),
                        table=name,
                    ),
                    f"Expected a file {name}.csv or {name}.parquet in the extract folder, or a "
                    f"sheet named {name} in its workbook. Add it and load again.",
                )

    # ------------------------------------------------------------------------ reporting

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

    # -------------------------------------------------------------------------- a table

    def _write_at_once(self, names: list[str]) -> dict[str, Written]:
        """Write the tables read from one CSV file each, WRITERS at a time (largest first), each
        on its own connection: one table alone leaves a core idle in its slower steps. Only
        writing: the checks, which read other tables, follow one table at a time."""
        alone = [n for n in names if len(self.staged[n]) == 1 and self.staged[n][0].csv is not None]
        alone.sort(key=lambda n: -_size(self.staged[n][0]))
        written: dict[str, Written] = {}
        if not alone:
            return written

        def write(name: str) -> Written:
            cur = self.con.cursor()
            try:
                cur.execute("SET enable_progress_bar = false")
                return write_table(cur, TABLES[name], self.staged[name])
            finally:
                cur.close()

        total = sum(_size(self.staged[n][0]) for n in alone) or 1
        done = 0
        pool = ThreadPoolExecutor(max_workers=WRITERS)
        try:
            futures = {pool.submit(write, n): n for n in alone}
            for future in as_completed(futures):
                name = futures[future]
                written[name] = future.result()
                done += _size(self.staged[name][0])
                self.progress(0.4 + 0.35 * done / total, f"read {name}")
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return written

    def _drop_staged(self, parts: list[Staged]) -> None:
        """Free the memory of a table's staged text once it is loaded."""
        for p in parts:
            self.con.execute(f"DROP TABLE IF EXISTS {ident(p.relation)}")

    def _load_extra_table(self, name: str, parts: list[Staged]) -> None:
        """A reader's own table (not in the schema): every column as text, no checks."""
        union = " UNION ALL BY NAME ".join(
            f"SELECT *, {p.order} AS _ord FROM {p.relation}" for p in parts
        )
        self.con.execute(
            f"CREATE TABLE {ident(name)} AS SELECT * EXCLUDE (_ord, _file, _line) "
            f"FROM ({union}) ORDER BY _ord, _file, _line"
        )
        self.con.execute(
            f"INSERT INTO _counts SELECT {lit(name)}, _file, count(*), count(*), 0 "
            f"FROM ({union}) GROUP BY _file"
        )

    # --------------------------------------------------------------------------- finish

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
