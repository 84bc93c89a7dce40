"""Every menu page as a person sees it: `streamlit run` and Debian's Chromium (bench.browser)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import BROWSER_TIMEOUT, WARM_UP
from bench.server_pages import menu_pages
from frontdoor.progress import ProgressFn, null_progress

# -- pages, as a person sees them -------------------------------------------------------------


@dataclass
class BrowserTime:
    """Seconds from asking the browser for a page until it is drawn (see bench.browser)."""

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
    from bench.browser import wait_drawn

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
    (`bench.browser.DRAWN_JS`). First visit: the server is up but has none of the page's
    answers cached (as AppTest's cold run in `time_pages`). Second visit (a new session, as a
    reload): the answers come from the server's cache. Needs Playwright and Chromium
    (`bench.browser.missing()`).
    """
    from playwright.sync_api import sync_playwright

    from bench import browser as br

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
