"""Answers for the default filters, computed when the server starts, so the first person to open
the dashboard after a restart does not wait for them.

`serve.py` (what `make run` starts) calls `warm_in_background()` as the server comes up: a
daemon thread fills the same caches the pages read, for the filters a page opens with (the last
12 months, all teams): first the Overview's whole drawing (ui/overview_drawing: every tile and
trend, what everyone opens first), then every available measure's headline for that period and
the one before (the tiles' comparison), its monthly trend and its breakdown by team, then the
Findings page's findings and their small trends, then the Overview of each team (a team lead's
pages open on their own team, with its workers in the filter). These answers are kept until
the data changes (ui/data.TTL), so they do not expire while the server stands idle. Then it
freezes what the start-up made, for Python's collector to leave (`settle`). The server answers
its health check at once; a visitor arriving while the thread is still at work computes what is
not cached yet, as before. Child-level lists depend on the viewer's role and are not warmed.
Nothing about children is logged: only counts and seconds.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from dataclasses import replace

from metrics import MEASURES, Filters, MeasureUnavailable
from metrics.headlines import HEADLINES
from ui import data, periods

# What the server's log says when the warm-up is over (the bench waits for it).
DONE = "frontdoor: warm-up done"


def default_filters(data_end) -> Filters:
    """The filters a page opens with: the last 12 months of the data, all teams (ui.filters)."""
    start, end = periods.last_12_months(data_end)
    return Filters(start, end)


def warm(source: data.Source) -> int:
    """Compute and cache the default filters' answers; the number of answers computed.

    The pages' own modules are imported first (Plotly's among them), and one small chart is
    built, so the first page run finds them loaded."""
    from ui import overview_drawing

    _import_pages_modules()
    _, end, teams = data.facts(source)
    data.workers(source, None)
    data.data_start(source)
    filters = default_filters(end)
    before = filters.previous_period()
    engine = data.engine(source)
    # The Overview first, as everyone opens it: its whole drawing (ui/overview_drawing).
    overview_drawing.drawing(source, filters)
    done = 1
    overview = list(dict.fromkeys(h.measure for h in HEADLINES if h.measure in MEASURES))
    keys = overview + [k for k in MEASURES if k not in overview]
    for key in keys:
        measure = MEASURES[key]
        if engine.unavailable_reason(measure) is not None:
            continue
        data.headline(source, key, filters)
        data.headline(source, key, before)
        data.monthly(source, key, filters)
        done += 3
        if measure.by_team:
            data.breakdown(source, key, filters, "team")
            done += 1
    done += _warm_findings(source, filters)
    # A team lead's pages open on their team: the Overview of each team, for the same period.
    for team, _ in teams:
        data.workers(source, team)
        overview_drawing.drawing(source, replace(filters, team=team))
        done += 1
    return done


def _warm_findings(source: data.Source, filters: Filters) -> int:
    """The Findings page's answers for the default filters: the findings themselves (every
    rule judged: the page's slowest answer, 2 s of the server's time on the sample) and each
    finding's small trend; the number of answers computed."""
    from ui import findings

    found = findings.findings(source, filters)
    for finding in found.findings:
        if finding.rule.measure in MEASURES:
            try:
                data.monthly(source, finding.rule.measure, findings.trend_filters(filters, finding))
            except MeasureUnavailable:
                continue
    return 1 + len(found.findings)


def _import_pages_modules() -> None:
    import ui.drill  # noqa: F401 - imported for its side effect: loaded before a visitor needs it
    import ui.tables  # noqa: F401
    from ui import chart_escape, charts  # every chart is built through ui/charts (Plotly with it)

    fig = charts.figure("Month", "Number")
    fig.add_scatter(x=[1, 2], y=[1, 2], mode="lines+markers")
    chart_escape.safe_figure(fig).to_plotly_json()


def _run() -> None:
    started = time.monotonic()
    source = data.current_source()
    if source is None:
        print(f"{DONE}: no database to warm", file=sys.stderr, flush=True)
        return
    try:
        done = warm(source)
    except Exception as exc:  # noqa: BLE001 - a failed warm-up must not stop the server
        print(f"{DONE}: stopped by {type(exc).__name__}", file=sys.stderr, flush=True)
        return
    finally:
        settle()
    seconds = time.monotonic() - started
    print(f"{DONE}: {done} answers in {seconds:.1f} s", file=sys.stderr, flush=True)


def settle() -> None:
    """Collect once, then freeze what the start-up made (modules, Plotly's and Streamlit's
    objects, the connection): Python's collector no longer walks them. Streamlit's own
    collection after every page run is off (.streamlit/config.toml, runner.postScriptGC: it
    walked the whole heap, 60-70 ms of every run with every other session waiting); the
    collections Python still makes as memory is allocated then cost only what pages made."""
    gc.collect()
    gc.freeze()


def warm_in_background() -> threading.Thread:
    """Start the warm-up on a daemon thread (the server does not wait for it)."""
    thread = threading.Thread(target=_run, name="frontdoor-warm-up", daemon=True)
    thread.start()
    return thread
