"""Management oversight, drift and case recording, on small extracts worked out by hand.

As-of is Mon 2025-03-31; 20 working days before it is Mon 2025-03-03 (no bank holidays in
between), so anything on or after 3 Mar is within the 20-day target and 28 Feb (21) is past it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import Engine, Filters, get
from metrics.settings import Settings

D = dt.date
PERIOD = (D(2025, 3, 1), D(2025, 3, 31))


def alloc(inv, worker, person, team, start, end=None):
    return {
        "invo_involvements_id": inv,
        "invo_professional_id": worker,
        "invo_professional_role_id": "Allocated Case Worker",
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
        "invo_person_id": person,
    }


def note(nid, person, kind, event, recorded=None, worker=None):
    return {
        "note_id": nid,
        "person_id": person,
        "note_type": kind,
        "event_date": event,
        "recorded_date": recorded,
        "worker_id": worker,
    }


def oversight_db(make_db):
    return make_db(
        {
            "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 8)],
            "ssd_cin_episodes": [],
            "ssd_involvements": [
                alloc("I1", "W1", "P1", "T1", D(2025, 1, 6)),
                alloc("I2", "W1", "P2", "T1", D(2025, 3, 10)),
                alloc("I3", "W2", "P3", "T2", D(2025, 1, 6)),
                alloc("I4", "W2", "P4", "T2", D(2025, 1, 6)),
                alloc("I5", "W2", "P5", "T2", D(2025, 1, 6), end=D(2025, 4, 30)),
                # P6: two open allocations: one case, owned by the earlier (W1, T1, 3 Feb).
                alloc("I6", "W1", "P6", "T1", D(2025, 2, 3)),
                alloc("I7", "W2", "P6", "T2", D(2025, 3, 3)),
                # P7: allocation closed before as-of.
                alloc("I8", "W1", "P7", "T1", D(2025, 1, 6), end=D(2025, 3, 14)),
            ],
            "case_notes": [
                # P2: oversight before the current allocation: the clock starts at allocation.
                note("N1", "P2", "management_oversight", D(2024, 6, 3)),
                note("N2", "P3", "Management_Oversight ", D(2025, 3, 3)),
                note("N3", "P4", "management_oversight", D(2025, 2, 28)),
                # After as-of: not seen (else P4 would have recent oversight and activity).
                note("N4", "P4", "management_oversight", D(2025, 4, 2)),
                note("N5", "P5", "supervision", D(2025, 2, 27)),
                note("N6", "P7", "management_oversight", D(2025, 3, 28)),
            ],
            "ssd_cp_visits": [
                # P4: a visit (child not seen) resets the drift clock.
                {
                    "cppv_cp_visit_id": "V1",
                    "cppv_person_id": "P4",
                    "cppv_cp_visit_date": D(2025, 3, 20),
                    "cppv_cp_visit_seen": False,
                },
            ],
            "ssd_cin_visits": [
                {
                    "cinv_cin_visit_id": "V2",
                    "cinv_person_id": "P6",
                    "cinv_cin_visit_date": D(2025, 3, 28),
                    "cinv_cin_visit_seen": True,
                },
                # P1: a visit after as-of is not seen.
                {
                    "cinv_cin_visit_id": "V3",
                    "cinv_person_id": "P1",
                    "cinv_cin_visit_date": D(2025, 4, 1),
                    "cinv_cin_visit_seen": True,
                },
            ],
        }
    )


def test_oversight_and_drift(make_db):
    engine = Engine(oversight_db(make_db))
    f = Filters(*PERIOD)
    rows = engine.rows(get("oversight"), f).set_index("person_id")
    # Working days since oversight (since allocation where none, or none since allocation):
    # P1 never, from Mon 6 Jan = 12 weeks = 60 -> over.  P2 from allocation Mon 10 Mar = 15.
    # P3 note Mon 3 Mar = 20 (not over).  P4 note Fri 28 Feb = 21 -> over.
    # P5 never, from 6 Jan = 60 -> over.  P6 never, from 3 Feb = 40 -> over.
    assert rows["days_since_oversight"].to_dict() == {
        "P1": 60,
        "P2": 15,
        "P3": 20,
        "P4": 21,
        "P5": 60,
        "P6": 40,
    }
    assert rows.loc["P2", "last_oversight_date"].date() == D(2024, 6, 3)
    # Activity: P1 none -> allocation 60; P2 allocation 15 (the old note is earlier);
    # P3 note 3 Mar = 20; P4 visit Thu 20 Mar = 7; P5 supervision Thu 27 Feb = 22 -> drift;
    # P6 visit Fri 28 Mar = 1.
    assert rows["days_since_activity"].to_dict() == {
        "P1": 60,
        "P2": 15,
        "P3": 20,
        "P4": 7,
        "P5": 22,
        "P6": 1,
    }
    assert rows.loc["P1", "last_activity_date"].date() == D(2025, 1, 6)
    # Open allocated: P1-P6 = 6 (P7 closed; P6 once). Without oversight: P1, P4, P5, P6 = 4.
    # Drift: P1, P5 = 2.
    figures = engine.headline(get("oversight"), f)
    assert figures == pytest.approx(
        {"open_allocated": 6, "without_oversight": 4, "without_oversight_pct": 400 / 6, "drift": 2}
    )  # without oversight: 4 of 6 = 66.7%
    # Equals the caseload's children for the authority.
    assert engine.headline(get("caseload"), f)["children"] == 6


def test_oversight_filters_follow_the_earliest_open_allocation(make_db):
    engine = Engine(oversight_db(make_db))
    # T1: P1, P2, P6 (its earlier allocation is W1's in T1): 3 = caseload children for T1.
    # Without oversight: P1, P6; drift: P1.
    t1 = Filters(*PERIOD, team="T1")
    assert engine.headline(get("oversight"), t1) == {
        "open_allocated": 3,
        "without_oversight": 2,
        "without_oversight_pct": pytest.approx(200 / 3),  # 2 of 3
        "drift": 1,
    }
    assert engine.headline(get("caseload"), t1)["children"] == 3
    # W2: P3, P4, P5 (P6 is counted once, under W1), though P6 is also on W2's caseload (4).
    w2 = Filters(*PERIOD, worker="W2")
    assert engine.headline(get("oversight"), w2) == {
        "open_allocated": 3,
        "without_oversight": 2,
        "without_oversight_pct": pytest.approx(200 / 3),  # 2 of 3
        "drift": 1,
    }
    assert engine.headline(get("caseload"), w2)["children"] == 4


def test_recording_lag_in_working_days(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}, {"pers_person_id": "P3"}],
            "ssd_cin_episodes": [],
            "ssd_professionals": [
                {"prof_professional_id": "W1", "prof_professional_department": "T1"},
                {"prof_professional_id": "W2", "prof_professional_department": " "},
            ],
            # W2 has no department: the team of W2's allocation of P3 is used.
            "ssd_involvements": [alloc("I1", "W2", "P3", "T2", D(2025, 1, 6))],
            "case_notes": [
                # Fri 7 Mar -> Mon 10 Mar: 1 wd over the weekend: within 5.
                note("N1", "P1", "visit", D(2025, 3, 7), D(2025, 3, 10), "W1"),
                # Fri 7 Mar -> Thu 13 Mar: 4 wd: within.
                note("N2", "P1", "other", D(2025, 3, 7), D(2025, 3, 13), "W1"),
                # Mon 3 Mar -> Tue 11 Mar: 6 wd: late.
                note("N8", "P1", "visit", D(2025, 3, 3), D(2025, 3, 11), "W1"),
                # Mon 3 Mar -> Mon 10 Mar: 5 wd: within (on the target).
                note("N3", "P3", "visit", D(2025, 3, 3), D(2025, 3, 10), "W2"),
                # Not recorded; Mon 24 Mar -> as-of Mon 31 Mar = 5 wd: not yet past target, left
                # out of the share.
                note("N4", "P3", "visit", D(2025, 3, 24), None, "W2"),
                # Recorded after as-of: outstanding at as-of; Fri 14 Mar -> Mon 31 Mar = 11 wd:
                # past target, counted as late.
                note("N5", "P3", "assessment", D(2025, 3, 14), D(2025, 4, 2), "W2"),
                # Outside the period.
                note("N6", "P3", "visit", D(2025, 2, 27), D(2025, 2, 28), "W2"),
                note("N7", "P3", "visit", D(2025, 4, 1), D(2025, 4, 1), "W2"),
            ],
        }
    )
    engine = Engine(con)
    f = Filters(*PERIOD)
    figures = engine.headline(get("recording"), f)
    # Notes: N1, N2, N3, N4, N5, N8 = 6. Lags of recorded notes: 1, 4, 5, 6 -> median 4.5.
    # Within target: N1, N2, N3 = 3; denominator: 4 recorded + N5 (past target) = 5 -> 60%.
    assert figures == {"notes": 6, "median_lag_wd": 4.5, "within_target_pct": 60.0}
    rows = engine.rows(get("recording"), f).set_index("note_id")
    assert rows.loc["N1", "lag_wd"] == 1
    assert bool(rows.loc["N5", "outstanding"]) and rows.loc["N5", "age_wd"] == 11
    assert rows["within_target"].isna()["N4"]
    # T1 (W1's department): N1 1, N2 4, N8 6 -> median 4, 2 of 3 = 66.7%.
    t1 = engine.headline(get("recording"), Filters(*PERIOD, team="T1"))
    assert t1["notes"] == 3 and t1["median_lag_wd"] == 4.0
    assert round(t1["within_target_pct"], 1) == 66.7
    # T2 (W2's allocation team): N3, N4, N5 -> median 5; within: N3 of N3 + N5 = 50%.
    t2 = engine.headline(get("recording"), Filters(*PERIOD, team="T2"))
    assert t2 == {"notes": 3, "median_lag_wd": 5.0, "within_target_pct": 50.0}
    assert engine.headline(get("recording"), Filters(*PERIOD, worker="W2")) == t2


def test_the_monthly_trend_counts_each_month_end_as_its_headline_would(make_db):
    """The trend read by month bits (metrics/sql/trend/oversight.sql), worked out by hand at
    the three month ends of Jan-Mar 2025 (no bank holidays between 6 Jan and 31 Mar)."""
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": p} for p in ("A", "B")],
            "ssd_cin_episodes": [],
            "ssd_involvements": [
                alloc("I1", "W1", "A", "T1", D(2025, 1, 6)),
                alloc("I2", "W1", "B", "T1", D(2025, 1, 6)),
            ],
            "case_notes": [
                note("N1", "A", "management_oversight", D(2025, 3, 3)),
                note("N2", "A", "case_note", D(2025, 2, 25)),
                note("N3", "B", "management_oversight", D(2025, 2, 28)),
            ],
            "ssd_cp_visits": [],
            "ssd_cin_visits": [],
        }
    )
    trend = Engine(con).monthly(get("oversight"), Filters(D(2025, 1, 1), D(2025, 3, 31)))
    # Working days from Mon 6 Jan: to Fri 31 Jan 19 (within 20), to Fri 28 Feb 39.
    # A: oversight 3 Mar; at 28 Feb none since allocation (39: over); at 31 Mar 3 Mar is 20
    #    (within). Drift: the case note of Tue 25 Feb is 3 before 28 Feb, 3 Mar 20 before 31 Mar.
    # B: oversight Fri 28 Feb: 0 at 28 Feb, 21 at 31 Mar (over, for oversight and drift).
    # Without oversight: A at 28 Feb, B at 31 Mar; drifting: B at 31 Mar.
    assert list(trend["open_allocated"]) == [2, 2, 2]
    assert list(trend["without_oversight"]) == [0, 1, 1]
    assert list(trend["drift"]) == [0, 0, 1]
    assert list(trend["without_oversight_pct"]) == [0.0, 50.0, 50.0]
    # A month's target of 21 working days: B's 21 at 31 Mar is within it.
    longer = Engine(con, Settings().with_targets(oversight_wd=21, drift_wd=21))
    trend = longer.monthly(get("oversight"), Filters(D(2025, 1, 1), D(2025, 3, 31)))
    assert list(trend["without_oversight"]) == [0, 1, 0]


def test_each_allocation_span_carries_its_childs_monthly_latest_notes(make_db):
    """fact_allocation_latest (what the trend reads): each of fact_child_allocation's spans with
    its child's monthly latests from its allocation date to its end (a date before the
    allocation date keeps no month end at which the span is past its target, one on or after
    the end none of the span's month ends), the spans in order of their end (open ones last)."""
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": p} for p in ("A", "B", "C")],
            "ssd_cin_episodes": [],
            "ssd_involvements": [
                alloc("I1", "W1", "A", "T1", D(2025, 1, 6)),
                alloc("I2", "W2", "B", "T2", D(2025, 1, 6), D(2025, 3, 10)),
                alloc("I3", "W1", "C", "T1", D(2025, 2, 3)),
            ],
            "case_notes": [
                note("N1", "A", "management_oversight", D(2025, 3, 3)),
                note("N2", "A", "case_note", D(2025, 2, 25)),
                note("N3", "A", "case_note", D(2025, 2, 11)),
                note("N4", "B", "management_oversight", D(2025, 2, 28)),
                note("N5", "A", "management_oversight", D(2024, 12, 20)),
                note("N6", "B", "management_oversight", D(2025, 3, 10)),
            ],
            "ssd_cp_visits": [],
            "ssd_cin_visits": [],
        }
    )
    rows = con.execute("FROM fact_allocation_latest").fetchall()
    # B's span ends on 10 March (first); A's and C's are open (after, by child). A: its
    # oversight note of 3 Mar (not 20 Dec, before its allocation on 6 Jan); its latest of each
    # month, notes of any type: 25 Feb (not 11 Feb), 3 Mar. B: 28 Feb, not 10 Mar (its span's
    # end, March's latest). C has no note or visit: no months (NULL, as fact_activity has no row
    # for it).
    assert rows == [
        (
            "B",
            D(2025, 1, 6),
            D(2025, 3, 10),
            D(2025, 1, 6),
            "T2",
            "W2",
            [D(2025, 2, 28)],
            [D(2025, 2, 28)],
        ),
        (
            "A",
            D(2025, 1, 6),
            None,
            D(2025, 1, 6),
            "T1",
            "W1",
            [D(2025, 3, 3)],
            [D(2025, 2, 25), D(2025, 3, 3)],
        ),
        ("C", D(2025, 2, 3), None, D(2025, 2, 3), "T1", "W1", None, None),
    ]
