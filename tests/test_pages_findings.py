"""The Findings page on the 5,000-child sample: the letter's headings and sentences (the same as
the metrics give), each finding's control opening the children behind it on the Overview, and
the briefing's download, child-level and marked for a senior manager, aggregate for a viewer who
may not see children."""

from __future__ import annotations

import datetime as dt
import os
import re

import duckdb
import pytest

from metrics import Engine, Filters, get
from metrics.findings import find
from metrics.findings_rules import HEADINGS
from tests.test_access import (  # noqa: F401  (audit_log, downloads and env are fixtures)
    SENIOR,
    STRANGER,
    audit_log,
    downloads,
    env,
    errors,
    open_as,
)

PAGE = "pages/findings.py"
# The page's default period: the 12 months to the data's end (31 Mar 2026).
PERIOD = Filters(dt.date(2025, 4, 1), dt.date(2026, 3, 31))


@pytest.fixture(scope="module")
def expected(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        engine = Engine(con)
        found = find(engine, PERIOD)
        waiting = engine.rows(get("not_yet_seen"), PERIOD)
        caseload_c = engine.rows(
            get("caseload"), Filters(PERIOD.date_from, PERIOD.date_to, team="T04")
        )
    finally:
        con.close()
    return found, waiting, caseload_c


def _button(at, rule: str):
    found = [b for b in at.button if (b.key or "").endswith(f"_{rule}")]
    assert found, [b.key for b in at.button]
    return found[0]


@pytest.mark.usefixtures("env")
def test_the_page_says_each_finding_under_the_letters_headings(expected):
    found, _, _ = expected
    at = open_as(SENIOR, PAGE)
    assert not at.exception, errors(at)
    headers = [h.value for h in at.header]
    assert headers[:3] == list(HEADINGS.values())
    assert "Not assessed" in headers
    assert {m.label: m.value for m in at.metric} == {
        HEADINGS[h]: str(len(found.under(h))) for h in HEADINGS
    }
    texts = [t.value for t in at.text]
    for finding in found.findings:
        assert finding.sentence in texts
    # In the letter's order, the most serious first within each heading.
    shown = [t for t in texts if t in {f.sentence for f in found.findings}]
    assert shown == [f.sentence for f in found.findings]
    for item in found.not_assessed:
        assert f"{item.rule.subject}: not assessed: {item.reason}." in texts


@pytest.mark.usefixtures("env")
def test_a_finding_opens_the_children_behind_it(expected):
    _, waiting, _ = expected
    at = open_as(SENIOR, PAGE)
    _button(at, "seen").click().run()
    assert not at.exception, errors(at)
    assert at.query_params["drill"] in ("not_yet_seen", ["not_yet_seen"])
    assert "Children behind: Children not yet seen" in [s.value for s in at.subheader]
    table = [d.value for d in at.dataframe if d.key == "overview_rows_not_yet_seen"][0]
    assert sorted(table["person_id"]) == sorted(waiting["person_id"])


@pytest.mark.usefixtures("env")
def test_a_team_standing_out_opens_that_teams_children(expected):
    _, _, caseload_c = expected
    at = open_as(SENIOR, PAGE)
    _button(at, "capacity_by_team").click().run()
    assert not at.exception, errors(at)
    assert at.query_params["team"] in ("T04", ["T04"])
    table = [d.value for d in at.dataframe if d.key == "overview_rows_caseload"][0]
    assert set(table["team"]) == {"T04"}
    assert sorted(table["person_id"]) == sorted(caseload_c["person_id"])


def bytes_of(data: object) -> bytes:
    """A download's bytes: the briefing is made when its button is pressed (a function)."""
    return data() if callable(data) else data


@pytest.mark.usefixtures("env")
def test_the_briefing_names_children_only_for_a_viewer_who_may_see_them(
    downloads,  # noqa: F811 (the fixture)
    expected,
):
    _, waiting, _ = expected
    at = open_as(SENIOR, PAGE)
    assert not at.exception, errors(at)
    assert callable(downloads["dl_findings_html"])  # made when pressed, not on every run
    document = bytes_of(downloads["dl_findings_html"]).decode("utf-8")
    assert document.count("OFFICIAL-SENSITIVE") >= 2  # at the top and the foot
    at_risk = waiting[waiting["at_risk"]]
    assert str(at_risk["person_id"].iloc[0]) in document

    downloads.clear()
    at = open_as(STRANGER, PAGE)  # signed in, not in the roles file: aggregates only
    assert not at.exception, errors(at)
    assert not [b for b in at.button if (b.key or "").startswith("children_")]
    document = bytes_of(downloads["dl_findings_html"]).decode("utf-8")
    assert "OFFICIAL-SENSITIVE" not in document
    assert "Aggregate figures only" in document
    assert str(at_risk["person_id"].iloc[0]) not in document


@pytest.mark.usefixtures("env")
def test_the_briefing_prints_to_pdf(
    downloads,  # noqa: F811 (the fixture)
):
    from frontdoor import pdf

    reason = pdf.unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    at = open_as(SENIOR, PAGE)
    assert "dl_findings_pdf" not in downloads  # made only when asked for
    at.button(key="make_findings_pdf").click().run()
    assert not at.exception, errors(at)
    made = downloads["dl_findings_pdf"]
    assert made.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", made)) >= 2  # the letter runs over A4 pages
