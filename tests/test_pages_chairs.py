"""The chairs' and data pages on the 5,000-child sample (Child, Conference preparation, Child
protection, Data and loading), deep links to a child, and hostile text shown as plain text.

A deep link is tested the way a browser opens one: the query parameters are in the URL before
the page runs (set before `switch_page`, which keeps them in AppTest).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from frontdoor import pdf
from tests.conftest import build_db, small_family
from tests.returns_files import assessment, census, child, referral

REPO = Path(__file__).resolve().parents[1]
PAGES = ["pages/child.py", "pages/conference.py", "pages/child_protection.py", "pages/data.py"]
HOSTILE = (
    "Team \"A\" <script>alert('x')</script>'; DROP TABLE ssd_person;-- **bold** [x](http://e.test)"
)


@pytest.fixture(autouse=True)
def _audit(tmp_path, monkeypatch):
    """Keep the audit log of these runs out of the repository's data folder."""
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "audit.jsonl"))


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """Run the entry script, then open `page` with `params` already in its URL (a deep link)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(page).run()
    return at


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception]


# Columns that identify a table drawn without a selection (AppTest reports no key for those).
COLUMNS = {
    "child_chronology": {"kind", "detail", "met", "timescale"},
    "child_workers": {"worker_id", "role", "current"},
    "child_siblings": {"person_id", "family_id", "dob"},
    "conf_profile": {"Child", "Open CP plan", "Category"},
    "conf_reviews": {"plan_id", "review", "due_date", "held_date", "status"},
    "data_report": {"table_name", "status", "rows_loaded"},
    "data_measures": {"measure", "key", "why not"},
    "data_data_issues": {"table_name", "record_id", "issue"},
}


def table(at: AppTest, key: str) -> pd.DataFrame:
    """The table under `key` (a selectable one), else the one with the columns named above."""
    shown = [d.value for d in at.dataframe if d.key == key]
    if not shown and key in COLUMNS:
        shown = [d.value for d in at.dataframe if COLUMNS[key] <= set(d.value.columns)]
    assert shown, f"no table {key!r} on the page: {[list(d.value.columns) for d in at.dataframe]}"
    return shown[0]


def texts(at: AppTest) -> list[str]:
    """Every Markdown-rendered text on the page (where HTML or links could sneak in)."""
    out = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title",
                 "header", "subheader"):  # fmt: skip
        out += [str(e.value) for e in getattr(at, kind)]
    return out


def sample_child(db: Path) -> str:
    """A child of the sample with an open CP plan, siblings and plenty of events."""
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


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_the_sample(app_env, page):
    at = open_page(page)
    assert not at.exception, errors(at)
    assert not at.error, [e.value for e in at.error]


def test_child_protection_shows_conversion_and_the_enquiries_behind_it(app_env):
    at = open_page("pages/child_protection.py")
    assert not at.exception, errors(at)
    shown = {m.label: m.value for m in at.metric}
    assert shown["S47 enquiries leading to a conference"].endswith("%")
    assert shown["Conferences leading to a CP plan"].endswith("%")
    assert not table(at, "cp_s47_no_icpc")["led_to_icpc"].any()
    assert not table(at, "cp_icpc_no_plan")["led_to_plan"].any()


def test_deep_link_opens_the_child_with_chronology(app_env):
    person = sample_child(app_env)
    at = open_page("pages/child.py", {"person": person, "period": "fy", "fy": "2025"})
    assert not at.exception, errors(at)
    assert f"Child {person}" in [s.value for s in at.subheader]
    chron = table(at, "child_chronology")
    assert len(chron) > 5
    assert {"contact", "referral", "CP plan start"} & set(chron["kind"])
    assert set(chron["met"]) <= {"met", "missed", ""}
    # Siblings are listed with links to their own record; the filters stay in the URL.
    sibs = table(at, "child_siblings")
    assert len(sibs) >= 1 and person not in set(sibs["person_id"])
    assert at.query_params["period"] in ("fy", ["fy"])
    # The workers are there too.
    assert not table(at, "child_workers").empty


def test_unknown_id_gives_a_clear_message(app_env):
    at = open_page("pages/child.py", {"person": "NO-SUCH-CHILD"})
    assert not at.exception, errors(at)
    messages = [e.value for e in at.error]
    assert len(messages) == 1
    assert messages[0].startswith("Not found: no child with id")
    assert "NO" in messages[0] and "SUCH" in messages[0]
    assert not [d for d in at.dataframe if d.key == "child_chronology"]


def test_child_page_without_id_offers_a_picker(app_env):
    at = open_page("pages/child.py")
    assert not at.exception, errors(at)
    assert at.text_input(key="child_pick_id")
    recent = table(at, "child_recent")
    assert not recent.empty
    at.text_input(key="child_pick_id").input(str(recent["person_id"].iloc[0]))
    [b for b in at.button if b.label == "Open"][0].click().run()
    assert not at.exception, errors(at)
    assert at.query_params["person"] in (recent["person_id"].iloc[0], [recent["person_id"].iloc[0]])
    assert not table(at, "child_chronology").empty


def test_conference_lists_children_due_and_produces_a_pack(app_env):
    at = open_page("pages/conference.py")
    assert not at.exception, errors(at)
    due = table(at, "conf_due")
    assert not due.empty
    assert (due["days until due"] >= 0).all() and (due["days until due"] <= 8 * 7).all()
    # Fewer weeks: fewer (or as many) children, and the weeks go into the URL.
    at.slider(key="conf_weeks").set_value(2).run()
    assert at.query_params["weeks"] in ("2", ["2"])
    fewer = table(at, "conf_due")
    assert len(fewer) <= len(due) and (fewer["days until due"] <= 14).all()
    # Choosing a row shows that child's pack and offers it as an HTML download.
    at.session_state["conf_due"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception, errors(at)
    person = str(fewer["person_id"].iloc[0])
    assert at.query_params["person"] in (person, [person])
    assert f"Review pack: child {person}" in [h.value for h in at.header]
    assert table(at, "conf_profile")["Child"].iloc[0] == person
    downloads = [b.proto.label for b in at.get("download_button") if "pack" in b.proto.label]
    assert downloads == ["Download the pack (HTML, prints on A4)", "Download the pack (PDF)"]
    assert not table(at, "conf_reviews").empty


def test_conference_choosing_from_the_list_opens_the_pack(app_env):
    """The select box (what a keyboard user has) opens a child's pack and stays on them; a row
    chosen later wins, and the box follows the row."""
    at = open_page("pages/conference.py")
    due = table(at, "conf_due")
    first, second = (str(p) for p in list(dict.fromkeys(due["person_id"]))[:2])
    at.selectbox(key="conf_person").set_value(second).run()
    assert not at.exception, errors(at)
    assert at.query_params["person"] in (second, [second])
    assert f"Review pack: child {second}" in [h.value for h in at.header]
    assert at.selectbox(key="conf_person").value == second
    # Another rerun (e.g. a widget elsewhere) keeps the chosen child: no snapping back.
    at.run()
    assert at.selectbox(key="conf_person").value == second
    assert f"Review pack: child {second}" in [h.value for h in at.header]
    # A row chosen afterwards opens that child, and the box follows it.
    row = int(due.index[due["person_id"].astype(str) == first][0])
    at.session_state["conf_due"] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    assert f"Review pack: child {first}" in [h.value for h in at.header]
    assert at.selectbox(key="conf_person").value == first
    # Back to the box: the row still selected does not pull the pack back.
    at.selectbox(key="conf_person").set_value(second).run()
    assert f"Review pack: child {second}" in [h.value for h in at.header]
    # "—" closes the pack and clears the URL.
    at.selectbox(key="conf_person").set_value("—").run()
    assert "person" not in at.query_params
    assert not [h for h in at.header if h.value.startswith("Review pack")]


def test_conference_pack_downloads_as_html_and_pdf(app_env, monkeypatch):
    """The pack's two files: the escaped HTML, and the PDF Chromium prints from it on A4 (made
    when the button is pressed); without Chromium the PDF button says why."""
    seen: dict[str, object] = {}
    original = streamlit.download_button

    def capture(label, data, *args, **kwargs):
        seen[kwargs.get("key") or label] = data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", capture)
    person = sample_child(app_env)
    at = open_page("pages/conference.py", {"person": person, "weeks": "12"})
    assert not at.exception, errors(at)
    page = seen["conf_pack_download"].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and f"child {person}" in page
    for section in ("Section 47 enquiries", "Conferences: decisions and categories",
                    "The child&#x27;s views", "Requests to partner agencies"):  # fmt: skip
        assert section in page, section
    if pdf.unavailable() is None:
        made = seen["conf_pack_pdf"]()
        assert made.startswith(b"%PDF-") and b"/MediaBox [0 0 594.9" in made
    elif os.environ.get("CI") == "true":
        pytest.fail(pdf.unavailable())
    # Without Chromium: the button is there, disabled, and the page says why.
    monkeypatch.setenv(pdf.CHROMIUM_ENV, "/nowhere/chromium")
    at = open_page("pages/conference.py", {"person": person, "weeks": "12"})
    button = [b for b in at.get("download_button") if b.proto.label == "Download the pack (PDF)"]
    assert button and button[0].proto.disabled
    assert any("Chromium is not installed" in c.value for c in at.caption)


def test_conference_deep_link_with_person_and_weeks(app_env):
    person = sample_child(app_env)
    at = open_page("pages/conference.py", {"person": person, "weeks": "12"})
    assert not at.exception, errors(at)
    assert at.slider(key="conf_weeks").value == 12
    assert f"Review pack: child {person}" in [h.value for h in at.header]


def test_data_page_shows_the_load_report(app_env):
    at = open_page("pages/data.py")
    assert not at.exception, errors(at)
    report = table(at, "data_report")
    assert "ssd_person" in set(report["table_name"])
    assert int(report.loc[report["table_name"] == "ssd_person", "rows_loaded"].sum()) == 5000
    measures = table(at, "data_measures")
    assert {"referrals", "icpc", "cp_reviews_due"} <= set(measures["key"])


def test_data_page_loads_another_extract(app_env, tmp_path, monkeypatch):
    db = tmp_path / "copy.duckdb"
    shutil.copy(app_env, db)
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    before = db.stat().st_mtime_ns
    at = open_page("pages/data.py")
    at.text_input(key="data_folder").input(str(app_env.parent / "extract"))
    [b for b in at.button if b.label == "Load"][0].click().run()
    assert not at.exception, errors(at)
    assert any(s.value.startswith("Loaded 127") or "Loaded" in s.value for s in at.success)
    assert any("ssd_person" in c.value for c in at.code)
    assert db.stat().st_mtime_ns != before


def test_data_page_loads_an_uploaded_census_file(app_env, tmp_path, monkeypatch):
    """An authority with only its CIN census: upload the XML on the Data page."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(app_env, db)
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    xml = census(child("DfEX0000001", referral("2024-05-01", assessment("2024-05-02")))).encode()
    at = open_page("pages/data.py")
    at.file_uploader(key="data_files").set_value([("cin-2022.xml", xml, "text/xml")])
    [b for b in at.button if b.label == "Load"][0].click().run()
    assert not at.exception, errors(at)
    assert any("Loaded" in s.value for s in at.success), [c.value for c in at.code]
    # The app reads the new data, not the database that was open before the load: the Child
    # page knows the census child (DuckDB would hand back the old file while it is open).
    # The census is real data: the operator allows local use to open a child's record.
    monkeypatch.setenv("FRONTDOOR_ALLOW_UNAUTHENTICATED", "1")
    at.query_params["person"] = "DfEX0000001"
    at.switch_page("pages/child.py").run()
    assert not at.exception, errors(at)
    assert "Child DfEX0000001" in [s.value for s in at.subheader], [e.value for e in at.error] + [
        i.value for i in at.info
    ]
    con = duckdb.connect(str(db), read_only=True)
    try:
        kinds = con.execute("SELECT value FROM load_meta WHERE key = 'source_kinds'").fetchone()
        people = con.execute("SELECT count(*) FROM ssd_person").fetchone()[0]
    finally:
        con.close()
    assert kinds == ('["cin_census"]',)
    assert people == 1  # the census's one child replaced the synthetic authority


def test_data_page_refuses_a_missing_folder(app_env, tmp_path, monkeypatch):
    db = tmp_path / "copy.duckdb"
    shutil.copy(app_env, db)
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    at = open_page("pages/data.py")
    at.text_input(key="data_folder").input(str(tmp_path / "nowhere"))
    [b for b in at.button if b.label == "Load"][0].click().run()
    assert not at.exception, errors(at)
    assert any("does not exist" in e.value for e in at.error)


# -- hostile text ---------------------------------------------------------------------------


@pytest.fixture
def hostile_db(tmp_path, monkeypatch) -> Path:
    """A tiny extract whose team and worker names carry quotes, SQL and a <script> tag."""
    d = dt.date
    path = tmp_path / "hostile.duckdb"
    tables = small_family(
        "X1",
        "X2",
        worker_name=HOSTILE,
        team_name=HOSTILE,
        category=HOSTILE,
        source_desc=HOSTILE,
    )
    tables["ssd_cin_visits"] = [
        {
            "cinv_cin_visit_id": "V1",
            "cinv_person_id": "X1",
            "cinv_cin_visit_date": d(2025, 9, 4),
            "cinv_cin_visit_seen": True,
        }
    ]
    tables["info_requests"] = [
        {"request_id": "Q1", "person_id": "X1", "agency": HOSTILE, "requested_date": d(2025, 10, 6)}
    ]
    con = build_db(path, tables)
    con.execute("CREATE TABLE load_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO load_meta VALUES ('extract_date', '2025-12-19')")
    con.execute("CREATE TABLE data_issues (table_name VARCHAR, file VARCHAR, line BIGINT, "
                "record_id VARCHAR, person_id VARCHAR, column_name VARCHAR, value VARCHAR, "
                "issue VARCHAR, severity VARCHAR)")  # fmt: skip
    con.execute(
        "INSERT INTO data_issues VALUES ('ssd_department', 'd.csv', 2, 'T1', NULL, "
        "'dept_team_name', ?, ?, 'warning')",
        [HOSTILE, HOSTILE],
    )
    con.close()
    monkeypatch.setenv("FRONTDOOR_DB", str(path))
    monkeypatch.setenv("FRONTDOOR_ALLOW_UNAUTHENTICATED", "1")  # an analyst, on a test DB
    monkeypatch.chdir(REPO)
    return path


def _no_raw_markup(at: AppTest) -> None:
    """No Markdown-rendered text carries markup that would act: every <, ](, ** of the hostile
    text is backslash-escaped (so it shows as itself)."""
    for text in texts(at):
        assert not re.search(r"(?<!\\)<", text), text
        assert not re.search(r"(?<!\\)\]\(", text), text
        assert not re.search(r"(?<!\\)\*\*bold", text), text


def test_hostile_names_are_shown_as_plain_text(hostile_db):
    at = open_page("pages/child.py", {"person": "X1"})
    assert not at.exception, errors(at)
    chron = table(at, "child_chronology")
    # The exact text, in a table cell: shown, not run and not rendered.
    assert HOSTILE in set(chron["worker"]) and HOSTILE in set(chron["team"])
    assert any(HOSTILE in str(v) for v in chron["detail"])
    assert HOSTILE in set(table(at, "child_workers")["name"])
    _no_raw_markup(at)
    # The timeline's hover text is escaped for Plotly's HTML subset.
    fig = [c for c in at.get("plotly_chart")]
    assert fig and "<script" not in fig[0].proto.spec and "&lt;script&gt;" in fig[0].proto.spec

    at = open_page("pages/conference.py", {"person": "X1", "weeks": "26"})
    assert not at.exception, errors(at)
    assert HOSTILE in set(table(at, "conf_profile")["Category"])
    actions = [w.value for w in at.warning]
    assert any("Request to" in a for a in actions)
    _no_raw_markup(at)

    at = open_page("pages/child_protection.py")
    assert not at.exception, errors(at)
    _no_raw_markup(at)

    at = open_page("pages/data.py")
    assert not at.exception, errors(at)
    assert HOSTILE in set(table(at, "data_data_issues")["value"])
    _no_raw_markup(at)


def test_hostile_id_in_the_url(hostile_db):
    at = open_page("pages/child.py", {"person": "[x](http://e.test) <script>alert(1)</script>"})
    assert not at.exception, errors(at)
    messages = [e.value for e in at.error]
    assert messages and messages[0].startswith("Not found: no child with id")
    _no_raw_markup(at)
