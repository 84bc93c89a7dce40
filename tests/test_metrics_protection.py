"""S47 enquiries, ICPCs, CP reviews and CP plans, on small extracts worked out by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from metrics import Engine, Filters, get

D = dt.date


def s47(sid, start, team, worker):
    return {
        "s47e_s47_enquiry_id": sid,
        "s47e_person_id": "P1",
        "s47e_s47_start_date": start,
        "s47e_s47_completed_by_team": team,
        "s47e_s47_completed_by_worker_id": worker,
    }


def icpc(cid, s47_id, date, team, worker, transfer_in=None):
    return {
        "icpc_icpc_id": cid,
        "icpc_s47_enquiry_id": s47_id,
        "icpc_person_id": "P1",
        "icpc_icpc_transfer_in": transfer_in,
        "icpc_icpc_date": date,
        "icpc_icpc_team": team,
        "icpc_icpc_worker_id": worker,
    }


def cp_db(make_db):
    return make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}],
            "ssd_cin_episodes": [],
            "ssd_s47_enquiry": [
                s47("S1", D(2025, 2, 3), "T1", "W1"),  # Mon
                s47("S2", D(2025, 2, 3), "T2", "W2"),  # Mon
                s47("S3", D(2025, 3, 10), "T1", "W1"),  # Mon
                s47("S4", D(2024, 12, 20), "T2", "W2"),  # Fri, before the period
                s47("S5", D(2025, 3, 20), "T2", "W2"),  # no ICPC
            ],
            "ssd_initial_cp_conference": [
                # Mon 3 Feb -> Mon 24 Feb: 3 whole weeks = 15 wd: within 15.
                icpc("C1", "S1", D(2025, 2, 24), "T1", "W1"),
                # Mon 3 Feb -> Tue 25 Feb: 16 wd: late.
                icpc("C2", "S2", D(2025, 2, 25), "T2", "W2"),
                # Fri 7 Mar, before its S47 (Mon 10 Mar): counted, left out of days and %.
                icpc("C3", "S3", D(2025, 3, 7), "T1", "W1"),
                # Transfer-in: not counted at all (even though it is in the period).
                icpc("C4", "S1", D(2025, 3, 3), "T1", "W1", transfer_in=True),
                # After the period.
                icpc("C5", "S5", D(2025, 4, 2), "T2", "W2"),
                # Fri 20 Dec 2024 -> Fri 10 Jan 2025: 23, 24, 27, 30, 31 Dec (25, 26 Dec and
                # 1 Jan are bank holidays), 2, 3, 6, 7, 8, 9, 10 Jan = 12 wd: within 15.
                icpc("C6", "S4", D(2025, 1, 10), "T2", "W2", transfer_in=False),
            ],
        }
    )


def test_s47_counts_enquiries_started_in_the_period_by_completing_team(make_db):
    engine = Engine(cp_db(make_db))
    period = (D(2025, 1, 1), D(2025, 3, 31))
    # S1, S2, S3, S5 started in the period (S4 in Dec 2024) = 4; T1: S1, S3; W2: S2, S5.
    # (No population setting: no rate per 10,000 children.)
    no_rate = {"per_10k": None}
    assert engine.headline(get("s47"), Filters(*period)) == {"count": 4, **no_rate}
    assert engine.headline(get("s47"), Filters(*period, team="T1")) == {"count": 2, **no_rate}
    assert engine.headline(get("s47"), Filters(*period, worker="W2")) == {"count": 2, **no_rate}


def test_icpc_timeliness_leaves_out_transfer_ins_and_icpcs_before_their_s47(make_db):
    engine = Engine(cp_db(make_db))
    period = (D(2025, 1, 1), D(2025, 3, 31))
    figures = engine.headline(get("icpc"), Filters(*period))
    # Counted: C1, C2, C3, C6 = 4 (C4 transfer-in, C5 after the period).
    # Days: C1 15, C2 16, C6 12 (C3 before its S47: none) -> median 15;
    # within 15: C1, C6 = 2 of 3 = 66.7%; before S47: C3 = 1.
    assert figures["count"] == 4
    assert figures["median_wd"] == 15
    assert round(figures["within_15wd_pct"], 1) == 66.7
    assert figures["before_s47"] == 1
    rows = engine.rows(get("icpc"), Filters(*period)).set_index("icpc_id")
    assert "C4" not in rows.index
    assert rows.loc["C6", "days"] == 12
    assert rows["days"].isna()["C3"] and bool(rows.loc["C3", "before_s47"])
    # T1: C1 (15, in time) and C3 (before S47): 2 counted, 100% of the 1 with days.
    t1 = engine.headline(get("icpc"), Filters(*period, team="T1"))
    assert t1 == {
        "count": 2,
        "median_wd": 15.0,
        "within_15wd_pct": 100.0,
        "before_s47": 1,
        "per_10k": None,  # no population setting
    }
    # W2: C2 (16) and C6 (12): median (12 + 16) / 2 = 14; 1 of 2 in time = 50%.
    w2 = engine.headline(get("icpc"), Filters(*period, worker="W2"))
    assert w2 == {
        "count": 2,
        "median_wd": 14.0,
        "within_15wd_pct": 50.0,
        "before_s47": 0,
        "per_10k": None,
    }


def plan(pid, person, start, end=None):
    return {
        "cppl_cp_plan_id": pid,
        "cppl_person_id": person,
        "cppl_cp_plan_start_date": start,
        "cppl_cp_plan_end_date": end,
    }


def review(rid, pid, date):
    return {
        "cppr_cp_review_id": rid,
        "cppr_person_id": "P?",
        "cppr_cp_plan_id": pid,
        "cppr_cp_review_date": date,
    }


def alloc(inv, worker, person, team, start):
    return {
        "invo_involvements_id": inv,
        "invo_professional_id": worker,
        "invo_professional_role_id": "allocated case worker",
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_person_id": person,
    }


def reviews_db(make_db):
    return make_db(
        {
            "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 8)],
            "ssd_cin_episodes": [],
            "ssd_involvements": [
                alloc("I1", "W1", "P1", "T1", D(2024, 6, 1)),
                alloc("I2", "W2", "P2", "T2", D(2025, 1, 2)),
            ],
            "ssd_cp_plans": [
                # CP1: first due 10 Sep 2024, held 5 Sep (on time); next due 5 Mar 2025, held
                # 12 Mar (late); next due 12 Sep 2025. One late review: out of timescale.
                plan("CP1", "P1", D(2024, 6, 10)),
                # CP2: 31 Jan + 3 months = 30 Apr 2025; held 30 Apr: on time; next due 30 Oct.
                # A review dated after as-of (1 Jul) is not seen.
                plan("CP2", "P2", D(2025, 1, 31)),
                # CP3: also due 30 Apr, held 1 May: late.
                plan("CP3", "P3", D(2025, 1, 31)),
                # CP4: first due 1 Aug 2025, after as-of: not in the cohort.
                plan("CP4", "P4", D(2025, 5, 1)),
                # CP5: first due 1 Mar 2025, never held: overdue, out of timescale.
                plan("CP5", "P5", D(2024, 12, 1)),
                # CP6: ended before as-of: not open.
                plan("CP6", "P6", D(2024, 1, 15), D(2025, 3, 1)),
                # CP7: ends after as-of, so open. First due 1 Jan 2025, held early 20 Dec 2024;
                # next due 20 Jun 2025, held on the day; next due 20 Dec 2025. In timescale.
                plan("CP7", "P7", D(2024, 10, 1), D(2025, 8, 1)),
            ],
            "ssd_cp_reviews": [
                review("R1", "CP1", D(2024, 9, 5)),
                review("R2", "CP1", D(2025, 3, 12)),
                review("R3", "CP2", D(2025, 4, 30)),
                review("R4", "CP2", D(2025, 7, 1)),
                review("R5", "CP3", D(2025, 5, 1)),
                review("R6", "CP7", D(2024, 12, 20)),
                review("R7", "CP7", D(2025, 6, 20)),
                review("R8", "CP6", D(2024, 4, 15)),
            ],
        }
    )


PERIOD_Q1 = (D(2025, 4, 1), D(2025, 6, 30))  # as-of 2025-06-30


def test_cp_review_chain_and_timescale(make_db):
    engine = Engine(reviews_db(make_db))
    f = Filters(*PERIOD_Q1)
    # Cohort: CP1, CP2, CP3, CP5, CP7 = 5 (CP4 first due after as-of, CP6 ended).
    # In timescale: CP2, CP7 = 2 of 5 = 40%.
    assert engine.headline(get("cp_reviews"), f) == {"cohort": 5, "in_timescale_pct": 40.0}
    rows = engine.rows(get("cp_reviews"), f).set_index("cp_plan_id")
    assert sorted(rows.index) == ["CP1", "CP2", "CP3", "CP5", "CP7"]
    assert rows.loc["CP1", "first_late_due_date"].date() == D(2025, 3, 5)
    assert rows.loc["CP1", "reviews_held"] == 2
    assert rows.loc["CP1", "next_due"].date() == D(2025, 9, 12)
    assert rows.loc["CP2", "first_due"].date() == D(2025, 4, 30)
    assert bool(rows.loc["CP2", "in_timescale"]) and rows.loc["CP2", "reviews_held"] == 1
    assert not bool(rows.loc["CP3", "in_timescale"])
    assert rows.loc["CP3", "first_late_due_date"].date() == D(2025, 4, 30)
    assert rows.loc["CP5", "first_late_due_date"].date() == D(2025, 3, 1)
    assert bool(rows.loc["CP7", "in_timescale"])
    assert rows.loc["CP7", "next_due"].date() == D(2025, 12, 20)
    # Team and worker from the child's open allocation: T1 = CP1 only (late) -> 0%.
    t1 = engine.headline(get("cp_reviews"), Filters(*PERIOD_Q1, team="T1"))
    assert t1 == {"cohort": 1, "in_timescale_pct": 0.0}
    w2 = engine.headline(get("cp_reviews"), Filters(*PERIOD_Q1, worker="W2"))
    assert w2 == {"cohort": 1, "in_timescale_pct": 100.0}


def test_cp_reviews_month_by_month(make_db):
    # Month ends 28 Feb - 31 Jul 2025 (the trend reads each plan once: in timescale from its
    # first due date to the first due date it misses).
    # 28 Feb: CP1 (in: next due 5 Mar), CP6 (open to 1 Mar; due 15 Oct 2024, not held: out),
    #         CP7 (in) -> 3, 2 in timescale.
    # 31 Mar: CP1 (out: due 5 Mar, held 12 Mar), CP5 (first due 1 Mar, never held: out), CP7
    #         -> 3, 1.
    # 30 Apr - 31 Jul: CP1, CP2 (held on its due date 30 Apr: in), CP3 (due 30 Apr, held
    #         1 May: out), CP5, CP7 (open to 1 Aug: in) -> 5, 2. CP4's first due is 1 Aug.
    engine = Engine(reviews_db(make_db))
    months = Filters(D(2025, 2, 1), D(2025, 7, 31))
    trend = engine.monthly(get("cp_reviews"), months)
    assert list(trend["cohort"]) == [3, 3, 5, 5, 5, 5]
    assert list(trend["in_timescale_pct_numerator"]) == [2, 1, 2, 2, 2, 2]
    # T1 holds P1 throughout: CP1 in timescale in February only. W2 holds P2: CP2 from April.
    t1 = engine.monthly(get("cp_reviews"), replace(months, team="T1"))
    assert list(t1["cohort"]) == [1] * 6
    assert list(t1["in_timescale_pct_numerator"]) == [1, 0, 0, 0, 0, 0]
    w2 = engine.monthly(get("cp_reviews"), replace(months, worker="W2"))
    assert list(w2["cohort"]) == [0, 0, 1, 1, 1, 1]
    assert list(w2["in_timescale_pct_numerator"]) == [0, 0, 1, 1, 1, 1]


def test_cp_reviews_due_within_the_horizon(make_db):
    engine = Engine(reviews_db(make_db))
    # Next due: CP1 12 Sep, CP2 30 Oct, CP3 1 Nov, CP4 1 Aug, CP5 1 Mar (overdue: not coming
    # up), CP7 20 Dec. 8 weeks after 30 Jun = 25 Aug: CP4 only.
    rows = engine.rows(get("cp_reviews_due"), Filters(*PERIOD_Q1))
    assert list(rows["cp_plan_id"]) == ["CP4"]
    # 12 weeks = 22 Sep: CP4 and CP1.
    f12 = Filters(*PERIOD_Q1, horizon_weeks=12)
    assert engine.headline(get("cp_reviews_due"), f12) == {"count": 2}


def test_cp_plans_open_started_ended_repeat_and_d7_bands(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 10)],
            "ssd_cin_episodes": [],
            "ssd_cp_plans": [
                plan("A1", "P1", D(2022, 1, 10), D(2024, 12, 1)),  # ended before: no row
                plan("A2", "P1", D(2025, 4, 10)),  # started, open, repeat (A1)
                plan("A3", "P2", D(2025, 5, 1)),  # started, open, first plan
                # Ended in the period, D7 bands by calendar months:
                plan("A4", "P3", D(2025, 1, 31), D(2025, 4, 30)),  # = 31 Jan + 3m: 3-6 months
                plan("A5", "P4", D(2025, 1, 31), D(2025, 4, 29)),  # under 3 months
                plan("A6", "P5", D(2024, 10, 1), D(2025, 5, 1)),  # +6m 1 Apr..: 6-12 months
                plan("A7", "P6", D(2023, 6, 1), D(2025, 6, 1)),  # exactly 2 years: 2 years+
                plan("A8", "P7", D(2023, 6, 2), D(2025, 6, 1)),  # a day short: 1-2 years
                plan("A9", "P8", D(2024, 1, 1), D(2025, 8, 1)),  # ends after as-of: open
                plan("A10", "P9", D(2025, 7, 5)),  # starts after as-of: not seen
                plan("A11", "P3", D(2025, 6, 2)),  # started, open, repeat (A4)
            ],
        }
    )
    engine = Engine(con)
    f = Filters(*PERIOD_Q1)
    # open: A2, A3, A9, A11 = 4; started: A2, A3, A11 = 3; ended: A4-A8 = 5;
    # repeat: A2, A11 = 2; 2 years or more: A7 = 1 of 5 ended = 20%.
    assert engine.headline(get("cp_plans"), f) == {
        "open": 4,
        "started": 3,
        "ended": 5,
        "repeat": 2,
        "ended_2y_plus_pct": 20.0,
        "open_per_10k": None,  # no population setting
    }
    rows = engine.rows(get("cp_plans"), f)
    # One row per plan and event: A2, A3, A11 started and open (2 rows each), A4-A8 ended, A9
    # open.
    events = sorted(zip(rows["cp_plan_id"], rows["event"], strict=True))
    assert events == sorted(
        [(p, "started") for p in ("A2", "A3", "A11")]
        + [(p, "open") for p in ("A2", "A3", "A9", "A11")]
        + [(p, "ended") for p in ("A4", "A5", "A6", "A7", "A8")]
    )
    rows = rows[rows["event"] != "started"].set_index("cp_plan_id")
    assert rows["duration_band"].dropna().to_dict() == {
        "A4": "3-6 months",
        "A5": "Under 3 months",
        "A6": "6-12 months",
        "A7": "2 years or more",
        "A8": "1-2 years",
    }
    assert rows["end_date"].isna()["A9"] and bool(rows.loc["A9", "is_open"])
    # A5: 31 Jan -> 29 Apr = 88 days.
    assert rows.loc["A5", "duration_days"] == 88


def test_a_stated_number_of_previous_plans_makes_a_repeat_plan(make_db):
    """The census (NumberOfPreviousCPP) and Annex A state earlier plans the extract may not hold."""
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 5)],
            "ssd_cin_episodes": [],
            "ssd_cp_plans": [
                {**plan("S1", "P1", D(2025, 4, 10)), "cppl_number_of_previous_cpp": 1},  # repeat
                {**plan("S2", "P2", D(2025, 5, 1)), "cppl_number_of_previous_cpp": 0},  # first
                plan("S3", "P3", D(2025, 5, 2)),  # nothing stated, no earlier plan: first
                # open, started before the period: not a plan started in it, so not counted
                {**plan("S4", "P4", D(2024, 5, 2)), "cppl_number_of_previous_cpp": 3},
            ],
        }
    )
    engine = Engine(con)
    f = Filters(*PERIOD_Q1)
    # started in the period: S1, S2, S3; repeat: S1 only.
    assert engine.headline(get("cp_plans"), f)["repeat"] == 1
    rows = engine.rows(get("cp_plans"), f)
    started = rows[rows["event"] == "started"].set_index("cp_plan_id")
    assert list(started.loc[["S1", "S2", "S3"], "is_repeat"]) == [True, False, False]
    assert list(started.loc[["S1", "S2"], "stated_previous_plans"]) == [1, 0]
    assert not rows[rows["cp_plan_id"] == "S4"]["is_repeat"].any()  # open, not started
