"""Allocation after referral and unallocated referrals, on a small extract worked out by hand.

Working days in April 2025 (Good Friday 18 Apr and Easter Monday 21 Apr are bank holidays):
1-4, 7-11, 14-17, 22-25, 28-30 = 20 working days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import Engine, Filters, MeasureUnavailable, get

D = dt.date
APRIL = Filters(D(2025, 4, 1), D(2025, 4, 30))


def referral(rid, person, date, team=None, nfa=None, close=None):
    return {
        "cine_referral_id": rid,
        "cine_person_id": person,
        "cine_referral_date": date,
        "cine_referral_nfa": nfa,
        "cine_close_date": close,
        "cine_referral_team": team,
    }


def involvement(iid, person, worker, team, start, referral=None, role="Allocated Case Worker"):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": person,
        "invo_professional_id": worker,
        "invo_professional_role_id": role,
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_referral_id": referral,
    }


def extract() -> dict[str, list[dict]]:
    return {
        "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 11)],
        "ssd_cin_episodes": [
            # R1 Thu 17 Apr, allocated Tue 22 Apr (through invo_referral_id, role in odd case and
            # spaces): 1 wd over Easter. The referral's own team is T2, the allocated worker's T1.
            referral("R1", "P1", D(2025, 4, 17), team="T2"),
            # R2 Tue 1 Apr, allocated Thu 10 Apr through P2's open referral (blank
            # invo_referral_id): 2,3,4,7,8,9,10 Apr = 7 wd, late. P2's older referral was closed.
            referral("R2old", "P2", D(2024, 1, 10), close=D(2024, 2, 1)),
            referral("R2", "P2", D(2025, 4, 1), team="T2"),
            # R3: NFA, allocated next day: left out.
            referral("R3", "P3", D(2025, 4, 2), team="T1", nfa=True),
            # R4 Mon 7 Apr, open, never allocated: age at 30 Apr = 15 wd > 5: waiting.
            referral("R4", "P4", D(2025, 4, 7), team="T1"),
            # R5 Mon 28 Apr, open, unallocated: age 29, 30 Apr = 2 wd, not yet past target.
            referral("R5", "P5", D(2025, 4, 28), team="T2"),
            # R6: closed 11 Apr without ever being allocated: left out.
            referral("R6", "P6", D(2025, 4, 3), team="T1", close=D(2025, 4, 11)),
            # R7 Wed 9 Apr, allocated Fri 2 May (after the as-of date 30 Apr): not yet allocated;
            # age at 30 Apr = 10,11,14-17,22-25,28-30 = 13 wd > 5: waiting.
            referral("R7", "P7", D(2025, 4, 9), team="T2"),
            # R8 Mon 14 Apr, allocated the same day: 0 wd.
            referral("R8", "P8", D(2025, 4, 14), team="T1"),
            # R9 Fri 28 Mar (before April), allocated Tue 1 Apr: 31 Mar, 1 Apr = 2 wd.
            referral("R9", "P9", D(2025, 3, 28), team="T3"),
            # R10 Wed 23 Apr, closes 6 May (after as-of, so open), unallocated:
            # age 24,25,28,29,30 Apr = 5 wd, exactly the target, not past it.
            referral("R10", "P10", D(2025, 4, 23), team="T1", close=D(2025, 5, 6)),
        ],
        "ssd_involvements": [
            involvement(
                "I1", "P1", "W1", "T1", D(2025, 4, 22), "R1", role=" Allocated Case Worker "
            ),
            # Not an allocation (other role), a day after the referral.
            involvement("I2a", "P2", "W9", "T9", D(2025, 4, 2), "R2", role="Team Manager"),
            involvement(
                "I2", "P2", "W2", "T2", D(2025, 4, 10), None, role="  allocated case WORKER "
            ),
            involvement("I3", "P3", "W1", "T1", D(2025, 4, 3), "R3"),
            involvement("I7", "P7", "W2", "T2", D(2025, 5, 2), "R7"),
            involvement("I8", "P8", "W1", "T1", D(2025, 4, 14), "R8"),
            involvement("I9", "P9", "W3", "T3", D(2025, 4, 1), "R9"),
        ],
    }


def test_allocation_cohort_days_and_share_within_target(make_db):
    engine = Engine(make_db(extract()))
    rows = engine.rows(get("allocation"), APRIL)
    # Cohort (April referrals, not NFA): allocated R2 (7), R8 (0), R1 (1); waiting past target
    # R4 (15), R7 (13). Left out: R3 (NFA), R5 (2 wd, not yet past target), R6 (closed, never
    # allocated), R10 (5 wd = target, not past it), R9 (March).
    assert list(rows["referral_id"]) == ["R2", "R4", "R7", "R8", "R1"]
    assert list(rows["status"]) == ["allocated", "waiting", "waiting", "allocated", "allocated"]
    assert list(rows["days"]) == [7, 15, 13, 0, 1]
    assert list(rows["within_target"]) == [False, False, False, True, True]
    # Team: the first allocated worker's; a waiting referral keeps its own team and no worker.
    assert list(rows["team"]) == ["T2", "T1", "T2", "T1", "T1"]
    assert [w if isinstance(w, str) else None for w in rows["worker_id"]] == [
        "W2",
        None,
        None,
        "W1",
        "W1",
    ]
    # R1's due date: 5 wd after Thu 17 Apr = 22, 23, 24, 25, 28 Apr -> 28 Apr.
    assert rows.set_index("referral_id").loc["R1", "due_date"].date() == D(2025, 4, 28)

    figures = engine.headline(get("allocation"), APRIL)
    # Allocated days 0, 1, 7 (n=3): median = 1; P25 at position 0.5 = 0 + 0.5*(1-0) = 0.5;
    # P75 at position 1.5 = 1 + 0.5*(7-1) = 4. Within target: R8, R1 = 2 of 5 = 40%.
    # No assessment factors in this extract: the domestic abuse share is not available.
    assert figures == {
        "cohort": 5,
        "median_wd": 1.0,
        "p25_wd": 0.5,
        "p75_wd": 4.0,
        "within_target_pct": 40.0,
        "domestic_abuse_within_target_pct": None,
    }


def test_allocation_after_as_of_counts_once_the_as_of_date_reaches_it(make_db):
    engine = Engine(make_db(extract()))
    figures = engine.headline(
        get("allocation"), Filters(D(2025, 4, 1), D(2025, 4, 30), D(2025, 5, 2))
    )
    # As of Fri 2 May: R7 is allocated (13 wd to 30 Apr + 1, 2 May = 15 wd, late); R4 still
    # waiting (17); R10 now 7 wd old and open (closes 6 May): waiting; R5 4 wd: left out.
    # Cohort R1, R2, R8, R7 + R4, R10 = 6; within R1, R8 = 2/6 = 33.3%.
    # Allocated days 0, 1, 7, 15: median (1+7)/2 = 4; P25 position 0.75 = 0 + 0.75*1 = 0.75;
    # P75 position 2.25 = 7 + 0.25*(15-7) = 9.
    assert figures["cohort"] == 6
    assert round(figures["within_target_pct"], 1) == 33.3
    assert (figures["median_wd"], figures["p25_wd"], figures["p75_wd"]) == (4.0, 0.75, 9.0)


def test_allocation_filters_by_team_and_worker(make_db):
    engine = Engine(make_db(extract()))
    t1 = engine.headline(get("allocation"), Filters(D(2025, 4, 1), D(2025, 4, 30), team="T1"))
    # T1: R1 (1, allocated to T1 though referred by T2), R8 (0), R4 waiting: 2/3 within;
    # median of 0, 1 = 0.5.
    assert t1["cohort"] == 3
    assert round(t1["within_target_pct"], 1) == 66.7
    assert t1["median_wd"] == 0.5
    t2 = engine.headline(get("allocation"), Filters(D(2025, 4, 1), D(2025, 4, 30), team="T2"))
    # T2: R2 (7, late), R7 waiting: 0/2 within; median 7.
    assert (t2["cohort"], t2["within_target_pct"], t2["median_wd"]) == (2, 0.0, 7.0)
    w1 = engine.headline(get("allocation"), Filters(D(2025, 4, 1), D(2025, 4, 30), worker="W1"))
    # W1: R1, R8 (waiting referrals have no worker): 2/2 within.
    assert (w1["cohort"], w1["within_target_pct"]) == (2, 100.0)

    by_team = engine.breakdown(get("allocation"), APRIL)
    assert list(by_team["team"]) == ["T1", "T2"]
    assert list(by_team["cohort"]) == [3, 2]


def test_allocation_monthly_series(make_db):
    engine = Engine(make_db(extract()))
    monthly = engine.monthly(get("allocation"), Filters(D(2025, 3, 1), D(2025, 4, 30)))
    # March: R9 alone, 2 wd, within. April: as above, 5 in the cohort, median 1, 40%.
    assert list(monthly["month"].astype(str)) == ["2025-03-01", "2025-04-01"]
    assert list(monthly["cohort"]) == [1, 5]
    assert list(monthly["median_wd"]) == [2.0, 1.0]
    assert list(monthly["within_target_pct"]) == [100.0, 40.0]


def test_unallocated_snapshot(make_db):
    engine = Engine(make_db(extract()))
    rows = engine.rows(get("unallocated"), APRIL)
    # Open at 30 Apr, not NFA, no allocation started by then, oldest first:
    # R4 (15), R7 (13; its allocation on 2 May is not yet known), R10 (5; its close on 6 May is
    # not yet known), R5 (2). Past target (> 5): R4, R7.
    assert list(rows["referral_id"]) == ["R4", "R7", "R10", "R5"]
    assert list(rows["age_wd"]) == [15, 13, 5, 2]
    assert list(rows["past_target"]) == [True, True, False, False]
    assert list(rows["team"]) == ["T1", "T2", "T1", "T2"]
    assert engine.headline(get("unallocated"), APRIL) == {
        "count": 4,
        "past_target": 2,
        "oldest_wd": 15,
    }
    # Team T1 (the referral's own team): R4, R10.
    t1 = engine.headline(get("unallocated"), Filters(D(2025, 4, 1), D(2025, 4, 30), team="T1"))
    assert t1 == {"count": 2, "past_target": 1, "oldest_wd": 15}


def test_unallocated_ignores_allocations_and_closures_after_as_of(make_db):
    engine = Engine(make_db(extract()))
    figures = engine.headline(get("unallocated"), Filters(D(2025, 4, 1), D(2025, 4, 9)))
    # As of Wed 9 Apr: R2 (1 Apr; allocated 10 Apr, not yet): 2,3,4,7,8,9 = 6 wd, past target;
    # R4 (7 Apr): 2 wd; R6 (3 Apr; closes 11 Apr, not yet): 4,7,8,9 = 4 wd; R7 (9 Apr): 0.
    # R9 was allocated 1 Apr; R3 is NFA; R1, R5, R8, R10 are not yet referred.
    assert figures == {"count": 4, "past_target": 1, "oldest_wd": 6}
    monthly = engine.monthly(get("unallocated"), Filters(D(2025, 3, 1), D(2025, 4, 30)))
    # 31 Mar: R9 (28 Mar) open and allocated only on 1 Apr: 1 wd old -> 1, none past target.
    # 30 Apr: as in test_unallocated_snapshot.
    assert list(monthly["count"]) == [1, 4]
    assert list(monthly["past_target"]) == [0, 2]


def test_allocation_needs_involvements(make_db):
    tables = extract()
    del tables["ssd_involvements"]
    engine = Engine(make_db(tables))
    for key in ("allocation", "unallocated"):
        with pytest.raises(MeasureUnavailable, match="needs ssd_involvements"):
            engine.headline(get(key), APRIL)
