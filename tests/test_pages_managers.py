"""The Overview and the manager pages on the 5,000-child sample: each runs without an exception,
answers its filters, and a chosen row of a child table opens the Child page for that child.

Plotly selections cannot be driven from AppTest (streamlit-notes.md), so the drill-downs are
seeded through the table selection (session state) and the "Or choose ..." boxes, and the
selection-to-id mapping is tested as a plain function.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui.chart_picks import selected_ids
from ui.nav import CHILD_PAGE

REPO = Path(__file__).resolve().parents[1]
PAGES = [
    "app.py",
    "pages/front_door.py",
    "pages/allocation.py",
    "pages/assessments.py",
    "pages/seeing.py",
    "pages/my_team.py",
    "pages/caseloads.py",
    "pages/oversight.py",
    "pages/agencies.py",
]
CHILD_EXISTS = (REPO / CHILD_PAGE).exists()


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """Run the entry script, switch to `page`, then put `params` in its URL (a switch clears
    the URL, as following a link without query parameters would) and run it again."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    if params:
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    return at


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at: AppTest, key: str) -> pd.DataFrame:
    shown = [d.value for d in at.dataframe if d.key == key]
    assert shown, f"no table {key!r} on the page"
    return shown[0]


def choose_row(at: AppTest, key: str, row: int = 0) -> AppTest:
    """Select a row of the table under `key`, as a click would."""
    at.session_state[key] = {"selection": {"rows": [row], "columns": []}}
    return at.run()


def assert_opened_child(at: AppTest, person_id: str) -> None:
    """The drill-down reached the Child page for `person_id` (or, while the Child page is not
    yet in the build, tried to switch to it)."""
    if CHILD_EXISTS:
        assert not at.exception, errors(at)
        assert at.query_params.get("person") in (person_id, [person_id])
    else:
        assert any("child.py" in e for e in errors(at)), errors(at)


# -- every page runs, and answers its filters ------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_runs(app_env, page):
    at = open_page(page)
    assert not at.exception, errors(at)
    assert at.metric, "no headline figures shown"
    assert not [e for e in at.error], [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_period_filter_changes_figures(app_env, page):
    before = metrics(open_page(page))
    after = open_page(page, {"period": "fy", "fy": "2024"})
    assert not after.exception, errors(after)
    assert metrics(after) != before


@pytest.mark.parametrize(
    "page, label",
    [
        ("pages/allocation.py", "Referrals counted"),
        ("pages/assessments.py", "Assessments completed"),
        ("pages/seeing.py", "Referrals counted"),
        ("pages/caseloads.py", "Children allocated"),
        ("pages/oversight.py", "Open allocated cases"),
    ],
)
def test_team_filter_narrows(app_env, page, label):
    everyone = open_page(page)
    team = open_page(page, {"team": "T04"})
    assert not team.exception, errors(team)
    assert team.sidebar.selectbox(key="f_team").value == "T04"
    whole = int(metrics(everyone)[label].replace(",", ""))
    part = int(metrics(team)[label].replace(",", ""))
    assert 0 < part < whole


def test_period_filter_through_the_sidebar(app_env):
    at = open_page("pages/front_door.py")
    before = metrics(at)["Contacts"]
    at.sidebar.selectbox(key="f_period").set_value("fy").run()
    at.sidebar.selectbox(key="f_fy").set_value(2024).run()
    assert not at.exception, errors(at)
    assert at.query_params.get("period") in ("fy", ["fy"])
    assert metrics(at)["Contacts"] != before


@pytest.fixture
def thin_extract(app_env, tmp_path, monkeypatch):
    """The sample without case notes, agency requests or involvements (as an extract that
    never sent them: marked absent in the load report)."""
    import shutil

    import duckdb

    db = tmp_path / "thin.duckdb"
    shutil.copy(app_env, db)
    con = duckdb.connect(str(db))
    con.execute(
        "UPDATE load_report SET status = 'absent' "
        "WHERE table_name IN ('case_notes', 'info_requests', 'ssd_involvements')"
    )
    con.close()
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    return db


@pytest.mark.parametrize(
    "page",
    ["pages/allocation.py", "pages/caseloads.py", "pages/oversight.py", "pages/agencies.py"],
)
def test_unavailable_measure_says_why_and_page_carries_on(thin_extract, page):
    at = open_page(page)
    assert not at.exception, errors(at)
    said = " ".join(i.value for i in at.info)
    assert "Not available in this extract" in said
    assert "needs" in said


@pytest.fixture
def real_extract(app_env, tmp_path, monkeypatch):
    """The sample marked as a real extract: with no sign-in configured, the viewer sees
    aggregates only."""
    import shutil

    import duckdb

    db = tmp_path / "real.duckdb"
    shutil.copy(app_env, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE load_meta SET value = 'false' WHERE key = 'synthetic'")
    con.close()
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    monkeypatch.delenv("FRONTDOOR_ALLOW_UNAUTHENTICATED", raising=False)
    return db


@pytest.mark.parametrize("page", PAGES[1:])
def test_aggregates_only_viewer_sees_figures_not_children(real_extract, page):
    at = open_page(page)
    assert not at.exception, errors(at)
    assert at.metric
    assert not [d for d in at.dataframe if "person_id" in d.value.columns]


@pytest.mark.parametrize("page", PAGES[1:])
def test_team_lead_sees_only_their_teams_children(app_env, page):
    at = open_page(page)
    at.sidebar.selectbox(key="demo_role").set_value("team_lead").run()
    at.sidebar.multiselect(key="demo_teams").set_value(["T04"]).run()
    assert not at.exception, errors(at)
    assert at.metric


# -- drill-down from a table row to the Child page -------------------------------------------


@pytest.mark.parametrize(
    "page, params, key",
    [
        ("app.py", {"drill": "referrals"}, "overview_rows_referrals"),
        ("pages/front_door.py", {}, "fd_rereferral_children"),
        ("pages/allocation.py", {}, "alloc_unallocated"),
        ("pages/assessments.py", {}, "assess_overdue"),
        ("pages/seeing.py", {}, "seen_not_yet"),
        ("pages/oversight.py", {}, "over_without"),
        ("pages/agencies.py", {}, "agency_outstanding"),
    ],
)
def test_table_row_opens_child(app_env, page, params, key):
    at = open_page(page, params)
    assert not at.exception, errors(at)
    first = table(at, key).iloc[0]
    choose_row(at, key)
    assert_opened_child(at, str(first["person_id"]))


def test_assessment_band_lists_its_children(app_env):
    at = open_page("pages/assessments.py")
    at.selectbox(key="assess_band_pick").set_value("41-45").run()
    assert not at.exception, errors(at)
    listed = table(at, "assess_band_children")
    assert set(listed["band"]) == {"41-45"}
    assert listed["days"].between(41, 45).all()
    choose_row(at, "assess_band_children")
    assert_opened_child(at, str(listed.iloc[0]["person_id"]))


def test_allocation_team_lists_its_referrals(app_env):
    at = open_page("pages/allocation.py")
    at.selectbox(key="alloc_team_pick").set_value("T04").run()
    assert not at.exception, errors(at)
    listed = table(at, "alloc_team_children")
    assert set(listed["team"]) == {"T04"}


def test_caseload_worker_lists_their_children(app_env):
    at = open_page("pages/caseloads.py")
    workers = table(at, "case_workers_table")
    worker = str(workers.iloc[0]["worker_id"])
    choose_row(at, "case_workers_table")
    assert not at.exception, errors(at)
    children = table(at, f"case_children_{worker}")
    assert set(children["worker_id"].astype(str)) == {worker}
    assert len(children) == workers.iloc[0]["children"]
    choose_row(at, f"case_children_{worker}")
    assert_opened_child(at, str(children.iloc[0]["person_id"]))


def test_police_notifications_of_a_day_list_their_children(app_env):
    at = open_page("pages/front_door.py")
    assert "Police notifications" in metrics(at)
    at.selectbox(key="fd_police_day_pick").set_value("Saturday").run()
    assert not at.exception, errors(at)
    listed = table(at, "fd_police_children")
    assert set(listed["contact_day"]) == {"Saturday"}
    assert listed["weekend"].all()
    domestic = table(at, "fd_domestic_abuse")
    assert len(domestic) == int(metrics(at)["Referrals with domestic abuse"].replace(",", ""))


def test_transfers_of_a_team_and_the_children_waiting(app_env):
    at = open_page("pages/allocation.py")
    assert "Transferred within timescale" in metrics(at)
    at.selectbox(key="transfer_team_pick").set_value("T04").run()
    assert not at.exception, errors(at)
    listed = table(at, "transfer_children_T04")
    assert set(listed["team"]) == {"T04"} and (listed["receiving_team"] != "T04").all()
    waiting = table(at, "transfer_waiting")
    assert waiting["age_wd"].is_monotonic_decreasing
    choose_row(at, "transfer_waiting")
    assert_opened_child(at, str(waiting.iloc[0]["person_id"]))


def test_children_with_three_workers_are_listed(app_env):
    at = open_page("pages/caseloads.py")
    assert "3 or more workers in 12 months" in metrics(at)
    at.selectbox(key="worker_changes_pick").set_value("3").run()
    assert not at.exception, errors(at)
    listed = table(at, "worker_changes_children")
    assert set(listed["workers_12m"]) == {3}


def test_assessments_without_the_childs_views(app_env):
    at = open_page("pages/assessments.py")
    assert "Child's views recorded" in metrics(at)
    missing = table(at, "views_missing")
    assert len(missing) > 0 and not missing["views_recorded"].any()


def test_rates_need_the_population_setting(app_env, monkeypatch, tmp_path):
    at = open_page("app.py")
    said = " ".join(i.value for i in at.info)
    assert "Rates per 10,000 children are not available" in said
    settings = tmp_path / "settings.toml"
    settings.write_text("population = 50000\n")
    monkeypatch.setenv("FRONTDOOR_SETTINGS", str(settings))
    at = open_page("app.py")
    assert not at.exception, errors(at)
    shown = metrics(at)
    assert shown["Contacts per 10,000"] not in ("n/a", "–")
    assert shown["CP plans open per 10,000"] not in ("n/a", "–")


def test_not_yet_seen_says_at_risk_in_words(app_env):
    at = open_page("pages/seeing.py")
    listed = table(at, "seen_not_yet")
    flagged = listed["at_risk"].astype(bool)
    assert listed.loc[flagged, "risk"].str.startswith("At potential risk").all()
    assert not listed.loc[~flagged, "risk"].str.startswith("At potential risk").any()
    assert listed["age_wd"].is_monotonic_decreasing


# -- the selection-to-id mapping -------------------------------------------------------------


def test_selected_ids_customdata_as_list_and_dict():
    event = {
        "selection": {
            "points": [
                {"point_index": 0, "customdata": ["41-45"]},
                {"point_index": 0, "customdata": {"0": "T04", "1": "ignored"}},
                {"point_index": 1, "customdata": {"1": "second", "0": "first"}},
                {"point_index": 2, "customdata": "plain"},
                {"point_index": 3, "customdata": ["41-45"]},  # the same id once only
                {"point_index": 4},
            ]
        }
    }
    assert selected_ids(event) == ["41-45", "T04", "first", "plain"]
    assert selected_ids({"selection": {"points": []}}) == []
    assert selected_ids(None) == []


def test_selected_ids_from_attribute_style_event():
    class Selection(dict):
        __getattr__ = dict.get

    event = Selection(selection=Selection(points=[{"customdata": {"0": 101}}]))
    assert selected_ids(event) == ["101"]


# -- server-side time of each page (reported, not asserted) ----------------------------------


def test_page_times(app_env, capsys):
    import streamlit as st

    lines = []
    for page in PAGES:
        st.cache_data.clear()
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.run()
        start = time.perf_counter()
        if page != "app.py":
            at.switch_page(page)
        at.run()
        cold = time.perf_counter() - start
        start = time.perf_counter()
        at.run()
        warm = time.perf_counter() - start
        assert not at.exception, errors(at)
        lines.append(f"{page:28s} cold {cold:5.2f}s  warm {warm:5.2f}s")
    with capsys.disabled():
        print("\nserver-side page times (AppTest, 5,000-child sample):\n" + "\n".join(lines))
