"""`frontdoor bench`: time generate, load, the summary and every page's queries on synthetic
authorities of several sizes, and check three measures against a pandas notebook version.

For each size the bench writes a synthetic extract (CSV) into `--workdir`, loads it into a DuckDB
file, then, on the database opened read-only, times the full summary for the last full year and
each measure's four shapes (headline, monthly trend, breakdown by team, first 200 rows of the
drill-down), grouped by the page that shows them, and then each page of the app as the server
runs it (`time_pages`: the page's script under Streamlit's AppTest, once with the query cache
cleared and once warm). Finally it computes three figures both ways, DuckDB measures and pandas
over the CSVs (`frontdoor.bench_pandas`), prints MATCH or MISMATCH for each and the time ratio.
The built-in sample (5,000 children over 3 years, as `make run` makes it) gets its page times too.
With `--browser`, each page is also timed as a person sees it (`time_browser_pages`: `streamlit run`
on the database and Debian's Chromium through Playwright, first and second visit). With `--reuse`,
an extract and database already in `--workdir` are used as they are (not generated nor loaded).
The exit code is 1 on any mismatch.

Results are printed as Markdown (machine, data sizes, times); `--out FILE` appends them to FILE.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from frontdoor import bench_pandas as bp
from frontdoor.progress import ProgressFn, bar, null_progress
from frontdoor.schema import TABLES

SEED = 2010
# The synthetic extracts end on the last day of a financial year; the timed queries ask about
# that year (as DfE statistics do), with as-of its last day.
END = dt.date(2026, 3, 31)
ROWS_LIMIT = 200
REPO = Path(__file__).resolve().parents[1]
# The built-in sample, as the Makefile makes it: 5,000 children, 1 April 2023 to 31 March 2026.
SAMPLE_CHILDREN = 5_000
SAMPLE_START = dt.date(2023, 4, 1)
PAGE_TIMEOUT = 120  # seconds AppTest waits for one run of a page script
BROWSER_TIMEOUT = 180_000  # ms the browser waits for one page to be drawn
# The untimed visit a new server gets before a page is timed in the browser: the Overview for a
# quarter (July to September 2025), so that the app's modules are imported, the database open
# and the first charts built, while no answer a menu page asks for with the default filters
# (the last 12 months, compared with the 12 before) is in the cache.
WARM_UP = "/?period=q&q=2025-2"

# Which page shows which measures (the pages' own queries: tiles, trend, by team, child list).
PAGES: dict[str, tuple[str, ...]] = {
    "front door": ("contacts", "referrals"),
    "allocation": ("allocation", "unallocated"),
    "assessments": ("assessments", "assessments_overdue"),
    "seen": ("seen", "not_yet_seen", "seen_closed_unseen"),
    "caseload": ("caseload", "caseload_workers"),
    "protection": ("s47", "icpc", "cp_reviews", "cp_plans"),
    "oversight": ("oversight", "recording"),
    "agencies": ("agencies", "agencies_outstanding"),
}
_SECTION_PAGE = {
    "contacts": "front door",
    "referrals": "front door",
    "s47": "protection",
    "icpc": "protection",
    "cp_reviews": "protection",
    "cp_plans": "protection",
    "recording": "oversight",
}
SHAPES = ("headline", "monthly", "breakdown", "rows")


def page_of(key: str, section: str) -> str:
    """The page a measure belongs to (by key, else by its catalog section)."""
    for page, keys in PAGES.items():
        if key in keys:
            return page
    if section in PAGES:
        return section
    return _SECTION_PAGE.get(section, "other")


def last_full_year(end: dt.date) -> tuple[dt.date, dt.date]:
    """The last financial year (1 April - 31 March) ending on or before `end`."""
    year = end.year if end >= dt.date(end.year, 3, 31) else end.year - 1
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


# -- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU model, cores, RAM and the versions that matter for the timings."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "DuckDB": duckdb.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        # Other work on the machine slows every timing: say how busy it was.
        "load average at start": _load_average(),
    }


def _load_average() -> str:
    try:
        return "{:.1f} / {:.1f} / {:.1f} (1/5/15 min)".format(*os.getloadavg())
    except OSError:
        return "unknown"


# -- pandas against DuckDB --------------------------------------------------------------------


@dataclass
class Comparison:
    """One figure computed by the DuckDB measures and by the pandas notebook version."""

    name: str
    duckdb_value: dict
    pandas_value: dict
    duckdb_seconds: float
    pandas_read_seconds: float
    pandas_compute_seconds: float

    @property
    def match(self) -> bool:
        return _same(self.duckdb_value, self.pandas_value)

    @property
    def pandas_seconds(self) -> float:
        return self.pandas_read_seconds + self.pandas_compute_seconds

    @property
    def ratio(self) -> float:
        """pandas time (reading the CSVs and computing) over DuckDB time."""
        return self.pandas_seconds / self.duckdb_seconds if self.duckdb_seconds else math.inf

    @property
    def compute_ratio(self) -> float:
        """pandas compute time alone (CSVs already in memory) over DuckDB time."""
        return self.pandas_compute_seconds / self.duckdb_seconds if self.duckdb_seconds else 0.0


def _same(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _short(value: dict) -> str:
    if len(value) > 4:  # per-worker caseloads: summarise
        counts = list(value.values())
        return (
            f"{len(counts)} workers, {sum(counts)} worker-child pairs, "
            f"mean {sum(counts) / len(counts):.2f}, max {max(counts)}"
        )
    parts = []
    for k, v in value.items():
        parts.append(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}")
    return ", ".join(parts)


def compare_with_pandas(
    extract_dir: Path,
    db_path: Path,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date | None = None,
) -> list[Comparison]:
    """The three figures both ways: (a) assessment duration, (b) re-referrals, (c) caseloads."""
    from metrics import Engine, Filters, get
    from metrics.settings import Settings

    as_of = as_of or date_to
    filters = Filters(date_from, date_to, as_of)
    # Within 45 working days for every assessment, whatever its type (the DfE single-assessment
    # figure the notebook computes), so the 2010 regime's targets are set to 45 here.
    settings = Settings().with_targets(
        initial_assessment_wd=45, initial_assessment_pre2010_wd=45, core_assessment_wd=45
    )
    out: list[Comparison] = []
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        engine = Engine(con, settings)

        # (a) assessment duration in working days, bank holidays excluded
        head, d_s = timed(lambda: engine.headline(get("assessments"), filters))
        duck = {
            "completed": head["completed"],
            "median_wd": head["median_wd"],
            "within_45_pct": head["within_target_pct"],
        }
        frame, read_s = timed(
            lambda: bp.read_table(extract_dir, "ssd_cin_assessments", bp.ASSESSMENT_COLUMNS)
        )
        pand, comp_s = timed(
            lambda: bp.assessment_duration(frame, date_from, date_to, bp.holidays_array())
        )
        out.append(Comparison("(a) assessment duration", duck, pand, d_s, read_s, comp_s))

        # (b) re-referrals within 12 months
        head, d_s = timed(lambda: engine.headline(get("referrals"), filters))
        duck = {"referrals": head["count"], "rereferral_12m_pct": head["rereferral_12m_pct"]}
        frame, read_s = timed(
            lambda: bp.read_table(extract_dir, "ssd_cin_episodes", bp.REFERRAL_COLUMNS)
        )
        pand, comp_s = timed(lambda: bp.rereferrals(frame, date_from, date_to))
        out.append(Comparison("(b) re-referrals in 12 months", duck, pand, d_s, read_s, comp_s))

        # (c) caseload by child: distinct children per worker at as-of
        rows, d_s = timed(lambda: engine.rows(get("caseload_workers"), filters))
        duck = {str(w): int(c) for w, c in zip(rows["worker_id"], rows["children"], strict=True)}
        frame, read_s = timed(
            lambda: bp.read_table(extract_dir, "ssd_involvements", bp.INVOLVEMENT_COLUMNS)
        )
        pand, comp_s = timed(lambda: bp.caseload_by_child(frame, as_of))
        out.append(Comparison("(c) caseload by child", duck, pand, d_s, read_s, comp_s))
    finally:
        con.close()
    return out


# -- pages, as the server runs them -----------------------------------------------------------


@dataclass
class PageTime:
    """Server-side time of one page: its script run by Streamlit's AppTest on the database."""

    path: str
    label: str
    cold: float | None  # query cache cleared first (the first visitor to the page)
    warm: float | None  # run again at once (answers from st.cache_data)
    error: str = ""


def menu_pages() -> list[tuple[str, str]]:
    """(page file, label) of every page in the menu that exists in this build, in menu order."""
    from ui.nav import MENU

    return [(path, label) for _, items in MENU for path, label in items if (REPO / path).exists()]


def time_pages(db_path: Path, audit_path: Path) -> list[PageTime]:
    """Run every menu page's script on `db_path` with AppTest: once cold, once warm.

    After one untimed run of the entry page (modules imported, connection open, as in a server
    that is up), each page is timed cold: `st.cache_data` is cleared just before the page's run,
    so it pays for all its own queries. Warm: the same
    page run again, its answers coming from the cache. Times are the script runs alone (no
    browser, no network). Pages record their audit entries in `audit_path`, not the app's log.
    """
    if not (REPO / "app.py").exists():
        return []
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    saved = {k: os.environ.get(k) for k in ("FRONTDOOR_DB", "FRONTDOOR_AUDIT")}
    os.environ["FRONTDOOR_DB"] = str(db_path)
    os.environ["FRONTDOOR_AUDIT"] = str(audit_path)
    out: list[PageTime] = []
    try:
        st.cache_data.clear()
        st.cache_resource.clear()
        # One untimed run first, so the modules are imported and the connection open, as in a
        # server that is already up.
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=PAGE_TIMEOUT)
        at.run()
        for path, label in menu_pages():
            st.cache_data.clear()
            at.switch_page(path)
            try:
                _, cold = timed(at.run)
                errors = [f"{type(e.value).__name__}" for e in at.exception]
                _, warm = timed(at.run)
            except Exception as exc:  # a page that times out or fails: say so, keep going
                out.append(PageTime(path, label, None, None, type(exc).__name__))
                continue
            errors += [f"{type(e.value).__name__}" for e in at.exception]
            out.append(PageTime(path, label, cold, warm, ", ".join(dict.fromkeys(errors))))
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()  # closes nothing the caller holds; frees the connection
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return out


@dataclass
class SamplePages:
    """Page times on the built-in sample (generated and loaded as the Makefile does)."""

    children: int
    start: dt.date
    end: dt.date
    pages: list[PageTime] = field(default_factory=list)
    browser: BrowserPages | None = None
    reused: bool = False  # the database found in the work folder, not made


def sample_pages(
    workdir: Path,
    progress: ProgressFn = null_progress,
    *,
    pages: bool = True,
    browser: bool = False,
    reuse: bool = False,
) -> SamplePages:
    """Make the built-in sample in `workdir` (or reuse it) and time every page on it: under
    AppTest (`pages`), in a browser (`browser`)."""
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
            progress=_scaled(progress, 0.0, 0.3, "sample"),
        )
        report = load_extract(
            extract, db, synthetic=True, progress=_scaled(progress, 0.3, 0.5, "sample load")
        )
        if not report.ok:
            raise RuntimeError(f"the sample did not load:\n{report.render()}")
    if pages:
        progress(0.5, "sample pages")
        result.pages = time_pages(db, workdir / "bench-audit.jsonl")
    if browser:
        result.browser = time_browser_pages(
            db, workdir, _scaled(progress, 0.7, 1.0, "sample browser")
        )
    return result


# -- pages, as a person sees them -------------------------------------------------------------


@dataclass
class BrowserTime:
    """Seconds from asking the browser for a page until it is drawn (see frontdoor.browser)."""

    path: str
    label: str
    first: float | None  # the page's first visit: the server up, none of its answers cached
    second: float | None  # the same page again at once: its answers from st.cache_data
    error: str = ""


@dataclass
class BrowserPages:
    """Every menu page in a browser on one database, and each new server's first session."""

    pages: list[BrowserTime] = field(default_factory=list)
    # Seconds for WARM_UP on each new server: what the first person after a restart waits.
    first_sessions: list[float] = field(default_factory=list)


def _visit(tab, url: str) -> float:
    """Open `url` in `tab` and wait until the page is drawn; seconds it took."""
    from frontdoor.browser import wait_drawn

    started = time.perf_counter()
    tab.goto(url, timeout=BROWSER_TIMEOUT)
    wait_drawn(tab, BROWSER_TIMEOUT)
    return time.perf_counter() - started


def _page_errors(tab) -> list[str]:
    found = tab.locator("[data-testid='stException']").count()
    return [f"{found} exception{'s' if found > 1 else ''}"] if found else []


def time_browser_pages(
    db_path: Path, workdir: Path, progress: ProgressFn = null_progress
) -> BrowserPages:
    """Time every menu page on `db_path` in Chromium, as a person sees it.

    Once, on a server of its own, WARM_UP is opened so that the browser has the app's JavaScript
    (Plotly and the data grid included) in its cache, as the browser of someone who has used the
    app before does. Then, for each page, a new `streamlit run` server is started on the same
    port (the same origin, so the browser's cache holds) and a new tab opens WARM_UP on it (the
    server's first session, timed apart), then the page twice, timed from `goto(url)` until the
    script has run to the end and every element is drawn, every Plotly chart included
    (`frontdoor.browser.DRAWN_JS`). First visit: the server is up but has none of the page's
    answers cached (as AppTest's cold run in `time_pages`). Second visit (a new session, as a
    reload): the answers come from the server's cache. Needs Playwright and Chromium
    (`frontdoor.browser.missing()`).
    """
    from playwright.sync_api import sync_playwright

    from frontdoor import browser as br

    result = BrowserPages()
    menu = menu_pages()
    audit, log = workdir / "bench-audit.jsonl", workdir / "bench-streamlit.log"
    port = br.free_port()

    def on_new_server(visits):
        with br.streamlit_server(db_path, audit, log, port) as base:
            # A tab per server, closed before the server stops: a tab left open would
            # reconnect to the next server and rerun its page there.
            tab = context.new_page()
            try:
                return visits(tab, base)
            finally:
                tab.close()

    def page_visits(path: str):
        def visits(tab, base):
            result.first_sessions.append(_visit(tab, base + WARM_UP))
            url = br.page_url(base, path)
            first = _visit(tab, url)
            errors = _page_errors(tab)
            second = _visit(tab, url)
            return first, second, errors + _page_errors(tab)

        return visits

    with sync_playwright() as p:
        chromium = br.launch(p)
        context = chromium.new_context(viewport={"width": 1600, "height": 1200})
        try:
            progress(0.0, "browser warm-up")
            on_new_server(lambda tab, base: _visit(tab, base + WARM_UP))
            for i, (path, label) in enumerate(menu):
                progress((i + 1) / (len(menu) + 1), label)
                try:
                    first, second, errors = on_new_server(page_visits(path))
                except Exception as exc:  # a page that times out or fails: say so, keep going
                    result.pages.append(BrowserTime(path, label, None, None, type(exc).__name__))
                    continue
                error = ", ".join(dict.fromkeys(errors))
                result.pages.append(BrowserTime(path, label, first, second, error))
        finally:
            context.close()
            chromium.close()
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
    reused: bool = False  # extract and database found in the work folder, not made

    def page_seconds(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for q in self.queries:
            totals[q.page] = totals.get(q.page, 0.0) + (q.seconds or 0.0)
        return totals

    def slowest(self, page: str) -> QueryTime | None:
        timed_ = [q for q in self.queries if q.page == page and q.seconds is not None]
        return max(timed_, key=lambda q: q.seconds) if timed_ else None


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _scaled(progress: ProgressFn, lo: float, hi: float, prefix: str) -> ProgressFn:
    def show(fraction: float, message: str) -> None:
        progress(min(lo + (hi - lo) * fraction, 0.999), f"{prefix}: {message}"[:40])

    return show


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
                progress=_scaled(progress, 0.0, 0.35, "generate"),
            )
        )
        report, result.load_seconds = timed(
            lambda: load_extract(
                extract,
                db,
                synthetic=True,
                extract_date=END,
                progress=_scaled(progress, 0.35, 0.65, "load"),
            )
        )
        result.load_ok = bool(report.ok)
        if not report.ok:
            raise RuntimeError(f"the synthetic extract did not load:\n{report.render()}")
    result.extract_mb = _dir_mb(extract)
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
        db, date_from, date_to, _scaled(progress, 0.65, 0.8, "queries")
    )
    if pages:
        progress(0.8, "pages")
        result.pages = time_pages(db, workdir / "bench-audit.jsonl")
    progress(0.75 if browser else 0.9, "pandas comparison")
    result.comparisons = compare_with_pandas(extract, db, date_from, date_to)
    if browser:
        result.browser = time_browser_pages(db, workdir, _scaled(progress, 0.8, 1.0, "browser"))
    return result


# -- the report -------------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def render(
    results: list[SizeResult],
    info: dict[str, str],
    years: int,
    sample: SamplePages | None = None,
    browser_skipped: str | None = None,
) -> str:
    """The results as Markdown: machine, data sizes, times, page times (on the server and, when
    asked, in a browser), pandas comparison. `browser_skipped`: why there are no browser times."""
    date_from, date_to = last_full_year(END)
    out = [
        f"## frontdoor bench, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()),
        "",
        f"Synthetic extracts (seed {SEED}) over {years} years, {results[0].start} to {END}; "
        f"queries for {date_from} to {date_to}, as-of {date_to}, database opened read-only.",
        "",
    ]
    reused = [f"the {r.children:,}-child extract and database" for r in results if r.reused]
    if sample is not None and sample.reused:
        reused.insert(0, "the sample's database")
    if reused:
        out += [
            "Reused from the work folder as they were (not generated nor loaded): "
            + ", ".join(reused)
            + ".",
            "",
        ]
    head = ["", *[f"{r.children:,} children" for r in results]]
    rows: list[list[str]] = []
    for name in TABLES:
        if any(name in r.table_rows for r in results):
            rows.append([f"rows: {name}", *[f"{r.table_rows.get(name, 0):,}" for r in results]])
    rows.append(["rows: all tables", *[f"{sum(r.table_rows.values()):,}" for r in results]])
    rows.append(["extract size, CSV (MB)", *[f"{r.extract_mb:,.1f}" for r in results]])
    rows.append(["generate (s)", *[_s(r.generate_seconds) for r in results]])
    rows.append(["load (s)", *[_s(r.load_seconds) for r in results]])
    rows.append(["database size (MB)", *[f"{r.db_mb:,.1f}" for r in results]])
    rows.append(["summary, all sections (s)", *[_s(r.summary_seconds) for r in results]])
    pages = list(dict.fromkeys(q.page for r in results for q in r.queries))
    for page in pages:
        rows.append([f"page: {page} (s)", *[_s(r.page_seconds().get(page)) for r in results]])
    out += _table(head, rows)
    out += ["", "Slowest query of each page (seconds):", ""]
    rows = []
    for page in pages:
        cells = []
        for r in results:
            q = r.slowest(page)
            cells.append(f"{q.measure} {q.shape} {_s(q.seconds)}" if q else "n/a")
        rows.append([page, *cells])
    out += _table(["page", *head[1:]], rows, right_from=99)
    out += _render_pages(results, sample)
    out += _render_browser(results, sample, browser_skipped)
    out += ["", "Every query (seconds; monthly on a snapshot measure is one query per month):", ""]
    rows = []
    keys = list(dict.fromkeys((q.page, q.measure) for r in results for q in r.queries))
    for page, key in keys:
        for r in results:
            by_shape = {q.shape: q for q in r.queries if q.measure == key}
            rows.append(
                [
                    page,
                    key,
                    f"{r.children:,}",
                    *[_s(by_shape[s].seconds) if s in by_shape else "n/a" for s in SHAPES],
                ]
            )
    out += _table(["page", "measure", "children", *SHAPES], rows, right_from=2)
    out += [
        "",
        "pandas (a notebook over the CSVs) against DuckDB (the loaded database); ratio = pandas "
        "time / DuckDB time, with and without reading the CSVs:",
        "",
    ]
    rows = []
    for r in results:
        for c in r.comparisons:
            rows.append(
                [
                    f"{r.children:,}",
                    c.name,
                    "MATCH" if c.match else "MISMATCH",
                    _short(c.duckdb_value),
                    _s(c.duckdb_seconds),
                    _s(c.pandas_read_seconds),
                    _s(c.pandas_compute_seconds),
                    f"{c.ratio:.1f}x",
                    f"{c.compute_ratio:.1f}x",
                ]
            )
    out += _table(
        [
            "children",
            "figure",
            "check",
            "result",
            "DuckDB (s)",
            "pandas read CSV (s)",
            "pandas compute (s)",
            "ratio incl. read",
            "ratio compute only",
        ],
        rows,
        right_from=4,
    )
    mismatches = [(r.children, c) for r in results for c in r.comparisons if not c.match]
    for children, c in mismatches:
        out += [
            "",
            f"MISMATCH at {children:,} children, {c.name}:",
            f"- DuckDB: {c.duckdb_value if len(c.duckdb_value) <= 4 else _diff(c)}",
            f"- pandas: {c.pandas_value if len(c.pandas_value) <= 4 else ''}",
        ]
    return "\n".join(out) + "\n"


def _page_table(runs: list[tuple[str, list]], times: tuple[str, str]) -> tuple[list, list]:
    """Header and rows of a page-times table: a row per page, two time columns (the attribute
    names in `times`) per run; an error is noted beside the first."""
    head = ["page"]
    for name, _ in runs:
        head += [f"{name} {times[0]}", f"{name} {times[1]}"]
    labels = list(dict.fromkeys((p.path, p.label) for _, pages in runs for p in pages))
    rows = []
    for path, label in labels:
        cells = [label]
        for _, pages in runs:
            got = next((p for p in pages if p.path == path), None)
            if got is None:
                cells += ["n/a", "n/a"]
                continue
            flag = f" ({got.error})" if got.error else ""
            cells += [_s(getattr(got, times[0])) + flag, _s(getattr(got, times[1]))]
        rows.append(cells)
    return head, rows


def _render_pages(results: list[SizeResult], sample: SamplePages | None) -> list[str]:
    """Page times per database: cold and warm columns for the sample and each size."""
    runs: list[tuple[str, list[PageTime]]] = []
    if sample is not None and sample.pages:
        runs.append((f"sample {sample.children:,}", sample.pages))
    runs += [(f"{r.children:,}", r.pages) for r in results if r.pages]
    if not runs:
        return []
    head, rows = _page_table(runs, ("cold", "warm"))
    out = [
        "",
        "Pages as the server runs them (seconds for one run of the page's script under "
        "Streamlit's AppTest, no browser; cold = query cache cleared first, warm = run again):",
        "",
    ]
    return out + _table(head, rows)


def _render_browser(
    results: list[SizeResult], sample: SamplePages | None, skipped: str | None
) -> list[str]:
    """Browser page times per database: first and second visit for the sample and each size."""
    if skipped:
        return ["", f"Pages in a browser: not timed ({skipped})."]
    runs: list[tuple[str, BrowserPages]] = []
    if sample is not None and sample.browser is not None:
        runs.append((f"sample {sample.children:,}", sample.browser))
    runs += [(f"{r.children:,}", r.browser) for r in results if r.browser is not None]
    if not runs:
        return []
    head, rows = _page_table([(name, run.pages) for name, run in runs], ("first", "second"))
    out = [
        "",
        "Pages in a browser (Chromium through Playwright, `streamlit run` on the database, a new "
        "server for each page; seconds from asking for the page until the script has run and "
        "every element, every chart included, is drawn; first = the page's first visit, the "
        "server up (after one untimed visit to the Overview for another period) but none of the "
        "page's answers cached; second = the page again at once, a new session):",
        "",
    ]
    out += _table(head, rows)
    firsts = []
    for name, run in runs:
        if run.first_sessions:
            t = sorted(run.first_sessions)
            firsts.append(f"{name} {_s(t[0])}-{_s(t[-1])} s (median {_s(t[len(t) // 2])})")
    if firsts:
        out += [
            "",
            "A new server's first session (that untimed visit: the Overview for July to "
            "September 2025, right after the server started; modules imported, database "
            "opened): " + "; ".join(firsts) + ".",
        ]
    return out


def _diff(c: Comparison) -> str:
    a, b = c.duckdb_value, c.pandas_value
    keys = sorted(set(a) | set(b), key=str)
    diffs = [f"{k}: {a.get(k)} vs {b.get(k)}" for k in keys if a.get(k) != b.get(k)]
    return f"{len(diffs)} differ (DuckDB vs pandas), e.g. " + "; ".join(diffs[:10])


def run_bench(args: argparse.Namespace) -> int:
    """`frontdoor bench`: 0 when every pandas figure matches DuckDB's, 1 otherwise."""
    sizes = list(args.children or [])
    if not sizes:
        print("frontdoor bench: give at least one size with --children")
        return 2
    if args.years < 2:
        print("frontdoor bench: --years must be at least 2 (the re-referral look-back needs one)")
        return 2
    workdir = Path(args.workdir)
    pages = getattr(args, "pages", True)
    reuse = getattr(args, "reuse", False)
    browser = getattr(args, "browser", False)
    browser_skipped = None
    if browser:
        from frontdoor.browser import missing

        needs = missing()
        if needs:
            browser, browser_skipped = False, f"needs {needs}"
            print(f"frontdoor bench --browser: no browser times, this needs {needs}.", flush=True)
    info = machine()
    show = bar()
    sample = None
    steps = len(sizes) + (1 if (pages or browser) and getattr(args, "sample", True) else 0)
    if steps > len(sizes):
        sample = sample_pages(
            workdir,
            _scaled(show, 0.0, 1 / steps, "sample"),
            pages=pages,
            browser=browser,
            reuse=reuse,
        )
    results: list[SizeResult] = []
    for n, children in enumerate(sizes):
        lo, hi = (n + steps - len(sizes)) / steps, (n + 1 + steps - len(sizes)) / steps
        result = run_size(
            children,
            args.years,
            workdir,
            _scaled(show, lo, hi, f"{children:,}"),
            pages=pages,
            browser=browser,
            reuse=reuse,
        )
        results.append(result)
        for c in result.comparisons:
            print(
                f"\n{children:,} children, {c.name}: {'MATCH' if c.match else 'MISMATCH'}; "
                f"pandas {c.pandas_seconds:.3f}s vs DuckDB {c.duckdb_seconds:.3f}s "
                f"= {c.ratio:.1f}x",
                flush=True,
            )
    show(1.0, "done")
    text = render(results, info, args.years, sample, browser_skipped)
    print()
    print(text)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)
        print(f"Appended to {out}")
    ok = all(c.match for r in results for c in r.comparisons)
    if not ok:
        print("MISMATCH: pandas and DuckDB disagree (see above)")
    return 0 if ok else 1
