"""Seeing the child after referral, on a small extract worked out by hand.

Working days in April 2025 (Good Friday 18 Apr and Easter Monday 21 Apr are bank holidays):
1-4, 7-11, 14-17, 22-25, 28-30 = 20 working days.
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import Engine, Filters, MeasureUnavailable, get

D = dt.date
APRIL = Filters(D(2025, 4, 1), D(2025, 4, 30))


def referral(rid, person, date, team, worker=None, nfa=None, close=None):
    return {
        "cine_referral_id": rid,
        "cine_person_id": person,
        "cine_referral_date": date,
        "cine_referral_nfa": nfa,
        "cine_close_date": close,
        "cine_referral_team": team,
        "cine_referral_worker_id": worker,
    }


def cin_visit(vid, person, date, seen):
    return {
        "cinv_cin_visit_id": vid,
        "cinv_person_id": person,
        "cinv_cin_visit_date": date,
        "cinv_cin_visit_seen": seen,
    }


def cp_visit(vid, person, date, seen):
    return {
        "cppv_cp_visit_id": vid,
        "cppv_person_id": person,
        "cppv_cp_visit_date": date,
        "cppv_cp_visit_seen": seen,
    }


def allocation(iid, person, worker, team, start, rid):
    return {
        "invo_involvements_id": iid,
        "invo_person_id": person,
        "invo_professional_id": worker,
        "invo_professional_role_id": "allocated case worker",
        "invo_professional_team": team,
        "invo_involvement_start_date": start,
        "invo_referral_id": rid,
    }


def extract() -> dict[str, list[dict]]:
    return {
        "ssd_person": [{"pers_person_id": f"P{i}"} for i in range(1, 12)],
        "ssd_cin_episodes": [
            # S1 Thu 17 Apr, seen Tue 22 Apr (over Easter): 1 wd. Allocated to W1 (T1) on 22 Apr,
            # though referred to T2. Seen visits before the referral and unseen visits don't count.
            referral("S1", "P1", D(2025, 4, 17), "T2"),
            # S2 Tue 1 Apr, seen on a CP visit Thu 10 Apr: 2,3,4,7,8,9,10 = 7 wd, late. Never
            # allocated: the referral's own team and worker (T2, W2).
            referral("S2", "P2", D(2025, 4, 1), "T2", worker="W2"),
            # S3: NFA (seen the same day): left out.
            referral("S3", "P3", D(2025, 4, 2), "T1", nfa=True),
            # S4 Mon 7 Apr, open, only an unseen visit: age at 30 Apr = 15 wd > 5, waiting.
            referral("S4", "P4", D(2025, 4, 7), "T1"),
            # S5 Mon 28 Apr, open, unseen: 2 wd, not yet past target: left out.
            referral("S5", "P5", D(2025, 4, 28), "T1"),
            # S6 Thu 3 Apr, closed Fri 11 Apr, seen only after closing (14 Apr): closed unseen.
            referral("S6", "P6", D(2025, 4, 3), "T1", close=D(2025, 4, 11)),
            # S7 Wed 9 Apr, seen Fri 2 May (after as-of 30 Apr): unseen; age 13 wd > 5, waiting.
            referral("S7", "P7", D(2025, 4, 9), "T2"),
            # S8 Mon 14 Apr, seen the same day: 0 wd. Allocated to W3 (T3) on 15 Apr.
            referral("S8", "P8", D(2025, 4, 14), "T1"),
            # S9 Fri 4 Apr, closed Fri 25 Apr and seen that day (on the close date counts):
            # 7-11 (5), 14-17 (9), 22-25 (13) = 13 wd, late.
            referral("S9", "P9", D(2025, 4, 4), "T1", close=D(2025, 4, 25)),
            # S10: NFA, closed unseen: in no list.
            referral("S10", "P10", D(2025, 4, 8), "T1", nfa=True, close=D(2025, 4, 8)),
            # S11 Mon 31 Mar (before April), open, never seen: 20 wd old on 30 Apr.
            referral("S11", "P11", D(2025, 3, 31), "T2"),
        ],
        "ssd_cin_visits": [
            cin_visit("V1", "P1", D(2025, 4, 22), True),
            cin_visit("V1b", "P1", D(2025, 4, 17), False),
            cin_visit("V1c", "P1", D(2025, 4, 10), True),
            cin_visit("V3", "P3", D(2025, 4, 2), True),
            cin_visit("V6", "P6", D(2025, 4, 14), True),
            cin_visit("V7", "P7", D(2025, 5, 2), True),
            cin_visit("V8", "P8", D(2025, 4, 14), True),
            cin_visit("V9", "P9", D(2025, 4, 25), True),
        ],
        "ssd_cp_visits": [
            cp_visit("C2", "P2", D(2025, 4, 10), True),
            cp_visit("C4", "P4", D(2025, 4, 15), False),
            cp_visit("C4b", "P4", D(2025, 4, 16), None),
        ],
        "ssd_involvements": [
            allocation("I1", "P1", "W1", "T1", D(2025, 4, 22), "S1"),
            allocation("I8", "P8", "W3", "T3", D(2025, 4, 15), "S8"),
        ],
    }


def test_time_to_see_cohort_and_figures(make_db):
    engine = Engine(make_db(extract()))
    rows = engine.rows(get("seen"), APRIL)
    # Seen: S2 (7), S9 (13), S8 (0), S1 (1); waiting past target: S4 (15), S7 (13).
    # Left out: S3, S10 (NFA), S5 (not yet past target), S6 (closed unseen), S11 (March).
    assert list(rows["referral_id"]) == ["S2", "S9", "S4", "S7", "S8", "S1"]
    assert list(rows["status"]) == ["seen", "seen", "waiting", "waiting", "seen", "seen"]
    assert list(rows["days"]) == [7, 13, 15, 13, 0, 1]
    assert list(rows["within_target"]) == [False, False, False, False, True, True]
    # Team: the worker allocated first, else the referral's own.
    assert list(rows["team"]) == ["T2", "T1", "T1", "T2", "T3", "T1"]
    assert list(rows["worker_id"].fillna("-")) == ["W2", "-", "-", "-", "W3", "W1"]
    figures = engine.headline(get("seen"), APRIL)
    # Seen days 0, 1, 7, 13: median (1+7)/2 = 4; P25 position 0.75 = 0 + 0.75*1 = 0.75;
    # P75 position 2.25 = 7 + 0.25*(13-7) = 8.5. Within: S8, S1 = 2 of 6 = 33.3%.
    assert (figures["cohort"], figures["median_wd"]) == (6, 4.0)
    assert (figures["p25_wd"], figures["p75_wd"]) == (0.75, 8.5)
    assert round(figures["within_target_pct"], 1) == 33.3

    # As of Fri 2 May: S7 seen that day (13 + 1 May + 2 May = 15, late); S4 waiting (17);
    # S5 4 wd, left out. Seen days 0, 1, 7, 13, 15: median 7; within 2/6.
    later = engine.headline(get("seen"), Filters(D(2025, 4, 1), D(2025, 4, 30), D(2025, 5, 2)))
    assert (later["cohort"], later["median_wd"]) == (6, 7.0)
    assert round(later["within_target_pct"], 1) == 33.3


def test_seen_filters_and_breakdown(make_db):
    engine = Engine(make_db(extract()))
    t1 = engine.headline(get("seen"), Filters(D(2025, 4, 1), D(2025, 4, 30), team="T1"))
    # T1: S1 (1, in time), S9 (13), S4 waiting: 1/3; median (1+13)/2 = 7.
    assert (t1["cohort"], t1["median_wd"]) == (3, 7.0)
    assert round(t1["within_target_pct"], 1) == 33.3
    w2 = engine.headline(get("seen"), Filters(D(2025, 4, 1), D(2025, 4, 30), worker="W2"))
    # W2 (S2's referral worker): S2 alone, 7 wd, late.
    assert (w2["cohort"], w2["median_wd"], w2["within_target_pct"]) == (1, 7.0, 0.0)
    by_team = engine.breakdown(get("seen"), APRIL)
    # T1: S1, S9, S4; T2: S2, S7 (0 of 2 in time); T3: S8 (in time).
    assert list(by_team["team"]) == ["T1", "T2", "T3"]
    assert list(by_team["cohort"]) == [3, 2, 1]
    assert list(by_team["within_target_pct"].round(1)) == [33.3, 0.0, 100.0]


def test_not_yet_seen_snapshot(make_db):
    engine = Engine(make_db(extract()))
    rows = engine.rows(get("not_yet_seen"), APRIL)
    # Open on 30 Apr, not NFA, unseen since referral, oldest first: S11 (20), S4 (15), S7 (13;
    # its visit on 2 May is not yet known), S5 (2). Over target (5): the first three.
    assert list(rows["referral_id"]) == ["S11", "S4", "S7", "S5"]
    assert list(rows["age_wd"]) == [20, 15, 13, 2]
    assert list(rows["at_risk"]) == [True, True, True, False]
    # S4's due date: 5 wd after Mon 7 Apr = Mon 14 Apr.
    assert rows["due_date"].iloc[1].date() == D(2025, 4, 14)
    assert engine.headline(get("not_yet_seen"), APRIL) == {"count": 4, "at_risk": 3}
    t2 = Filters(D(2025, 4, 1), D(2025, 4, 30), team="T2")
    assert engine.headline(get("not_yet_seen"), t2) == {"count": 2, "at_risk": 2}

    # As of Wed 9 Apr: S2 (seen 10 Apr, not yet): 2-4, 7-9 = 6 wd, at risk; S4: 2; S6 (closes
    # 11 Apr, not yet): 4, 7-9 = 4; S7: 0; S9 (closes and seen 25 Apr): 7-9 = 3; S11: 1-4, 7-9 =
    # 7, at risk. S3, S10 are NFA; S1, S5, S8 not yet referred.
    early = engine.headline(get("not_yet_seen"), Filters(D(2025, 4, 1), D(2025, 4, 9)))
    assert early == {"count": 6, "at_risk": 2}


def test_closed_unseen_data_issue(make_db):
    engine = Engine(make_db(extract()))
    rows = engine.rows(get("seen_closed_unseen"), APRIL)
    # S6 (seen only after closing); S9 was seen on its close date; S10 is NFA.
    assert list(rows["referral_id"]) == ["S6"]
    assert engine.headline(get("seen_closed_unseen"), APRIL) == {"count": 1}
    # As of 9 Apr, S6's close on 11 Apr is not yet known: nothing closed unseen.
    early = Filters(D(2025, 4, 1), D(2025, 4, 9))
    assert engine.headline(get("seen_closed_unseen"), early) == {"count": 0}


def test_seen_without_involvements_uses_the_referral_team(make_db):
    tables = extract()
    del tables["ssd_involvements"]
    engine = Engine(make_db(tables))
    by_team = engine.breakdown(get("seen"), APRIL)
    # T1: S8 (0), S9 (13), S4 waiting; T2: S1 (1), S2 (7), S7 waiting.
    assert list(by_team["team"]) == ["T1", "T2"]
    assert list(by_team["cohort"]) == [3, 3]
    assert list(by_team["median_wd"]) == [6.5, 4.0]


def test_seen_needs_cin_visits(make_db):
    tables = extract()
    del tables["ssd_cin_visits"]
    engine = Engine(make_db(tables))
    for key in ("seen", "not_yet_seen", "seen_closed_unseen"):
        with pytest.raises(MeasureUnavailable, match="needs ssd_cin_visits"):
            engine.headline(get(key), APRIL)
