"""The dashboard in a real browser: `streamlit run` on the sample, driven by Debian's Chromium
through Playwright (never `playwright install`).

(a) the first session after the server starts shows the grouped menu, without the Child page;
(b) from Assessments, a click on a bar of the duration chart lists its children, and choosing one
    (the table is a canvas: clicked by position) opens the Child page with the chronology;
(c) a deep link /child?person=ID opens that child's chronology.
Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from bench.browser import DONE, missing, streamlit_server
from ui.nav import MENU

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
ROW_HEIGHT = 35  # data grid rows (and the header row), px
ROW_MARKER = 30  # width of the row-marker (selection) column, px
TIMEOUT = 90_000  # ms


def _need_browser() -> None:
    """Playwright and Debian's Chromium, or skip (fail on CI, where they must be installed)."""
    needs = missing()
    if needs is None:
        return
    message = f"needs {needs}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def server(sample_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """`streamlit run app.py` on the sample database; yields the base URL once healthy."""
    _need_browser()
    logs = tmp_path_factory.mktemp("streamlit")
    with streamlit_server(sample_db, logs / "audit.jsonl", logs / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def chrome(server, chromium):
    """The session's Chromium (tests/conftest.py), once the server is up."""
    return chromium


@pytest.fixture
def tab(chrome):
    context = chrome.new_context(viewport={"width": 1600, "height": 1200})
    context.set_default_timeout(TIMEOUT)
    tab = context.new_page()
    yield tab
    context.close()


def wait_done(tab) -> None:
    """Wait until the script has run to the end (give a rerun a moment to start first)."""
    tab.wait_for_timeout(300)
    tab.wait_for_selector(DONE, timeout=TIMEOUT)


def wait_url(tab, pattern: str) -> None:
    """Wait for the address to match: Streamlit changes it through the history API (no page
    load), so poll it."""
    deadline = time.monotonic() + TIMEOUT / 1000
    while not re.search(pattern, tab.url):
        assert time.monotonic() < deadline, f"the URL is still {tab.url}"
        tab.wait_for_timeout(200)


def shot(tab, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sample_child(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            """
            SELECT p.cppl_person_id FROM ssd_cp_plans p
            JOIN ssd_family f ON f.fami_person_id = p.cppl_person_id
            WHERE p.cppl_cp_plan_end_date IS NULL
              AND (SELECT count(*) FROM ssd_family g WHERE g.fami_family_id = f.fami_family_id) > 1
            ORDER BY p.cppl_person_id LIMIT 1
            """
        ).fetchone()[0]
    finally:
        con.close()


def expect_chronology(tab, person: str) -> None:
    tab.get_by_role("heading", name="Chronology").wait_for()
    tab.get_by_text(f"Child {person}", exact=True).wait_for()
    tab.locator("[data-testid='stPlotlyChart']").first.wait_for()
    grids = tab.locator("[data-testid='stDataFrame']")
    assert grids.count() >= 2  # the facts and the chronology


# (a) must stay the first test of this file: it is the first session after the server starts.
def test_first_session_shows_the_grouped_menu(server, tab):
    tab.goto(server + "/")
    wait_done(tab)
    sidebar = tab.locator("[data-testid='stSidebar']")
    sidebar.wait_for()
    shot(tab, "a_first_session_menu")
    labels = [a.inner_text().strip() for a in sidebar.locator("a").all()]
    paths = [urlparse(a.get_attribute("href") or "").path for a in sidebar.locator("a").all()]
    for group, pages in MENU:
        assert sidebar.get_by_text(group, exact=True).count() >= 1, group
        for path, label in pages:
            if (REPO / path).exists():
                assert label in labels, (label, labels)
    assert "Conference preparation" in labels
    assert not [p for p in paths if p.rstrip("/").endswith("/child")], paths
    assert not [t for t in labels if t.lower() == "child"], labels
    # Streamlit's own page list (which would name every file in pages/) is not shown.
    assert tab.locator("[data-testid='stSidebarNav']").count() == 0


def test_assessment_bar_to_child_chronology(server, tab):
    tab.goto(server + "/assessments")
    wait_done(tab)
    tab.get_by_role("heading", name="Duration in DfE's bands").wait_for()
    grids = tab.locator("[data-testid='stDataFrame']")
    before = grids.count()
    chart = tab.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    chart.locator("g.point path").first.wait_for()
    # The chart opens in box-select mode, where Streamlit sets Plotly's clickmode to "event"
    # (a click selects nothing); in pan mode a click selects the bar. So: Pan, then click.
    chart.hover()
    chart.locator(".modebar-btn[data-title='Pan']").click()
    boxes = [b for b in (p.bounding_box() for p in chart.locator("g.point path").all()) if b]
    bar = max(boxes, key=lambda b: b["height"])  # the tallest bar, surely not empty
    x, y = bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2
    tab.mouse.move(x, y)
    tab.wait_for_timeout(300)
    tab.mouse.click(x, y)
    # The children of the band appear as a new table, right under the chart.
    deadline = time.monotonic() + TIMEOUT / 1000
    while grids.count() <= before:
        assert time.monotonic() < deadline, "no table of children after the bar was clicked"
        tab.wait_for_timeout(250)
    wait_done(tab)
    shot(tab, "b1_band_selected")
    grid = grids.first
    grid.scroll_into_view_if_needed()
    tab.wait_for_timeout(300)
    box = grid.bounding_box()
    assert box is not None
    # First data row: below the header row, in the row-marker column.
    tab.mouse.click(box["x"] + ROW_MARKER / 2, box["y"] + ROW_HEIGHT + ROW_HEIGHT / 2)
    wait_url(tab, r"/child\?(.*&)?person=")
    wait_done(tab)
    person = parse_qs(urlparse(tab.url).query).get("person", [None])[0]
    assert person, tab.url
    expect_chronology(tab, person)
    shot(tab, "b2_child_chronology")


def test_deep_link_to_a_child(server, tab, sample_db):
    person = sample_child(sample_db)
    tab.goto(f"{server}/child?person={person}")
    wait_done(tab)
    expect_chronology(tab, person)
    assert tab.get_by_text("Not found: no child with id").count() == 0
    shot(tab, "c_deep_link_child")
    # A sibling's link opens the same page for the sibling, the filters kept in the URL.
    tab.goto(f"{server}/child?person={person}&period=fy&fy=2025")
    wait_done(tab)
    link = tab.get_by_role("link", name=re.compile(r"^Open sibling ")).first
    link.scroll_into_view_if_needed()
    sibling = link.inner_text().removeprefix("Open sibling ").strip()
    link.click()
    wait_url(tab, rf"/child\?(.*&)?person={re.escape(sibling)}(&|$)")
    wait_done(tab)
    query = parse_qs(urlparse(tab.url).query)
    assert query.get("period") == ["fy"] and query.get("fy") == ["2025"], tab.url
    expect_chronology(tab, sibling)
    shot(tab, "c_sibling_child")


def tab_to(tab, label: str, presses: int = 120) -> None:
    """Press Tab until the control named `label` has the focus (keyboard only, as a person who
    cannot use a mouse would reach it)."""
    for _ in range(presses):
        tab.keyboard.press("Tab")
        if tab.evaluate("() => document.activeElement.getAttribute('aria-label')") == label:
            return
    raise AssertionError(f"{label!r} is not reachable with the Tab key")


def test_conference_pack_opens_from_the_keyboard(server, tab):
    """A chair who uses the keyboard only: Tab to "Or choose a child", type a child's id, Enter:
    the pack opens, and stays open (the box does not snap back)."""
    tab.goto(server + "/conference")
    wait_done(tab)
    tab_to(tab, "Or choose a child")
    tab.keyboard.press("ArrowDown")  # open the list
    options = tab.get_by_role("option")
    options.nth(2).wait_for()
    person = options.nth(2).inner_text().split()[0]  # the second child listed ("—" is first)
    tab.keyboard.type(person)
    tab.keyboard.press("Enter")
    wait_url(tab, rf"/conference\?(.*&)?person={re.escape(person)}(&|$)")
    wait_done(tab)
    tab.get_by_role("heading", name=f"Review pack: child {person}").wait_for()
    box = tab.locator("[data-testid='stSelectbox']").filter(
        has=tab.get_by_role("combobox", name="Or choose a child")
    )
    assert box.get_by_role("combobox").input_value().startswith(person)
    shot(tab, "d_conference_pack_by_keyboard")
