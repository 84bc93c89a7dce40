"""Pages on an extract loaded from Ofsted's Annex A: the snapshot measures only Annex A carries
are shown, and what it cannot give is said, not zeroed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from frontdoor.loader import load_extract
from tests.conftest import REPO
from tests.returns_files import annex_a, annex_a_lists


@pytest.fixture(scope="module")
def annex_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("annex")
    workbook = annex_a(folder / "Annex_A.xlsx", annex_a_lists())
    db = folder / "annex.duckdb"
    report = load_extract(workbook, db, extract_date=dt.date(2026, 3, 31))
    assert report.ok, report.render()
    return db


@pytest.fixture
def annex_app(annex_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("FRONTDOOR_DB", str(annex_db))
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "audit.jsonl"))
    # A real (non-synthetic) extract: the operator allows local use without sign-in.
    monkeypatch.setenv("FRONTDOOR_ALLOW_UNAUTHENTICATED", "1")
    monkeypatch.chdir(REPO)
    return annex_db


def run(page: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    # Annex A dates lie in the past: look at a period that holds them.
    at.query_params["period"] = "custom"
    at.query_params["from"] = "2015-01-01"
    at.query_params["to"] = "2026-03-31"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_seeing_page_shows_time_since_last_seen(annex_app):
    at = run("pages/seeing.py")
    headers = [h.value for h in at.header]
    assert "Time since the child was last seen (Annex A)" in headers
    # Time to see needs visits, which Annex A does not have: said, not shown as zero.
    infos = " ".join(i.value for i in at.info)
    assert "needs ssd_cin_visits" in infos


def test_child_protection_page_shows_time_since_last_review(annex_app):
    at = run("pages/child_protection.py")
    assert "Time since the last CP review (Annex A)" in [h.value for h in at.header]
    labels = [m.label for m in at.metric]
    assert "Open plans with the next review past due" in labels
