"""The rest of the letter (docs/measures.md "More of the letter"), on small extracts worked out by
hand: transfers after assessment, changes of worker, police notifications, domestic abuse
referrals, the child's views, and S47 and ICPC conversion.

Bank holidays used below: Good Friday 18 and Easter Monday 21 Apr 2025; early May Mon 5 May and
spring Mon 26 May 2025.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics import Engine, Filters, MeasureUnavailable, get

D = dt.date
APRIL = Filters(D(2025, 4, 1), D(2025, 4, 30))
Q2 = Filters(D(2025, 4, 1), D(2025, 6, 30))  # as-of Mon 30 June 2025


def alloc(iid, person, worker, team, start, end=None, referral_id=None, role=None):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": person,
        "invo_professional_id": worker,
        "invo_professional_role_id": role or "Allocated Case Worker",
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_involvement_end_date": end,
        "invo_referral_id": referral_id,
    }


def assessment(aid, person, start, auth, team=None, worker=None, referral=None):
    return {
        "cina_assessment_id": aid,
        "cina_person_id": person,
        "cina_referral_id": referral,
        "cina_assessment_start_date": start,
        "cina_assessment_auth_date": auth,
        "cina_assessment_team": team,
        "cina_assessment_worker_id": worker,
    }


def cin_plan(pid, person, start, end=None):
    return {
        "cinp_cin_plan_id": pid,
        "cinp_person_id": person,
        "cinp_cin_plan_start_date": start,
        "cinp_cin_plan_end_date": end,
    }


def people(n):
    return [{"pers_person_id": f"P{i}"} for i in range(1, n + 1)]


# -- transfers -----------------------------------------------------------------------------------


def transfers_db(make_db):
    return make_db(
        {
            "ssd_person": people(10),
            # P10: assessed in an episode that closed with no plan; referred again, allocated to
            # TA and put on a CIN plan without a new assessment. Neither is A10's.
            "ssd_cin_episodes": [
                {
                    "cine_referral_id": "R10",
                    "cine_person_id": "P10",
                    "cine_referral_date": D(2025, 1, 6),
                    "cine_close_date": D(2025, 3, 31),
                },
                {
                    "cine_referral_id": "R11",
                    "cine_person_id": "P10",
                    "cine_referral_date": D(2025, 5, 1),
                },
            ],
            "ssd_cin_assessments": [
                assessment("A1", "P1", D(2025, 3, 3), D(2025, 4, 1), "TA", "W1"),
                assessment("A2", "P2", D(2025, 3, 3), D(2025, 4, 2), "TA", "W1"),
                assessment("A3", "P3", D(2025, 3, 3), D(2025, 4, 10), "TB", "W2"),
                assessment("A4", "P4", D(2025, 3, 3), D(2025, 4, 14), "TA", "W1"),
                assessment("A5", "P5", D(2025, 3, 3), D(2025, 4, 1), "TB", "W2"),
                assessment("A6", "P6", D(2025, 3, 3), D(2025, 3, 20), "TB", "W2"),
                assessment("A7a", "P7", D(2024, 12, 2), D(2025, 1, 6), "TA", "W1"),
                assessment("A7b", "P7", D(2025, 4, 1), D(2025, 5, 6), "TA", "W1"),
                assessment("A8", "P8", D(2025, 6, 2), D(2025, 6, 24), "TA", "W1"),
                assessment("A9", "P9", D(2025, 4, 1), D(2025, 5, 1), "CIN", "W3"),
                assessment("A10", "P10", D(2025, 2, 3), D(2025, 3, 3), "TA", "W1", "R10"),
            ],
            "ssd_cin_plans": [
                cin_plan("CIN1", "P1", D(2025, 4, 1)),
                cin_plan("CIN2", "P2", D(2025, 4, 2)),
                cin_plan("CIN5", "P5", D(2025, 4, 1)),
                cin_plan("CIN6", "P6", D(2025, 3, 20)),
                cin_plan("CIN7a", "P7", D(2025, 1, 6), D(2025, 2, 1)),
                cin_plan("CIN7b", "P7", D(2025, 5, 6)),
                cin_plan("CIN8", "P8", D(2025, 6, 24)),
                cin_plan("CIN9", "P9", D(2025, 1, 10)),
                cin_plan("CIN10", "P10", D(2025, 5, 20)),
            ],
            "ssd_cp_plans": [
                {
                    "cppl_cp_plan_id": "CP3",
                    "cppl_person_id": "P3",
                    "cppl_cp_plan_start_date": D(2025, 4, 14),
                }
            ],
            "ssd_involvements": [
                alloc("I1", "P1", "W1", "TA", D(2025, 2, 20), D(2025, 4, 15)),
                alloc("I2", "P1", "W3", "CIN", D(2025, 4, 15)),
                alloc("I3", "P2", "W1", "TA", D(2025, 2, 20), D(2025, 5, 7)),
                alloc("I4", "P2", "W3", "CIN", D(2025, 5, 7)),
                # P3: the CP team held the child from 8 Apr, before the assessment was signed
                # off; its change of worker on 2 Jun is not a transfer after assessment.
                alloc("I5", "P3", "W4", "CP", D(2025, 4, 8), D(2025, 6, 2)),
                alloc("I6", "P3", "W5", "CP", D(2025, 6, 2)),
                # P4: moved, but no plan followed the assessment.
                alloc("I7", "P4", "W3", "CIN", D(2025, 5, 1)),
                alloc("I8", "P5", "W2", "TB", D(2025, 3, 1)),
                alloc("I10", "P6", "W3", "CIN", D(2025, 4, 2)),
                alloc("I11", "P7", "W1", "TA", D(2025, 1, 2), D(2025, 5, 8)),
                alloc("I12", "P7", "W3", "CIN", D(2025, 5, 8)),
                alloc("I13", "P8", "W1", "TA", D(2025, 6, 2)),
                alloc("I14", "P9", "W3", "CIN", D(2025, 1, 10)),
                alloc("I16", "P10", "W1", "TA", D(2025, 1, 8), D(2025, 3, 31)),
                alloc("I17", "P10", "W1", "TA", D(2025, 5, 20)),
                alloc("I18", "P10", "W6", "CIN", D(2025, 6, 16), D(2025, 6, 20)),
                # Not an allocation (another role).
                alloc("I15", "P5", "W9", "CIN", D(2025, 4, 3), role="Team Manager"),
            ],
        }
    )


def test_transfer_after_assessment(make_db):
    engine = Engine(transfers_db(make_db))
    rows = engine.rows(get("transfers"), Q2).set_index("assessment_id")
    # By transfer date: A6 2 Apr (auth Thu 20 Mar: 21, 24-28, 31 Mar, 1, 2 Apr = 9 wd), A1 15 Apr
    # (auth Tue 1 Apr: 2-4, 7-11, 14, 15 = 10), A2 7 May (auth Wed 2 Apr: 18 wd in April, then
    # 1, 2, 6, 7 May = 22), A7b 8 May (auth Tue 6 May: 7, 8 = 2). A7a (auth 6 Jan) would reach
    # the same allocation I12: it is A7b's. Left out: A3 (held by the CP team on its
    # authorisation day), A4 (no plan followed), A5, A8 (not moved), A9 (plan before it), A10
    # (its episode closed on 31 Mar with no plan: the plan and the CIN allocation of 16 Jun
    # belong to the later referral).
    assert list(rows.index) == ["A6", "A1", "A2", "A7b"]
    assert list(rows["days"]) == [9, 10, 22, 2]
    assert list(rows["within_target"]) == [True, True, False, True]
    assert list(rows["receiving_team"]) == ["CIN"] * 4
    assert list(rows["plan_kind"]) == ["CIN plan"] * 4
    assert rows.loc["A1", "transfer_date"].date() == D(2025, 4, 15)
    # Due: 10 wd after Tue 1 Apr = Tue 15 Apr.
    assert rows.loc["A1", "due_date"].date() == D(2025, 4, 15)
    # Days 2, 9, 10, 22: median 9.5; P75 at position 2.25 = 10 + 0.25 * 12 = 13; 3 of 4 = 75%.
    assert engine.headline(get("transfers"), Q2) == {
        "count": 4,
        "median_wd": 9.5,
        "p75_wd": 13.0,
        "within_target_pct": 75.0,
    }
    # By the assessing team: TA A1, A2, A7b (10, 22, 2): median 10, 2 of 3; TB A6.
    ta = engine.headline(get("transfers"), Filters(D(2025, 4, 1), D(2025, 6, 30), team="TA"))
    assert (ta["count"], ta["median_wd"], round(ta["within_target_pct"], 1)) == (3, 10.0, 66.7)
    tb = engine.headline(get("transfers"), Filters(D(2025, 4, 1), D(2025, 6, 30), team="TB"))
    assert (tb["count"], tb["within_target_pct"]) == (1, 100.0)
    # April alone: A6, A1.
    assert engine.headline(get("transfers"), APRIL)["count"] == 2


def test_transfer_target_is_a_setting(make_db):
    from metrics import Settings

    engine = Engine(transfers_db(make_db), Settings().with_targets(transfer_wd=9))
    # Within 9: A6 (9), A7b (2) = 2 of 4.
    assert engine.headline(get("transfers"), Q2)["within_target_pct"] == 50.0


def test_waiting_for_transfer(make_db):
    engine = Engine(transfers_db(make_db))
    rows = engine.rows(get("transfers_waiting"), Q2)
    # P5: open CIN plan, held only by TB, which assessed them (auth Tue 1 Apr): 19 wd in April,
    # 20 in May, 21 in June = 60, past target. P8: TA, auth Tue 24 Jun: 25-27, 30 = 4.
    # Not waiting: P1, P2, P6, P7 (moved), P3 (the CP team holds them), P4 (no plan), P9 (the
    # CIN team re-assessed a child whose plan started before: not waiting to move), P10 (held
    # by TA on a plan, but not assessed in this episode: A10's referral closed).
    assert list(rows["person_id"]) == ["P5", "P8"]
    assert list(rows["age_wd"]) == [60, 4]
    assert list(rows["past_target"]) == [True, False]
    assert list(rows["team"]) == ["TB", "TA"]
    assert engine.headline(get("transfers_waiting"), Q2) == {
        "count": 2,
        "past_target": 1,
        "oldest_wd": 60,
    }
    # As of 14 Apr: P1 still with TA (moves 15 Apr): auth 1 Apr -> 9 wd; P2 (auth 2 Apr): 8;
    # P5 (1 Apr): 9.
    early = Filters(D(2025, 4, 1), D(2025, 4, 14))
    assert sorted(engine.rows(get("transfers_waiting"), early)["person_id"]) == ["P1", "P2", "P5"]


def test_waiting_for_transfer_by_month_under_a_team_follows_the_latest_assessment(make_db):
    """The trend (read as month bits) takes the child's latest assessment first and the team
    filter after, as the rows do: a child re-assessed by another team is not waiting for the
    first team's transfer."""
    engine = Engine(
        make_db(
            {
                "ssd_person": people(2),
                "ssd_cin_episodes": [],
                "ssd_cp_plans": [],
                "ssd_cin_assessments": [
                    # P1: assessed by TA (signed off 10 Mar), then by TB (15 Apr).
                    assessment("A1", "P1", D(2025, 3, 3), D(2025, 3, 10), "TA", "W1"),
                    assessment("A2", "P1", D(2025, 4, 1), D(2025, 4, 15), "TB", "W2"),
                    # P2: assessed by TA (signed off Tue 1 Apr).
                    assessment("A3", "P2", D(2025, 3, 3), D(2025, 4, 1), "TA", "W1"),
                ],
                "ssd_cin_plans": [
                    cin_plan("CIN1", "P1", D(2025, 4, 20)),
                    cin_plan("CIN2", "P2", D(2025, 4, 2)),
                ],
                "ssd_involvements": [
                    alloc("I1", "P1", "W1", "TA", D(2025, 3, 1)),
                    alloc("I2", "P2", "W1", "TA", D(2025, 3, 1)),
                ],
            }
        )
    )
    measure = get("transfers_waiting")
    # 31 Mar: no plan open for either. 30 Apr and 31 May: P2 waits (held by TA, which assessed
    # them; plan from 2 Apr); P1's latest assessment is TB's, and TA holds them: not waiting,
    # with or without the team filter (the earlier TA assessment is not theirs any more).
    # P2's age from Tue 1 Apr: to Wed 30 Apr, 21 weekdays (2-30 Apr) less Good Friday 18 Apr
    # and Easter Monday 21 Apr = 19 wd; to Sat 31 May, 19 + 22 weekdays less the bank holidays
    # of 5 and 26 May = 39. No month has anyone waiting under TB.
    for team in (None, "TA"):
        trend = engine.monthly(measure, Filters(D(2025, 3, 1), D(2025, 5, 31), team=team))
        assert list(trend["count"]) == [0, 1, 1]
        assert trend["oldest_wd"].isna().tolist() == [True, False, False]
        assert list(trend["oldest_wd"][1:]) == [19, 39]
    trend = engine.monthly(measure, Filters(D(2025, 3, 1), D(2025, 5, 31), team="TB"))
    assert list(trend["count"]) == [0, 0, 0]


def test_transfers_need_the_plans(make_db):
    engine = Engine(make_db({"ssd_person": [], "ssd_cin_episodes": [], "ssd_cin_assessments": []}))
    with pytest.raises(MeasureUnavailable, match="ssd_involvements, ssd_cin_plans"):
        engine.headline(get("transfers"), Q2)


# -- changes of worker ---------------------------------------------------------------------------


def test_changes_of_worker_in_the_12_months_to_as_of(make_db):
    con = make_db(
        {
            "ssd_person": people(6),
            "ssd_cin_episodes": [],
            "ssd_involvements": [
                # P1: three workers in the 12 months to 30 Jun 2025.
                alloc("I1", "P1", "W1", "T1", D(2024, 1, 1), D(2024, 8, 1)),
                alloc("I2", "P1", "W2", "T1", D(2024, 8, 1), D(2025, 1, 1)),
                alloc("I3", "P1", "W3", "T1", D(2025, 1, 1)),
                # P2: W1's allocation ended on 30 Jun 2024, the window's first day: closed then.
                alloc("I4", "P2", "W1", "T2", D(2023, 1, 1), D(2024, 6, 30)),
                alloc("I5", "P2", "W2", "T2", D(2024, 6, 30), D(2025, 1, 1)),
                alloc("I6", "P2", "W3", "T2", D(2025, 1, 1)),
                # P3: W1 twice, then W4: two workers.
                alloc("I7", "P3", "W1", "T2", D(2024, 9, 1), D(2024, 10, 1)),
                alloc("I8", "P3", "W1", "T2", D(2024, 11, 1), D(2025, 2, 1)),
                alloc("I9", "P3", "W4", "T2", D(2025, 2, 1)),
                # P4: one worker (a manager's involvement is not an allocation).
                alloc("I10", "P4", "W1", "T1", D(2025, 1, 1)),
                alloc("I11", "P4", "W9", "T1", D(2025, 2, 1), role="Team Manager"),
                # P5: three workers, but no open allocation at as-of: not counted.
                alloc("I12", "P5", "W1", "T1", D(2024, 8, 1), D(2024, 9, 1)),
                alloc("I13", "P5", "W2", "T1", D(2024, 9, 1), D(2024, 10, 1)),
                alloc("I14", "P5", "W3", "T1", D(2024, 10, 1), D(2025, 3, 1)),
                # P6: W1, W2; W3's allocation starts after as-of.
                alloc("I15", "P6", "W1", "T1", D(2025, 1, 1)),
                alloc("I16", "P6", "W2", "T1", D(2025, 3, 1), D(2025, 4, 1)),
                alloc("I17", "P6", "W3", "T1", D(2025, 7, 1)),
            ],
        }
    )
    engine = Engine(con)
    rows = engine.rows(get("worker_changes"), Q2).set_index("person_id")
    assert rows["workers_12m"].to_dict() == {"P1": 3, "P2": 2, "P3": 2, "P4": 1, "P6": 2}
    assert rows.loc["P1", "workers"] == "W1, W2, W3"
    # 5 children, P1 with 3 or more = 20%; mean (3 + 2 + 2 + 1 + 2) / 5 = 2.
    assert engine.headline(get("worker_changes"), Q2) == {
        "children": 5,
        "three_plus": 1,
        "three_plus_pct": 20.0,
        "mean_workers": 2.0,
    }
    # T1 (the current allocation's team): P1, P4, P6 -> 1 of 3.
    t1 = engine.headline(get("worker_changes"), Filters(D(2025, 4, 1), D(2025, 6, 30), team="T1"))
    assert (t1["children"], round(t1["three_plus_pct"], 1)) == (3, 33.3)


# -- police notifications ------------------------------------------------------------------------


def contact(cid, date, outcome=None, code=None, desc=None):
    return {
        "cont_contact_id": cid,
        "cont_person_id": "P1",
        "cont_contact_date": date,
        "cont_outcome_date": outcome,
        "cont_contact_source_code": code,
        "cont_contact_source_desc": desc,
    }


def test_police_notifications_and_their_decisions(make_db):
    con = make_db(
        {
            "ssd_person": people(1),
            "ssd_cin_episodes": [],
            "ssd_contacts": [
                contact("C1", D(2025, 3, 7), D(2025, 3, 10), code="6"),  # Fri -> Mon: 1, in time
                # Sat -> Wed: 10, 11, 12 Mar = 3, late.
                contact("C2", D(2025, 3, 8), D(2025, 3, 12), desc="Police - domestic incident"),
                contact("C3", D(2025, 3, 8), D(2025, 3, 8), code="2A", desc="Schools"),
                contact("C4", D(2025, 3, 9), D(2025, 3, 11), code=" 6 "),  # Sun -> Tue: 2, late
                contact("C5", D(2025, 3, 10), code="6"),  # no decision recorded
                contact("C6", D(2025, 3, 11), D(2025, 3, 10), code="6"),  # decided before it
            ],
        }
    )
    engine = Engine(con)
    march = Filters(D(2025, 3, 1), D(2025, 3, 31))
    # Police: C1, C2, C4, C5, C6 = 5. Decided in time: C1 of C1, C2, C4 = 33.3%.
    figures = engine.headline(get("police"), march)
    assert figures["contacts"] == 5 and figures["no_decision_recorded"] == 1
    assert round(figures["decided_within_target_pct"], 1) == 33.3
    assert figures["weekend"] == 2  # C2 (Saturday), C4 (Sunday)
    by_day = engine.grouped(get("police"), march, ["day_order", "contact_day"])
    assert list(by_day["contact_day"]) == ["Monday", "Tuesday", "Friday", "Saturday", "Sunday"]
    shares = [None if pd.isna(v) else v for v in by_day["decided_within_target_pct"]]
    assert shares == [None, None, 100.0, 0.0, 0.0]


# -- domestic abuse -----------------------------------------------------------------------------


def episode(rid, person, date, nfa=None):
    return {
        "cine_referral_id": rid,
        "cine_person_id": person,
        "cine_referral_date": date,
        "cine_referral_nfa": nfa,
        "cine_referral_team": "FD",
    }


def factors(aid, text):
    return {"cinf_assessment_id": aid, "cinf_assessment_factors_json": text}


def domestic_abuse_tables():
    return {
        "ssd_person": people(6),
        "ssd_cin_episodes": [
            episode("R1", "P1", D(2025, 4, 7)),
            episode("R2", "P2", D(2025, 4, 1)),
            episode("R3", "P3", D(2025, 4, 2)),
            episode("R4", "P4", D(2025, 4, 3)),
            episode("R5", "P5", D(2025, 4, 14), nfa=True),
            episode("R6", "P6", D(2025, 3, 3)),
        ],
        "ssd_cin_assessments": [
            assessment("A1", "P1", D(2025, 4, 8), D(2025, 4, 25), referral="R1"),
            assessment("A2", "P2", D(2025, 4, 2), D(2025, 4, 28), referral="R2"),
            assessment("A3", "P3", D(2025, 4, 3), D(2025, 4, 29), referral="R3"),
            assessment("A4", "P4", D(2025, 4, 4), D(2025, 5, 2), referral="R4"),
            assessment("A5", "P5", D(2025, 4, 14), D(2025, 4, 25), referral="R5"),
            assessment("A6", "P6", D(2025, 3, 3), D(2025, 3, 20), referral="R6"),
        ],
        "ssd_assessment_factors": [
            factors("A1", '["3B", "4B"]'),  # the SSD's JSON array
            factors("A2", '{"3A": "Yes", "2B": "No"}'),  # the planned JSON object
            factors("A3", '["1B"]'),  # not domestic abuse
            factors("A4", '["3C"]'),  # authorised after as-of: not known yet
            factors("A5", "3c, 4A"),  # a plain list
            factors("A6", '["3A"]'),  # referral before the period
        ],
        "ssd_involvements": [
            alloc("I1", "P1", "W1", "T1", D(2025, 4, 8), referral_id="R1"),  # 1 wd
            alloc("I2", "P2", "W2", "T2", D(2025, 4, 10), referral_id="R2"),  # 7 wd
        ],
        "ssd_cin_visits": [
            {
                "cinv_cin_visit_id": "V1",
                "cinv_person_id": "P1",
                "cinv_cin_visit_date": D(2025, 4, 10),  # Mon 7 -> Thu 10: 3 wd
                "cinv_cin_visit_seen": True,
            }
        ],
    }


def test_domestic_abuse_referrals_and_their_timeliness(make_db):
    engine = Engine(make_db(domestic_abuse_tables()))
    rows = engine.rows(get("domestic_abuse"), APRIL).set_index("referral_id")
    # R1 (3B), R2 (3A), R5 (3C): 3. R3 has no domestic abuse factor, R4's assessment is
    # authorised after as-of, R6 was referred in March.
    assert list(rows.index) == ["R2", "R1", "R5"]
    assert list(rows["factors"]) == ["3A", "3B", "3C"]
    # Allocation: R1 1 wd (in time), R2 Tue 1 -> Thu 10 Apr = 7 (late); R5 is NFA: not in the
    # cohort. Seen: R1 3 wd (in time); R2 never seen and open, 19 wd by 30 Apr: late.
    assert rows["allocation_within_target"].to_dict() == {"R2": False, "R1": True, "R5": None}
    assert rows["seen_within_target"].to_dict() == {"R2": False, "R1": True, "R5": None}
    assert engine.headline(get("domestic_abuse"), APRIL) == {
        "referrals": 3,
        "allocation_within_target_pct": 50.0,
        "allocation_median_wd": 4.0,  # (1 + 7) / 2
        "seen_within_target_pct": 50.0,
        "seen_median_wd": 3.0,
    }
    # The summary reads the same figures off the referrals and allocation measures.
    assert engine.headline(get("referrals"), APRIL)["domestic_abuse"] == 3
    allocation = engine.headline(get("allocation"), APRIL)
    assert allocation["domestic_abuse_within_target_pct"] == 50.0
    # As of Fri 2 May, R4's assessment is known: 4 referrals; R4 unallocated and open since
    # Thu 3 Apr, 19 wd: late. Allocation: R1 of R1, R2, R4 = 33.3%.
    later = engine.headline(
        get("domestic_abuse"), Filters(D(2025, 4, 1), D(2025, 4, 30), D(2025, 5, 2))
    )
    assert later["referrals"] == 4
    assert round(later["allocation_within_target_pct"], 1) == 33.3


def test_domestic_abuse_shares_are_not_available_without_their_tables(make_db):
    tables = domestic_abuse_tables()
    del tables["ssd_involvements"], tables["ssd_cin_visits"]
    engine = Engine(make_db(tables))
    measure = get("domestic_abuse")
    assert engine.unavailable_aggregates(measure) == {
        "allocation_within_target_pct": "needs ssd_involvements",
        "allocation_median_wd": "needs ssd_involvements",
        "seen_within_target_pct": "needs ssd_cin_visits",
        "seen_median_wd": "needs ssd_cin_visits",
    }
    # The count stands; the shares are not 0 but not available.
    assert engine.headline(measure, APRIL) == {
        "referrals": 3,
        "allocation_within_target_pct": None,
        "allocation_median_wd": None,
        "seen_within_target_pct": None,
        "seen_median_wd": None,
    }
    del tables["ssd_assessment_factors"]
    with pytest.raises(MeasureUnavailable, match="needs ssd_assessment_factors"):
        Engine(make_db(tables)).headline(measure, APRIL)
    # Without the factors, the allocation measure's domestic abuse share is not available.
    tables = domestic_abuse_tables()
    del tables["ssd_assessment_factors"]
    allocation = Engine(make_db(tables)).headline(get("allocation"), APRIL)
    assert allocation["domestic_abuse_within_target_pct"] is None
    # Every referral's share stands: R1 in time; R2 late; R3, R4 unallocated past target.
    assert allocation["within_target_pct"] == 25.0


# -- the child's views ----------------------------------------------------------------------------


def voice(person, **answers):
    return {"voch_person_id": person, **answers}


def visit(vid, person, date, seen, alone, cp=False):
    if cp:
        return {
            "cppv_cp_visit_id": vid,
            "cppv_person_id": person,
            "cppv_cp_visit_date": date,
            "cppv_cp_visit_seen": seen,
            "cppv_cp_visit_seen_alone": alone,
        }
    return {
        "cinv_cin_visit_id": vid,
        "cinv_person_id": person,
        "cinv_cin_visit_date": date,
        "cinv_cin_visit_seen": seen,
        "cinv_cin_visit_seen_alone": alone,
    }


def views_tables():
    return {
        "ssd_person": people(5),
        "ssd_cin_episodes": [],
        "ssd_cin_assessments": [
            assessment("A1", "P1", D(2025, 4, 1), D(2025, 4, 25), "T1", "W1"),
            assessment("A2", "P2", D(2025, 4, 1), D(2025, 4, 28), "T1", "W1"),
            assessment("A3", "P3", D(2025, 4, 14), D(2025, 4, 29), "T2", "W2"),
            assessment("A4", "P4", D(2025, 4, 1), D(2025, 5, 2), "T2", "W2"),
            assessment("A5", "P5", D(2025, 4, 1), D(2025, 4, 30), "T2", "W2"),
        ],
        "ssd_voice_of_child": [
            voice("P1", voch_agree_worker="Yes"),
            voice("P2", voch_agree_worker="  ", voch_plan_safe=None),  # no answer
            voice("P5", voch_explained_worries="No"),
        ],
        "ssd_cin_visits": [
            visit("V1", "P1", D(2025, 4, 10), True, True),  # seen alone during A1
            visit("V2", "P2", D(2025, 4, 9), True, False),  # seen, not alone
            visit("V5", "P5", D(2025, 4, 15), False, True),  # "alone" but not seen: no
        ],
        "ssd_cp_visits": [
            visit("PV2", "P2", D(2025, 4, 30), True, True, cp=True),  # after A2's authorisation
            visit("PV3", "P3", D(2025, 4, 14), True, True, cp=True),  # A3's first day: counts
        ],
    }


def test_the_childs_views_and_seen_alone_during_assessment(make_db):
    engine = Engine(make_db(views_tables()))
    rows = engine.rows(get("views"), APRIL).set_index("assessment_id")
    # Completed in April: A1, A2, A3, A5 (A4 authorised in May).
    assert list(rows.index) == ["A1", "A2", "A3", "A5"]
    assert rows["views_recorded"].to_dict() == {"A1": True, "A2": False, "A3": False, "A5": True}
    assert rows["seen_alone"].to_dict() == {"A1": True, "A2": False, "A3": True, "A5": False}
    assert rows.loc["A3", "first_seen_alone_date"].date() == D(2025, 4, 14)
    assert engine.headline(get("views"), APRIL) == {
        "assessments": 4,
        "views_recorded_pct": 50.0,
        "seen_alone_pct": 50.0,
    }
    t2 = engine.headline(get("views"), Filters(D(2025, 4, 1), D(2025, 4, 30), team="T2"))
    assert t2 == {"assessments": 2, "views_recorded_pct": 50.0, "seen_alone_pct": 50.0}


def test_views_are_not_available_without_the_voice_table(make_db):
    tables = views_tables()
    del tables["ssd_voice_of_child"]
    with pytest.raises(MeasureUnavailable, match="needs ssd_voice_of_child"):
        Engine(make_db(tables)).headline(get("views"), APRIL)


# -- conversion ----------------------------------------------------------------------------------


def conversion_db(make_db):
    def s47(sid, start):
        return {"s47e_s47_enquiry_id": sid, "s47e_person_id": "P1", "s47e_s47_start_date": start}

    def icpc(cid, sid, date, transfer_in=None):
        return {
            "icpc_icpc_id": cid,
            "icpc_s47_enquiry_id": sid,
            "icpc_person_id": "P1",
            "icpc_icpc_date": date,
            "icpc_icpc_transfer_in": transfer_in,
        }

    def plan(pid, icpc_id, start):
        return {
            "cppl_cp_plan_id": pid,
            "cppl_person_id": "P1",
            "cppl_icpc_id": icpc_id,
            "cppl_cp_plan_start_date": start,
        }

    return make_db(
        {
            "ssd_person": people(1),
            "ssd_cin_episodes": [],
            "ssd_s47_enquiry": [
                s47("S1", D(2025, 2, 3)),
                s47("S2", D(2025, 2, 3)),
                s47("S3", D(2025, 3, 10)),
                s47("S4", D(2024, 12, 20)),
                s47("S5", D(2025, 3, 20)),
            ],
            "ssd_initial_cp_conference": [
                icpc("C1", "S1", D(2025, 2, 24)),
                icpc("C3", "S3", D(2025, 3, 7)),  # before its S47: still names it
                icpc("C4", "S1", D(2025, 3, 3), transfer_in=True),
                icpc("C5", "S5", D(2025, 4, 2)),  # after as-of
                icpc("C6", "S4", D(2025, 1, 10)),
            ],
            "ssd_cp_plans": [
                plan("CP1", "C1", D(2025, 2, 24)),
                plan("CP3", "C3", D(2025, 4, 5)),  # starts after as-of
                plan("CP6", "C6", D(2025, 1, 10)),
            ],
        }
    )


def test_s47_to_icpc_and_icpc_to_plan(make_db):
    engine = Engine(conversion_db(make_db))
    q1 = Filters(D(2025, 1, 1), D(2025, 3, 31))
    # S47s started in Q1: S1, S2, S3, S5; with a conference by 31 Mar: S1 (C1), S3 (C3) = 50%.
    assert engine.headline(get("s47_conversion"), q1) == {"count": 4, "to_icpc_pct": 50.0}
    s47 = engine.rows(get("s47_conversion"), q1).set_index("s47_id")
    assert s47["led_to_icpc"].to_dict() == {"S1": True, "S2": False, "S3": True, "S5": False}
    assert s47["icpc_id"].dropna().to_dict() == {"S1": "C1", "S3": "C3"}
    # ICPCs in Q1 (C4 a transfer-in): C6, C1, C3; with a plan by 31 Mar: C6, C1 = 66.7%.
    figures = engine.headline(get("icpc_conversion"), q1)
    assert figures["count"] == 3 and round(figures["to_plan_pct"], 1) == 66.7
    icpcs = engine.rows(get("icpc_conversion"), q1)
    assert list(icpcs["icpc_id"]) == ["C6", "C1", "C3"]
    assert list(icpcs["led_to_plan"]) == [True, True, False]
    # As of 5 Apr, C3's plan has started: 3 of 3.
    later = Filters(D(2025, 1, 1), D(2025, 3, 31), D(2025, 4, 5))
    assert engine.headline(get("icpc_conversion"), later)["to_plan_pct"] == 100.0


def test_conversion_needs_both_tables(make_db):
    engine = Engine(make_db({"ssd_person": [], "ssd_cin_episodes": [], "ssd_s47_enquiry": []}))
    with pytest.raises(MeasureUnavailable, match="needs ssd_initial_cp_conference"):
        engine.headline(get("s47_conversion"), APRIL)
