"""A database an older frontdoor loaded: every page says so once, at the top, and what to do;
`frontdoor check` tells `make run` (which then makes the sample again) and an operator the same.

The sample is copied and its facts' version changed, as an upgrade leaves a database behind.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from frontdoor.cli import main

REPO = Path(__file__).resolve().parents[1]
PAGES = ["app.py", "pages/child.py", "pages/caseloads.py"]  # app.py: the Overview


@pytest.fixture
def old_db(sample_db: Path, tmp_path: Path) -> Path:
    """The sample as an older version would have left it: facts of another version."""
    db = tmp_path / "old.duckdb"
    shutil.copyfile(sample_db, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE facts_meta SET version = ?", ["0"])
    con.close()
    return db


def _open(db: Path, page: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(tmp_path / "audit.jsonl"))
    monkeypatch.chdir(REPO)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.run()
    if page != "app.py":
        at.query_params["person"] = "P000265"  # the Child page opens on a child of the sample
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _banners(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error if "cannot be read" in str(e.value)]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_once_that_an_old_database_must_be_loaded_again_and_stops(
    old_db, page, monkeypatch, tmp_path
):
    at = _open(old_db, page, monkeypatch, tmp_path)
    said = _banners(at)
    assert len(said) == 1
    assert "another version of frontdoor" in said[0]
    assert "load the extract again" in said[0]
    # Nothing half-shown below it: no tiles, no tables (a chronology without its timescales
    # would say "0 missed"), no figures.
    assert not at.metric and not at.dataframe and not at.table


def test_the_data_page_says_so_and_still_offers_the_load(old_db, monkeypatch, tmp_path):
    at = _open(old_db, "pages/data.py", monkeypatch, tmp_path)
    assert len(_banners(at)) == 1
    assert at.dataframe  # the load report and the rest of the page are still there


def test_a_current_database_shows_no_such_banner_and_its_figures(sample_db, monkeypatch, tmp_path):
    for page in PAGES:  # and the same pages show their figures and tables
        at = _open(sample_db, page, monkeypatch, tmp_path)
        assert not _banners(at)
        assert at.dataframe or at.metric


def test_check_says_ready_old_or_missing(sample_db, old_db, tmp_path, capsys):
    assert main(["check", "--db", str(sample_db)]) == 0
    assert "ready" in capsys.readouterr().out

    assert main(["check", "--db", str(old_db)]) == 1
    assert "another version of frontdoor" in capsys.readouterr().out

    con = duckdb.connect(str(old_db))
    con.execute("DROP TABLE facts_meta")
    con.close()
    assert main(["check", "--db", str(old_db)]) == 1
    assert "older version of frontdoor" in capsys.readouterr().out

    assert main(["check", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no database here" in capsys.readouterr().out
