"""Every snapshot measure's monthly trend equals its headline at each month end.

A snapshot trend is one query over a grid of month ends (Engine.monthly); these tests hold it to
the definition: the month's figures are the headline asked for that month (the month as the
period, its last day as the as-of date). On a small generated extract, so every measure has
figures in most months; Annex A's lists are added from the extract's own visits and reviews,
so the Annex A measures are checked too. Every snapshot measure of the catalog is covered, those
added later included.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from frontdoor.generate import generate_extract
from frontdoor.loader import load_extract
from metrics import MEASURES, Engine, Filters
from metrics.engine import month_ranges
from metrics.measure import SNAPSHOT, Share

START, END = dt.date(2024, 4, 1), dt.date(2026, 3, 31)
SNAPSHOTS = sorted(k for k, m in MEASURES.items() if m.kind == SNAPSHOT)
# Measures with figures in fewer of the 12 months on this small extract, and why:
# assessments_due counts open assessments due within a few working days of the month's end.
FEWER_MONTHS = {"assessments_due": 3}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("monthly")
    generate_extract(root / "extract", seed=11, children=600, start=START, end=END, fmt="csv")
    db = root / "monthly.duckdb"
    report = load_extract(root / "extract", db, synthetic=True, extract_date=END)
    assert report.ok, report.render()
    con = duckdb.connect(str(db))
    # Annex A's lists, as its reader hands them over (text columns): each child's seen visits
    # (several dates per child: the measure keeps the latest by as-of) and every CP review.
    con.execute(
        "CREATE TABLE annex_a_last_seen AS SELECT cinv_person_id AS person_id, "
        "CAST(cinv_cin_visit_date AS VARCHAR) AS last_seen_date FROM ssd_cin_visits "
        "WHERE cinv_cin_visit_seen"
    )
    con.execute(
        "CREATE TABLE annex_a_last_cp_review AS SELECT cppr_person_id AS person_id, "
        "cppr_cp_plan_id AS cp_plan_id, CAST(cppr_cp_review_date AS VARCHAR) AS last_review_date "
        "FROM ssd_cp_reviews"
    )
    con.close()
    con = duckdb.connect(str(db), read_only=True)
    yield Engine(con)
    con.close()


def _same(a: object, b: object) -> bool:
    # A trend is a frame: a column with a blank month holds NaN where the headline says None.
    a, b = (None if isinstance(v, float) and math.isnan(v) else v for v in (a, b))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)  # a mean summed in another order
    return a == b


def test_the_catalog_has_snapshot_measures_and_the_extract_gives_them_all(engine):
    assert {"unallocated", "not_yet_seen", "caseload", "oversight", "cp_reviews"} <= set(SNAPSHOTS)
    for key in SNAPSHOTS:
        assert engine.unavailable_reason(MEASURES[key]) is None, key


@pytest.mark.parametrize("by_team", [False, True])
@pytest.mark.parametrize("key", SNAPSHOTS)
def test_each_month_of_the_trend_is_that_month_ends_headline(engine, key, by_team):
    measure = MEASURES[key]
    team = None
    if by_team:
        if not measure.by_team:
            pytest.skip(f"{key} has no team")
        # The team with the most of the measure's rows over the period's month ends (team
        # filter on): a measure of a few days' window may have none at the period's end.
        teams = pd.concat(
            [
                engine.rows(measure, Filters(start, end, end))["team"]
                for start, end in month_ranges(dt.date(2025, 4, 1), END)
            ]
        )
        team = teams.value_counts().index[0]
    period = Filters(dt.date(2025, 4, 1), END, team=team)
    trend = engine.monthly(measure, period)
    months = month_ranges(period.date_from, period.date_to)
    assert list(trend["month"]) == [start for start, _ in months]
    nonzero = 0
    for row, (start, end) in zip(trend.to_dict("records"), months, strict=True):
        # The headline with each share's numerator and denominator, as the trend gives them.
        headline = engine.headline(measure, Filters(start, end, end, team=team), parts=True)
        got = {k: v for k, v in row.items() if k != "month"}
        assert got.keys() == headline.keys()
        assert any(k.endswith("_numerator") for k in got) == any(
            isinstance(e, Share) for e in measure.aggregates.values()
        )
        for name, value in headline.items():
            assert _same(got[name], value), f"{key} {start} {name}: {got[name]} != {value}"
        # A figure not available says the same why in the trend as in the headline.
        for name in measure.aggregates:
            trend_value = None if _same(got[name], None) else got[name]
            assert engine.figure_reason(measure, name, trend_value) == engine.figure_reason(
                measure, name, headline[name]
            ), f"{key} {start} {name}"
        nonzero += any(v not in (None, 0, 0.0) for v in headline.values())
    # Something to compare: the measure has figures in most months of the extract.
    assert nonzero >= FEWER_MONTHS.get(key, 6), f"{key}: figures in only {nonzero} months"


def test_a_month_with_no_rows_has_its_row(engine):
    """Before the extract starts every month is empty: zeros and blanks, as its headline."""
    period = Filters(dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    trend = engine.monthly(MEASURES["unallocated"], period)
    assert list(trend["month"]) == [dt.date(2023, 1, 1), dt.date(2023, 2, 1), dt.date(2023, 3, 1)]
    assert list(trend["count"]) == [0, 0, 0]
    assert list(trend["oldest_wd"]) == [None, None, None]


MONTH_BITS = sorted(k for k in SNAPSHOTS if MEASURES[k].month_bits)


def _agrees_with_headlines(engine, measure, period: Filters) -> None:
    trend = engine.monthly(measure, period)
    months = month_ranges(period.date_from, period.date_to)
    assert list(trend["month"]) == [start for start, _ in months]
    for row, (start, end) in zip(trend.to_dict("records"), months, strict=True):
        headline = engine.headline(
            measure, replace(period, date_from=start, date_to=end, as_of=end), parts=True
        )
        for name, value in headline.items():
            assert _same(row[name], value), f"{measure.key} {start} {name}: {row[name]} != {value}"


@pytest.mark.parametrize("key", MONTH_BITS)
def test_a_trend_read_by_month_bits_keeps_to_its_headline_in_odd_periods(engine, key):
    """A trend read as month bits (Measure.month_bits) at the edges the month-end test does not
    reach: a period starting and ending mid-month (the last month's date is the period's end,
    not a month end), a worker's caseload, one child, and a period longer than the bits hold
    (read by the grid query instead, month for month the same), and the longest it reads."""
    measure = MEASURES[key]
    _agrees_with_headlines(engine, measure, Filters(dt.date(2025, 1, 17), dt.date(2025, 9, 12)))
    # A worker and a child of the measure's rows at the first month end that has any.
    rows = next(
        frame
        for start, end in month_ranges(dt.date(2025, 1, 1), END)
        if not (frame := engine.rows(measure, Filters(start, end, end))).empty
    )
    period = Filters(dt.date(2025, 1, 1), END)
    if measure.by_team:
        worker = rows["worker_id"].dropna().value_counts().index[0]
        _agrees_with_headlines(engine, measure, replace(period, worker=worker))
    if measure.child_level:
        _agrees_with_headlines(engine, measure, replace(period, person=rows["person_id"].iloc[0]))
    # As many months as the trend file reads (the highest bits used), then one more: read by
    # the grid query instead, the same.
    months = END.year * 12 + END.month - measure.month_bits
    most = Filters(dt.date(months // 12, months % 12 + 1, 1), END)
    assert len(month_ranges(most.date_from, most.date_to)) == measure.month_bits
    _agrees_with_headlines(engine, measure, most)
    long = Filters(most.date_from - dt.timedelta(days=1), END)
    assert len(month_ranges(long.date_from, long.date_to)) > measure.month_bits
    by_grid = engine.monthly(measure, long).tail(12).to_dict("records")
    by_bits = engine.monthly(measure, Filters(dt.date(2025, 4, 1), END)).to_dict("records")
    for grid_row, bits_row in zip(by_grid, by_bits, strict=True):
        assert grid_row.keys() == bits_row.keys()
        assert all(_same(grid_row[k], bits_row[k]) for k in grid_row), (grid_row, bits_row)
