"""Nothing in a council's data can act on the person reading it (issue 10).

An extract with hostile text in every free-text and name field and hostile ids (tests/hostile.py)
is loaded by the real loader and every page is drawn for every role (signed in as AppTest allows,
see tests/test_access.py). On every run:
- no chart spec holds a tag from the data (ui/charts escapes every string before drawing);
- no text rendered as Markdown holds live markup (ui/text.md);
- no download holds a formula a spreadsheet would run (frontdoor/safe_export, ui/downloads);
and apart: the files written are private, bad URL parameters give a message (never an error),
an unknown child and a child outside the viewer's scope look the same, and a real browser shows
a hostile axis label as text with no link in the chart.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from frontdoor import safe_export
from frontdoor.loader import load_extract
from frontdoor.private import mode, save_files, write_private
from tests.hostile import END, PAYLOAD, write_hostile_extract
from ui import chart_escape, chart_picks, charts
from ui.text import md

REPO = Path(__file__).resolve().parents[1]
PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (REPO / "pages").glob("*.py"))]
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x",
    "client_id": "x",
    "client_secret": "x",
    "server_metadata_url": "https://example.invalid/.well-known/openid-configuration",
}
SENIOR, LEAD, CHAIR, ANALYST = (
    f"{r}@council.gov.uk" for r in ("senior", "lead", "chair", "analyst")
)
STRANGER = "stranger@council.gov.uk"  # signed in, not in the roles file: aggregates only
ROLES = {
    "senior_manager": SENIOR,
    "team_lead": LEAD,
    "conference_chair": CHAIR,
    "analyst": ANALYST,
    "aggregates_only": STRANGER,
}
# Markup that may appear in a chart spec: the code's own hover templates.
CODE_MARKUP = re.compile(r"<(?!br>|/?extra>)")
FORMULA = tuple(safe_export.FORMULA_PREFIXES)


# -- the hostile extract, loaded --------------------------------------------------------------


def _query(db: Path, sql: str, params: list | None = None) -> list:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The hostile extract loaded into a new folder; the modes of the loader's temporary files,
    seen while the load ran; a child (open CP plan, allocated) and the team lead's team."""
    root = tmp_path_factory.mktemp("hostile")
    extract = write_hostile_extract(root / "extract")
    db = root / "db" / "hostile.duckdb"
    seen: dict[str, int] = {}

    def progress(fraction: float, message: str) -> None:
        for path in db.parent.glob(f".{db.name}*"):
            seen[path.name] = mode(path)

    report = load_extract(extract, db, synthetic=True, extract_date=END, progress=progress)
    assert report.ok, report.render()
    person, team = _query(
        db,
        """
        SELECT p.cppl_person_id, i.invo_professional_team
        FROM ssd_cp_plans p JOIN ssd_involvements i ON i.invo_person_id = p.cppl_person_id
        WHERE p.cppl_cp_plan_end_date IS NULL AND i.invo_involvement_end_date IS NULL
          AND lower(trim(i.invo_professional_role_id)) = 'allocated case worker'
        ORDER BY 1 LIMIT 1
        """,
    )[0]
    return {"db": db, "temp_modes": seen, "person": person, "team": team}


@pytest.fixture
def env(hostile, tmp_path, monkeypatch) -> dict:
    """The app on the hostile database, a roles file naming one user per role, a fresh audit
    log in a folder the product creates."""
    roles = tmp_path / "roles.toml"
    roles.write_text(
        "\n".join(
            [
                f'[users."{SENIOR}"]\nrole = "senior_manager"',
                f'[users."{LEAD}"]\nrole = "team_lead"\nteams = [{json.dumps(hostile["team"])}]',
                f'[users."{CHAIR}"]\nrole = "conference_chair"',
                f'[users."{ANALYST}"]\nrole = "analyst"',
            ]
        ),
        encoding="utf-8",
    )
    audit_log = tmp_path / "audit" / "audit.jsonl"
    monkeypatch.setenv("FRONTDOOR_DB", str(hostile["db"]))
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(audit_log))
    monkeypatch.setenv("FRONTDOOR_ROLES", str(roles))
    monkeypatch.delenv("FRONTDOOR_ALLOW_UNAUTHENTICATED", raising=False)
    monkeypatch.chdir(REPO)
    return {**hostile, "audit": audit_log}


@pytest.fixture
def downloads(monkeypatch) -> dict[str, tuple[bytes, str]]:
    """What every download button of a run hands the browser: key -> (bytes, file name)."""
    seen: dict[str, tuple[bytes, str]] = {}
    original = streamlit.download_button

    def capture(label, data, *args, **kwargs):
        seen[kwargs.get("key") or label] = (data, kwargs.get("file_name", ""))
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", capture)
    return seen


def open_as(email: str, page: str, params: dict[str, str] | None = None) -> AppTest:
    """Open `page`, with `params` in its URL before it runs (a deep link), signed in as `email`."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "email": email, "name": "Test User"}
    at.run()
    if page != "app.py" or params:
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(page).run()
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [str(e.value) for e in at.exception]
    return at


# -- what a run sent to the browser ------------------------------------------------------------


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def strings(node) -> list[tuple[str | None, str]]:
    """Every (key, string) of a JSON value."""
    out: list[tuple[str | None, str]] = []

    def visit(value, key):
        if isinstance(value, str):
            out.append((key, value))
        elif isinstance(value, dict):
            for k, v in value.items():
                visit(v, k)
        elif isinstance(value, list):
            for v in value:
                visit(v, key)

    visit(node, None)
    return out


def assert_charts_safe(at: AppTest) -> None:
    for spec in chart_specs(at):
        for key, text in strings(spec):
            assert not CODE_MARKUP.search(text), (key, text)
            if key not in chart_escape.TEMPLATE_KEYS:
                assert "$" not in text, (key, text)  # no LaTeX from the data


# Proto messages drawn as plain text (their `body` is not Markdown).
PLAIN = {"Text", "Code", "Exception"}
MARKDOWN_FIELDS = {"body", "label", "help", "text", "caption", "placeholder"}
# Markup that would act if it reached Markdown unescaped.
LIVE_MARKDOWN = [
    re.compile(r"(?<!\\)<[a-zA-Z/!]"),  # HTML
    re.compile(r"(?<!\\)\]\s*\("),  # a link or an image
    re.compile(r"(?<!\\)\*\*strong"),  # emphasis from the data
    re.compile(r"(?<!\\)\$x"),  # LaTeX from the data
    re.compile(r"(?<!\\)javascript:"),
]


def markdown_texts(at: AppTest) -> list[str]:
    """Every string a run sent that Streamlit renders as Markdown (bodies, labels, help)."""
    found: list[str] = []

    def visit(message) -> None:
        if type(message).__name__ in PLAIN:
            return
        for field, value in message.ListFields():
            if field.type == field.TYPE_MESSAGE:
                items = [value] if hasattr(value, "ListFields") else list(value)
                for item in items:
                    visit(item)
            elif field.name in MARKDOWN_FIELDS and isinstance(value, str):
                found.append(value)

    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and type(proto).__name__ not in ("Arrow", "PlotlyChart"):
            visit(proto)
    return found


def assert_markdown_safe(at: AppTest) -> None:
    for text in markdown_texts(at):
        for pattern in LIVE_MARKDOWN:
            assert not pattern.search(text), text


def csv_cells(data) -> list[str]:
    """Every cell of a CSV download (one made when its button is pressed is made first)."""
    data = data() if callable(data) else data
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    return [value for row in rows for value in row]


def html_cells(document: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<t[dh]>(.*?)</t[dh]>", document, re.S)]


def active(value: str) -> bool:
    """A cell a spreadsheet would read as a formula."""
    return value.startswith(FORMULA) and safe_export.cell(value) != value


def assert_downloads_safe(seen: dict[str, tuple[bytes, str]]) -> None:
    for key, (data, name) in seen.items():
        assert re.fullmatch(r"[A-Za-z0-9._-]+", name), (key, name)
        if name.endswith(".csv"):
            cells = csv_cells(data)
        elif name.endswith(".html"):
            # the findings briefing is made when its button is pressed: a function of no args
            document = (data() if callable(data) else data).decode("utf-8")
            lowered = document.lower()
            for tag in ("<script", "<img", "<a ", "<iframe", "<object", "<svg"):
                assert tag not in lowered, (key, tag)
            assert not re.search(r"<[^>]*\s(on\w+|href|src)\s*=", lowered), key
            cells = html_cells(document)
        elif name.endswith(".xlsx"):
            cells = xlsx_cells(data)
        elif name.endswith(".xml"):
            # A return for DfE's system, not a spreadsheet: ids must stay exactly as recorded,
            # so no quote is added. Hostile text is only text in it: well formed, and no
            # element, entity or processing instruction came from the data.
            from lxml import etree

            root = etree.fromstring(data)
            assert not [e for e in root.iter() if not isinstance(e.tag, str)], key
            names = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
            assert not names & {"script", "a", "b", "img"}, key
            continue
        elif name.endswith(".pdf"):
            # Printed by Chromium from an HTML document built as the HTML downloads are, and
            # offered beside it (checked here too): the findings briefing's bytes, or the review
            # pack's, made only when its button is pressed (ui/downloads.printed_pdf).
            if callable(data) or data == b"":
                continue
            assert data.startswith(b"%PDF-"), key
            continue
        else:
            raise AssertionError(f"a download of an unchecked kind: {name}")
        assert not [c for c in cells if active(c)], (key, [c for c in cells if active(c)][:3])


def xlsx_cells(data: bytes) -> list[str]:
    """Every text cell of a workbook; a formula cell fails (none may come from the data)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    cells.append(c.value)
    return cells


# -- every page, every role ------------------------------------------------------------------


def page_params(page: str, env: dict) -> dict[str, str]:
    if page == "pages/child.py":
        return {"person": env["person"]}
    if page == "pages/conference.py":
        return {"person": env["person"], "weeks": "26"}
    return {}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("page", PAGES)
def test_every_page_for_every_role_shows_hostile_data_as_text(env, downloads, page, role):
    at = ok(open_as(ROLES[role], page, page_params(page, env)))
    assert_charts_safe(at)
    assert_markdown_safe(at)
    assert_downloads_safe(downloads)


def test_hostile_names_reach_the_charts_escaped(env, downloads):
    """The checks above see real hostile data: agencies and teams are chart categories."""
    at = ok(open_as(ANALYST, "pages/agencies.py"))
    texts = [t for spec in chart_specs(at) for _, t in strings(spec)]
    assert any('&lt;a href="https://evil.test/"&gt;link&lt;/a&gt;' in t for t in texts)
    assert any("&#36;x^2&#36;" in t for t in texts)
    # The drill-down ids come back as the data has them (custom data is escaped for drawing).
    ids = [
        t for spec in chart_specs(at) for k, t in strings(spec) if k == "customdata" and "&lt;" in t
    ]
    assert ids and chart_picks.selected_ids(
        {"selection": {"points": [{"customdata": [ids[0]]}]}}
    ) == [html.unescape(ids[0])]


def test_downloads_hold_the_text_with_formulas_neutralised(env, downloads):
    at = ok(open_as(ANALYST, "pages/caseloads.py"))
    assert downloads
    cells = [
        c for data, name in downloads.values() if name.endswith(".csv") for c in csv_cells(data)
    ]
    # Hostile names are in the file, as text: a leading quote, then exactly the value.
    quoted = [c for c in cells if c.startswith("'") and c[1:].startswith(FORMULA)]
    assert quoted and any(PAYLOAD in c for c in quoted)
    assert_downloads_safe(downloads)
    assert at.get("download_button")


def test_review_pack_download_is_escaped_and_neutralised(env, downloads):
    ok(open_as(ANALYST, "pages/conference.py", {"person": env["person"], "weeks": "26"}))
    data, name = downloads["conf_pack_download"]
    document = data.decode("utf-8")
    assert name.startswith("review_pack_") and name.endswith(".html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    cells = html_cells(document)
    assert any(c.startswith("'") and c[1:].startswith(FORMULA) for c in cells)
    assert_downloads_safe(downloads)


def test_returns_made_on_the_data_page_are_neutralised(env, downloads):
    """The Data page's Annex A workbook and CIN census go through ui/downloads too."""
    at = ok(open_as(ANALYST, "pages/data.py"))
    at.button(key="FormSubmitter:returns_annex_a-Make the Annex A workbook").click().run()
    at = ok(at)
    at.button(key="FormSubmitter:returns_census-Make the CIN census").click().run()
    ok(at)
    made = {name for _, name in downloads.values()}
    assert any(n.endswith(".xlsx") for n in made) and any(n.endswith(".xml") for n in made), made
    assert_downloads_safe(downloads)
    data = next(d for d, n in downloads.values() if n.endswith(".xlsx"))
    assert any(c.startswith("'") and PAYLOAD in c for c in xlsx_cells(data))


# -- files are private ------------------------------------------------------------------------


def test_database_and_its_temporary_files_are_private(env):
    db = env["db"]
    assert mode(db) == 0o600 and mode(db.parent) == 0o700
    assert env["temp_modes"], "the load's temporary database was never seen"
    for name, bits in env["temp_modes"].items():
        assert bits & 0o077 == 0, (name, oct(bits))


def test_a_failed_load_leaves_no_readable_file(env, tmp_path):
    target = tmp_path / "new" / "x.duckdb"
    report = load_extract(tmp_path / "nowhere", target)
    assert not report.ok
    assert mode(target.parent) == 0o700
    assert not [p for p in target.parent.iterdir() if mode(p) & 0o077]


def test_audit_log_is_private(env):
    ok(open_as(ANALYST, "pages/child.py", {"person": env["person"]}))
    log = env["audit"]
    assert log.exists() and mode(log) == 0o600 and mode(log.parent) == 0o700


def test_uploads_and_written_files_are_private(tmp_path):
    folder = save_files([("a.csv", b"x"), ("../../b.csv", b"y")], "frontdoor-test-")
    try:
        assert mode(folder) == 0o700
        assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "b.csv"]
        assert {mode(p) for p in folder.iterdir()} == {0o600}
    finally:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    # An existing world-readable file is closed down before anything is written into it.
    path = tmp_path / "open.txt"
    path.write_text("old")
    os.chmod(path, 0o644)
    write_private(path, b"new")
    assert mode(path) == 0o600 and path.read_bytes() == b"new"


def test_command_line_writes_private_files(tmp_path, monkeypatch):
    """generate, load and export from a shell's usual umask (022): every file 0600, every
    folder 0700 (the audit log's included)."""
    from frontdoor.cli import main

    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "log" / "audit.jsonl"))
    extract, db = tmp_path / "extract", tmp_path / "db" / "x.duckdb"
    old = os.umask(0o022)
    try:
        assert main(["generate", "--out", str(extract), "--children", "60",
                     "--start", "2024-04-01", "--end", "2026-03-31"]) == 0  # fmt: skip
        assert main(["load", "--extract", str(extract), "--db", str(db), "--synthetic",
                     "--extract-date", "2026-03-31"]) == 0  # fmt: skip
        out = tmp_path / "out" / "census.xml"
        assert main(["export", "cin-census", "--db", str(db), "--year", "2026",
                     "--out", str(out)]) == 0  # fmt: skip
    finally:
        os.umask(old)
    written = list(tmp_path.rglob("*"))
    assert {db, out, tmp_path / "log" / "audit.jsonl"} <= set(written)
    assert {p.name: oct(mode(p)) for p in written if p.is_file() and mode(p) != 0o600} == {}
    assert {p.name: oct(mode(p)) for p in written if p.is_dir() and mode(p) != 0o700} == {}


# -- URL parameters ---------------------------------------------------------------------------

FIRST_WEEK = "2024-04"  # the hostile extract starts in April 2024


@pytest.mark.parametrize(
    ("params", "words"),
    [
        (
            {"period": "custom", "from": "0001-01-01", "to": "2025-06-30"},
            "the period in the link is cut",
        ),
        (
            {"period": "custom", "from": "2025-01-01", "to": "9999-12-31"},
            "the period in the link is cut",
        ),
        ({"from": "0001-01-01", "to": "9999-12-31"}, "the period in the link is cut"),
        ({"as_of": "9999-12-31"}, "the as-at date in the link is now that day"),
        ({"as_of": "0001-01-01"}, "before it"),
        ({"period": "custom", "from": "31/02/2025", "to": "x"}, "not a date"),
        ({"period": "custom", "from": "2025-06-01", "to": "2025-01-01"}, "ends before it starts"),
        ({"period": "custom", "from": "2030-01-01", "to": "2031-01-01"}, "outside the data"),
        ({"period": "fy", "fy": "99999"}, "financial year in the link"),
        ({"period": "fy", "fy": "²⁰²⁴"}, "financial year in the link"),
        ({"period": "q", "q": "<script>alert(1)</script>"}, "quarter in the link"),
        ({"period": "<img src=x onerror=alert(1)>"}, "period in the link is not one"),
        ({"as_of": "2025-01-01' OR 1=1--"}, "not a date"),
        ({"team": "NO-SUCH-TEAM"}, "team in the link was not found"),
        ({"team": "x' OR '1'='1"}, "team in the link was not found"),
        ({"worker": "<script>alert(1)</script>"}, "worker in the link was not found"),
    ],
)
def test_bad_url_parameters_give_a_message(env, params, words):
    at = ok(open_as(ANALYST, "pages/allocation.py", params))
    notes = [w.value for w in at.warning]
    assert any(words in n for n in notes), notes
    # The link's own text is never repeated, and nothing from it acts.
    for value in params.values():
        if len(value) > 4:
            assert not [n for n in notes if value in n], notes
    assert_markdown_safe(at)
    assert at.dataframe or at.get("plotly_chart")  # the page went on with usable filters


def test_a_clamped_period_is_the_one_shown(env):
    at = ok(open_as(ANALYST, "app.py", {"from": "0001-01-01", "to": "9999-12-31"}))
    period = at.query_params
    assert period["period"] in ("custom", ["custom"])
    assert period["to"] in (END.isoformat(), [END.isoformat()])
    assert str(period["from"]).strip("[]'").startswith(FIRST_WEEK)
    assert any("Figures for" in c.value and "31 Mar 2026" in c.value for c in at.caption)


def test_bad_weeks_on_conference_preparation(env):
    at = ok(open_as(CHAIR, "pages/conference.py", {"weeks": "-5"}))
    assert any("weeks ahead in the link" in w.value for w in at.warning)
    assert at.slider(key="conf_weeks").value == 8


def _page_as_seen(at: AppTest, person: str) -> list[tuple[str, str]]:
    """What a run showed, element by element, with the id asked for taken out."""

    def without_id(value):
        if isinstance(value, str):
            return value.replace(md(person), "ID").replace(person, "ID")
        if isinstance(value, dict):
            # A download made when pressed is known by a random id, new on every run.
            return {k: without_id(v) for k, v in value.items() if k != "deferredFileId"}
        if isinstance(value, list):
            return [without_id(v) for v in value]
        return value

    shown = []
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or type(proto).__name__ == "Block":
            continue
        text = json.dumps(without_id(MessageToDict(proto)), sort_keys=True)
        shown.append((type(proto).__name__, text))
    return shown


@pytest.mark.parametrize("email", [LEAD, CHAIR, STRANGER])
@pytest.mark.parametrize("page", ["pages/child.py", "pages/conference.py"])
def test_unknown_child_and_child_outside_scope_look_the_same(env, email, page):
    everyone = [r[0] for r in _query(env["db"], "SELECT pers_person_id FROM ssd_person ORDER BY 1")]
    outside = None
    for person in everyone:
        at = ok(open_as(email, page, {"person": person}))
        if [e.value for e in at.error if e.value.startswith("Not found")]:
            outside = (person, at)
            break
    assert outside, "every child is in scope: nothing to compare"
    person, refused = outside
    made_up = "NO-SUCH-CHILD<b>x</b>"
    unknown = ok(open_as(email, page, {"person": made_up}))
    assert [e.value for e in refused.error] == [
        f"Not found: no child with id {md(person)} among the records your role can see."
    ]
    assert _page_as_seen(refused, person) == _page_as_seen(unknown, made_up)
    assert not refused.dataframe or page == "pages/conference.py"
    assert not refused.get("download_button") or page == "pages/conference.py"


def test_analyst_sees_the_same_words_for_an_unknown_child(env):
    at = ok(open_as(ANALYST, "pages/child.py", {"person": "[x](javascript:alert(1))"}))
    assert [e.value for e in at.error] == [
        "Not found: no child with id "
        + md("[x](javascript:alert(1))")
        + " among the records your role can see."
    ]
    assert_markdown_safe(at)


# -- the chokepoints are the only way ---------------------------------------------------------

# The modules that build, escape and draw charts: the only ones that import plotly.
CHART_MODULES = {
    "ui/charts.py",
    "ui/chart_escape.py",
    "ui/chart_cache.py",
    "ui/chart_lines.py",
    "ui/sparkline.py",
}

SOURCES = [
    REPO / "app.py",
    *sorted((REPO / "pages").glob("*.py")),
    *sorted((REPO / "ui").glob("*.py")),
]


@pytest.mark.parametrize(
    ("pattern", "allowed"),
    [
        (r"\bplotly_chart\(", {"ui/charts.py", "ui/sparkline.py"}),
        (r"^\s*(import|from) plotly", CHART_MODULES),
        (r"\bdownload_button\(", {"ui/downloads.py"}),
        (r"\bto_csv\(|\bto_excel\(", set()),
        (r"unsafe_allow_html|st\.html\(|components\.html|components\.v1", set()),
    ],
)
def test_pages_go_through_the_chokepoints(pattern, allowed):
    """Charts are drawn only by ui/charts.show, downloads made only by ui/downloads, and
    nothing renders HTML: a new page cannot forget the escaping."""
    offenders = []
    for path in SOURCES:
        rel = path.relative_to(REPO).as_posix()
        if rel in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, (
        "use ui/charts (figure/bars/.../show) for charts and ui/downloads for downloads: "
        + "; ".join(offenders)
    )


# -- the chokepoints, as functions ------------------------------------------------------------


def test_cells_are_neutralised_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "name": [
                '=HYPERLINK("http://e.test","x")',
                "+1+1",
                "-2+3",
                "@SUM(A1)",
                "\t=1",
                "\r=1",
                "plain",
                "-5",
                "+44",
                None,
            ],  # fmt: skip
            "n": [-1, -2.5, 3, 0, -7, 1, 2, 3, 4, 5],
        }
    )
    out = safe_export.frame(frame)
    assert list(out["name"][:6]) == ["'" + v for v in frame["name"][:6]]
    assert list(out["name"][6:9]) == ["plain", "-5", "+44"]  # plain text and numbers as text
    assert pd.isna(out["name"].iloc[9])
    assert out["n"].tolist() == frame["n"].tolist() and pd.api.types.is_numeric_dtype(out["n"])
    rows = list(csv.reader(io.StringIO(safe_export.csv_bytes(frame).decode(), newline="")))
    assert rows[1] == ['\'=HYPERLINK("http://e.test","x")', "-1.0"]
    assert rows[3] == ["'-2+3", "3.0"]
    # Column names are cells too.
    assert list(safe_export.frame(pd.DataFrame({"=x": [1]})).columns) == ["'=x"]


def test_workbook_cells_are_text_never_formulas(tmp_path):
    from openpyxl import load_workbook

    frame = pd.DataFrame({"team": ["=1+1", "@x", "ok"], "n": [-3, 4, 5]})
    path = tmp_path / "w.xlsx"
    path.write_bytes(safe_export.xlsx_bytes({"Teams: =x": frame}))
    sheet = load_workbook(path).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [["team", "n"], ["'=1+1", -3], ["'@x", 4], ["ok", 5]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet["B2"].data_type == "n"


def test_file_names_keep_safe_characters_only():
    assert safe_export.file_name('caseload_=W1<b>"x"/../y', "csv") == "caseload_W1_b_x_y.csv"
    assert safe_export.file_name("", "html") == "download.html"


def test_chart_labels_show_as_themselves():
    assert chart_escape.label('<a href="x">A&B</a> $1$\nnext') == (
        '&lt;a href="x"&gt;A&amp;B&lt;/a&gt; &#36;1&#36;<br>next'
    )
    fig = charts.bars(pd.DataFrame({"team": ["<b>T</b>"], "n": [1]}), "team", "n", "<i>x</i>", "y")
    fig.update_traces(hovertemplate="%{x}<br>%{y}<extra><b>no</b></extra>")
    spec = json.loads(chart_escape.safe_figure(fig).to_json())
    assert spec["data"][0]["x"] == ["&lt;b&gt;T&lt;/b&gt;"]
    assert spec["layout"]["xaxis"]["title"]["text"] == "&lt;i&gt;x&lt;/i&gt;"
    assert spec["data"][0]["hovertemplate"] == "%{x}<br>%{y}<extra>&lt;b&gt;no&lt;/b&gt;</extra>"


def test_markdown_helper_shows_links_images_and_html_as_text():
    assert md("[x](javascript:alert(1))") == r"\[x\]\(javascript\:alert\(1\)\)"
    assert md("![x](http://e.test)") == "\\!\\[x\\]\\(http\\:\u2060\\/\\/e\\.test\\)"
    # Bare addresses, which GitHub-flavoured Markdown links even when escaped, are broken by
    # an invisible word joiner (U+2060).
    assert md("see www.e.test") == "see www\u2060\\.e\\.test"
    assert md("a@e.test") == "a\\@\u2060e\\.test"
    assert md("<b>a</b>\nb") == r"\<b\>a\<\/b\> b"
    assert md("P123 Team One") == "P123 Team One"


# -- a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_shows_a_hostile_axis_label_as_text(hostile, chromium, tmp_path):
    from bench.browser import streamlit_server, wait_drawn

    agencies = _query(hostile["db"], "SELECT DISTINCT agency FROM info_requests ORDER BY 1")
    # One on a single line (a tab or carriage return at the start would draw as a line break).
    agency = next(a for (a,) in agencies if a[0] in "=+-@")
    with streamlit_server(hostile["db"], tmp_path / "audit.jsonl", tmp_path / "server.log") as base:
        context = chromium.new_context(viewport={"width": 1600, "height": 1400})
        try:
            tab = context.new_page()
            tab.goto(base + "/agencies")
            wait_drawn(tab, 120_000)
            # The first chart with tick labels (tiles' 12-month lines have no axes).
            chart = (
                tab.locator("[data-testid='stPlotlyChart']")
                .filter(has=tab.locator(".ytick text"))
                .first
            )
            chart.scroll_into_view_if_needed()
            chart.locator(".ytick text").first.wait_for()
            ticks = [t.text_content() for t in chart.locator(".ytick text").all()]
            # The tick is the agency's text, as itself.
            assert agency in ticks, ticks
            # No link, bold or image from the data anywhere in any chart.
            every_chart = tab.locator("[data-testid='stPlotlyChart']")
            assert every_chart.locator("a").count() == 0
            assert every_chart.locator("tspan[style*='bold']").count() == 0
            assert every_chart.locator("image, img").count() == 0
            # Nowhere on the page a link made from the data.
            assert tab.locator("a[href*='evil.test']").count() == 0
            assert tab.locator("a[href^='javascript']").count() == 0
            tab.screenshot(path=str(tmp_path / "hostile_agencies.png"), full_page=True)
        finally:
            context.close()
