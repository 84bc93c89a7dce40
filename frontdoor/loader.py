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
database loaded before untouched. Two workers (frontdoor.workers) write the tables, each as soon
as its file is staged, and build the facts (frontdoor.facts.FactBuilds), each as soon as the
tables it reads are written and checked (and the calendar built, for those that read it), while
this thread stages the files, checks each table in the schema's order, writes the load report and
builds the calendar: the steps overlap, so the two cores are busy from the first file staged to
the last fact built.

Rows with several faults: a rejected row is counted once in the counts, and every fault found is
listed in `rejected_rows` (one line per fault, each with the raw record). A duplicate key is judged
among rows with no other fault: the first usable occurrence (by file, then line) is loaded.

Values: identifiers and text are trimmed of spaces; blank, `NULL` or `null` (as SQL Server
exports write it) is missing. Lines: a CSV row's line is the physical line it starts on (header
line 1): counted when every record is one line, else found by a quote-aware scan, so blank lines
and values spanning lines do not shift it (frontdoor.sources.csv_rows.stage_csv); a quote that
never closes stops the load rather than lose the rows after it. Other tables a reader
hands over (e.g. `cin_pre_proceedings`) are loaded as text, unchecked.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from contextlib import ExitStack
from pathlib import Path

import duckdb

from frontdoor import calendar
from frontdoor.calendar import create_calendar
from frontdoor.facts import FACTS, FactBuilds, write_facts_meta
from frontdoor.invariant import check_invariant
from frontdoor.load_discovery import FileDiscovery, Item, Reader
from frontdoor.private import FILE_MODE, private_dir, private_umask
from frontdoor.progress import ProgressFn, null_progress
from frontdoor.report import LOADED, NOT_LOADED, LoadReport, printable
from frontdoor.report_tables import ReportTables
from frontdoor.schema import REPORT_TABLES, REQUIRED_TABLES, TABLES
from frontdoor.sources import STOP, LoadStopped, Problem
from frontdoor.sources.csv_rows import stage_csv
from frontdoor.sources.staging import (
    Staged,
    create_malformed_table,
    ident,
    lit,
    stage_frame,
    stage_parquet,
)
from frontdoor.sources.workbook import Workbook
from frontdoor.sources.workbook_sheets import stage_workbook_sheet
from frontdoor.swap import check_target, load_lock, remove_stale, temp_name
from frontdoor.table_write import write_table
from frontdoor.validate import check_table
from frontdoor.workers import Cursors, Workers
from frontdoor.written import Written

# Readers for files that are not SSD table files, consulted in order; each returns None for a
# file it does not understand. The CIN census and Annex A readers are found by `frontdoor.load_discovery`.
READERS: list[Reader] = []

# Names a reader's own tables cannot take.
RESERVED = {*REPORT_TABLES, "calendar"}

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


class _Load(FileDiscovery, ReportTables):
    """One load into the open connection `con` of the new database: discover, stage, write and
    check each table, report; the caller swaps the database in only when `run` returns."""

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
        self.workers: Workers  # the load's workers (`_run`)
        self.writes: dict[str, Future[Written]] = {}  # the tables the workers write
        self.facts: FactBuilds | None  # the facts, started as their tables are final

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
        # The load's statements on WRITERS workers beside this thread (the tables' writes as
        # each file is staged, then the facts as soon as what each reads is final), each on
        # its share of DuckDB's threads (one each on 2 cores) from the first task handed to
        # the workers (`_share_threads`: a load with no table of one CSV file writes its tables
        # on this thread with every thread until then): the workers and this thread's checks
        # keep the cores busy across the steps, and a statement split over threads pays for
        # the split. The caller's threads are restored for the last steps.
        threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
        self.shared_threads = max(1, threads // WRITERS) if threads != 1 else None
        self.workers = Workers(WRITERS, "frontdoor-load")
        self.cursors = Cursors(con)  # the writers', made here
        self.facts = None
        try:
            self._stage_all(items)
            self._check_required_tables()
            self.facts = FactBuilds(con, self._submit_fact)
            self._write_and_check([n for n in TABLES if n in self.staged])
            for name, parts in self.extra_tables.items():
                self._load_extra_table(name, parts)
                self._drop_staged(parts)
            self.progress(0.92, "writing the load report")
            self._finish()
            # The absent tables are created (empty) by _finish, and the report written.
            self.facts.final(*TABLES, *REPORT_TABLES)
            check_invariant(con, str(self.source))
            self.progress(0.97, "building the calendar")
            # The loaded tables' dates only: the facts built so far are not the extract's.
            create_calendar(con, *calendar.span(*calendar.data_span(con, exclude=FACTS)))
            self.facts.final("calendar")
            self.progress(0.98, "building the facts")
            self.facts.wait()
        finally:
            # A failure stops every task not started and waits for those running.
            self.workers.shutdown(cancel=True)
            self.cursors.close()
            if self.facts is not None:
                self.facts.close()
        con.execute("SET threads = ?", [threads])
        write_facts_meta(con)
        con.execute("CHECKPOINT")

    # -------------------------------------------------------------------------- staging

    def _stage_all(self, items: list[Item]) -> None:
        """Stage every item, and hand each table read from one CSV file alone to the workers to
        be written as soon as it is staged, in the write order of `_write_and_check`
        (`_write_early`), so that the writes start while the other files are staged. Every
        outcome (staged parts, problems, the first failure) is then taken in the items' order,
        as when staged one after another."""
        total = sum(i.size for i in items) or 1
        early = self._write_early(items)
        # Each item's staged relation `_s<n>`, numbered in the items' order (a reader's item
        # takes a number for each of its tables).
        rel: dict[int, str] = {}
        n = 0
        for order, item in enumerate(items):
            n += len(item.tables.frames) if item.kind == "reader" else 1
            rel[order] = f"_s{n}"
        ahead: dict[int, tuple[Staged, list[Problem]] | BaseException] = {}
        done = 0
        for order in early:
            item = items[order]
            self.progress(0.05 + 0.35 * done / total, f"reading {printable(item.file)}")
            done += item.size
            try:
                staged, problems = stage_csv(
                    self.con, item.path, item.table, item.file, rel[order], order, self.workdir
                )
            except Exception as e:  # noqa: BLE001 - raised in its turn below
                ahead[order] = e
                continue
            ahead[order] = (staged, problems)
            if self._missing_required(staged) is None:
                self._share_threads()
                self.writes[staged.table] = self.workers.submit(
                    (0, len(self.writes)), self._write, staged.table, [staged]
                )
        n = 0
        for order, item in enumerate(items):
            if order not in ahead:
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
            if order in ahead:
                outcome = ahead[order]
                if isinstance(outcome, BaseException):
                    raise outcome
                staged, problems = outcome
            elif item.kind == "csv":
                staged, problems = stage_csv(
                    self.con, item.path, item.table, item.file, rel[order], order, self.workdir
                )
            elif item.kind == "parquet":
                staged, problems = stage_parquet(
                    self.con, item.path, item.table, item.file, rel[order], order
                )
            else:
                staged, problems = stage_workbook_sheet(
                    self.con, item.workbook, item.sheet, item.table, item.file, rel[order], order
                )
            self.problems += problems
            self._add_staged(staged)

    def _write_early(self, items: list[Item]) -> list[int]:
        """The places among `items` of the CSV files that are their table's only part (no
        other file or reader hands over rows of it): the tables written by the workers, in the
        order they are written."""
        parts: dict[str, int] = {}
        for item in items:
            if item.kind == "reader":
                for table in item.tables.frames:
                    name = str(table).strip().lower()
                    parts[name] = parts.get(name, 0) + 1
            else:
                parts[item.table] = parts.get(item.table, 0) + 1
        alone = {
            i.table: order
            for order, i in enumerate(items)
            if i.kind == "csv" and i.table in TABLES and parts[i.table] == 1
        }
        if not alone:
            return []
        first = max(alone, key=lambda n: (items[alone[n]].size, -alone[n]))
        rest = [n for n in TABLES if n in alone and n != first]
        # The first two tables checked staged first if small (each worker starts on one at
        # once, while the largest is staged; the checks start sooner), then the largest.
        small = items[alone[first]].size // 8
        lead = [n for n in rest[:WRITERS] if items[alone[n]].size < small]
        return [alone[n] for n in [*lead, first, *[n for n in rest if n not in lead]]]

    def _add_staged(self, staged: Staged) -> None:
        stop = self._missing_required(staged)
        if stop is not None:
            raise stop
        self.staged.setdefault(staged.table, []).append(staged)

    def _missing_required(self, staged: Staged) -> LoadStopped | None:
        """The stop for a required column missing from a staged part, or None."""
        spec = TABLES[staged.table]
        for col in spec.required_columns:
            if col not in staged.columns:
                return LoadStopped(
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
        return None

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

    # -------------------------------------------------------------------------- a table

    def _write_and_check(self, names: list[str]) -> None:
        """Check every table once written, in the schema's order, and mark it final for the
        facts.

        The tables read from one CSV file each are written by the workers, WRITERS at a time,
        each on its own connection, as soon as staged (`_stage_all`: one table alone leaves a
        core idle in its slower steps). The checks read other tables (ssd_person, the S47s,
        the episodes) and append to rejected_rows and data_issues, so they run one at a time
        on this connection, in the schema's order (the order of those tables' rows, as
        before): each as soon as its table is written, while the workers go on with the next
        tables, so the checks use the time a core would spend waiting. The largest table is
        written first but for the first two checked if small (each writer starts at once
        on one of them while the largest is staged; it takes one writer for most of the
        phase), the others in the order they are checked (the checks are not kept waiting).
        A table checked is final (its rejected rows deleted): the facts reading only final
        tables start on the workers once the writes are done, while the last tables are still
        being checked."""
        size = {n: sum(_size(p) for p in self.staged[n]) for n in names}
        total = sum(size[n] for n in self.writes) or 1
        s47_loaded = "ssd_s47_enquiry" in self.staged
        done = 0
        for i, name in enumerate(names):
            if name in self.writes:
                written = self.writes[name].result()
                done += size[name]
                self.progress(0.4 + 0.5 * done / total, f"checking {name}")
            else:
                self.progress(0.4 + 0.5 * i / len(names), f"checking {name}")
                written = write_table(self.con, TABLES[name], self.staged[name])
            self.problems += written.problems
            check_table(self.con, written, self.extract_date, s47_loaded)
            self._drop_staged(self.staged[name])
            self.facts.final(name)

    def _share_threads(self) -> None:
        """Give each worker and this thread their share of DuckDB's threads (once)."""
        if self.shared_threads is not None:
            self.con.execute("SET threads = ?", [self.shared_threads])
            self.shared_threads = None

    def _submit_fact(self, rank: tuple, fn: Callable[..., None], *args: object) -> Future[None]:
        """Hand a fact to the workers (FactBuilds), DuckDB's threads shared from then on. The
        first fact is handed over by this thread (a table checked, or the report written), so
        the setting is never changed from a worker's thread."""
        self._share_threads()
        return self.workers.submit(rank, fn, *args)

    def _write(self, name: str, parts: list[Staged]) -> Written:
        """Write table `name` on a connection of its own (a worker's task)."""
        with self.cursors.cursor() as cur:
            cur.execute("SET enable_progress_bar = false")
            return write_table(cur, TABLES[name], parts)

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
