"""The family cuts of fact_caseload_worker (frontdoor/facts: a worker's pair spans cut where the
worker's open children of a family change, which the fact counts but does not store) on one
worker's allocations worked out by hand, through the fact's rows, and the caseload per worker
read at dates on each side of the cuts: siblings allocated on different days, one of them twice
to the same worker, a sibling in another team, and a child with no family row (a family of
one)."""

from __future__ import annotations

import datetime as dt

from metrics import Engine, Filters, get
from tests.conftest import allocation

D = dt.date

# W1 holds C1 (A: T1, 1 Jan to 1 Mar 2025) and C2 (B: T2, from 1 Feb; C: T1, 10 Feb to 20 Feb,
# a second allocation of the same pair), both of family F1, and C3 (D: T2, from 15 Jan), who has
# no family row. W2 holds C1 too (E: T1, from 1 Feb): a family on W2's caseload of its own.
EXTRACT = {
    "ssd_person": [{"pers_person_id": c, "pers_dob": D(2015, 1, 1)} for c in ("C1", "C2", "C3")],
    "ssd_cin_episodes": [
        {"cine_referral_id": "R1", "cine_person_id": "C1", "cine_referral_date": D(2024, 12, 2)}
    ],
    "ssd_family": [
        {"fami_table_id": "1", "fami_family_id": "F1", "fami_person_id": "C1"},
        {"fami_table_id": "2", "fami_family_id": "F1", "fami_person_id": "C2"},
    ],
    "ssd_involvements": [
        allocation("A", "W1", "T1", D(2025, 1, 1), D(2025, 3, 1), person="C1"),
        allocation("B", "W1", "T2", D(2025, 2, 1), person="C2"),
        allocation("C", "W1", "T1", D(2025, 2, 10), D(2025, 2, 20), person="C2"),
        allocation("D", "W1", "T2", D(2025, 1, 15), person="C3"),
        allocation("E", "W2", "T1", D(2025, 2, 1), person="C1"),
    ],
}


def test_each_workers_span_is_cut_where_its_familys_children_on_the_caseload_change(make_db):
    con = make_db(EXTRACT)
    rows = con.execute(
        "SELECT worker_id, valid_from, valid_to, team, children, families, sibling_groups, "
        "oldest_allocation_date FROM fact_caseload_worker ORDER BY worker_id, valid_from"
    ).fetchall()
    # W1's F1: its pairs' spans start or end on 1 Jan (C1), 1 Feb (C2), 10 and 20 Feb (C2's
    # second allocation opens and closes: the pair's spans change, its earliest allocation B
    # stays) and 1 Mar (C1 ends); C3 (no family row: a family of one) starts on 15 Jan. C1
    # alone 1-15 Jan (T1); C1 (T1) and C3 (T2) to 1 Feb: one pair each, T2 by the latest
    # allocation (C3's, 15 Jan); C1 and C2 from 1 Feb, F1 counted once (C1, the lesser id: a
    # sibling group although C2 is T2's, C1 T1's), T2 of two pairs, the same figures on each
    # side of C2's cuts; from 1 Mar C2 alone of F1: no sibling group, the oldest allocation
    # C3's. W2's C1: its own family on W2's caseload, alone.
    assert rows == [
        ("W1", D(2025, 1, 1), D(2025, 1, 15), "T1", 1, 1, 0, D(2025, 1, 1)),
        ("W1", D(2025, 1, 15), D(2025, 2, 1), "T2", 2, 2, 0, D(2025, 1, 1)),
        ("W1", D(2025, 2, 1), D(2025, 2, 10), "T2", 3, 2, 1, D(2025, 1, 1)),
        ("W1", D(2025, 2, 10), D(2025, 2, 20), "T2", 3, 2, 1, D(2025, 1, 1)),
        ("W1", D(2025, 2, 20), D(2025, 3, 1), "T2", 3, 2, 1, D(2025, 1, 1)),
        ("W1", D(2025, 3, 1), None, "T2", 2, 2, 0, D(2025, 1, 15)),
        ("W2", D(2025, 2, 1), None, "T1", 1, 1, 0, D(2025, 2, 1)),
    ]


def _w1(con, as_of):
    rows = Engine(con).rows(get("caseload_workers"), Filters(as_of, as_of)).set_index("worker_id")
    return rows.loc["W1", ["team", "children", "families", "sibling_groups"]].tolist()


def test_caseload_per_worker_counts_each_family_once_on_either_side_of_the_cuts(make_db):
    con = make_db(EXTRACT)
    # 20 Jan: C1 (F1, T1) and C3 (T2): two families, no sibling group; one pair in each team,
    # so the team of the latest allocation (C3's, 15 Jan): T2.
    assert _w1(con, D(2025, 1, 20)) == ["T2", 2, 2, 0]
    # 15 Feb: C1 and C2 (F1, counted once: a sibling group although C2 is T2's, C1 T1's) and
    # C3: teams T1 one pair, T2 two: T2.
    assert _w1(con, D(2025, 2, 15)) == ["T2", 3, 2, 1]
    # 1 Mar: C1's allocation has ended on the day; C2 alone counts F1 now: no sibling group.
    assert _w1(con, D(2025, 3, 1)) == ["T2", 2, 2, 0]
