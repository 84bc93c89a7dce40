"""fact_child_workers (changes of worker's spans, frontdoor/facts) on one child's allocations
worked out by hand, and changes of worker's rows and monthly trend read at the dates where it
matters: a worker counted twice, an allocation ended on 29 February (a year on is 28 February,
whose 12 months before is 28 February: the worker still counts then), and each span's workers in
the order the child had them (the rows' list)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics import MEASURES, Engine, Filters
from tests.conftest import allocation

D = dt.date


# C1's allocations: A (W1, T1) 10 Jan to 29 Feb 2024, B (W2, T2) 1 Feb to 1 Jun 2024, C (W2
# again, T2) 1 to 15 Apr 2024, D (W3, T1) from 1 Feb 2025.
EXTRACT = {
    "ssd_person": [{"pers_person_id": "C1", "pers_dob": D(2015, 1, 1)}],
    "ssd_cin_episodes": [
        {"cine_referral_id": "R1", "cine_person_id": "C1", "cine_referral_date": D(2024, 1, 2)}
    ],
    "ssd_involvements": [
        allocation("A", "W1", "T1", D(2024, 1, 10), D(2024, 2, 29)),
        allocation("B", "W2", "T2", D(2024, 2, 1), D(2024, 6, 1)),
        allocation("C", "W2", "T2", D(2024, 4, 1), D(2024, 4, 15)),
        allocation("D", "W3", "T1", D(2025, 2, 1)),
    ],
}


def test_each_childs_spans_carry_its_workers_of_the_12_months_before(make_db):
    con = make_db(EXTRACT)
    spans = con.execute(
        "SELECT valid_from, valid_to, team, worker_id, workers_12m FROM fact_child_workers "
        "WHERE person_id = 'C1' ORDER BY valid_from"
    ).fetchall()
    # The child's allocation (fact_child_allocation): A alone from 10 Jan; A and B from 1 Feb
    # (A the earlier: W1, T1); B from 29 Feb (A ends), B and C 1-15 Apr (B the earlier), B until
    # 1 Jun; none from 1 Jun 2024 to 1 Feb 2025 (no span); D from 1 Feb 2025.
    # Workers counted until the first day whose 12 months before is on or after the end: A's
    # 29 Feb 2024 end until 1 Mar 2025 (28 Feb 2025 less 12 months is 28 Feb 2024, before it),
    # C's until 15 Apr 2025, B's until 1 Jun 2025. W2 (B and C) is one worker.
    # 2024: W1 from 10 Jan, W2 from 1 Feb. From 1 Feb 2025: W1, W2, W3 (3); from 1 Mar W2, W3
    # (C's until on 15 Apr cuts a span, W2 still counted through B); from 1 Jun W3 alone.
    assert spans == [
        (D(2024, 1, 10), D(2024, 2, 1), "T1", "W1", 1),
        (D(2024, 2, 1), D(2024, 2, 29), "T1", "W1", 2),
        (D(2024, 2, 29), D(2024, 4, 1), "T2", "W2", 2),
        (D(2024, 4, 1), D(2024, 4, 15), "T2", "W2", 2),
        (D(2024, 4, 15), D(2024, 6, 1), "T2", "W2", 2),
        (D(2025, 2, 1), D(2025, 3, 1), "T1", "W3", 3),
        (D(2025, 3, 1), D(2025, 4, 15), "T1", "W3", 2),
        (D(2025, 4, 15), D(2025, 6, 1), "T1", "W3", 2),
        (D(2025, 6, 1), None, "T1", "W3", 1),
    ]


def test_each_span_lists_its_workers_in_the_order_the_child_had_them(make_db):
    con = make_db(EXTRACT)
    spans = con.execute(
        "SELECT valid_from, allocated_date, workers FROM fact_child_workers "
        "WHERE person_id = 'C1' ORDER BY valid_from"
    ).fetchall()
    # The allocation date is the span's earliest open allocation's start (A's 10 Jan 2024, then
    # B's 1 Feb 2024 once A has ended, D's 1 Feb 2025). Workers by the start of their first
    # allocation counted: W1 (A, 10 Jan 2024) before W2 (B, 1 Feb 2024; C's later start does not
    # move W2) before W3 (D, 1 Feb 2025).
    assert spans == [
        (D(2024, 1, 10), D(2024, 1, 10), ["W1"]),
        (D(2024, 2, 1), D(2024, 1, 10), ["W1", "W2"]),
        (D(2024, 2, 29), D(2024, 2, 1), ["W1", "W2"]),
        (D(2024, 4, 1), D(2024, 2, 1), ["W1", "W2"]),
        (D(2024, 4, 15), D(2024, 2, 1), ["W1", "W2"]),
        (D(2025, 2, 1), D(2025, 2, 1), ["W1", "W2", "W3"]),
        (D(2025, 3, 1), D(2025, 2, 1), ["W2", "W3"]),
        (D(2025, 4, 15), D(2025, 2, 1), ["W2", "W3"]),
        (D(2025, 6, 1), D(2025, 2, 1), ["W3"]),
    ]
    # The rows read a span's list as text: on 28 Feb 2025 the three, on 1 Mar W1 has gone.
    engine = Engine(con)
    for day, workers in ((D(2025, 2, 28), "W1, W2, W3"), (D(2025, 3, 1), "W2, W3")):
        rows = engine.rows(MEASURES["worker_changes"], Filters(day, day, day))
        assert rows["workers"].tolist() == [workers]


def test_changes_of_worker_month_by_month_read_the_spans_as_the_rows_count(make_db):
    engine = Engine(make_db(EXTRACT))
    measure = MEASURES["worker_changes"]
    # The rows on 28 Feb 2025: W1 (A ended 29 Feb 2024), W2, W3; on 1 Mar 2025: W2, W3.
    for day, workers in ((D(2025, 2, 28), 3), (D(2025, 3, 1), 2)):
        rows = engine.rows(measure, Filters(day, day, day))
        assert rows["workers_12m"].tolist() == [workers]
    trend = engine.monthly(measure, Filters(D(2025, 1, 1), D(2025, 6, 30), D(2025, 6, 30)))
    # 31 Jan: not allocated (none). 28 Feb: 3 workers. 31 Mar, 30 Apr, 31 May: 2. 30 Jun: 1.
    assert trend["children"].tolist() == [0, 1, 1, 1, 1, 1]
    assert trend["three_plus"].tolist() == [0, 1, 0, 0, 0, 0]
    assert pd.isna(trend["mean_workers"][0])  # no children: not available, never 0
    assert trend["mean_workers"].tolist()[1:] == [3.0, 2.0, 2.0, 2.0, 1.0]
    # Team T2 held the child in 2024 only (B): none in 2025.
    t2 = engine.monthly(measure, Filters(D(2025, 1, 1), D(2025, 6, 30), D(2025, 6, 30), team="T2"))
    assert t2["children"].tolist() == [0] * 6


def test_each_calendar_month_end_keeps_its_figures_by_team_and_worker(make_db):
    con = make_db(EXTRACT)
    kept = con.execute(
        "SELECT month_end, team, worker_id, children, three_plus, workers "
        "FROM fact_child_workers_month ORDER BY month_end"
    ).fetchall()
    # From the first span's month end (31 Jan 2024). The span holding each month end: W1 on
    # 31 Jan (one worker); 29 Feb is A's end, so B's span from 29 Feb holds it (T2, W2: two
    # workers) as it does 31 Mar, 30 Apr and 31 May; none from 30 Jun 2024 to 31 Jan 2025 (no
    # row); 28 Feb 2025 three workers (T1, W3), 31 Mar to 31 May two, 30 Jun one.
    w2 = (1, 0, 2)
    assert kept[:6] == [
        (D(2024, 1, 31), "T1", "W1", 1, 0, 1),
        (D(2024, 2, 29), "T2", "W2", *w2),
        (D(2024, 3, 31), "T2", "W2", *w2),
        (D(2024, 4, 30), "T2", "W2", *w2),
        (D(2024, 5, 31), "T2", "W2", *w2),
        (D(2025, 2, 28), "T1", "W3", 1, 1, 3),
    ]
    assert kept[6:9] == [
        (D(2025, m, d), "T1", "W3", 1, 0, 2) for m, d in ((3, 31), (4, 30), (5, 31))
    ]
    # The last start or end is 1 Jun 2025: 30 Jun 2025, the first month end after it, holds the
    # open spans' counts (D's: one child with one worker), marked as standing for every later
    # month end; no row after it.
    assert kept[9:] == [(D(2025, 6, 30), "T1", "W3", 1, 0, 1)]
    marked = con.execute(
        "SELECT month_end FROM fact_child_workers_month WHERE after_changes ORDER BY month_end"
    ).fetchall()
    assert marked == [(D(2025, 6, 30),)]


def test_a_trend_ending_mid_month_or_for_one_child_reads_the_spans_as_the_rows_do(make_db):
    engine = Engine(make_db(EXTRACT))
    measure = MEASURES["worker_changes"]
    # As of 15 March 2025 (not a calendar month end): the span from 1 Mar 2025 (two workers).
    trend = engine.monthly(measure, Filters(D(2025, 1, 1), D(2025, 3, 15), D(2025, 3, 15)))
    assert trend["children"].tolist() == [0, 1, 1]
    assert trend["three_plus"].tolist() == [0, 1, 0]
    assert trend["mean_workers"].tolist()[1:] == [3.0, 2.0]
    # The child's own trend: as every child's (C1 is the only one); another child has none.
    period = Filters(D(2025, 1, 1), D(2025, 6, 30), D(2025, 6, 30), person="C1")
    child = engine.monthly(measure, period)
    assert child["children"].tolist() == [0, 1, 1, 1, 1, 1]
    assert child["mean_workers"].tolist()[1:] == [3.0, 2.0, 2.0, 2.0, 1.0]
    other = engine.monthly(measure, Filters(D(2025, 1, 1), D(2025, 6, 30), person="C2"))
    assert other["children"].tolist() == [0] * 6
    # Years after the data: the open span at every month end.
    late = engine.monthly(measure, Filters(D(2030, 1, 1), D(2030, 3, 31), D(2030, 3, 31)))
    assert late["children"].tolist() == [1, 1, 1]
    assert late["mean_workers"].tolist() == [1.0, 1.0, 1.0]
    # Across the fact's last month end (30 Jun 2025): 30 Apr and 31 May its own rows (two
    # workers), 30 Jun and the three after it the open span (one); T2's none, before or after.
    across = Filters(D(2025, 4, 1), D(2025, 9, 30), D(2025, 9, 30))
    trend = engine.monthly(measure, across)
    assert trend["children"].tolist() == [1] * 6
    assert trend["mean_workers"].tolist() == [2.0, 2.0, 1.0, 1.0, 1.0, 1.0]
    t2 = engine.monthly(measure, Filters(D(2025, 4, 1), D(2025, 9, 30), D(2025, 9, 30), team="T2"))
    assert t2["children"].tolist() == [0] * 6
