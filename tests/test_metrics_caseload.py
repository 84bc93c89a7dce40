"""Caseloads counted by child, on small extracts worked out by hand."""

from __future__ import annotations

import datetime as dt

from metrics import Engine, Filters, get

D = dt.date
PERIOD = (D(2025, 1, 1), D(2025, 3, 31))  # as-of = 2025-03-31


def alloc(inv, worker, person, team, start, end=None, role="Allocated Case Worker"):
    return {
        "invo_involvements_id": inv,
        "invo_professional_id": worker,
        "invo_professional_role_id": role,
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
        "invo_person_id": person,
    }


def prof(worker, reg, fte, agency=False):
    return {
        "prof_professional_id": worker,
        "prof_professional_name": f"Worker {worker}",
        "prof_social_worker_registration_no": reg,
        "prof_full_time_equivalency": fte,
        "prof_agency_worker_flag": agency,
    }


def caseload_db(make_db):
    return make_db(
        {
            "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 8)],
            "ssd_cin_episodes": [],
            "ssd_family": [
                {"fami_table_id": "1", "fami_family_id": "F1", "fami_person_id": "P1"},
                {"fami_table_id": "2", "fami_family_id": "F1", "fami_person_id": "P2"},
                {"fami_table_id": "3", "fami_family_id": "F2", "fami_person_id": "P3"},
                {"fami_table_id": "4", "fami_family_id": "F2", "fami_person_id": "P4"},
                # P5: no family row -> a family of one.
            ],
            "ssd_professionals": [
                prof("W1", "SW001", 1.0),
                prof("W2", "SW002", 0.5, agency=True),
                prof("W3", " ", None),  # unqualified, FTE blank
            ],
            "ssd_involvements": [
                # W1 (T1): siblings P1 and P2 of F1. P2's allocation ends after as-of: still open.
                alloc("I1", "W1", "P1", "T1", D(2025, 1, 10)),
                alloc("I2", "W1", "P2", "T1", D(2025, 2, 3), end=D(2025, 4, 15)),
                # F2 split: P3 with W2 (T1), P4 with W3 (T2). P5 (no family) with W3.
                alloc("I3", "W2", "P3", "T1", D(2025, 1, 6)),
                alloc("I4", "W3", "P4", "T2", D(2025, 1, 7)),
                alloc("I5", "W3", "P5", "T2", D(2025, 1, 8)),
                # Not open at as-of: ended 2025-03-01; starts after as-of; not an allocation;
                # ends on the as-of date itself (closed).
                alloc("I6", "W2", "P6", "T1", D(2025, 1, 2), end=D(2025, 3, 1)),
                alloc("I7", "W2", "P7", "T1", D(2025, 4, 2)),
                alloc("I8", "W1", "P1", "T1", D(2025, 1, 2), role="Team manager"),
                alloc("I9", "W1", "P7", "T1", D(2025, 1, 2), end=D(2025, 3, 31)),
            ],
        }
    )


def test_caseload_counts_children_families_and_sibling_groups(make_db):
    engine = Engine(caseload_db(make_db))
    f = Filters(*PERIOD)
    # Open at 2025-03-31: P1, P2 (W1), P3 (W2), P4, P5 (W3).
    # workers W1, W2, W3 = 3; children 5; families F1, F2, solo:P5 = 3;
    # sibling groups: F1 (P1+P2) and F2 (P3+P4, across two workers) = 2.
    assert engine.headline(get("caseload"), f) == {
        "workers": 3,
        "children": 5,
        "families": 3,
        "sibling_groups": 2,
    }
    rows = engine.rows(get("caseload"), f)
    assert sorted(rows["person_id"]) == ["P1", "P2", "P3", "P4", "P5"]
    p5 = rows[rows.person_id == "P5"].iloc[0]
    assert p5.family_id == "solo:P5"
    assert p5.family_children == 1


def test_caseload_filters_by_team_and_worker(make_db):
    engine = Engine(caseload_db(make_db))
    # T1: P1, P2 (W1), P3 (W2): workers 2, children 3, families F1, F2 = 2; sibling groups: F1
    # only (F2 has just P3 in T1) = 1.
    t1 = engine.headline(get("caseload"), Filters(*PERIOD, team="T1"))
    assert t1 == {"workers": 2, "children": 3, "families": 2, "sibling_groups": 1}
    rows = engine.rows(get("caseload"), Filters(*PERIOD, team="T1"))
    assert dict(zip(rows.person_id, rows.family_children, strict=True)) == {
        "P1": 2,
        "P2": 2,
        "P3": 1,
    }
    # W3: P4 (F2), P5 (solo): children 2, families 2, no sibling group on this caseload.
    w3 = engine.headline(get("caseload"), Filters(*PERIOD, worker="W3"))
    assert w3 == {"workers": 1, "children": 2, "families": 2, "sibling_groups": 0}
    # Per team: T1 as above; T2 = W3's caseload.
    by_team = engine.breakdown(get("caseload"), Filters(*PERIOD), by="team")
    assert list(by_team["team"]) == ["T1", "T2"]
    assert list(by_team["children"]) == [3, 2]
    assert list(by_team["sibling_groups"]) == [1, 0]
    # Per worker: only W1 has two children of one family.
    by_worker = engine.breakdown(get("caseload"), Filters(*PERIOD), by="worker")
    assert list(by_worker["worker"]) == ["W1", "W2", "W3"]
    assert list(by_worker["sibling_groups"]) == [1, 0, 0]


def test_caseload_per_worker_and_children_per_fte(make_db):
    engine = Engine(caseload_db(make_db))
    f = Filters(*PERIOD)
    rows = engine.rows(get("caseload_workers"), f).set_index("worker_id")
    # W1: 2 children, 1 family (F1), 1 sibling group, FTE 1.0 -> 2.0 per FTE.
    # W2: 1 child (P3), FTE 0.5 -> 2.0 per FTE. W3: P4 and P5, 2 families, FTE blank -> not shown.
    assert rows.loc["W1", ["children", "families", "sibling_groups"]].tolist() == [2, 1, 1]
    assert rows.loc["W2", ["children", "families", "sibling_groups"]].tolist() == [1, 1, 0]
    assert rows.loc["W3", ["children", "families", "sibling_groups"]].tolist() == [2, 2, 0]
    assert rows.loc["W1", "children_per_fte"] == 2.0
    assert rows.loc["W2", "children_per_fte"] == 2.0
    assert rows["children_per_fte"].isna()["W3"]
    assert bool(rows.loc["W1", "qualified"]) and not bool(rows.loc["W3", "qualified"])
    assert bool(rows.loc["W2", "agency"])
    figures = engine.headline(get("caseload_workers"), f)
    # Mean children per worker (2 + 1 + 2) / 3 = 1.67; max 2; per FTE mean over W1, W2 only:
    # (2.0 + 2.0) / 2 = 2.0 (W3's blank FTE is left out, not taken as 1).
    assert figures["workers"] == 3
    assert round(figures["children_per_worker_mean"], 2) == 1.67
    assert figures["children_per_worker_max"] == 2
    assert figures["children_per_fte_mean"] == 2.0
    # Team T2 holds W3 only.
    t2 = engine.headline(get("caseload_workers"), Filters(*PERIOD, team="T2"))
    assert t2["workers"] == 1 and t2["children_per_fte_mean"] is None


def test_siblings_across_two_workers_are_a_group_only_for_the_authority(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}, {"pers_person_id": "P2"}],
            "ssd_cin_episodes": [],
            "ssd_family": [
                {"fami_table_id": "1", "fami_family_id": "F9", "fami_person_id": "P1"},
                {"fami_table_id": "2", "fami_family_id": "F9", "fami_person_id": "P2"},
            ],
            "ssd_professionals": [prof("W1", "SW1", 1.0), prof("W2", "SW2", 1.0)],
            "ssd_involvements": [
                alloc("I1", "W1", "P1", "T1", D(2025, 2, 1)),
                alloc("I2", "W2", "P2", "T1", D(2025, 2, 1)),
            ],
        }
    )
    engine = Engine(con)
    f = Filters(*PERIOD)
    # Authority (and team T1): 2 children, 1 family, 1 sibling group.
    assert engine.headline(get("caseload"), f) == {
        "workers": 2,
        "children": 2,
        "families": 1,
        "sibling_groups": 1,
    }
    # Each worker: 1 child, 1 family, no sibling group.
    for worker in ("W1", "W2"):
        figures = engine.headline(get("caseload"), Filters(*PERIOD, worker=worker))
        assert figures == {"workers": 1, "children": 1, "families": 1, "sibling_groups": 0}
    rows = engine.rows(get("caseload_workers"), f)
    assert list(rows["sibling_groups"]) == [0, 0]
    assert list(rows["children"]) == [1, 1]


def test_a_child_with_two_workers_in_one_team_counts_once_for_the_team(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}],
            "ssd_cin_episodes": [],
            "ssd_involvements": [
                alloc("I1", "W1", "P1", "T1", D(2025, 2, 1)),
                alloc("I2", "W2", "P1", "T1", D(2025, 2, 3)),
            ],
        }
    )
    engine = Engine(con)
    # One child, two workers: team T1 has 1 child, 1 family; each worker has the child.
    figures = engine.headline(get("caseload"), Filters(*PERIOD, team="T1"))
    assert figures == {"workers": 2, "children": 1, "families": 1, "sibling_groups": 0}
    assert engine.rows(get("caseload_workers"), Filters(*PERIOD))["children"].tolist() == [1, 1]
