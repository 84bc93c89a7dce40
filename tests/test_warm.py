"""The start-up warm-up (ui/warm.py) and the server entry that runs it (serve.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from bench.browser import streamlit_server, wait_for_line
from bench.common import REPO
from bench.streamlit_client import Session, run_apart
from metrics import MEASURES, Filters
from ui import data, warm


def test_aggregates_share_one_cache_entry_whatever_the_viewers_scope():
    f = Filters(dt.date(2025, 4, 1), dt.date(2026, 3, 31), scope="teams", scope_teams=("T1",))
    plain = data.aggregate_filters(f)
    assert plain == Filters(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    # A person filter changes the figures: it stays.
    one = Filters(dt.date(2025, 4, 1), dt.date(2026, 3, 31), person="P1", scope="cp")
    assert data.aggregate_filters(one).person == "P1"


def test_the_default_filters_are_the_last_12_months():
    assert warm.default_filters(dt.date(2026, 3, 31)) == Filters(
        dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    )


def test_warm_computes_every_available_measure_for_the_default_filters(app_env):
    st.cache_data.clear()
    source = data.current_source()
    engine = data.engine(source)
    available = [m for m in MEASURES.values() if engine.unavailable_reason(m) is None]
    assert len(available) >= 15
    # Per measure: the headline for the period and the previous one, the monthly trend, and
    # the breakdown by team where the measure has teams.
    expected = sum(3 + (1 if m.by_team else 0) for m in available)
    # Then the Findings page's: the findings, and each finding's small trend.
    from ui import findings

    _, end, teams = data.facts(source)
    found = findings.findings(source, warm.default_filters(end))
    assert found.findings  # the sample has findings: their trends are warmed too
    # And the Overview's drawing for all teams, then for each team (a team lead's landing).
    assert len(teams) == 6
    assert warm.warm(source) == 1 + expected + 1 + len(found.findings) + len(teams)
    st.cache_data.clear()


def _cached_answers() -> int:
    """The bytes Streamlit's data caches hold, every cached function together: each answer a
    page reads (a DuckDB query's, or what is built from them) adds its pickle; reading one
    already there adds nothing."""
    from streamlit.runtime.caching import get_data_cache_stats_provider

    stats = get_data_cache_stats_provider().get_stats().values()
    return sum(stat.byte_length for family in stats for stat in family)


def _visit(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    "role",
    [
        {},  # demo mode opens as an analyst
        {"demo_role": "senior_manager"},
        {"demo_role": "conference_chair"},
        {"demo_role": "team_lead", "demo_teams": "T02"},  # opens on the lead's own team
        {"demo_role": "team_lead", "demo_teams": "T05"},
    ],
)
def test_after_the_warm_up_a_roles_first_visit_computes_nothing(app_env, role):
    """The first person of each role to open the dashboard after a restart finds every answer
    of their landing page (the Overview, with their default filters) ready: the visit adds no
    entry to Streamlit's caches, so it ran no query. A filter nobody has asked does."""
    st.cache_data.clear()
    warm.warm(data.current_source())
    warmed = _cached_answers()
    at = _visit(role)
    assert len(at.metric) >= 12 and at.get("plotly_chart")  # the tiles and trends drawn
    assert _cached_answers() == warmed
    # The same observation sees a page that does compute: a quarter nobody has asked for.
    _visit({**role, "period": "q", "q": "2025-3"})
    assert _cached_answers() > warmed
    st.cache_data.clear()


def test_serve_answers_at_once_warms_in_the_background_and_serves_the_pages(sample_db, tmp_path):
    log = tmp_path / "server.log"
    with streamlit_server(sample_db, tmp_path / "audit.jsonl", log, script="serve.py") as base:
        wait_for_line(log, warm.DONE, 300)
        assert "answers in" in log.read_text()

        async def visit():
            session = Session(base)
            try:
                return [
                    await session.run("app.py"),
                    await session.run("pages/caseloads.py", "period=q&q=2025-3"),
                ]
            finally:
                await session.close()

        # On a loop of its own: an earlier browser test may leave one running in this thread.
        for run in run_apart(visit()):
            assert run.error == "" and run.exceptions == 0, run


def test_sessions_run_where_an_event_loop_is_already_running():
    """What a browser test leaves behind (Playwright's sync API): a loop running in this thread.
    asyncio.run refuses there; run_apart gives the sessions a loop of their own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def inside_a_running_loop() -> int:
        probe = answer()
        with pytest.raises(RuntimeError, match="running event loop"):
            asyncio.run(probe)
        probe.close()
        return run_apart(answer())

    # On a thread of its own: this test's thread may itself hold a browser test's running loop
    # (asyncio.run would refuse here before the test began).
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, inside_a_running_loop()).result() == 42

    async def fails() -> None:
        raise ValueError("from the sessions' thread")

    with pytest.raises(ValueError, match="sessions' thread"):
        run_apart(fails())


def test_no_full_collection_after_every_page_run_and_the_start_up_frozen():
    """Streamlit's collection of the whole heap after every run (60-70 ms each, with every
    other session waiting) is off for the app; what the start-up made is frozen instead, so the
    collections Python makes as pages allocate do not walk it."""
    import gc
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        warm.settle()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
