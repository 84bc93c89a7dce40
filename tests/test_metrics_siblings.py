"""Siblings assessed in their own right, on a small extract worked out by hand."""

from __future__ import annotations

import datetime as dt

from metrics import Engine, Filters, get

D = dt.date


def referral(rid, person, date, *, nfa=False, team="T1"):
    return {
        "cine_referral_id": rid,
        "cine_person_id": person,
        "cine_referral_date": date,
        "cine_referral_nfa": nfa,
        "cine_referral_team": team,
    }


def assessment(aid, person, rid, start):
    return {
        "cina_assessment_id": aid,
        "cina_person_id": person,
        "cina_referral_id": rid,
        "cina_assessment_start_date": start,
    }


def family(fid, *people):
    return [
        {"fami_table_id": f"{fid}{p}", "fami_family_id": fid, "fami_person_id": p} for p in people
    ]


def test_children_referred_with_a_sibling_and_not_assessed(make_db):
    con = make_db(
        {
            "ssd_person": [],
            "ssd_family": (
                family("F1", "A", "B", "C")
                + family("F2", "D", "E")
                + family("F3", "G", "H")
                + family("F4", "J", "K")
                + family("F5", "L", "M")
                + family("F6", "N", "P")
                + family("F7", "Q", "R")
                + family("  ", "T", "U")  # a blank family id: no siblings
            ),
            "ssd_cin_episodes": [
                # F1: three referred together; A and B assessed, C not -> C is the one left out.
                referral("RA", "A", D(2025, 5, 1)),
                referral("RB", "B", D(2025, 5, 1)),
                referral("RC", "C", D(2025, 5, 1), team="T2"),
                # F2: referred together, neither assessed: nothing assessed, group left out.
                referral("RD", "D", D(2025, 6, 2)),
                referral("RE", "E", D(2025, 6, 2)),
                # F3: referred on different days: not a group.
                referral("RG", "G", D(2025, 6, 10)),
                referral("RH", "H", D(2025, 6, 11)),
                # F4: K's referral is NFA, so J is alone in the group: left out.
                referral("RJ", "J", D(2025, 7, 1)),
                referral("RK", "K", D(2025, 7, 1), nfa=True),
                # F5: L's assessment starts after as-of: nothing assessed yet, left out.
                referral("RL", "L", D(2025, 8, 1)),
                referral("RM", "M", D(2025, 8, 1)),
                # F6: referred before the period.
                referral("RN", "N", D(2025, 3, 14)),
                referral("RP", "P", D(2025, 3, 14)),
                # F7: both assessed.
                referral("RQ", "Q", D(2025, 9, 1)),
                referral("RR", "R", D(2025, 9, 1)),
                # Blank family: T assessed, U not, but they are no sibling group here.
                referral("RT", "T", D(2025, 5, 5)),
                referral("RU", "U", D(2025, 5, 5)),
            ],
            "ssd_cin_assessments": [
                assessment("A1", "A", "RA", D(2025, 5, 2)),
                assessment("A2", "B", "RB", D(2025, 5, 2)),
                assessment("A3", "J", "RJ", D(2025, 7, 2)),
                assessment("A4", "L", "RL", D(2025, 10, 5)),
                assessment("A5", "N", "RN", D(2025, 3, 17)),
                assessment("A6", "Q", "RQ", D(2025, 9, 2)),
                assessment("A7", "R", "RR", D(2025, 9, 3)),
                assessment("A8", "T", "RT", D(2025, 5, 6)),
            ],
        }
    )
    engine = Engine(con)
    period = Filters(D(2025, 4, 1), D(2025, 9, 30))
    measure = get("siblings")
    rows = engine.rows(measure, period)
    # Ordered unassessed first, then by referral date and family: C; then A, B (1 May), Q, R.
    assert list(rows["person_id"]) == ["C", "A", "B", "Q", "R"]
    assert list(rows["assessed"]) == [False, True, True, True, True]
    assert list(rows["group_children"]) == [3, 3, 3, 2, 2]
    assert list(rows["group_assessed"]) == [2, 2, 2, 2, 2]
    figures = engine.headline(measure, period)
    # 5 children in groups with an assessment, 1 without one of their own: 1/5 = 20%.
    assert figures["children"] == 5
    assert figures["not_assessed"] == 1
    assert figures["not_assessed_pct"] == 20.0
    teams = engine.breakdown(measure, period, "team").set_index("team")
    # The referrals' own teams (nobody allocated): C is T2's, the rest T1's.
    assert teams.loc["T1", "children"] == 4 and teams.loc["T1", "not_assessed"] == 0
    assert teams.loc["T2", "children"] == 1 and teams.loc["T2", "not_assessed_pct"] == 100.0
