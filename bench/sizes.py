"""One synthetic authority per size (generate, load, query and page times, the pandas check),
and the built-in sample's page times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bench.browser_pages import BrowserPages, time_browser_pages
from bench.common import (
    END,
    ROWS_LIMIT,
    SAMPLE_CHILDREN,
    SAMPLE_START,
    SEED,
    SHAPES,
    dir_mb,
    last_full_year,
    page_of,
    scaled,
    timed,
)
from bench.concurrent import DEFAULT_THINK, ConcurrentResult, run_concurrent
from bench.pandas_check import Comparison, compare_with_pandas
from bench.server_pages import PageTime, time_pages
from frontdoor.progress import ProgressFn, null_progress
from frontdoor.schema import TABLES


@dataclass
class SamplePages:
    """Page times on the built-in sample (generated and loaded as the Makefile does)."""

    children: int
    start: dt.date
    end: dt.date
    pages: list[PageTime] = field(default_factory=list)
    browser: BrowserPages | None = None
    concurrent: ConcurrentResult | None = None
    reused: bool = False  # the database found in the work folder, not made


def sample_pages(
    workdir: Path,
    progress: ProgressFn = null_progress,
    *,
    pages: bool = True,
    browser: bool = False,
    reuse: bool = False,
    concurrent: int = 0,
    think: float = DEFAULT_THINK,
) -> SamplePages:
    """Make the built-in sample in `workdir` (or reuse it) and time every page on it: under
    AppTest (`pages`), in a browser (`browser`), with `concurrent` people at once."""
    from frontdoor.generate import generate_extract
    from frontdoor.loader import load_extract

    result = SamplePages(SAMPLE_CHILDREN, SAMPLE_START, END)
    extract = workdir / f"sample-{SAMPLE_CHILDREN}"
    db = workdir / f"sample-{SAMPLE_CHILDREN}.duckdb"
    workdir.mkdir(parents=True, exist_ok=True)
    result.reused = reuse and db.exists()
    if not result.reused:
        generate_extract(
            extract,
            seed=SEED,
            children=SAMPLE_CHILDREN,
            start=SAMPLE_START,
            end=END,
            fmt="csv",
            progress=scaled(progress, 0.0, 0.3, "sample"),
        )
        # Taken on END, as the Makefile loads it: without the date, the extract would be taken
        # today, and the default period (the last 12 months to the extract date) would reach
        # months with no data, making the sample's pages cheaper than `make run`'s.
        report = load_extract(
            extract,
            db,
            synthetic=True,
            extract_date=END,
            progress=scaled(progress, 0.3, 0.5, "sample load"),
        )
        if not report.ok:
            raise RuntimeError(f"the sample did not load:\n{report.render()}")
    if pages:
        progress(0.5, "sample pages")
        result.pages = time_pages(db, workdir / "bench-audit.jsonl")
    if browser:
        result.browser = time_browser_pages(
            db, workdir, scaled(progress, 0.7, 1.0, "sample browser")
        )
    if concurrent:
        progress(0.9, f"sample: {concurrent} people at once")
        result.concurrent = run_concurrent(db, workdir, concurrent, think)
    return result


# -- one size ---------------------------------------------------------------------------------


@dataclass
class QueryTime:
    page: str
    measure: str
    shape: str
    seconds: float | None  # None: unavailable in this extract
    note: str = ""


@dataclass
class SizeResult:
    children: int
    start: dt.date
    end: dt.date
    generate_seconds: float | None = 0.0  # None: reused
    load_seconds: float | None = 0.0
    load_ok: bool = True
    extract_mb: float = 0.0
    db_mb: float = 0.0
    table_rows: dict[str, int] = field(default_factory=dict)
    summary_seconds: float = 0.0
    queries: list[QueryTime] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    pages: list[PageTime] = field(default_factory=list)
    browser: BrowserPages | None = None
    concurrent: ConcurrentResult | None = None
    reused: bool = False  # extract and database found in the work folder, not made

    def page_seconds(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for q in self.queries:
            totals[q.page] = totals.get(q.page, 0.0) + (q.seconds or 0.0)
        return totals

    def slowest(self, page: str) -> QueryTime | None:
        timed_ = [q for q in self.queries if q.page == page and q.seconds is not None]
        return max(timed_, key=lambda q: q.seconds) if timed_ else None


def time_queries(
    db_path: Path, date_from: dt.date, date_to: dt.date, progress: ProgressFn = null_progress
) -> tuple[float, list[QueryTime]]:
    """Time the summary, then each measure's four shapes, on the database opened read-only."""
    from metrics import Engine, Filters, MeasureUnavailable
    from metrics.catalog import MEASURES
    from metrics.summary import summarise

    filters = Filters(date_from, date_to, date_to)
    con = duckdb.connect(str(db_path), read_only=True)
    queries: list[QueryTime] = []
    try:
        engine = Engine(con)
        _, summary_s = timed(lambda: summarise(Engine(con), filters))
        measures = list(MEASURES.values())
        for i, m in enumerate(measures):
            progress(i / max(len(measures), 1), f"queries: {m.key}")
            page = page_of(m.key, m.section)
            calls: dict[str, Callable[[], object]] = {
                "headline": lambda m=m: engine.headline(m, filters),
                "monthly": lambda m=m: engine.monthly(m, filters),
                "breakdown": lambda m=m: engine.breakdown(m, filters, "team"),
                "rows": lambda m=m: engine.rows(m, filters, limit=ROWS_LIMIT),
            }
            for shape in SHAPES:
                if shape == "breakdown" and not m.by_team:
                    queries.append(QueryTime(page, m.key, shape, None, "not by team"))
                    continue
                try:
                    _, s = timed(calls[shape])
                    queries.append(QueryTime(page, m.key, shape, s))
                except MeasureUnavailable as exc:
                    queries.append(QueryTime(page, m.key, shape, None, str(exc)))
    finally:
        con.close()
    return summary_s, queries


def run_size(
    children: int,
    years: int,
    workdir: Path,
    progress: ProgressFn = null_progress,
    pages: bool = True,
    *,
    browser: bool = False,
    reuse: bool = False,
    concurrent: int = 0,
    think: float = DEFAULT_THINK,
) -> SizeResult:
    """Generate, load, time the queries (and the pages) and compare with pandas for one size.

    `reuse`: when the work folder already has this size's extract and database (from an earlier
    run with the same --years), use them as they are: no generate, no load (their times n/a).
    """
    from frontdoor.generate import generate_extract
    from frontdoor.loader import load_extract

    start = dt.date(END.year - years, 4, 1)
    result = SizeResult(children, start, END)
    extract = workdir / f"extract-{children}"
    db = workdir / f"bench-{children}.duckdb"
    workdir.mkdir(parents=True, exist_ok=True)

    if reuse and db.exists() and extract.is_dir():
        result.reused = True
        result.generate_seconds = result.load_seconds = None
    else:
        _, result.generate_seconds = timed(
            lambda: generate_extract(
                extract,
                seed=SEED,
                children=children,
                start=start,
                end=END,
                fmt="csv",
                progress=scaled(progress, 0.0, 0.35, "generate"),
            )
        )
        report, result.load_seconds = timed(
            lambda: load_extract(
                extract,
                db,
                synthetic=True,
                extract_date=END,
                progress=scaled(progress, 0.35, 0.65, "load"),
            )
        )
        result.load_ok = bool(report.ok)
        if not report.ok:
            raise RuntimeError(f"the synthetic extract did not load:\n{report.render()}")
    result.extract_mb = dir_mb(extract)
    result.db_mb = (
        sum(p.stat().st_size for p in (db, db.with_name(db.name + ".wal")) if p.exists()) / 1e6
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for name in TABLES:
            if name in existing:
                result.table_rows[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    finally:
        con.close()

    date_from, date_to = last_full_year(END)
    result.summary_seconds, result.queries = time_queries(
        db, date_from, date_to, scaled(progress, 0.65, 0.8, "queries")
    )
    if pages:
        progress(0.8, "pages")
        result.pages = time_pages(db, workdir / "bench-audit.jsonl")
    progress(0.75 if browser else 0.9, "pandas comparison")
    result.comparisons = compare_with_pandas(extract, db, date_from, date_to)
    if browser:
        result.browser = time_browser_pages(db, workdir, scaled(progress, 0.8, 1.0, "browser"))
    if concurrent:
        progress(0.95, f"{concurrent} people at once")
        result.concurrent = run_concurrent(db, workdir, concurrent, think)
    return result
