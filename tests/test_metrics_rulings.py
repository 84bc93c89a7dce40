"""The rulings on edge cases (docs/measures.md, second round), each on a small extract worked
out by hand. The readings frontdoor already took and that are now the definition are tested
where their measure is: oversight following allocation (test_metrics_oversight.py,
test_oversight_and_drift, P2), assessments authorised before they start (test_metrics_assessments
.py, A8), the team of an unallocated referral (test_metrics_allocation.py,
test_unallocated_snapshot; its worker below) and notes recorded after as-of
(test_metrics_oversight.py, test_recording_lag_in_working_days, N5).

Working days in April 2025: 1-4, 7-11, 14-17, 22-25, 28-30 (Good Friday 18 and Easter Monday 21
are bank holidays).
"""

from __future__ import annotations

import datetime as dt

from metrics import Engine, Filters, get
from tests.conftest import allocation

D = dt.date
MARCH = Filters(D(2025, 3, 1), D(2025, 3, 31))
APRIL = Filters(D(2025, 4, 1), D(2025, 4, 30))
Q1 = (D(2025, 4, 1), D(2025, 6, 30))  # as-of 30 June


def contact(cid, date, outcome=None):
    return {
        "cont_contact_id": cid,
        "cont_person_id": "P1",
        "cont_contact_date": date,
        "cont_outcome_date": outcome,
    }


def referral(rid, person, date, team=None, worker=None):
    return {
        "cine_referral_id": rid,
        "cine_person_id": person,
        "cine_referral_date": date,
        "cine_referral_team": team,
        "cine_referral_worker_id": worker,
    }


def alloc(iid, person, worker, team, start, end=None, referral_id=None):
    return allocation(iid, worker, team, start, end, person) | {"invo_referral_id": referral_id}


def test_a_contact_decided_before_it_was_made_is_left_out_of_the_share(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}],
            "ssd_cin_episodes": [],
            "ssd_contacts": [
                contact("C1", D(2025, 3, 3), D(2025, 3, 4)),  # Mon -> Tue: 1 wd, in time
                contact("C2", D(2025, 3, 3), D(2025, 3, 5)),  # Mon -> Wed: 2 wd, late
                contact("C3", D(2025, 3, 10), D(2025, 3, 7)),  # decided the Friday before
                contact("C4", D(2025, 3, 11)),  # no decision recorded
            ],
        }
    )
    engine = Engine(con)
    # 4 contacts; the share is over C1 and C2 only: 1 of 2 = 50% (C3 is not counted as late,
    # which would give 1 of 3); no decision recorded: C4.
    assert engine.headline(get("contacts"), MARCH) == {
        "count": 4,
        "decided_within_target_pct": 50.0,
        "no_decision_recorded": 1,
        "per_10k": None,  # no population setting
    }
    rows = engine.rows(get("contacts"), MARCH).set_index("contact_id")
    assert bool(rows.loc["C3", "decided_before_contact"])
    assert rows["within_target"].isna()["C3"] and rows["decision_wd"].isna()["C3"]
    assert not rows["decided_before_contact"]["C1"]


def test_an_allocation_linked_to_its_referral_but_starting_before_it(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}, {"pers_person_id": "P2"}],
            "ssd_cin_episodes": [
                referral("R1", "P1", D(2025, 4, 9), "T1"),
                referral("R2", "P2", D(2025, 4, 9), "T1"),
            ],
            "ssd_involvements": [
                # Names R1 and starts Mon 7 Apr, two days before it: allocated on 9 Apr, 0 wd.
                alloc("I1", "P1", "W1", "T2", D(2025, 4, 7), referral_id="R1"),
                # Names no referral and starts 7 Apr, when P2 had no open referral: not R2's.
                alloc("I2", "P2", "W1", "T2", D(2025, 4, 7)),
            ],
        }
    )
    engine = Engine(con)
    rows = engine.rows(get("allocation"), APRIL).set_index("referral_id")
    assert rows.loc["R1", "status"] == "allocated"
    assert rows.loc["R1", "allocated_date"].date() == D(2025, 4, 9)
    assert rows.loc["R1", "days"] == 0 and bool(rows.loc["R1", "linked_before_referral"])
    assert (rows.loc["R1", "team"], rows.loc["R1", "worker_id"]) == ("T2", "W1")
    # R2 waits: Wed 9 Apr -> 30 Apr = 10, 11, 14-17, 22-25, 28-30 = 13 wd > 5.
    assert rows.loc["R2", "status"] == "waiting" and rows.loc["R2", "days"] == 13
    assert not rows.loc["R2", "linked_before_referral"]
    # Cohort R1, R2; within target R1 = 50%; median over the allocated = 0.
    figures = engine.headline(get("allocation"), APRIL)
    assert (figures["cohort"], figures["within_target_pct"], figures["median_wd"]) == (2, 50.0, 0)
    # R1 is allocated, so not waiting for a worker: only R2 is.
    assert list(engine.rows(get("unallocated"), APRIL)["referral_id"]) == ["R2"]


def cp_team_db(make_db):
    return make_db(
        {
            "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 6)],
            "ssd_cin_episodes": [],
            "ssd_involvements": [
                # P1: TCIN until 1 May, then TCP.
                alloc("I1", "P1", "W1", "TCIN", D(2025, 1, 6), D(2025, 5, 1)),
                alloc("I2", "P1", "W2", "TCP", D(2025, 5, 1)),
                # P2: TCP until the plan ends on 15 May, then TCIN (a step down).
                alloc("I3", "P2", "W2", "TCP", D(2024, 11, 1), D(2025, 5, 15)),
                alloc("I4", "P2", "W3", "TCIN", D(2025, 5, 15)),
                # P5: TCIN until 3 Mar, then TCP.
                alloc("I5", "P5", "W1", "TCIN", D(2025, 1, 6), D(2025, 3, 3)),
                alloc("I6", "P5", "W2", "TCP", D(2025, 3, 3)),
            ],
            "ssd_cp_plans": [
                # X: started 10 Apr, held then by I1 (TCIN); open at as-of, held by I2 (TCP).
                {
                    "cppl_cp_plan_id": "X",
                    "cppl_person_id": "P1",
                    "cppl_cp_plan_start_date": D(2025, 4, 10),
                },
                # Y: ended 15 May; its last day open, 14 May, held by I3 (TCP), which ends with
                # the plan. At as-of P2 is TCIN's (I4), which never ran the plan.
                {
                    "cppl_cp_plan_id": "Y",
                    "cppl_person_id": "P2",
                    "cppl_cp_plan_start_date": D(2024, 11, 1),
                    "cppl_cp_plan_end_date": D(2025, 5, 15),
                },
                # Z: started 2 Jun, open; P3 has no allocated worker: team not recorded.
                {
                    "cppl_cp_plan_id": "Z",
                    "cppl_person_id": "P3",
                    "cppl_cp_plan_start_date": D(2025, 6, 2),
                },
                # W: started 6 Jan (before the period), open; TCP's at as-of (I6).
                {
                    "cppl_cp_plan_id": "W",
                    "cppl_person_id": "P5",
                    "cppl_cp_plan_start_date": D(2025, 1, 6),
                },
            ],
            # W: first review due 6 Apr, held 1 Apr (on time); next due 1 Oct.
            "ssd_cp_reviews": [
                {
                    "cppr_cp_review_id": "RV1",
                    "cppr_person_id": "P5",
                    "cppr_cp_plan_id": "W",
                    "cppr_cp_review_date": D(2025, 4, 1),
                }
            ],
        }
    )


def test_cp_plans_and_reviews_by_the_team_of_the_day(make_db):
    engine = Engine(cp_team_db(make_db))
    plans = get("cp_plans")
    # Authority: open X, Z, W = 3; started X, Z = 2; ended Y = 1 (6.5 months: 6-12 months).
    assert engine.headline(plans, Filters(*Q1)) == {
        "open": 3,
        "started": 2,
        "ended": 1,
        "repeat": 0,
        "ended_2y_plus_pct": 0.0,
        "open_per_10k": None,
    }
    # TCP: open X, W; started none; ended Y (it held Y on its last day).
    assert engine.headline(plans, Filters(*Q1, team="TCP")) == {
        "open": 2,
        "started": 0,
        "ended": 1,
        "repeat": 0,
        "ended_2y_plus_pct": 0.0,
        "open_per_10k": None,
    }
    # TCIN: started X (it held P1 on 10 Apr); it ran no plan that ended.
    assert engine.headline(plans, Filters(*Q1, team="TCIN")) == {
        "open": 0,
        "started": 1,
        "ended": 0,
        "repeat": 0,
        "ended_2y_plus_pct": None,
        "open_per_10k": None,
    }
    # W2: open X, W (I2, I6); ended Y (I3).
    w2 = engine.headline(plans, Filters(*Q1, worker="W2"))
    assert (w2["open"], w2["started"], w2["ended"]) == (2, 0, 1)
    by_team = engine.breakdown(plans, Filters(*Q1))
    assert [t if isinstance(t, str) else None for t in by_team["team"]] == ["TCIN", "TCP", None]
    assert list(by_team["open"]) == [0, 2, 1]
    assert list(by_team["started"]) == [1, 0, 1]
    assert list(by_team["ended"]) == [0, 1, 0]
    rows = engine.rows(plans, Filters(*Q1))
    ended = rows[rows["event"] == "ended"].iloc[0]
    assert (ended["cp_plan_id"], ended["team_day"].date()) == ("Y", D(2025, 5, 14))
    # Reviews take the team at as-of: W is TCP's (X's first review is not yet due).
    reviews = get("cp_reviews")
    assert engine.headline(reviews, Filters(*Q1, team="TCP")) == {
        "cohort": 1,
        "in_timescale_pct": 100.0,
    }
    assert engine.headline(reviews, Filters(*Q1, team="TCIN"))["cohort"] == 0


def test_a_referral_not_yet_allocated_is_its_own_rows_team_and_worker(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 4)],
            "ssd_cin_episodes": [
                # Open and never allocated: Mon 7 Apr -> 30 Apr = 8-11, 14-17, 22-25, 28-30 = 15.
                referral("R1", "P1", D(2025, 4, 7), "T1", "W5"),
                # Allocated to W1 in T2 the next day: 1 wd, T2's and W1's.
                referral("R2", "P2", D(2025, 4, 14), "T1", "W5"),
                # Open and never allocated: Tue 1 Apr -> 30 Apr = 19 wd.
                referral("R3", "P3", D(2025, 4, 1), "T1", "W6"),
            ],
            "ssd_involvements": [alloc("I2", "P2", "W1", "T2", D(2025, 4, 15), referral_id="R2")],
        }
    )
    engine = Engine(con)
    allocation, unallocated, referrals = get("allocation"), get("unallocated"), get("referrals")
    # W5: R1 waits past target: in the allocation cohort (late) and among the unallocated alike.
    w5 = Filters(D(2025, 4, 1), D(2025, 4, 30), worker="W5")
    assert engine.headline(allocation, w5)["cohort"] == 1
    assert engine.headline(allocation, w5)["within_target_pct"] == 0.0
    assert engine.headline(unallocated, w5)["count"] == 1
    assert engine.headline(referrals, w5)["count"] == 1  # R1 (R2 is W1's)
    assert engine.rows(allocation, w5)["referral_id"].tolist() == ["R1"]
    # T1: R1 and R3 in both; T2: R2 allocated in time, none waiting.
    t1 = Filters(D(2025, 4, 1), D(2025, 4, 30), team="T1")
    assert engine.headline(allocation, t1)["cohort"] == 2
    assert engine.headline(unallocated, t1)["count"] == 2
    t2 = Filters(D(2025, 4, 1), D(2025, 4, 30), team="T2")
    assert engine.headline(allocation, t2)["within_target_pct"] == 100.0
    assert engine.headline(unallocated, t2)["count"] == 0
