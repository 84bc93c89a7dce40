"""The Data page's returns: an analyst makes the Annex A workbook and the CIN census from the data
in use, sees the counts and gaps, and gets a download; both are audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.returns_support import source_db

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def audit_log(tmp_path_factory, monkeypatch, tmp_path) -> Path:
    db = source_db(tmp_path_factory.getbasetemp() / "returns_source")
    audit = tmp_path / "audit.jsonl"
    monkeypatch.setenv("FRONTDOOR_DB", str(db))
    monkeypatch.setenv("FRONTDOOR_AUDIT", str(audit))
    monkeypatch.chdir(REPO)
    return audit


def _open() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _downloads(at: AppTest) -> list:
    """The returns' download buttons (the page's tables have CSV downloads of their own)."""
    return [el for el in at.get("download_button") if str(el.key).startswith("returns_")]


def _click(at: AppTest, label: str) -> None:
    [b for b in at.button if b.label == label][0].click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_make_the_cin_census(audit_log):
    at = _open()
    at.number_input(key="rc_year").set_value(2026)
    _click(at, "Make the CIN census")
    assert any("No gaps" in s.value for s in at.success)
    assert len(_downloads(at)) == 1
    entries = [json.loads(x) for x in audit_log.read_text().splitlines()]
    made = [e for e in entries if e["action"] == "export"]
    assert len(made) == 1 and made[0]["outcome"] == "allowed"
    assert "CIN census 2025-26" in made[0]["detail"] and "children" in made[0]["detail"]


def test_make_the_annex_a_workbook(audit_log):
    at = _open()
    _click(at, "Make the Annex A workbook")
    counts = [df.value for df in at.dataframe]
    assert any("list 1 contacts" in set(frame["what"]) for frame in counts if "what" in frame)
    assert len(_downloads(at)) == 1
    entries = [json.loads(x) for x in audit_log.read_text().splitlines()]
    assert [e["detail"][:7] for e in entries if e["action"] == "export"] == ["Annex A"]


def test_a_census_year_without_children_says_why(audit_log):
    at = _open()
    at.number_input(key="rc_year").set_value(2015)
    _click(at, "Make the CIN census")
    assert any("no child" in e.value for e in at.error)
    assert _downloads(at) == []
    entries = [json.loads(x) for x in audit_log.read_text().splitlines()]
    assert [e["outcome"] for e in entries if e["action"] == "export"] == ["failed"]
