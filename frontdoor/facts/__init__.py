"""Facts built once at load: what the measures would otherwise derive again in every query.

The load stores the result of each `<name>.sql` beside this file as the table `<name>`, two at a
time, each as soon as the loaded tables, calendar and facts its SQL reads are final
(`FactBuilds`: beside the last tables' writes and checks; `build_facts` builds them all from a
built database, as the tests' hand-built ones; FACTS lists a fact after those it reads, and
`build_rank` starts the longest chains of work first, so that the two builders stay busy):

- `fact_allocation`: every allocated-worker involvement with the referral it is for (each
  child's allocation intervals, start to end);
- `fact_child_allocation`: each child's allocation (the earliest open one, and how many are open)
  for every span of dates in which the child's open allocations do not change;
- `fact_child_workers`: the same spans cut where the allocated workers the child has had in the 12
  months to a date change, with those workers and their number (changes of worker's headline,
  rows and trend read one row per span, not the allocations of the 12 months before every date);
- `fact_child_workers_month`: changes of worker's figures (children, three or more, their
  workers) at every calendar month end by team and worker, counted from fact_child_workers' spans,
  to the first after the data's last change, whose rows stand for every later one (its monthly
  trend reads a dozen rows a worker, not the period's spans);
- `fact_allocation_latest`: fact_child_allocation's spans beside their child's monthly latest
  notes and visits (fact_activity's) from the span's allocation date to its end, in order of the
  span's end (oversight's monthly trend reads the spans of a period and their dates from it
  alone);
- `fact_caseload_pair`: the same per worker and child (a caseload's open pairs), with the
  child's family;
- `fact_caseload_worker`: each named worker's caseload (children, families, sibling groups, team,
  oldest allocation date) for every span of dates in which it does not change, counted from the
  worker's pair spans cut where the worker's open children of the pair's family change (the
  caseload per worker's rows at an as-of date and its trend's at each month end read one row per
  worker, not every open pair; the cut spans are not stored, nothing else reading them);
- `fact_referral`: every referral with its first allocation (whose it is: referral ownership),
  its first seen visit, its look-back for re-referrals (the child's previous referral within
  12 months), the child's family and its first assessment's start (siblings), and the
  working-day index of its date and of its first allocation's (allocation's delay without
  calendar look-ups);
- `fact_referral_factor`: every assessment factor record naming domestic abuse, its codes
  parsed once;
- `fact_assessment`: every assessment beside its referral's date and close date (its episode),
  with the first day the child was seen alone during it (the child's views), its recorded type
  and child-seen flag, and the working-day index of its start, authorisation and referral date
  (assessment_rows reads it: a duration without calendar look-ups or a join to every referral);
- `fact_transfer`: every authorised assessment with a team, with the first plan and the first
  allocation in another team after it (within its episode and unbounded) and whether the child
  was already held elsewhere (transfer after assessment), with the working-day index of the
  authorisation and of each move's date;
- `fact_activity`: each child's note, management oversight note and visit dates in date order
  (the latest before any as-of date is read from them), and each month's latest of each (the
  latest before any month end: oversight's trend reads a child's months, not all its notes);
- `fact_cp_review`: every CP plan's review chain (numbered reviews with the previous and next);
- `fact_note_team`: the team of each case note whose worker has no department of their own
  (the worker's latest allocation of the child by the note's date; empty when every worker
  with an allocation has a department);
- `fact_note`: a view (VIEWS), not a table: every case note with its team and the working-day
  index of its event and recorded dates (case recording's lag without a calendar join a note),
  read from case_notes, the calendar as one list, the workers' departments and fact_note_team
  by each query (storing the notes again cost the load 8.9 s of CPU at 1,000,000 children);
- `fact_cp_plan_team`: every CP plan's team and worker on its start date and on its last day open
  (CP plans' started and ended rows, without a range join on the allocations in every query);
- `fact_cp_child_allocation`: fact_child_allocation's spans of the children with a CP plan, from
  their first plan's start on (a CP plan's team and worker at an as-of date looked up among
  about a sixth of the spans at 1,000,000 children; 0.3 s of CPU to build there);
- `fact_transfer_wait`: the spans of dates in which a child is waiting for transfer (latest
  assessment with an open episode, open allocations all in its team, an open plan following it),
  with the row's assessment, allocation and plan: waiting for transfer reads it with one interval
  test at an as-of date and as month bits over a trend's month ends.

A fact holds only what no as-of date, period or target changes: each query still binds those and
reads a fact with an interval test (e.g. allocated_date <= as-of), so the figures are those of
the query that derived it, and a trend over many month ends reads each fact once (the engine
joins the month ends to the same query, `Engine.monthly`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import cache
from importlib import resources

import duckdb

from frontdoor.workers import Cursors

FACTS = (
    "fact_allocation",
    "fact_activity",
    "fact_note_team",
    "fact_note",
    "fact_child_allocation",
    "fact_child_workers",
    "fact_child_workers_month",
    "fact_allocation_latest",
    "fact_caseload_pair",
    "fact_caseload_worker",
    "fact_referral",
    "fact_referral_factor",
    "fact_assessment",
    "fact_transfer",
    "fact_cp_review",
    "fact_cp_plan_team",
    "fact_cp_child_allocation",
    "fact_transfer_wait",
)
# Recorded in the database (facts_meta): a database whose facts are of another version, or that
# has none (loaded before facts existed), is told to be loaded again (metrics.engine).
VERSION = "27"  # 7: fact_activity's monthly latests and fact_note, made apart; 8: both;
# 9: fact_cp_plan_team; 12: fact_child_workers, fact_cp_child_allocation and fact_assessment's
# type, child seen and working-day indexes (10 and 11: two of them, made apart); 18:
# fact_child_workers' allocation date and workers (changes of worker read from it alone),
# fact_referral's and fact_transfer's working-day indexes, fact_caseload_family,
# fact_transfer_wait, and the earliest allocation's team and worker even when it names none
# (arg_min_null) (13-17: helpers' branches); 20: fact_transfer_wait's authorisation index by
# arg_max_null (a NULL index no longer takes an earlier assessment's; the bench's facts unchanged);
# 23: fact_caseload_worker; 24: fact_child_workers_month and fact_allocation_latest (helpers'
# branches); 25: the three together; 26: fact_caseload_family folded into fact_caseload_worker,
# fact_allocation_latest's lists trimmed, fact_child_workers_month's after_changes; 27: fact_note a
# view over case_notes, fact_note_team its fallback teams


# Rules the measures' SQL shares as macros, stored in the database with the facts (as the
# working-day macros are with the calendar): written once, inlined where they are called, so a
# measure that filters its own rows is not made to read a shared fragment's rows first (DuckDB
# materialises a shared CTE before the filters of its reader).
MACROS = (
    # Whose a referral is at an as-of date, for the team and worker filters (measures.md
    # "Allocation delay", the worker allocated first): the first allocation's team (or worker)
    # when that allocation has started by as-of, else the referral's own; column by column, so a
    # first allocation with no team still leaves the referral's own team. referral_owners and
    # not_yet_seen read it.
    "CREATE OR REPLACE MACRO referral_owner(allocated_date, allocated, own, as_of) AS "
    "coalesce(CASE WHEN allocated_date <= as_of THEN allocated END, own)",
    # The month ends of a trend read by month bits (metrics/sql/trend, month_grid): `grid` the
    # month ends in order, one a calendar month (the last may be the as-of date). A date's
    # month number counts calendar months from the first end (12 * years + months: cheaper
    # than datediff); its index is how many month ends come before it (a date after the last
    # end is after all of them); its bit is 1 << index, so the month ends in [from, to) are
    # month_bits(from, to) (an open end: to NULL), bit k for grid[k + 1].
    "CREATE OR REPLACE MACRO month_number(d, grid) AS "
    "12 * (year(d) - year(grid[1])) + month(d) - month(grid[1])",
    "CREATE OR REPLACE MACRO month_index(d, grid) AS "
    "CASE WHEN d > grid[-1] THEN len(grid) ELSE greatest(0, month_number(d, grid)) END",
    "CREATE OR REPLACE MACRO month_bit(d, grid) AS CAST(1 AS BIGINT) << month_index(d, grid)",
    "CREATE OR REPLACE MACRO month_bits(d_from, d_to, grid) AS "
    "month_bit(coalesce(d_to, DATE '9999-12-31'), grid) "
    "- (CAST(1 AS BIGINT) << greatest(0, month_number(d_from, grid)))",
    # Whether an allocation must be cut into spans with the others of its child (or pair):
    # it ends on or before it starts, or starts before the end of the one before it by start
    # (`prev_end`; `place` its place by start: an open-ended one never ends, two starting on
    # one day always clash). The others follow one another and are their own spans
    # (fact_child_allocation, fact_caseload_pair).
    "CREATE OR REPLACE MACRO allocation_clash(start_date, end_date, prev_end, place) AS "
    "(end_date IS NOT NULL AND end_date <= start_date) "
    "OR (place > 1 AND coalesce(prev_end, DATE '9999-12-31') > start_date)",
    # Each calendar month's latest date of a list in date order (fact_activity): a date whose
    # next is in a later month (on or before the day before the next's month begins: the next
    # less its day of the month; cheaper than the date's last day of the month), or the last.
    "CREATE OR REPLACE MACRO month_latest(dates) AS list_transform("
    "list_filter(list_zip(dates, dates[2:]), "
    "lambda p: p[2] IS NULL OR p[2] - CAST(day(p[2]) AS INTEGER) >= p[1]), "
    "lambda p: p[1])",
)


@cache
def fact_sql(name: str) -> str:
    """The query of one fact (a file of this package)."""
    return resources.files(__name__).joinpath(f"{name}.sql").read_text(encoding="utf-8")


# How many facts are built at once (each on its own cursor of the connection). Most facts' plans
# keep one core busy for much of their time (ordered list aggregates, window functions over
# a child's rows, the final sort, compressing the written strings), so two at once fill both
# cores of the 2-core machine the load is measured on; DuckDB's own threads are shared between
# them, so more builders would only raise the peak memory.
BUILDERS = 2


@cache
def fact_reads(name: str) -> frozenset[str]:
    """The other facts whose tables `name`'s query reads: the FACTS named in its SQL outside
    comments (a name in a string literal would only make it wait longer, never too little)."""
    code = re.sub(r"--[^\n]*", "", fact_sql(name))
    return frozenset(set(re.findall(r"\bfact_\w+\b", code)) & set(FACTS)) - {name}


def build_order() -> dict[str, frozenset[str]]:
    """Every fact with the facts it must wait for, in FACTS order; a fact that reads itself
    through others (a cycle) or a fact listed after it is refused, so FACTS stays an order in
    which the facts can be built one after another too."""
    for i, name in enumerate(FACTS):
        later = fact_reads(name) - set(FACTS[:i])
        if later:
            raise ValueError(f"{name} reads {sorted(later)}, listed after it in FACTS")
    return {name: fact_reads(name) for name in FACTS}


# String columns a fact stores uncompressed: DuckDB's string compression (dict_fsst) was most of
# the cost of writing fact_note when it was a table (2.8 M notes at 200,000 children: 0.8 s less
# CPU uncompressed, docs/performance.md, "fact_note at load"), and record ids are nearly one value
# a row, so they compress least for the work. The facts' record ids (a child, referral,
# assessment, involvement or family: a value a row or a few) so: about 0.8 s less CPU for
# the ten facts at 200,000 children (docs/performance.md, "The load, second pass"); the teams,
# workers and kinds (few values) stay compressed, as do the small facts' ids (no gain seen; measured
# again on DuckDB 2.0.1: all 46 such columns uncompressed, the 17 facts' CPU within the noise of
# the current 7.4-8.5 s for about 111 MB more on disk: docs/performance.md, s11-facts).
UNCOMPRESSED: dict[str, tuple[str, ...]] = {
    "fact_allocation": ("involvement_id", "person_id", "own_referral_id", "referral_id"),
    "fact_activity": ("person_id",),
    "fact_child_allocation": ("person_id",),
    "fact_child_workers": ("person_id",),
    "fact_allocation_latest": ("person_id",),
    "fact_caseload_pair": ("person_id", "family_id"),
    "fact_referral": ("referral_id", "person_id", "allocation_involvement_id", "family_id"),
    "fact_referral_factor": ("assessment_id", "referral_id", "person_id"),
    "fact_assessment": ("assessment_id", "person_id", "referral_id"),
    "fact_transfer": (
        "assessment_id",
        "person_id",
        "referral_id",
        "move_involvement_episode",
        "move_involvement_any",
    ),
}


# Facts made as views, not tables: their query is run by each reader, nothing is stored at load
# (fact_note: a copy of case_notes' notes was the load's largest write, and recording reads a
# year's notes from case_notes about as fast).
VIEWS = frozenset({"fact_note"})
# A view's line ending in "-- with <fact>" is kept only when that fact has rows, one ending in
# "-- without <fact>" only when it has none (fact_note's join to its fallback teams).
_SHAPE = re.compile(r"^(.*?)\s*-- (with|without) (fact_\w+)\s*$")


def view_sql(cursor: duckdb.DuckDBPyConnection, name: str) -> str:
    """The query of view `name` (VIEWS) for this database: its lines marked with a fact kept or
    left out as that fact has rows or none (the facts it names are built before it)."""
    lines = []
    has_rows: dict[str, bool] = {}  # each fact asked once, however many lines it marks
    for line in fact_sql(name).splitlines():
        shape = _SHAPE.match(line)
        if shape:
            code, mark, fact = shape.groups()
            if fact not in has_rows:
                has_rows[fact] = cursor.execute(f"SELECT EXISTS (FROM {fact})").fetchone()[0]
            if has_rows[fact] != (mark == "with"):
                continue
            line = code
        lines.append(line)
    return "\n".join(lines)


def _build(cursor: duckdb.DuckDBPyConnection, name: str) -> None:
    """Store fact `name` as a table, its UNCOMPRESSED columns declared so, in one transaction
    (a failed fill leaves no empty table in place of the old); or make it a view (VIEWS)."""
    # Imported here: the summary and the pages read facts_meta through this module and must not
    # import pandas, which the loader's staging (frontdoor.table_store's ident) brings.
    from frontdoor.table_store import create_table_as

    cursor.execute("BEGIN")
    try:
        # A view where a table was (a database of facts version 26 or before), or the reverse:
        # dropped first (DuckDB replaces an object only by one of its own kind).
        (kind,) = cursor.execute(
            "SELECT CASE WHEN EXISTS (FROM duckdb_tables() WHERE table_name = $n "
            "AND database_name = current_database() AND schema_name = 'main') THEN 'TABLE' "
            "WHEN EXISTS (FROM duckdb_views() WHERE view_name = $n "
            "AND database_name = current_database() AND schema_name = 'main') THEN 'VIEW' END",
            {"n": name},
        ).fetchone()
        if kind == ("TABLE" if name in VIEWS else "VIEW"):
            cursor.execute(f"DROP {kind} {name}")
        if name in VIEWS:
            cursor.execute(f"CREATE OR REPLACE VIEW {name} AS {view_sql(cursor, name)}")
        else:
            create_table_as(cursor, name, fact_sql(name), UNCOMPRESSED.get(name, ()), replace=True)
    except duckdb.Error:
        cursor.execute("ROLLBACK")
        raise
    cursor.execute("COMMIT")


# The calendar's working-day macros (frontdoor.calendar): a fact calling one reads the calendar.
CALENDAR_MACROS = ("wd_index", "wd_between", "wd_add")


@cache
def fact_inputs(name: str) -> frozenset[str]:
    """The loaded tables `name`'s query reads (the schema's and the load's report tables named
    in its SQL outside comments), and `calendar` if it reads the calendar (by name or through
    its macros)."""
    # Imported here, as the loader's schema; cheap (no pandas).
    from frontdoor.schema import REPORT_TABLES, TABLES

    words = set(re.findall(r"\b\w+\b", re.sub(r"--[^\n]*", "", fact_sql(name))))
    found = words & {*TABLES, *REPORT_TABLES, "calendar"}
    return frozenset(found | ({"calendar"} if words & set(CALENDAR_MACROS) else set()))


# Each fact's CPU time to build relative to the others' (seconds at 200,000 children, one
# thread each, docs/performance.md "s11-overlap"): only the order in which the ready facts are
# started depends on it (build_rank), never what they hold.
COST = {
    "fact_note": 0.0,  # a view: nothing is built
    "fact_activity": 1.1,
    "fact_child_workers": 0.8,
    "fact_caseload_worker": 0.7,
    "fact_referral": 0.7,
    "fact_transfer": 0.5,
    "fact_caseload_pair": 0.45,
    "fact_child_allocation": 0.4,
    "fact_allocation_latest": 0.3,
    "fact_transfer_wait": 0.3,
    "fact_assessment": 0.25,
    "fact_allocation": 0.2,
    "fact_referral_factor": 0.13,
    "fact_child_workers_month": 0.12,
}


def build_rank() -> dict[str, tuple[float, int]]:
    """Each fact's rank among those ready to be built (lowest first): the longest chain of
    work it starts first (its COST and the longest of the facts that wait for it), so that the
    last facts to finish are short ones and the two builders finish together; then FACTS
    order."""
    waits = build_order()
    chain: dict[str, float] = {}
    for name in reversed(FACTS):  # the facts reading a fact are listed after it
        after = [chain[m] for m in FACTS if name in waits[m]]
        chain[name] = COST.get(name, 0.05) + max(after, default=0.0)
    return {n: (-chain[n], i) for i, n in enumerate(FACTS)}


Submit = Callable[..., "Future[None]"]


class FactBuilds:
    """Every fact built once the tables and facts its query reads are final, each as a task
    handed to `submit(rank, fn)` (frontdoor.workers.Workers.submit), on a cursor of `con` of
    its own (DuckDB releases the GIL while a statement runs).

    The loader marks each table `final` once it is written and checked (its rejected rows
    deleted), and `calendar` once the calendar is built, so that the facts reading only early
    tables are built while the later ones are still being written and checked; `tables_final`
    says every table and the calendar are final already (a built database, the tests'). A fact
    reads only committed tables: each statement commits on its own, and a fact starts after
    what it reads is committed, so it holds the same rows as when built after every table."""

    def __init__(self, con: duckdb.DuckDBPyConnection, submit: Submit, *, tables_final=False):
        for macro in MACROS:
            con.execute(macro)
        self._cursors = Cursors(con)  # made here, on the caller's thread
        self._submit = submit
        order = build_order()
        self._waits = {
            n: reads | (frozenset() if tables_final else fact_inputs(n))
            for n, reads in order.items()
        }
        self._rank = build_rank()
        self._final: set[str] = set()
        self._todo = list(FACTS)
        self._started: dict[str, Future[None]] = {}
        self._cond = threading.Condition()

    def final(self, *names: str) -> None:
        """`names` (tables, `calendar` or facts) will not change: start the facts waiting only
        for them, in FACTS order."""
        with self._cond:
            self._final.update(names)
            for name in [n for n in self._todo if self._waits[n] <= self._final]:
                self._todo.remove(name)
                future = self._submit((1, self._rank[name]), self._build, name)
                self._started[name] = future
                future.add_done_callback(self._done)

    def _build(self, name: str) -> None:
        with self._cursors.cursor() as cursor:
            _build(cursor, name)
        self.final(name)  # before this task is done: `wait` never sees the facts after it unstarted

    def _done(self, _future: Future[None]) -> None:
        with self._cond:
            self._cond.notify_all()

    def close(self) -> None:
        """Close the cursor the builders' are made from (once no fact is being built)."""
        self._cursors.close()

    def wait(self) -> None:
        """Return once every fact is built; raise the first failure (in FACTS order among those
        failed), or if a fact waits for a table never marked final."""
        with self._cond:
            while True:
                for name in FACTS:
                    future = self._started.get(name)
                    if future is not None and future.done():
                        if future.cancelled():
                            raise RuntimeError(f"the fact {name} was not built (cancelled)")
                        error = future.exception()
                        if error is not None:
                            raise error
                if all(f.done() for f in self._started.values()):
                    if self._todo:
                        missing = sorted(
                            set().union(*(self._waits[n] for n in self._todo)) - self._final
                        )
                        raise RuntimeError(f"facts {self._todo} wait for {missing}")
                    return
                self._cond.wait()


def write_facts_meta(con: duckdb.DuckDBPyConnection) -> None:
    """Record the facts' version (stale_reason reads it): the facts' last step."""
    con.execute(
        "CREATE OR REPLACE TABLE facts_meta AS SELECT CAST(? AS VARCHAR) AS version", [VERSION]
    )


def build_facts(con: duckdb.DuckDBPyConnection, builders: int = BUILDERS) -> None:
    """Create (or replace) the shared macros, every fact table and facts_meta, from the tables
    in `con` (a loaded database, or the tests' hand-built ones).

    A fact is built once every fact it reads is (build_order), up to `builders` at once
    (FactBuilds): the same statements as one after another, so the same tables, in less wall
    time on two cores."""
    # Each builder's statement on its share of DuckDB's threads (one each on 2 cores): the
    # builders keep the cores busy, and a statement split over threads pays for the split
    # (partitioned hash tables and sorts merged again). At 200,000 children the 14 facts other
    # than fact_note took 5.0 s of CPU one at a time on one thread against 5.9 s on two, all 15
    # built here 8.2 against 8.8-8.9 s, in no more wall time on the shared machine; the
    # caller's threads are restored after.
    from frontdoor.workers import Workers

    builders = max(1, builders)
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    con.execute("SET threads = ?", [max(1, threads // builders)])
    try:
        with Workers(builders, "frontdoor-fact") as workers:
            builds = FactBuilds(con, workers.submit, tables_final=True)
            try:
                builds.final()
                builds.wait()
            finally:
                workers.shutdown(cancel=True)
                builds.close()
    finally:
        con.execute("SET threads = ?", [threads])
    write_facts_meta(con)


def relation_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The database's tables and views (a fact may be either: VIEWS)."""
    return {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() UNION ALL "
            "SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    }


def stale_reason(con: duckdb.DuckDBPyConnection) -> str | None:
    """Why the database's facts cannot be used (none, or of another version), or None.

    One answer for the measures (every one says it is not available), the pages' banner and
    `make run` (which builds the sample again), so an old database is never read as current."""
    again = "load the extract again (on the Data page, or with frontdoor load)"
    existing = relation_names(con)
    if any(f not in existing for f in FACTS) or "facts_meta" not in existing:
        return f"the database was loaded by an older version of frontdoor: {again}"
    version = con.execute("SELECT max(version) FROM facts_meta").fetchone()[0]
    if version != VERSION:
        return f"the database was loaded by another version of frontdoor: {again}"
    return None
