"""fact_caseload_worker (frontdoor/facts) and caseload per worker's monthly trend, worked out by
hand for a worker who moves from one team to another during the period, with a tie between their
two teams at a month end, a day with nothing open for another worker, and the oldest allocation
date after the oldest child has left."""

from __future__ import annotations

import datetime as dt

from metrics import Engine, Filters, get
from metrics.engine import plain
from tests.conftest import allocation

D = dt.date

# W1 (FTE 1.0) moves from T1 to T2. T1: C1 6 Jan to 10 Mar, C2 13 Jan to 17 Feb, C6 20 Jan to
# 14 Feb, C7 25 Feb to 31 Mar. T2: C3 from 27 Jan, C4 from 29 Jan (siblings, family F1).
# W2 (FTE 0.5, T1): C5 20 Jan to 5 Mar, then C8 from 20 Mar (nothing open 5-20 Mar).
EXTRACT = {
    "ssd_person": [
        {"pers_person_id": c, "pers_dob": D(2015, 1, 1)}
        for c in ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8")
    ],
    "ssd_cin_episodes": [],
    "ssd_family": [
        {"fami_table_id": "1", "fami_family_id": "F1", "fami_person_id": "C3"},
        {"fami_table_id": "2", "fami_family_id": "F1", "fami_person_id": "C4"},
    ],
    "ssd_professionals": [
        {"prof_professional_id": "W1", "prof_full_time_equivalency": 1.0},
        {"prof_professional_id": "W2", "prof_full_time_equivalency": 0.5},
    ],
    "ssd_involvements": [
        allocation("A1", "W1", "T1", D(2025, 1, 6), D(2025, 3, 10), person="C1"),
        allocation("A2", "W1", "T1", D(2025, 1, 13), D(2025, 2, 17), person="C2"),
        allocation("A3", "W1", "T2", D(2025, 1, 27), person="C3"),
        allocation("A4", "W1", "T2", D(2025, 1, 29), person="C4"),
        allocation("A6", "W1", "T1", D(2025, 1, 20), D(2025, 2, 14), person="C6"),
        allocation("A7", "W1", "T1", D(2025, 2, 25), D(2025, 3, 31), person="C7"),
        allocation("A5", "W2", "T1", D(2025, 1, 20), D(2025, 3, 5), person="C5"),
        allocation("A8", "W2", "T1", D(2025, 3, 20), person="C8"),
    ],
}
MEASURE = get("caseload_workers")
PERIOD = (D(2025, 1, 1), D(2025, 4, 15))


def _row(engine: Engine, worker: str, as_of: dt.date) -> list | None:
    rows = engine.rows(MEASURE, Filters(as_of, as_of, as_of)).set_index("worker_id")
    if worker not in rows.index:
        return None
    columns = ["team", "children", "families", "sibling_groups", "oldest_allocation_date"]
    return [plain(v) for v in rows.loc[worker, columns]]


def test_a_workers_row_at_each_date_follows_the_team_of_most_pairs(make_db):
    engine = Engine(make_db(EXTRACT))
    # 31 Jan: T1 holds C1, C2, C6 (3 pairs), T2 C3, C4 (2): T1; 5 children, 4 families (F1 and
    # three of one), 1 sibling group (F1); the oldest allocation C1's, 6 Jan.
    assert _row(engine, "W1", D(2025, 1, 31)) == ["T1", 5, 4, 1, D(2025, 1, 6)]
    # 28 Feb: C2 and C6 have left; T1 C1, C7 (2 pairs), T2 C3, C4 (2): a tie, decided by the
    # latest allocation, T1's C7 (25 Feb) against T2's C4 (29 Jan): T1.
    assert _row(engine, "W1", D(2025, 2, 28)) == ["T1", 4, 3, 1, D(2025, 1, 6)]
    # 10 Mar: C1 left that day: T1 C7 alone, T2 two: T2; the oldest now C3's, 27 Jan.
    assert _row(engine, "W1", D(2025, 3, 10)) == ["T2", 3, 2, 1, D(2025, 1, 27)]
    # 31 Mar: C7 left that day: T2 alone.
    assert _row(engine, "W1", D(2025, 3, 31)) == ["T2", 2, 1, 1, D(2025, 1, 27)]
    # W2 has nothing open from 5 Mar (C5 left) to 20 Mar (C8 came): no row between.
    assert _row(engine, "W2", D(2025, 3, 4)) == ["T1", 1, 1, 0, D(2025, 1, 20)]
    assert _row(engine, "W2", D(2025, 3, 10)) is None
    assert _row(engine, "W2", D(2025, 3, 20)) == ["T1", 1, 1, 0, D(2025, 3, 20)]


def test_the_trend_counts_a_worker_who_moves_teams_in_each_months_team(make_db):
    engine = Engine(make_db(EXTRACT))
    columns = ["workers", "children_per_worker_mean", "children_per_worker_max"]

    def trend(**team) -> list[list]:
        frame = engine.monthly(MEASURE, Filters(*PERIOD, **team))
        assert frame["month"].tolist() == [D(2025, m, 1) for m in (1, 2, 3, 4)]
        return frame[[*columns, "children_per_fte_mean"]].values.tolist()

    # Month ends 31 Jan, 28 Feb, 31 Mar and 15 Apr (the as-of date). W1: 5, 4, 2, 2 children
    # (FTE 1.0); W2: 1 each (FTE 0.5: 2.0 per FTE; C8 from 20 Mar). Means: (5 + 1) / 2 = 3.0,
    # (4 + 1) / 2 = 2.5, (2 + 1) / 2 = 1.5; per FTE (5 + 2) / 2 = 3.5, (4 + 2) / 2 = 3.0,
    # (2 + 2) / 2 = 2.0.
    assert trend() == [[2, 3.0, 5, 3.5], [2, 2.5, 4, 3.0], [2, 1.5, 2, 2.0], [2, 1.5, 2, 2.0]]
    # T1 keeps W1's whole caseload while W1 is T1's (January, and February by the tie); T2 has
    # W1 from March only, and no worker before (0 workers, figures not available).
    assert trend(team="T1") == [
        [2, 3.0, 5, 3.5],
        [2, 2.5, 4, 3.0],
        [1, 1.0, 1, 2.0],
        [1, 1.0, 1, 2.0],
    ]
    t2 = trend(team="T2")
    assert [r[0] for r in t2] == [0, 0, 1, 1]
    assert t2[2:] == [[1, 2.0, 2, 2.0], [1, 2.0, 2, 2.0]]
    assert all(v is None or v != v for r in t2[:2] for v in r[1:])  # None or NaN: not 0
    # Each month is its own headline at that month end, as-of date and team.
    for team in ("T1", "T2"):
        months = engine.monthly(MEASURE, Filters(*PERIOD, team=team)).to_dict("records")
        for month in months:
            as_of = min(PERIOD[1], (month["month"] + dt.timedelta(days=31)).replace(day=1))
            as_of = as_of if as_of == PERIOD[1] else as_of - dt.timedelta(days=1)
            figures = engine.headline(MEASURE, Filters(month["month"], as_of, team=team))
            assert {k: plain(month[k]) for k in figures} == figures


def test_a_trend_ending_mid_month_takes_its_last_month_at_the_as_of_date(make_db):
    engine = Engine(make_db(EXTRACT))
    # 10 Mar: W1 (T2, 3 children: C3, C4, C7); W2 has nothing open.
    frame = engine.monthly(MEASURE, Filters(D(2025, 1, 1), D(2025, 3, 10)))
    assert frame["workers"].tolist() == [2, 2, 1]
    assert frame[["children_per_worker_mean", "children_per_worker_max"]].values.tolist()[-1] == [
        3.0,
        3,
    ]


def test_the_oldest_allocation_date_follows_the_pairs_earliest_open_allocation(make_db):
    # W3 holds C9 twice: A9 from 1 Jan to 1 Mar, A10 from 1 Feb (open); and C10 from 20 Jan to
    # 10 Feb. While A9 is open the pair's allocation date is 1 Jan; after it ends, A10's 1 Feb
    # (later than C10's 20 Jan, which has ended by then).
    extract = {
        "ssd_person": [{"pers_person_id": c, "pers_dob": D(2015, 1, 1)} for c in ("C9", "C10")],
        "ssd_cin_episodes": [],
        "ssd_involvements": [
            allocation("A9", "W3", "T1", D(2025, 1, 1), D(2025, 3, 1), person="C9"),
            allocation("A10", "W3", "T1", D(2025, 2, 1), person="C9"),
            allocation("A11", "W3", "T1", D(2025, 1, 20), D(2025, 2, 10), person="C10"),
        ],
    }
    engine = Engine(make_db(extract))
    assert _row(engine, "W3", D(2025, 1, 25)) == ["T1", 2, 2, 0, D(2025, 1, 1)]
    assert _row(engine, "W3", D(2025, 2, 15)) == ["T1", 1, 1, 0, D(2025, 1, 1)]
    assert _row(engine, "W3", D(2025, 3, 1)) == ["T1", 1, 1, 0, D(2025, 2, 1)]
