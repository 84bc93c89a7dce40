"""The findings: the rule table, the classification, the sentence (worked by hand on a small
extract), the generator's built-in weaknesses each found and worded, a well-run authority with
no area for development, and the command's text and JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdoor.cli import main
from metrics import MEASURES, Engine, Filters, catalog
from metrics.findings import (
    BETTER,
    IMPROVING,
    IN_LINE,
    STEADY,
    WORSE,
    WORSENING,
    classify,
    find,
    medians_of_the_others,
    months_before,
    year_earlier,
)
from metrics.findings_rules import DEVELOPMENT, HEADINGS, RULES, SATISFACTORY, STRENGTH
from metrics.goals import AMBER, GREEN, RED
from metrics.settings import DEFAULT_TARGETS

D = dt.date
PERIOD = Filters(D(2025, 4, 1), D(2026, 3, 31))


# -- the rule table ----------------------------------------------------------------------------


def test_every_rule_names_real_figures_and_known_placeholders():
    keys = [r.key for r in RULES]
    assert len(keys) == len(set(keys))
    known = {
        "value", "miss", "target", "days", "num", "den", "groups", "others", "groups_named",
        "do_not", "n", "its",
    }  # fmt: skip
    for rule in RULES:
        measure = catalog.get(rule.measure)
        assert rule.figure in measure.aggregates, rule.key
        assert rule.children is None or rule.children in MEASURES, rule.key
        if rule.affected:
            assert rule.affected.figure in catalog.get(rule.affected.measure).aggregates
        if rule.by:
            assert rule.size in measure.aggregates, rule.key
        assert rule.target is None or rule.target in DEFAULT_TARGETS, rule.key
        if rule.affected and rule.affected.target:
            assert rule.affected.target in DEFAULT_TARGETS, rule.key
        texts = [rule.development, rule.satisfactory, rule.strength or "", rule.says]
        texts += [rule.says_miss or "", rule.says_none or ""]
        if rule.affected:
            texts += [rule.affected.one, rule.affected.many, rule.affected.none]
        for text in texts:
            names = {f[1] for f in string.Formatter().parse(text) if f[1]}
            assert names <= known, (rule.key, names - known)


@pytest.mark.parametrize(
    ("rag", "england", "neighbours", "trend", "heading"),
    [
        (RED, None, None, None, DEVELOPMENT),
        (RED, BETTER, BETTER, IMPROVING, DEVELOPMENT),
        (AMBER, WORSE, None, None, DEVELOPMENT),
        (AMBER, None, WORSE, IMPROVING, DEVELOPMENT),
        (AMBER, None, None, WORSENING, DEVELOPMENT),
        (AMBER, IN_LINE, None, IMPROVING, SATISFACTORY),
        (AMBER, BETTER, None, STEADY, SATISFACTORY),
        (GREEN, WORSE, None, None, SATISFACTORY),
        (GREEN, IN_LINE, None, None, SATISFACTORY),
        (GREEN, BETTER, None, WORSENING, SATISFACTORY),
        (GREEN, None, None, None, STRENGTH),
        (GREEN, BETTER, IN_LINE, STEADY, STRENGTH),
        (None, BETTER, None, None, STRENGTH),
        (None, IN_LINE, None, None, SATISFACTORY),
        (None, WORSE, None, None, DEVELOPMENT),
    ],
)
def test_classification_rules(rag, england, neighbours, trend, heading):
    assert classify(rag, england, neighbours, trend)[0] == heading


def test_the_year_earlier_and_calendar_months():
    f = year_earlier(Filters(D(2024, 3, 1), D(2025, 2, 28), D(2025, 3, 31)))
    assert (f.date_from, f.date_to, f.as_of) == (D(2023, 3, 1), D(2024, 2, 28), D(2024, 3, 31))
    leap = year_earlier(Filters(D(2024, 2, 29), D(2024, 2, 29)))
    assert leap.date_from == D(2023, 2, 28)
    assert months_before(D(2025, 3, 31), 1) == D(2025, 2, 28)
    assert months_before(D(2025, 4, 1), 24) == D(2023, 4, 1)


# -- worked by hand ----------------------------------------------------------------------------


def _referral(rid, person, date):
    return {
        "cine_referral_id": rid,
        "cine_person_id": person,
        "cine_referral_date": date,
        "cine_referral_nfa": False,
        "cine_referral_team": "T1",
    }


def _visit(vid, person, date):
    return {
        "cinv_cin_visit_id": vid,
        "cinv_person_id": person,
        "cinv_cin_visit_date": date,
        "cinv_cin_visit_seen": "Y",
    }


def _seeing_db(make_db, children: int = 10):
    """Referrals on Mon 2 Jun 2025: P1-P7 seen on Wed 4 Jun (2 working days, in time), P8 on
    Mon 16 Jun (10 working days, late), P9 and P10 never (open, 20 working days old on 30 Jun:
    late, and waiting now). A year earlier, Q1-Q10 referred on Mon 3 Jun 2024 were all seen the
    next day; Q0, referred on Fri 31 May 2024, is where the data start."""
    referrals = [_referral("RQ0", "Q0", D(2024, 5, 31))]
    visits = [_visit("VQ0", "Q0", D(2024, 6, 3))]
    for i in range(1, 11):
        referrals.append(_referral(f"RQ{i}", f"Q{i}", D(2024, 6, 3)))
        visits.append(_visit(f"VQ{i}", f"Q{i}", D(2024, 6, 4)))
    for i in range(1, children + 1):
        referrals.append(_referral(f"R{i}", f"P{i}", D(2025, 6, 2)))
        if i <= 7:
            visits.append(_visit(f"V{i}", f"P{i}", D(2025, 6, 4)))
        elif i == 8:
            visits.append(_visit(f"V{i}", f"P{i}", D(2025, 6, 16)))
    return make_db({"ssd_person": [], "ssd_cin_episodes": referrals, "ssd_cin_visits": visits})


def test_a_finding_worked_by_hand(make_db):
    engine = Engine(_seeing_db(make_db))
    found = find(engine, Filters(D(2025, 6, 2), D(2025, 6, 30)))
    by_rule = {f.rule.key: f for f in found.findings}
    assert set(by_rule) == {"seen", "rereferrals"}
    seen = by_rule["seen"]
    # 7 of 10 seen within 5 working days: 70%, red against the goal of 90% (amber down to 85%);
    # a year earlier 10 of 10 (100%): worse by 30 points, past the 2-point margin.
    assert seen.heading == DEVELOPMENT
    assert seen.figures["value"] == 70.0
    assert (seen.figures["numerator"], seen.figures["denominator"]) == (7, 10)
    assert seen.figures["against_goal"] == RED
    assert (seen.figures["year_earlier"], seen.figures["trend"]) == (100.0, WORSENING)
    assert seen.figures["change"] == -30.0
    assert seen.figures["affected"] == 2  # P9 and P10 wait now, 20 working days old
    assert seen.sentence == (
        "There are delays in seeing some children in need: 30% of children referred were not "
        "seen within 5 working days of referral, against a goal of no more than 10%; "
        "performance has worsened (0% a year earlier); 2 children are waiting now, unseen "
        "past 5 working days."
    )
    assert seen.children == {"measure": "not_yet_seen", "flag": "at_risk", "count": 2}
    # None of the 10 referrals had another in the 12 months before: 0%, green against the
    # goal of 20% or less and better than England's 22.6% (2024-25): a strength. The data do
    # not reach 12 months before the year-earlier period, so no trend is said.
    rereferrals = by_rule["rereferrals"]
    assert rereferrals.heading == STRENGTH
    assert rereferrals.figures["england"] == 22.6
    assert rereferrals.figures["trend"] == "no earlier data"
    assert rereferrals.sentence == (
        "Few children are referred again within a year: 0% of referrals were of a child "
        "referred in the previous 12 months, against 22.6% in England and a goal of no more "
        "than 20%."
    )
    # The letter's order: strengths first.
    assert [f.rule.key for f in found.findings] == ["rereferrals", "seen"]


def test_what_cannot_be_judged_is_not_assessed_with_its_reason(make_db):
    engine = Engine(_seeing_db(make_db))
    found = find(engine, Filters(D(2025, 6, 2), D(2025, 6, 30)))
    reasons = {n.rule.key: n.reason for n in found.not_assessed}
    assert reasons["contacts_decided"] == "needs ssd_contacts"
    assert reasons["oversight"] == "needs ssd_involvements, case_notes"
    assert reasons["agencies"] == "needs info_requests"
    assert reasons["siblings"] == "needs ssd_cin_assessments, ssd_family"
    assert reasons["cp_long_plans"] == "needs ssd_cp_plans"
    # Nothing is both a finding and not assessed; every rule is one or the other (group rules
    # that find no group standing out say nothing).
    said = {f.rule.key for f in found.findings}
    assert not said & set(reasons)
    assert said | set(reasons) | {r.key for r in RULES if r.by} == {r.key for r in RULES}
    # A year earlier the data do not reach 12 months back for the re-referrals.
    earlier = find(engine, Filters(D(2024, 6, 3), D(2024, 6, 30)))
    reasons = {n.rule.key: n.reason for n in earlier.not_assessed}
    assert reasons["rereferrals"] == (
        "needs 12 months of data before the period; the data start on 31 May 2024"
    )


def test_too_few_to_judge(make_db):
    engine = Engine(_seeing_db(make_db, children=4))
    found = find(engine, Filters(D(2025, 6, 2), D(2025, 6, 30)))
    reasons = {n.rule.key: n.reason for n in found.not_assessed}
    assert reasons["seen"] == "too few to judge (4 in all)"
    assert "seen" not in {f.rule.key for f in found.findings}


def test_a_team_filter_leaves_out_the_team_comparisons(sample_db):
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        found = find(Engine(con), Filters(PERIOD.date_from, PERIOD.date_to, team="T04"))
    finally:
        con.close()
    reasons = {n.rule.key: n.reason for n in found.not_assessed}
    assert "with a team filter" in reasons["allocation_by_team"]
    assert reasons["contacts_decided"] == "not recorded by team or worker"


# -- the generator's weaknesses, and a well-run authority ---------------------------------------


@pytest.fixture(scope="module")
def weak(sample_db: Path):
    import duckdb

    con = duckdb.connect(str(sample_db), read_only=True)
    yield find(Engine(con), PERIOD)
    con.close()


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory) -> Path:
    from frontdoor.generate import generate_extract
    from frontdoor.loader import load_extract

    root = tmp_path_factory.mktemp("clean")
    generate_extract(
        root / "extract",
        seed=2010,
        children=5000,
        start=D(2023, 4, 1),
        end=D(2026, 3, 31),
        weaknesses=False,
    )
    db = root / "clean.duckdb"
    report = load_extract(root / "extract", db, synthetic=True, extract_date=D(2026, 3, 31))
    assert report.ok, report.render()
    return db


def _development(found) -> dict[str, str]:
    return {f.rule.key: f.sentence for f in found.under(DEVELOPMENT)}


@pytest.mark.parametrize(
    ("weakness", "rule", "words"),
    [
        ("one short-staffed assessment team", "capacity_by_team",
         r"^There is insufficient capacity in Assessment Team C: there are [\d.]+ children per "
         r"full-time worker in Assessment Team C, against [\d.]+ in the other teams\.$"),
        ("one short-staffed assessment team", "allocation_by_team",
         r"^Cases wait longer for allocation in Assessment Team C: the share of referrals "
         r"allocated within 5 working days was [\d.]+% in Assessment Team C, against [\d.]+% in "
         r"the other teams"),
        ("children not seen", "seen",
         r"^There are delays in seeing some children in need: [\d.]+% of children referred were "
         r"not seen within 5 working days of referral, .*; \d+ children are waiting now, unseen "
         r"past 5 working days\.$"),
        ("unqualified assessors", "unqualified",
         r"^Some assessments of children in need are undertaken by unqualified staff: [\d.]+% of "
         r"assessments completed \(\d+ of [\d,]+\) were by workers with no social work "
         r"registration, against a goal of none"),
        ("siblings not assessed", "siblings",
         r"^The needs of children in sibling groups are not always assessed separately: [\d.]+% "
         r"of children referred with a brother or sister \(\d+ of \d+\) had no assessment of "
         r"their own"),
        ("no oversight after allocation", "oversight",
         r"^Some cases lack management oversight following allocation: [\d.]+% of open "
         r"allocated cases \(\d+ of \d+\) had no management oversight in the last 20 working "
         r"days"),
        ("late recording", "recording_by_worker",
         r"^Case recording by two workers is significantly delayed: they recorded [\d.]+% and "
         r"[\d.]+% of their case notes within 5 working days, against [\d.]+% for the other "
         r"workers\.$"),
        ("one slow agency", "agencies_by_agency",
         r"^Health does not respond promptly to requests for information: the share of requests "
         r"answered within 5 working days was [\d.]+% for Health, against [\d.]+% for the other "
         r"agencies; \d+ of its requests are still unanswered past 5 working days\.$"),
        ("Team C's children slow to move after assessment", "transfers_by_team",
         r"^Children assessed by Assessment Team C wait longer to move to the long-term team: the "
         r"share moving within 10 working days was [\d.]+% in Assessment Team C, against [\d.]+% "
         r"for the other teams\.$"),
        ("Team C's children slow to move after assessment", "transfers",
         r"^There are delays in moving children to the long-term team after assessment: [\d.]+% "
         r"of children with a plan after assessment waited more than 10 working days to move to "
         r"the long-term team, against a goal of no more than 10%"),
        ("police notifications at the weekend decided late", "police_by_day",
         r"^Police notifications made on (Saturday|Sunday|Friday), (Saturday|Sunday|Friday) and "
         r"(Saturday|Sunday|Friday) are not decided promptly: the share decided within 1 working "
         r"day was [\d.]+% on \w+day, [\d.]+% on \w+day and [\d.]+% on \w+day, against [\d.]+% "
         r"on the other days\.$"),
        ("the child's views missing", "views",
         r"^The views of children are not always recorded during assessment: [\d.]+% of "
         r"assessments completed have no record of the child's views, against a goal of no more "
         r"than 10%"),
    ],
)  # fmt: skip
def test_each_built_in_weakness_is_found_and_worded(weak, weakness, rule, words):
    development = _development(weak)
    assert rule in development, f"{weakness}: no area for development {rule!r}"
    assert re.search(words, development[rule]), development[rule]


def test_the_short_team_and_the_slow_agency_are_the_ones_named(weak):
    by_rule = {f.rule.key: f for f in weak.under(DEVELOPMENT)}
    assert [g["id"] for g in by_rule["capacity_by_team"].figures["groups"]] == ["T04"]
    assert [g["id"] for g in by_rule["agencies_by_agency"].figures["groups"]] == ["Health"]
    assert [g["id"] for g in by_rule["transfers_by_team"].figures["groups"]] == ["T04"]
    # Police notifications made from Friday to Sunday are the ones decided late.
    days = {g["id"] for g in by_rule["police_by_day"].figures["groups"]}
    assert days == {"Friday", "Saturday", "Sunday"}
    assert by_rule["capacity_by_team"].children == {
        "measure": "caseload", "flag": None, "count": None, "team": "T04",
        "groups": {"column": "team", "ids": ["T04"]},
    }  # fmt: skip
    # Workers are counted, not named.
    assert all(g["name"] is None for g in by_rule["recording_by_worker"].figures["groups"])


def test_the_children_behind_a_group_are_the_groups_own(weak, sample_db: Path):
    """The children listed behind a group standing out are that group's rows only (Health's
    requests, not every agency's; Friday to Sunday's notifications), with the rule's flag."""
    import duckdb

    from metrics.findings_html import pick_children

    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        engine = Engine(con)
        for finding in weak.under(DEVELOPMENT):
            if not finding.rule.by:
                continue
            spec = finding.children
            rows = engine.rows(catalog.get(spec["measure"]), PERIOD, limit=None)
            picked = pick_children(rows, spec["flag"], spec["groups"])
            column, ids = spec["groups"]["column"], spec["groups"]["ids"]
            assert column in rows, finding.rule.key
            assert set(picked[column].astype(str)) <= set(ids), finding.rule.key
            if spec["count"] is not None:  # the children affected now: as many as the figure
                assert len(picked) == spec["count"], finding.rule.key
            else:
                assert 0 < len(picked) < len(rows), finding.rule.key
    finally:
        con.close()


def test_a_clean_authority_has_no_area_for_development(clean_db: Path):
    import duckdb

    con = duckdb.connect(str(clean_db), read_only=True)
    try:
        found = find(Engine(con), PERIOD)
    finally:
        con.close()
    assert found.under(DEVELOPMENT) == [], [f.sentence for f in found.under(DEVELOPMENT)]
    said = {f.rule.key for f in found.findings}
    for rule in (
        "seen", "unqualified", "siblings", "oversight", "recording", "agencies", "transfers",
        "views",
    ):  # fmt: skip
        assert rule in said  # judged, and not an area for development
    assert found.under(STRENGTH)


# -- the command -------------------------------------------------------------------------------


def _run(capsys, db: Path, *extra: str) -> str:
    code = main(["findings", "--db", str(db), "--from", "2025-04-01", "--to", "2026-03-31", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_the_command_prints_the_letter(capsys, sample_db):
    text = _run(capsys, sample_db)
    assert text.startswith("Findings for 1 Apr 2025 to 31 Mar 2026, as at 31 Mar 2026")
    positions = [text.index(HEADINGS[h]) for h in (STRENGTH, SATISFACTORY, DEVELOPMENT)]
    assert positions == sorted(positions)
    assert text.index("Not assessed") > positions[-1]
    assert "- There are delays in seeing some children in need: " in text


def test_the_json_lists_each_finding_with_heading_measure_figures_and_sentence(capsys, sample_db):
    out = json.loads(_run(capsys, sample_db, "--json"))
    assert out["period"] == {
        "from": "2025-04-01", "to": "2026-03-31", "as_of": "2026-03-31", "team": None
    }  # fmt: skip
    assert out["findings"]
    for finding in out["findings"]:
        assert finding["heading"] in HEADINGS.values()
        assert finding["heading_key"] in HEADINGS
        assert finding["measure"] in MEASURES
        assert isinstance(finding["figures"], dict) and finding["figures"]
        assert finding["sentence"].endswith(".")
        assert finding["children"]["measure"] in MEASURES
    seen = next(f for f in out["findings"] if f["rule"] == "seen")
    assert seen["heading"] == "Areas for development"
    assert {"value", "goal", "england", "year_earlier", "trend", "affected"} <= set(seen["figures"])
    for item in out["not_assessed"]:
        assert set(item) == {"rule", "measure", "figure", "subject", "reason"}
        assert item["reason"]
    # Headings in the letter's order, the most serious first within areas for development.
    order = [f["heading_key"] for f in out["findings"]]
    assert order == sorted(order, key=[STRENGTH, SATISFACTORY, DEVELOPMENT].index)


def test_the_command_refuses_bad_input(capsys, tmp_path):
    code = main(["findings", "--db", str(tmp_path / "none.duckdb"), "--from", "2025-04-01",
                 "--to", "2025-03-01"])  # fmt: skip
    assert code == 2
    assert "no database file" in capsys.readouterr().err


def test_the_children_behind_a_flag_are_those_with_it_set_or_without():
    """A flag column as the measures give it (bool) is compared at once; one with gaps (object:
    True, False, None) keeps only the rows whose value says so, a gap never counting."""
    import pandas as pd

    from metrics.findings_html import pick_children

    rows = pd.DataFrame({"person_id": ["A", "B", "C"], "at_risk": [True, False, True]})
    assert pick_children(rows, "at_risk")["person_id"].tolist() == ["A", "C"]
    assert pick_children(rows, "!at_risk")["person_id"].tolist() == ["B"]
    gaps = rows.assign(at_risk=pd.Series([True, None, False], dtype=object))
    assert pick_children(gaps, "at_risk")["person_id"].tolist() == ["A"]
    assert pick_children(gaps, "!at_risk")["person_id"].tolist() == ["C"]  # B's gap: neither
    assert pick_children(rows, None)["person_id"].tolist() == ["A", "B", "C"]


def test_each_group_is_compared_with_the_median_of_the_others():
    # [10, 40, 20, 30]: without 10 -> 20, 30, 40: 30; without 40 -> 10, 20, 30: 20;
    # without 20 -> 10, 30, 40: 30; without 30 -> 10, 20, 40: 20.
    assert medians_of_the_others([10.0, 40.0, 20.0, 30.0]) == [30.0, 20.0, 30.0, 20.0]
    # [5, 1, 3]: without 5 -> 1, 3: 2; without 1 -> 3, 5: 4; without 3 -> 1, 5: 3.
    assert medians_of_the_others([5.0, 1.0, 3.0]) == [2.0, 4.0, 3.0]
    # ties: [2, 2, 9] -> without a 2: 2, 9: 5.5; without 9: 2, 2: 2
    assert medians_of_the_others([2.0, 2.0, 9.0]) == [5.5, 5.5, 2.0]


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40))
def test_the_median_of_the_others_is_the_median_without_the_group(values):
    expected = [statistics.median(values[:i] + values[i + 1 :]) for i in range(len(values))]
    assert medians_of_the_others(values) == expected
