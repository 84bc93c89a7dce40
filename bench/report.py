"""The bench's results as Markdown: machine, data sizes, times, page times, the pandas check."""

from __future__ import annotations

import datetime as dt

from bench.browser_pages import BrowserPages
from bench.common import END, SEED, SHAPES, last_full_year
from bench.pandas_check import _diff, _short
from bench.server_pages import PageTime
from bench.sizes import QueryTime, SamplePages, SizeResult
from frontdoor.schema import TABLES

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


def _ratio(top: QueryTime | None, bottom: QueryTime | None) -> str:
    """How many of `bottom` one `top` costs, e.g. '1.4x'; n/a when either was not timed."""
    if top is None or bottom is None or top.seconds is None or not bottom.seconds:
        return "n/a"
    return f"{top.seconds / bottom.seconds:.1f}x"


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
    ]
    if results:
        out += [
            f"Synthetic extracts (seed {SEED}) over {years} years, {results[0].start} to {END}; "
            f"queries for {date_from} to {date_to}, as-of {date_to}, database opened read-only.",
            "",
        ]
    else:
        out += ["The built-in sample only (no size given with --children).", ""]
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
    if results:
        out += _render_sizes(results)
    out += _render_pages(results, sample)
    out += _render_browser(results, sample, browser_skipped)
    out += _render_concurrent(results, sample)
    if results:
        out += _render_queries(results)
    return "\n".join(out) + "\n"


def _render_sizes(results: list[SizeResult]) -> list[str]:
    """Each size: rows, generate, load, database, summary and page query times, and each page's
    slowest query."""
    out: list[str] = []
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
    return out


def _render_queries(results: list[SizeResult]) -> list[str]:
    """Every query of each size in its four shapes, and the pandas comparison with any mismatch."""
    out: list[str] = []
    out += [
        "",
        "Every query (seconds; a snapshot measure's monthly trend is one query over the month "
        "ends; monthly / headline: the trend's cost in headlines, goal at most 2 for a snapshot "
        "measure):",
        "",
    ]
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
                    _ratio(by_shape.get("monthly"), by_shape.get("headline")),
                ]
            )
    out += _table(
        ["page", "measure", "children", *SHAPES, "monthly / headline"], rows, right_from=2
    )
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
    return out


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


def _render_concurrent(results: list[SizeResult], sample: SamplePages | None) -> list[str]:
    """People at once: a row per database (bench/concurrent.py)."""
    runs = []
    if sample is not None and sample.concurrent is not None:
        runs.append((f"sample {sample.children:,}", sample.concurrent))
    runs += [(f"{r.children:,}", r.concurrent) for r in results if r.concurrent is not None]
    if not runs:
        return []
    out = [
        "",
        "People at once (`streamlit run serve.py`, as make run; sessions speak Streamlit's "
        "websocket protocol, no browser; each opens the Overview, then every menu page in its "
        "own order, changing the filters on every other page, pausing to read between pages "
        "(think = the mean pause); seconds from asking for a page to its script's end; "
        "first visitor = one session opening the Overview after the "
        "server's start-up warm-up, and on a server without it, `streamlit run app.py`):",
        "",
    ]
    rows = []
    for name, c in runs:
        if c.error:
            rows.append([name, str(c.people), f"{c.think:g}", c.error, *["n/a"] * 8])
            continue
        errors = c.errors
        rows.append(
            [
                name,
                str(c.people),
                f"{c.think:g}",
                str(len(c.runs)),
                _s(c.percentile(50)),
                _s(c.percentile(95)),
                _s(c.times[-1] if c.times else None),
                str(len(errors)) + (f" ({errors[0].error or 'exception drawn'})" if errors else ""),
                _s(c.wall_seconds),
                _s(c.warm_up_seconds),
                _s(c.first_visit),
                _s(c.first_visit_unwarmed),
            ]
        )
    head = [
        "database",
        "people",
        "think (s)",
        "page runs",
        "p50 (s)",
        "p95 (s)",
        "slowest (s)",
        "errors",
        "all done (s)",
        "warm-up (s)",
        "first visitor (s)",
        "first visitor, no warm-up (s)",
    ]
    return out + _table(head, rows, right_from=1)
