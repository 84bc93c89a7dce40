"""The facts built at load (frontdoor/facts), on a small extract worked out by hand, and a
database loaded before the facts existed (or with facts of another version): told to load again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from metrics import MEASURES, Engine, Filters
from tests.conftest import allocation

D = dt.date


def _involvement(iid, start, referral=None, role="Allocated Case Worker", worker="W1"):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": "C1",
        "invo_professional_id": worker,
        "invo_professional_role_id": role,
        "invo_professional_team": "T1",
        "invo_involvement_start_date": start,
        "invo_referral_id": referral,
    }


def _visit(date, seen):
    return {"cinv_person_id": "C1", "cinv_cin_visit_date": date, "cinv_cin_visit_seen": seen}


EXTRACT = {
    "ssd_person": [{"pers_person_id": "C1", "pers_dob": D(2015, 1, 1)}],
    "ssd_cin_episodes": [
        {
            "cine_referral_id": "R1",
            "cine_person_id": "C1",
            "cine_referral_date": D(2025, 9, 1),
            "cine_close_date": D(2025, 9, 10),
        },
        {"cine_referral_id": "R2", "cine_person_id": "C1", "cine_referral_date": D(2025, 10, 1)},
    ],
    "ssd_involvements": [
        _involvement("I1", D(2025, 9, 5)),
        _involvement("I2", D(2025, 10, 3), worker="W2"),
        _involvement("I3", D(2025, 9, 20), referral="R2", worker="W3"),
        _involvement("I4", D(2025, 9, 2), role="Social work assistant"),
    ],
    "ssd_cin_visits": [
        _visit(D(2025, 9, 2), True),
        _visit(D(2025, 9, 15), True),
        _visit(D(2025, 10, 2), False),
        _visit(D(2025, 10, 8), True),
    ],
    "ssd_cp_visits": [],
}


def test_allocations_find_their_referral_and_each_referral_its_firstallocation(make_db):
    con = make_db(EXTRACT)
    allocations = con.execute(
        "SELECT involvement_id, referral_id FROM fact_allocation ORDER BY involvement_id"
    ).fetchall()
    # I1 (5 Sep, no referral named): R1 is open then (1-10 Sep), R2 not yet: R1.
    # I2 (3 Oct, none named): R1 closed on 10 Sep, R2 open from 1 Oct: R2.
    # I3 names R2 itself. I4 is not an allocated case worker: not a fact.
    assert allocations == [("I1", "R1"), ("I2", "R2"), ("I3", "R2")]
    referrals = con.execute(
        "SELECT referral_id, allocated_date, allocated_worker_id, linked_before_referral, "
        "first_seen_date FROM fact_referral ORDER BY referral_id"
    ).fetchall()
    # R1: allocated by I1 on 5 Sep; seen on 2 Sep (the 15 Sep visit is after its close).
    # R2: I3 (20 Sep, linked, before the referral) counts from the referral date, 1 Oct, before
    # I2's 3 Oct: W3, a data issue flagged. Seen on 8 Oct (the 2 Oct visit: not seen).
    assert referrals == [
        ("R1", D(2025, 9, 5), "W1", False, D(2025, 9, 2)),
        ("R2", D(2025, 10, 1), "W3", True, D(2025, 10, 8)),
    ]


# C1's allocations: A (W1, T1) 10 Jan to 1 Mar, B (W2, T2) from 1 Feb, C (W1, T1) 1 to 15 Feb.
SPANS = {
    "ssd_person": [{"pers_person_id": "C1", "pers_dob": D(2015, 1, 1)}],
    "ssd_cin_episodes": [
        {"cine_referral_id": "R1", "cine_person_id": "C1", "cine_referral_date": D(2025, 1, 2)}
    ],
    "ssd_involvements": [
        allocation("A", "W1", "T1", D(2025, 1, 10), D(2025, 3, 1)),
        allocation("B", "W2", "T2", D(2025, 2, 1)),
        allocation("C", "W1", "T1", D(2025, 2, 1), D(2025, 2, 15)),
    ],
}


def test_each_childs_and_each_pairs_open_allocations_are_spans_of_dates(make_db):
    con = make_db(SPANS)
    child = con.execute(
        "SELECT valid_from, valid_to, allocated_date, worker_id, team, open_allocations, "
        "sole_team FROM fact_child_allocation WHERE person_id = 'C1' ORDER BY valid_from"
    ).fetchall()
    # The open set changes on 10 Jan (A starts), 1 Feb (B and C start), 15 Feb (C ends: an
    # allocation ending on a day is closed on it) and 1 Mar (A ends).
    # 10 Jan-1 Feb: A alone. 1-15 Feb: A, B, C, the earliest A (W1, T1); teams T1, T2: no sole
    # team. 15 Feb-1 Mar: A and B. From 1 Mar: B alone (W2, T2), no end.
    assert child == [
        (D(2025, 1, 10), D(2025, 2, 1), D(2025, 1, 10), "W1", "T1", 1, "T1"),
        (D(2025, 2, 1), D(2025, 2, 15), D(2025, 1, 10), "W1", "T1", 3, None),
        (D(2025, 2, 15), D(2025, 3, 1), D(2025, 1, 10), "W1", "T1", 2, None),
        (D(2025, 3, 1), None, D(2025, 2, 1), "W2", "T2", 1, "T2"),
    ]
    pairs = con.execute(
        "SELECT worker_id, valid_from, valid_to, allocated_date, team FROM fact_caseload_pair "
        "ORDER BY worker_id, valid_from"
    ).fetchall()
    # W1 holds C1 through A (and C within it) from 10 Jan until A ends on 1 Mar: three spans
    # (C's start and end are dates of the pair), each from A's 10 Jan; nothing open after 1 Mar,
    # so no span from then. W2 holds C1 through B from 1 Feb, no end.
    assert pairs == [
        ("W1", D(2025, 1, 10), D(2025, 2, 1), D(2025, 1, 10), "T1"),
        ("W1", D(2025, 2, 1), D(2025, 2, 15), D(2025, 1, 10), "T1"),
        ("W1", D(2025, 2, 15), D(2025, 3, 1), D(2025, 1, 10), "T1"),
        ("W2", D(2025, 2, 1), None, D(2025, 2, 1), "T2"),
    ]
    # Read at an as-of date (child_allocation): the span holding it; on 1 Mar A has just ended.
    caseload = Engine(con).headline(MEASURES["caseload"], Filters(D(2025, 3, 1), D(2025, 3, 1)))
    assert caseload["children"] == 1 and caseload["workers"] == 1  # W2 alone


def test_each_pair_holds_its_childs_family(make_db):
    extract = dict(SPANS)
    extract["ssd_person"] = [
        {"pers_person_id": c, "pers_dob": D(2015, 1, 1)} for c in ("C1", "C2", "C3")
    ]
    extract["ssd_involvements"] = [
        *SPANS["ssd_involvements"],
        {**allocation("D", "W1", "T1", D(2025, 1, 5)), "invo_person_id": "C2"},
        {**allocation("E", "W1", "T1", D(2025, 1, 5)), "invo_person_id": "C3"},
    ]
    # C1 is in family F1; C2's family id is blank (no family row); C3 has no family row at all.
    extract["ssd_family"] = [
        {"fami_table_id": "1", "fami_family_id": "F1", "fami_person_id": "C1"},
        {"fami_table_id": "2", "fami_family_id": "  ", "fami_person_id": "C2"},
    ]
    con = make_db(extract)
    families = con.execute(
        "SELECT person_id, worker_id, valid_from, family_id FROM fact_caseload_pair "
        "ORDER BY person_id, worker_id, valid_from"
    ).fetchall()
    # Every span of C1 (W1's three, W2's one) is in F1; C2 and C3 are families of one.
    assert families == [
        ("C1", "W1", D(2025, 1, 10), "F1"),
        ("C1", "W1", D(2025, 2, 1), "F1"),
        ("C1", "W1", D(2025, 2, 15), "F1"),
        ("C1", "W2", D(2025, 2, 1), "F1"),
        ("C2", "W1", D(2025, 1, 5), "solo:C2"),
        ("C3", "W1", D(2025, 1, 5), "solo:C3"),
    ]


def test_each_assessment_stands_beside_its_referrals_dates(make_db):
    extract = dict(EXTRACT)
    extract["ssd_cin_assessments"] = [
        {
            "cina_assessment_id": "A1",
            "cina_person_id": "C1",
            "cina_referral_id": "R1",
            "cina_assessment_start_date": D(2025, 9, 2),
            "cina_assessment_auth_date": D(2025, 9, 9),
            "cina_assessment_team": "T1",
        },
        {
            "cina_assessment_id": "A2",
            "cina_person_id": "C1",
            "cina_referral_id": "R9",
            "cina_assessment_start_date": D(2025, 10, 2),
        },
    ]
    con = make_db(extract)
    rows = con.execute(
        "SELECT assessment_id, auth_date, team, referral_date, close_date FROM fact_assessment "
        "ORDER BY assessment_id"
    ).fetchall()
    # A1 names R1 (1 Sep, closed 10 Sep); A2 names R9, not in the extract: no episode dates.
    assert rows == [
        ("A1", D(2025, 9, 9), "T1", D(2025, 9, 1), D(2025, 9, 10)),
        ("A2", None, None, None, None),
    ]


def test_each_assessment_carries_its_dates_working_day_indexes_type_and_child_seen(make_db):
    extract = dict(EXTRACT)
    extract["ssd_cin_assessments"] = [
        {  # Tuesday 2 Sep to Tuesday 9 Sep 2025; its referral R1 is Monday 1 Sep
            "cina_assessment_id": "A1",
            "cina_person_id": "C1",
            "cina_referral_id": "R1",
            "cina_assessment_start_date": D(2025, 9, 2),
            "cina_assessment_auth_date": D(2025, 9, 9),
            "cina_assessment_type": " Core ",
            "cina_assessment_child_seen": True,
        },
        {  # Friday 22 Aug 2025 to Tuesday 26 Aug: Monday 25 Aug is the summer bank holiday
            "cina_assessment_id": "A2",
            "cina_person_id": "C1",
            "cina_referral_id": "R9",
            "cina_assessment_start_date": D(2025, 8, 22),
            "cina_assessment_auth_date": D(2025, 8, 26),
        },
    ]
    con = make_db(extract)
    rows = con.execute(
        "SELECT assessment_id, auth_wd - start_wd, auth_wd - referral_wd, recorded_type, "
        "child_seen FROM fact_assessment ORDER BY assessment_id"
    ).fetchall()
    # A1: 3, 4, 5, 8, 9 Sep are the working days after 2 Sep up to 9 Sep (5), and 1 Sep to 9 Sep
    # is 6; its type is kept as recorded (assessment_rows trims it). A2: 22 to 26 Aug is one
    # working day (the 25th is a bank holiday); R9 is not in the extract, so no referral index.
    assert rows == [("A1", 5, 6, " Core ", True), ("A2", 1, None, None, None)]


def test_each_referral_carries_its_look_back_and_each_domestic_abuse_factor_its_codes(make_db):
    extract = dict(EXTRACT)
    extract["ssd_cin_episodes"] = [
        *EXTRACT["ssd_cin_episodes"],
        # R3 (C1, 1 Oct 2026): R2 (1 Oct 2025) is exactly 12 months before, in the look-back.
        {"cine_referral_id": "R3", "cine_person_id": "C1", "cine_referral_date": D(2026, 10, 1)},
        # R4 (C1, 2 Oct 2027): R3 is a year and a day before, outside the look-back.
        {
            "cine_referral_id": "R4",
            "cine_person_id": "C1",
            "cine_referral_date": D(2027, 10, 2),
            "cine_referrals_last_12_months": 2,
        },
    ]
    extract["ssd_cin_assessments"] = [
        {
            "cina_assessment_id": "A1",
            "cina_person_id": "C1",
            "cina_referral_id": "R1",
            "cina_assessment_start_date": D(2025, 9, 2),
            "cina_assessment_auth_date": D(2025, 9, 9),
        },
        {
            "cina_assessment_id": "A2",
            "cina_person_id": "C1",
            "cina_referral_id": "R2",
            "cina_assessment_start_date": D(2025, 10, 2),
            "cina_assessment_auth_date": D(2025, 10, 20),
        },
        {  # not authorised: its factors are not known at any date
            "cina_assessment_id": "A3",
            "cina_person_id": "C1",
            "cina_referral_id": "R3",
            "cina_assessment_start_date": D(2026, 10, 2),
        },
    ]
    extract["ssd_assessment_factors"] = [
        {"cinf_assessment_id": "A1", "cinf_assessment_factors_json": '["3A", "4B", "3c"]'},
        {"cinf_assessment_id": "A2", "cinf_assessment_factors_json": '["13A", "2B"]'},
        {"cinf_assessment_id": "A3", "cinf_assessment_factors_json": '["3B"]'},
    ]
    extract["ssd_family"] = [
        {"fami_table_id": "F1", "fami_family_id": " FAM1 ", "fami_person_id": "C1"}
    ]
    extract["ssd_cin_visits"] = [
        # seen alone on 5 Sep (in A1's 2-9 Sep) and 21 Oct (a day after A2's authorisation);
        # 10 Oct: seen but not alone
        {**_visit(D(2025, 9, 5), True), "cinv_cin_visit_seen_alone": True},
        {**_visit(D(2025, 10, 10), True), "cinv_cin_visit_seen_alone": False},
        {**_visit(D(2025, 10, 21), True), "cinv_cin_visit_seen_alone": True},
    ]
    extract["ssd_cp_visits"] = [
        # seen alone on 2 Oct, A2's start day (counts: both ends included); 1 Oct: not seen
        {
            "cppv_person_id": "C1",
            "cppv_cp_visit_date": D(2025, 10, 2),
            "cppv_cp_visit_seen": True,
            "cppv_cp_visit_seen_alone": True,
        },
        {
            "cppv_person_id": "C1",
            "cppv_cp_visit_date": D(2025, 10, 1),
            "cppv_cp_visit_seen": False,
            "cppv_cp_visit_seen_alone": True,
        },
    ]
    con = make_db(extract)
    referrals = con.execute(
        "SELECT referral_id, previous_referral_date, stated_referrals_12m, later_stated, "
        "family_id, first_assessment_date FROM fact_referral ORDER BY referral_id"
    ).fetchall()
    # R1: no earlier referral. R2 (1 Oct 2025): R1 (1 Sep 2025). R3 (1 Oct 2026): R2, 12 months
    # before to the day. R4 (2 Oct 2027): R3 is 12 months and a day before: none. Only R4
    # carries a stated count, so R1-R3 have a later referral carrying one. C1's family is FAM1
    # (trimmed). The first assessment start: R1 A1's 2 Sep, R2 A2's 2 Oct, R3 A3's (not yet
    # authorised) 2 Oct 2026, R4 none.
    assert referrals == [
        ("R1", None, None, True, "FAM1", D(2025, 9, 2)),
        ("R2", D(2025, 9, 1), None, True, "FAM1", D(2025, 10, 2)),
        ("R3", D(2025, 10, 1), None, True, "FAM1", D(2026, 10, 2)),
        ("R4", None, 2, False, "FAM1", None),
    ]
    seen_alone = con.execute(
        "SELECT assessment_id, first_seen_alone_date FROM fact_assessment ORDER BY assessment_id"
    ).fetchall()
    # A1 (2-9 Sep): seen alone 5 Sep. A2 (2-20 Oct): the CP visit on 2 Oct (10 Oct not alone,
    # 21 Oct after it). A3: no authorisation, no window.
    assert seen_alone == [("A1", D(2025, 9, 5)), ("A2", D(2025, 10, 2)), ("A3", None)]
    factors = con.execute(
        "SELECT assessment_id, referral_id, referral_date, auth_date, codes "
        "FROM fact_referral_factor ORDER BY assessment_id"
    ).fetchall()
    # A1: 3A and 3C (4B is not domestic abuse). A2: "13A" is not 3A, so no row. A3: not
    # authorised, no row.
    assert factors == [("A1", "R1", D(2025, 9, 1), D(2025, 9, 9), ["3A", "3C"])]


def test_each_assessment_carries_what_followed_it_within_its_episode_and_after(make_db):
    extract = dict(EXTRACT)
    extract["ssd_cin_assessments"] = [
        {  # R1: 1 Sep to its close on 10 Sep 2025
            "cina_assessment_id": "A1",
            "cina_person_id": "C1",
            "cina_referral_id": "R1",
            "cina_assessment_start_date": D(2025, 9, 2),
            "cina_assessment_auth_date": D(2025, 9, 5),
            "cina_assessment_team": "T1",
        },
        {  # R2: from 1 Oct 2025, open
            "cina_assessment_id": "A2",
            "cina_person_id": "C1",
            "cina_referral_id": "R2",
            "cina_assessment_start_date": D(2025, 10, 2),
            "cina_assessment_auth_date": D(2025, 10, 6),
            "cina_assessment_team": "T1",
        },
    ]
    extract["ssd_cin_plans"] = [
        {
            "cinp_cin_plan_id": "P1",
            "cinp_person_id": "C1",
            "cinp_cin_plan_start_date": D(2025, 9, 8),
        }
    ]
    extract["ssd_cp_plans"] = [
        {
            "cppl_cp_plan_id": "P2",
            "cppl_person_id": "C1",
            "cppl_cp_plan_start_date": D(2025, 10, 20),
        }
    ]
    extract["ssd_involvements"] = [
        allocation("X0", "W1", "T2", D(2025, 8, 1), D(2025, 9, 5)),
        allocation("X1", "W2", "T2", D(2025, 9, 9)),
        allocation("X2", "W3", "T3", D(2025, 10, 15)),
    ]
    con = make_db(extract)
    rows = con.execute(
        "SELECT assessment_id, plan_kind_episode, plan_date_episode, plan_kind_any, plan_date_any, "
        "move_involvement_episode, move_date_episode, move_involvement_any, move_team_any, "
        "held_elsewhere FROM fact_transfer ORDER BY assessment_id"
    ).fetchall()
    # A1 (authorised 5 Sep, episode closed 10 Sep): the CIN plan of 8 Sep and X1 (T2, 9 Sep)
    # both within the episode and unbounded; X0 (T2) ended on 5 Sep, not after it: not held
    # elsewhere. A2 (6 Oct, episode open): nothing within a close it does not have; unbounded,
    # the CP plan of 20 Oct and X2 (T3, 15 Oct; X1 started before the authorisation); X1 (T2,
    # open) already held the child on 6 Oct.
    assert rows == [
        (
            "A1",
            "CIN plan",
            D(2025, 9, 8),
            "CIN plan",
            D(2025, 9, 8),
            "X1",
            D(2025, 9, 9),
            "X1",
            "T2",
            False,
        ),
        ("A2", None, None, "CP plan", D(2025, 10, 20), None, None, "X2", "T3", True),
    ]


def test_each_cp_plan_carries_its_team_at_start_and_on_its_last_day_open(make_db):
    def plan(pid, start, end=None):
        return {
            "cppl_cp_plan_id": pid,
            "cppl_person_id": "C1",
            "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": end,
        }

    extract = {
        "ssd_person": [{"pers_person_id": "C1", "pers_dob": D(2015, 1, 1)}],
        "ssd_involvements": [
            allocation("X0", "W1", "T1", D(2025, 1, 1), D(2025, 3, 1)),
            allocation("X1", "W2", "T2", D(2025, 2, 1)),
        ],
        "ssd_cp_plans": [
            plan("P1", D(2025, 3, 1), D(2025, 6, 2)),
            plan("P2", D(2025, 2, 10), D(2025, 2, 10)),
            plan("P3", D(2024, 12, 1), D(2025, 3, 1)),
            plan("P4", D(2025, 4, 1)),
        ],
    }
    con = make_db(extract)
    rows = con.execute(
        "SELECT cp_plan_id, event, team, worker_id FROM fact_cp_plan_team ORDER BY ALL"
    ).fetchall()
    # P1 starts 1 Mar: X0 ends that day (no longer holds it), X1 (T2, W2) does; its last day
    # open is 1 Jun, X1's. P2 starts and ends on 10 Feb (its start date for both): X0 and X1
    # both hold it, X0 started earlier (T1, W1). P3 starts 1 Dec 2024, before any allocation: no
    # 'started' row; its last day open is 28 Feb, both hold it, X0 earlier. P4 starts 1 Apr
    # (X1) and has not ended: no 'ended' row.
    assert rows == [
        ("P1", "ended", "T2", "W2"),
        ("P1", "started", "T2", "W2"),
        ("P2", "ended", "T1", "W1"),
        ("P2", "started", "T1", "W1"),
        ("P3", "ended", "T1", "W1"),
        ("P4", "started", "T2", "W2"),
    ]


def test_the_cp_childrens_spans_are_theirs_from_their_first_plans_start(make_db):
    # SPANS' C1 (spans from 10 Jan, 1 Feb, 15 Feb and 1 Mar) has CP plans from 20 Feb and 1 Apr;
    # C2, allocated too, has none.
    extract = dict(SPANS)
    extract["ssd_person"] = [
        *SPANS["ssd_person"],
        {"pers_person_id": "C2", "pers_dob": D(2016, 1, 1)},
    ]
    extract["ssd_involvements"] = [
        *SPANS["ssd_involvements"],
        {**allocation("Z", "W3", "T3", D(2025, 1, 5)), "invo_person_id": "C2"},
    ]
    extract["ssd_cp_plans"] = [
        {
            "cppl_cp_plan_id": pid,
            "cppl_person_id": "C1",
            "cppl_cp_plan_start_date": start,
            "cppl_cp_plan_end_date": None,
        }
        for pid, start in (("P2", D(2025, 4, 1)), ("P1", D(2025, 2, 20)))
    ]
    con = make_db(extract)
    rows = con.execute(
        "SELECT person_id, valid_from, valid_to, worker_id, team FROM fact_cp_child_allocation "
        "ORDER BY valid_from"
    ).fetchall()
    # C1's first plan starts on 20 Feb: the spans ending on or before it (10 Jan-1 Feb, 1-15
    # Feb) are never a plan's; 15 Feb-1 Mar holds 20 Feb, and 1 Mar on has no end. C2: no plan.
    assert rows == [
        ("C1", D(2025, 2, 15), D(2025, 3, 1), "W1", "T1"),
        ("C1", D(2025, 3, 1), None, "W2", "T2"),
    ]
    # A plan's team at as-of from these spans: P1 open on 20 Feb with W1's allocation in T1.
    f = Filters(D(2025, 2, 1), D(2025, 2, 20))
    assert Engine(con).headline(MEASURES["cp_plans"], replace(f, team="T1"))["open"] == 1
    assert Engine(con).headline(MEASURES["cp_plans"], replace(f, team="T2"))["open"] == 0


def test_a_database_without_facts_says_load_it_again(make_db):
    con = make_db(EXTRACT)
    con.execute("DROP TABLE facts_meta")
    reason = Engine(con).unavailable_reason(MEASURES["unallocated"])
    assert reason is not None
    assert "older version of frontdoor" in reason and "load the extract again" in reason


def test_facts_of_another_version_say_load_it_again(make_db):
    con = make_db(EXTRACT)
    con.execute("UPDATE facts_meta SET version = '0'")
    reason = Engine(con).unavailable_reason(MEASURES["not_yet_seen"])
    assert reason is not None and "another version of frontdoor" in reason
    # The same extract with this version's facts: available.
    assert Engine(make_db(EXTRACT)).unavailable_reason(MEASURES["not_yet_seen"]) is None


def test_each_childs_visits_are_in_date_order_with_each_months_latest(make_db):
    extract = dict(EXTRACT)
    # Written out of order: the fact's lists are in date order all the same.
    extract["ssd_cin_visits"] = list(reversed(EXTRACT["ssd_cin_visits"]))
    extract["case_notes"] = [
        {
            "note_id": "N1",
            "person_id": "C1",
            "note_type": "management_oversight",
            "event_date": D(2025, 10, 20),
        },
        {
            "note_id": "N2",
            "person_id": "C1",
            "note_type": "case_note",
            "event_date": D(2025, 9, 10),
        },
        {
            "note_id": "N3",
            "person_id": "C1",
            "note_type": "management_oversight",
            "event_date": D(2025, 8, 4),
        },
    ]
    con = make_db(extract)
    row = con.execute(
        "SELECT visit_dates, note_dates, oversight_latest, activity_latest FROM fact_activity "
        "WHERE person_id = 'C1'"
    ).fetchone()
    # Visits 2 Sep, 15 Sep, 2 Oct, 8 Oct 2025; notes 4 Aug (oversight), 10 Sep, 20 Oct
    # (oversight). Each month's latest oversight note: 4 Aug, 20 Oct; note or visit: 4 Aug,
    # 15 Sep (the visit after the note of the 10th), 20 Oct.
    assert row == (
        [D(2025, 9, 2), D(2025, 9, 15), D(2025, 10, 2), D(2025, 10, 8)],
        [D(2025, 8, 4), D(2025, 9, 10), D(2025, 10, 20)],
        [D(2025, 8, 4), D(2025, 10, 20)],
        [D(2025, 8, 4), D(2025, 9, 15), D(2025, 10, 20)],
    )


def test_the_earliest_allocations_team_is_its_own_even_when_it_names_none(make_db):
    # C1 is referred on 1 Sep 2025 and allocated to W1 on 3 Sep with no team recorded, then also
    # to W2 in T2 on 10 Sep; a CP plan starts on 15 Sep. The earliest allocation is W1's, so the
    # child's, the referral's and the plan's team is W1's: none (not W2's T2 beside W1's name).
    extract = {
        "ssd_person": [{"pers_person_id": "C1", "pers_dob": D(2015, 1, 1)}],
        "ssd_cin_episodes": [
            {"cine_referral_id": "R1", "cine_person_id": "C1", "cine_referral_date": D(2025, 9, 1)}
        ],
        "ssd_involvements": [
            allocation("A1", "W1", None, D(2025, 9, 3)),
            allocation("A2", "W2", "T2", D(2025, 9, 10)),
        ],
        "ssd_cp_plans": [
            {
                "cppl_cp_plan_id": "P1",
                "cppl_person_id": "C1",
                "cppl_cp_plan_start_date": D(2025, 9, 15),
            }
        ],
    }
    con = make_db(extract)
    spans = con.execute(
        "SELECT valid_from, valid_to, worker_id, team, open_allocations, sole_team "
        "FROM fact_child_allocation ORDER BY valid_from"
    ).fetchall()
    assert spans == [
        (D(2025, 9, 3), D(2025, 9, 10), "W1", None, 1, None),
        (D(2025, 9, 10), None, "W1", None, 2, None),
    ]
    referral = con.execute(
        "SELECT allocated_date, allocated_worker_id, allocated_team FROM fact_referral"
    ).fetchall()
    assert referral == [(D(2025, 9, 3), "W1", None)]
    plan = con.execute("SELECT event, team, worker_id FROM fact_cp_plan_team").fetchall()
    assert plan == [("started", None, "W1")]


def test_a_childs_wait_for_transfer_is_cut_where_its_plan_or_allocation_changes(make_db):
    # C1's referral R1 (1 Sep 2025, open) was assessed by T1: started 2 Sep, authorised 10 Sep.
    # W1 in T1 holds the child from 5 Sep; W2 in T2 from 10 Oct (then not all in T1). A CIN
    # plan runs 15-30 Sep, a CP plan from 25 Sep.
    extract = {
        "ssd_person": [{"pers_person_id": "C1", "pers_dob": D(2015, 1, 1)}],
        "ssd_cin_episodes": [
            {"cine_referral_id": "R1", "cine_person_id": "C1", "cine_referral_date": D(2025, 9, 1)}
        ],
        "ssd_cin_assessments": [
            {
                "cina_assessment_id": "A1",
                "cina_person_id": "C1",
                "cina_referral_id": "R1",
                "cina_assessment_start_date": D(2025, 9, 2),
                "cina_assessment_auth_date": D(2025, 9, 10),
                "cina_assessment_team": "T1",
            }
        ],
        "ssd_involvements": [
            allocation("I1", "W1", "T1", D(2025, 9, 5)),
            allocation("I2", "W2", "T2", D(2025, 10, 10)),
        ],
        "ssd_cin_plans": [
            {
                "cinp_cin_plan_id": "P1",
                "cinp_person_id": "C1",
                "cinp_cin_plan_start_date": D(2025, 9, 15),
                "cinp_cin_plan_end_date": D(2025, 9, 30),
            }
        ],
        "ssd_cp_plans": [
            {
                "cppl_cp_plan_id": "P2",
                "cppl_person_id": "C1",
                "cppl_cp_plan_start_date": D(2025, 9, 25),
                "cppl_cp_plan_end_date": None,
            }
        ],
    }
    con = make_db(extract)
    rows = con.execute(
        "SELECT valid_from, valid_to, assessment_id, team, worker_id, plan_kind, plan_start_date "
        "FROM fact_transfer_wait ORDER BY valid_from"
    ).fetchall()
    # Held by T1 alone from 10 Sep (the authorisation) to 10 Oct; no plan until 15 Sep; the CIN
    # plan is the earliest open one until it ends on 30 Sep, then the CP plan.
    assert rows == [
        (D(2025, 9, 15), D(2025, 9, 25), "A1", "T1", "W1", "CIN plan", D(2025, 9, 15)),
        (D(2025, 9, 25), D(2025, 9, 30), "A1", "T1", "W1", "CIN plan", D(2025, 9, 15)),
        (D(2025, 9, 30), D(2025, 10, 10), "A1", "T1", "W1", "CP plan", D(2025, 9, 25)),
    ]
    waiting = MEASURES["transfers_waiting"]
    assert Engine(con).headline(waiting, Filters(D(2025, 10, 1), D(2025, 10, 9)))["count"] == 1
    assert Engine(con).headline(waiting, Filters(D(2025, 10, 1), D(2025, 10, 10)))["count"] == 0
