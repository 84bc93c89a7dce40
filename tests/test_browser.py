"""The dashboard in a real browser: `streamlit run` on the sample, driven by Debian's Chromium
through Playwright (never `playwright install`).

(a) the first session after the server starts shows the grouped menu, without the Child page;
(b) from Assessments, a click on a bar of the duration chart lists its children, and choosing one
    (the table is a canvas: clicked by position) opens the Child page with the chronology;
(c) a deep link /child?person=ID opens that child's chronology;
(d) a chair opens a review pack from the keyboard;
(e) every page, as each role sees it (demo mode), passes axe-core with no serious or critical
    violation (WCAG 2.2 AA: public sector bodies must meet it);
(f) a child's chronology is reached from a table with the keyboard only.
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
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench.browser import (
    DEMO_ROLES,
    DONE,
    demo_address,
    demo_child,
    demo_pages,
    missing,
    streamlit_server,
    wait_drawn,
)
from frontdoor.access import ROLES
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


def download(tab, button):
    """Press a download button and return its download. Streamlit makes a file that is given
    as a function when the button is pressed, for the page's latest run; on a machine loaded
    well past its cores a rerun can start after wait_done's pause, and a press on the button
    it is redrawing gets no file (tests/test_browser.py timed out so once, in CI beside four
    other jobs, and passed alone and in its file). So wait for the run to end and press again,
    three times at most: a button that never downloads still fails."""
    for _ in range(3):
        try:
            with tab.expect_download(timeout=TIMEOUT // 3) as info:
                button.click()
            return info.value
        except PlaywrightTimeoutError:
            wait_done(tab)
    raise AssertionError("the button was pressed three times and nothing was downloaded")


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
    # Tables of the page, not a chart's own table (its text alternative, in an expander).
    grids = tab.locator(
        "[data-testid='stDataFrame']:not([data-testid='stExpander'] [data-testid='stDataFrame'])"
    )
    before = grids.count()
    # The first chart with bars (the tiles' 12-month lines above it are Plotly charts too).
    chart = (
        tab.locator("[data-testid='stPlotlyChart']").filter(has=tab.locator("g.point path")).first
    )
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


# axe-core's impacts: minor, moderate, serious, critical. Serious and critical ones fail.
FAILING_IMPACTS = ("serious", "critical")


def axe_failures(tab, label: str) -> list[str]:
    """The serious and critical violations axe-core finds on the page as it is now (axe-core
    is bundled with axe-playwright-python: nothing is downloaded)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(tab).response
    assert result["passes"], f"{label}: axe checked nothing"
    failures = []
    for violation in result["violations"]:
        if violation["impact"] in FAILING_IMPACTS:
            where = "; ".join(str(node["target"]) for node in violation["nodes"][:3])
            failures.append(
                f"{label}: {violation['id']} ({violation['impact']}): {violation['help']} "
                f"- {len(violation['nodes'])} element(s), e.g. {where}"
            )
    return failures


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_page_passes_axe(server, tab, sample_db, role):
    """Every page of the menu and the Child page, opened as `role` in demo mode, checked by
    axe-core."""
    person, team = demo_child(sample_db)
    failures: list[str] = []
    for page, label in demo_pages():
        tab.goto(demo_address(server, page, role, team=team, person=person))
        wait_drawn(tab, TIMEOUT)
        # The page is the role's view: the demo picker says so.
        picker = tab.get_by_role("combobox", name="Demo role")
        assert picker.input_value() == ROLES[role], (label, picker.input_value())
        failures += axe_failures(tab, label)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("role", "page", "opened"),
    [
        ("conference_chair", "pages/conference.py", "review pack"),
        ("senior_manager", "app.py", "children list"),
        ("team_lead", "app.py", "children list"),
    ],
)
def test_an_open_pack_and_an_open_children_list_pass_axe(
    server, tab, sample_db, role, page, opened
):
    """What a page draws once something is opened, checked by axe-core too: the review pack of
    a child chosen on Conference preparation, and the children behind a figure on the
    Overview (its tables, downloads and the pack's sections are not on the page before)."""
    person, team = demo_child(sample_db)
    extra = {"person": person} if opened == "review pack" else {"drill": "allocation"}
    address = demo_address(server, page, role, team=team)
    tab.goto(address + "&" + "&".join(f"{k}={v}" for k, v in extra.items()))
    wait_drawn(tab, TIMEOUT)
    if opened == "review pack":
        tab.get_by_role("heading", name=f"Review pack: child {person}").wait_for()
        tab.get_by_role("heading", name="Workers").wait_for()  # the pack's last section
    else:
        tab.get_by_role("heading", name=re.compile("^Children behind: ")).wait_for()
    assert tab.locator("[data-testid='stDataFrame']").count() >= 1
    shot(tab, f"e_axe_{role}_{opened.replace(' ', '_')}")
    failures = axe_failures(tab, f"{ROLES[role]}, {opened}")
    assert not failures, "\n".join(failures)


def focus_first_table(tab, presses: int = 200) -> None:
    """Press Tab until a table (its grid) has the focus. The table is waited for first: on a
    loaded machine the page can still be drawing when the script reports done."""
    tab.locator("[data-testid='stDataFrame'] canvas").first.wait_for(
        state="visible", timeout=TIMEOUT
    )
    for _ in range(presses):
        tab.keyboard.press("Tab")
        if tab.evaluate(
            "() => document.activeElement.tagName === 'CANVAS' && "
            "!!document.activeElement.closest(\"[data-testid='stDataFrame']\")"
        ):
            return
    last = tab.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"no table is reachable with the Tab key; the focus ended on {last}")


def test_keyboard_reaches_a_childs_chronology_from_a_table(server, tab):
    """Someone who cannot use a mouse: Tab to the list of children not yet seen, the arrow keys
    to its first row, Shift+Space to choose the row: the child's chronology opens."""
    tab.goto(server + "/seeing?demo_role=senior_manager")
    wait_done(tab)
    focus_first_table(tab)
    tab.keyboard.press("ArrowDown")  # the first row's first cell
    tab.keyboard.press("Shift+Space")  # choose the row
    wait_url(tab, r"/child\?(.*&)?person=")
    wait_done(tab)
    person = parse_qs(urlparse(tab.url).query).get("person", [None])[0]
    assert person, tab.url
    expect_chronology(tab, person)
    shot(tab, "f_keyboard_child_chronology")


def test_findings_page_opens_children_and_downloads_its_pdf(server, tab, tmp_path):
    """The Findings page in a browser: the letter's headings and a sentence; a finding's button
    opens the children behind it on the Overview (the URL says which, so it can be sent); the
    briefing downloads as HTML (made when the button is pressed) and is made as a PDF."""
    tab.goto(server + "/findings")
    wait_done(tab)
    for heading in ("Strengths", "Satisfactory practice", "Areas for development"):
        tab.get_by_role("heading", name=heading, exact=True).wait_for()
    sentence = tab.get_by_text(re.compile(r"^There are delays in seeing some children in need: "))
    sentence.first.wait_for()
    shot(tab, "d1_findings")
    # The briefing as HTML: made on the server when the button is pressed, then downloaded.
    made = download(tab, tab.get_by_role("button", name="Download to print (HTML, A4)"))
    saved = tmp_path / "findings.html"
    made.save_as(saved)
    assert made.suggested_filename == "findings.html"
    assert "There are delays in seeing some children in need" in saved.read_text("utf-8")
    # The PDF for the briefing: made on request, then downloaded.
    make = tab.get_by_role("button", name="Make the PDF (A4)")
    make.scroll_into_view_if_needed()
    make.click()
    button = tab.get_by_role("button", name="Download PDF (A4)")
    button.wait_for(timeout=TIMEOUT)
    made = download(tab, button)
    saved = tmp_path / "findings.pdf"
    made.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert made.suggested_filename == "findings.pdf"
    # The children behind the finding on seeing children: the Overview's drill-down.
    # A keyed widget carries its key as a class (st-key-children_<i>_<rule>).
    keyed = tab.locator("[class*='st-key-children_']").all()
    seen = [
        k for k in keyed if re.search(r"\bst-key-children_\d+_seen\b", k.get_attribute("class"))
    ]
    assert seen, [k.get_attribute("class") for k in keyed]
    seen[0].locator("button").click()
    wait_url(tab, r"drill=not_yet_seen")
    wait_done(tab)
    tab.get_by_role("heading", name="Children behind: Children not yet seen").wait_for()
    assert tab.locator("[data-testid='stDataFrame']").count() >= 1
    shot(tab, "d2_findings_children")


def test_a_csv_is_made_when_its_button_is_pressed_and_the_download_audited(
    server, tab, tmp_path, tmp_path_factory
):
    """A table's CSV is made when its button is pressed, not on every run of the page
    (ui/downloads.csv): pressed in a browser, it downloads the rows shown, and handing over
    children's rows is audited."""
    tab.goto(server + "/my_team?demo_role=team_lead&demo_teams=T01")
    wait_done(tab)
    button = tab.locator("[class*='st-key-dl_team_worklist'] button")
    button.scroll_into_view_if_needed()
    made = download(tab, button)
    saved = tmp_path / "worklist.csv"
    made.save_as(saved)
    assert made.suggested_filename.startswith("my_team_today_")
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("person_id,work,urgency,due"), lines[0]
    assert len(lines) > 2
    audit = next(tmp_path_factory.getbasetemp().glob("streamlit*/audit.jsonl"))
    deadline = time.monotonic() + TIMEOUT / 1000
    while '"download"' not in audit.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the download was not audited"
        tab.wait_for_timeout(200)
