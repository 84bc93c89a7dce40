"""Completed and overdue assessments, on small extracts worked out by hand.

Bank holidays used below: Coronation Mon 8 May 2023; summer Mon 26 Aug 2024; Good Friday 18 Apr
and Easter Monday 21 Apr 2025; Christmas 25, 26 Dec 2025 and New Year 1 Jan 2026; Good Friday
2 Apr and Easter Monday 5 Apr 2010; early May Mon 5 May and spring Mon 26 May 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import Engine, Filters, MeasureUnavailable, Settings, get

D = dt.date


def assessment(
    aid, start, auth=None, *, worker=None, team=None, seen=None, referral=None, kind=None
):
    return {
        "cina_assessment_id": aid,
        "cina_person_id": "P" + aid,
        "cina_referral_id": referral,
        "cina_assessment_start_date": start,
        "cina_assessment_auth_date": auth,
        "cina_assessment_child_seen": seen,
        "cina_assessment_team": team,
        "cina_assessment_worker_id": worker,
        "cina_assessment_type": kind,
    }


def test_durations_over_holidays_bands_and_percentiles(make_db):
    con = make_db(
        {
            "ssd_person": [],
            "ssd_cin_episodes": [],
            "ssd_cin_assessments": [
                # Wed 24 Dec 2025 -> Fri 2 Jan 2026: 29, 30, 31 Dec, 2 Jan = 4 wd.
                assessment("A1", D(2025, 12, 24), D(2026, 1, 2)),
                # Thu 17 Apr -> Tue 22 Apr 2025 over Easter: 1 wd.
                assessment("A2", D(2025, 4, 17), D(2025, 4, 22)),
                # Fri 5 May -> Tue 9 May 2023 over the Coronation: 1 wd.
                assessment("A3", D(2023, 5, 5), D(2023, 5, 9)),
                # Same day: 0 wd.
                assessment("A4", D(2025, 6, 2), D(2025, 6, 2)),
                # Mon 6 Jan -> Mon 10 Mar 2025: 9 weeks, no holidays = 45 wd (within 45).
                assessment("A5", D(2025, 1, 6), D(2025, 3, 10)),
                # ... -> Tue 11 Mar 2025 = 46 wd (late).
                assessment("A6", D(2025, 1, 6), D(2025, 3, 11)),
                # Mon 3 Jun -> Mon 2 Sep 2024: 13 weeks = 65, less 26 Aug = 64 wd.
                assessment("A7", D(2024, 6, 3), D(2024, 9, 2)),
                # Authorised before it started: a data issue, left out.
                assessment("A8", D(2025, 5, 10), D(2025, 5, 1)),
                # Authorised after the period (and as-of): not completed.
                assessment("A9", D(2026, 3, 2), D(2026, 4, 2)),
                # Not authorised.
                assessment("A10", D(2025, 7, 1)),
            ],
        }
    )
    engine = Engine(con)
    period = Filters(D(2023, 4, 1), D(2026, 3, 31))
    rows = engine.rows(get("assessments"), period)
    # By authorisation date: A3, A7, A5, A6, A2, A4, A1.
    assert list(rows["assessment_id"]) == ["A3", "A7", "A5", "A6", "A2", "A4", "A1"]
    assert list(rows["days"]) == [1, 64, 45, 46, 1, 0, 4]
    assert list(rows["band"]) == ["1-10", "61+", "41-45", "46-50", "1-10", "0", "1-10"]
    assert list(rows["band_order"]) == [1, 8, 5, 6, 1, 0, 1]
    assert list(rows["within_target"]) == [True, False, True, False, True, True, True]
    figures = engine.headline(get("assessments"), period)
    # Sorted days 0, 1, 1, 4, 45, 46, 64 (n=7): median = 4 (position 3);
    # P25 at position 1.5 = 1 + 0.5*(1-1) = 1; P75 at position 4.5 = 45 + 0.5*(46-45) = 45.5.
    # Within 45: 0, 1, 1, 4, 45 = 5/7 = 71.4%.
    assert figures["completed"] == 7
    assert (figures["median_wd"], figures["p25_wd"], figures["p75_wd"]) == (4.0, 1.0, 45.5)
    assert round(figures["within_target_pct"], 1) == 71.4


def test_band_boundaries(make_db):
    # From Mon 6 Jan 2025 (no bank holiday until 18 Apr), n wd later is n//5 weeks and n%5 days on.
    durations = [10, 11, 20, 21, 30, 31, 40, 41, 45, 46, 50, 51, 60, 61]
    start = D(2025, 1, 6)
    con = make_db(
        {
            "ssd_person": [],
            "ssd_cin_episodes": [],
            "ssd_cin_assessments": [
                assessment(f"B{n:02d}", start, start + dt.timedelta(days=7 * (n // 5) + n % 5))
                for n in durations
            ],
        }
    )
    rows = Engine(con).rows(get("assessments"), Filters(D(2025, 1, 1), D(2025, 6, 30)))
    assert list(rows["days"]) == durations
    assert list(rows["band"]) == [
        "1-10", "11-20", "11-20", "21-30", "21-30", "31-40", "31-40",
        "41-45", "41-45", "46-50", "46-50", "51-60", "51-60", "61+",
    ]  # fmt: skip


def workers_extract() -> dict[str, list[dict]]:
    return {
        "ssd_person": [],
        "ssd_cin_episodes": [
            {
                "cine_referral_id": "RB1",
                "cine_person_id": "PB1",
                "cine_referral_date": D(2025, 12, 22),
            },
            {
                "cine_referral_id": "RB2",
                "cine_person_id": "PB2",
                "cine_referral_date": D(2025, 11, 28),
            },
            {
                "cine_referral_id": "RB3",
                "cine_person_id": "PB3",
                "cine_referral_date": D(2025, 12, 15),
            },
        ],
        "ssd_professionals": [
            {
                "prof_professional_id": "W1",
                "prof_professional_name": "Ann",
                "prof_social_worker_registration_no": "SW123",
            },
            {
                "prof_professional_id": "W2",
                "prof_professional_name": "Bob",
                "prof_social_worker_registration_no": "  ",
            },
            {
                "prof_professional_id": "W3",
                "prof_professional_name": "Cy",
                "prof_social_worker_registration_no": None,
            },
        ],  # fmt: skip
        "ssd_cin_assessments": [
            # 24 Dec -> 2 Jan: 4 wd; from referral Mon 22 Dec: 23, 24, 29, 30, 31 Dec, 2 Jan = 6.
            assessment(
                "B1",
                D(2025, 12, 24),
                D(2026, 1, 2),
                worker="W1",
                team="T1",
                seen=True,
                referral="RB1",
            ),
            # Mon 1 -> Fri 12 Dec: 9 wd; from referral Fri 28 Nov: 1 Dec + 9 = 10. Unqualified.
            assessment(
                "B2",
                D(2025, 12, 1),
                D(2025, 12, 12),
                worker="W2",
                team="T1",
                seen=False,
                referral="RB2",
            ),
            # Mon 15 Dec -> Fri 9 Jan: 16-19 (4), 22-24 (7), 29-31 (10), 2 Jan (11), 5-9 Jan (16)
            # = 16 wd; referral the same day: 16. Unqualified (no registration number).
            assessment(
                "B3",
                D(2025, 12, 15),
                D(2026, 1, 9),
                worker="W3",
                team="T2",
                seen=True,
                referral="RB3",
            ),
            # Same day, worker W9 not in ssd_professionals, no referral, seen not recorded.
            assessment("B4", D(2026, 1, 5), D(2026, 1, 5), worker="W9", team="T2"),
        ],  # fmt: skip
    }


WINTER = Filters(D(2025, 12, 1), D(2026, 1, 31))


def test_workers_qualification_seen_and_from_referral(make_db):
    engine = Engine(make_db(workers_extract()))
    rows = engine.rows(get("assessments"), WINTER)
    assert list(rows["assessment_id"]) == ["B2", "B1", "B4", "B3"]
    assert list(rows["worker_known"]) == [True, True, False, True]
    assert [q if isinstance(q, bool) else None for q in rows["qualified"].tolist()] == [
        False,
        True,
        None,
        False,
    ]
    figures = engine.headline(get("assessments"), WINTER)
    # Days 0, 4, 9, 16: median = (4+9)/2 = 6.5; P25 position 0.75 = 0 + 0.75*4 = 3;
    # P75 position 2.25 = 9 + 0.25*(16-9) = 10.75. All within 45.
    # From referral 6, 10, 16 (B4 has none): median 10.
    # Unqualified B2, B3 = 2/4 = 50%; worker unknown B4 = 1 (not qualified, not unqualified);
    # seen during B1, B3 = 2/4 = 50%.
    assert figures == {
        "completed": 4,
        "median_wd": 6.5,
        "p25_wd": 3.0,
        "p75_wd": 10.75,
        "within_target_pct": 100.0,
        "from_referral_median_wd": 10.0,
        "unqualified_pct": 50.0,
        "worker_unknown": 1,
        "seen_during_pct": 50.0,
    }


def test_assessment_filters_breakdowns_and_months(make_db):
    engine = Engine(make_db(workers_extract()))
    t1 = engine.headline(get("assessments"), Filters(D(2025, 12, 1), D(2026, 1, 31), team="T1"))
    # T1: B1 (4, qualified), B2 (9, unqualified): median 6.5, unqualified 1/2.
    assert (t1["completed"], t1["median_wd"], t1["unqualified_pct"], t1["worker_unknown"]) == (
        2,
        6.5,
        50.0,
        0,
    )
    w9 = engine.headline(get("assessments"), Filters(D(2025, 12, 1), D(2026, 1, 31), worker="W9"))
    # W9 (not in ssd_professionals): 1 completed, unknown, never counted as unqualified; with
    # no known worker the unqualified share is not available (None), not 0%.
    assert (w9["completed"], w9["worker_unknown"], w9["unqualified_pct"]) == (1, 1, None)

    by_team = engine.breakdown(get("assessments"), WINTER)
    # T1: B1, B2; T2: B3 (16, unqualified), B4 (0, unknown).
    assert list(by_team["team"]) == ["T1", "T2"]
    assert list(by_team["completed"]) == [2, 2]
    assert list(by_team["median_wd"]) == [6.5, 8.0]
    assert list(by_team["worker_unknown"]) == [0, 1]
    by_worker = engine.breakdown(get("assessments"), WINTER, by="worker")
    assert list(by_worker["worker"]) == ["W1", "W2", "W3", "W9"]
    assert list(by_worker["worker_name"]) == ["Ann", "Bob", "Cy", "W9"]

    monthly = engine.monthly(get("assessments"), WINTER)
    # December: B2 (9). January: B4 (0), B1 (4), B3 (16): median 4.
    assert list(monthly["month"].astype(str)) == ["2025-12-01", "2026-01-01"]
    assert list(monthly["completed"]) == [1, 3]
    assert list(monthly["median_wd"]) == [9.0, 4.0]


def regime_extract() -> dict[str, list[dict]]:
    return {
        "ssd_person": [],
        "ssd_cin_episodes": [],
        "ssd_cin_assessments": [
            # Initial, started before 1 Apr 2010 (target 7): Mon 1 -> Wed 10 Mar = 7 wd, in time.
            assessment("C1", D(2010, 3, 1), D(2010, 3, 10), kind="Initial"),
            # ... -> Thu 11 Mar = 8 wd, late.
            assessment("C2", D(2010, 3, 1), D(2010, 3, 11), kind=" initial "),
            # Initial from 1 Apr 2010 (target 10): Tue 1 -> Tue 15 Jun 2010 = 10 wd, in time.
            assessment("C3", D(2010, 6, 1), D(2010, 6, 15), kind="INITIAL"),
            # Blank type, ... -> Wed 16 Jun = 11 wd: initial (late) under the 2010 regime,
            # single (45, in time) otherwise.
            assessment("C4", D(2010, 6, 1), D(2010, 6, 16)),
            # Core (target 35): Tue 1 Jun -> Tue 20 Jul 2010 = 7 weeks = 35 wd, in time.
            assessment("C5", D(2010, 6, 1), D(2010, 7, 20), kind="core"),
            # ... -> Wed 21 Jul = 36 wd, late.
            assessment("C6", D(2010, 6, 1), D(2010, 7, 21), kind="Core"),
            # Single, 36 wd: target 45, in time.
            assessment("C7", D(2010, 6, 1), D(2010, 7, 21), kind="single"),
            # Initial started Wed 31 Mar 2010 (target 7, as started before 1 Apr 2010):
            # -> Wed 14 Apr: 1 Apr (1), [2 and 5 Apr Easter], 6-9 Apr (5), 12-14 Apr (8) = 8, late.
            assessment("C8", D(2010, 3, 31), D(2010, 4, 14), kind="initial"),
            # Initial started Thu 1 Apr 2010 (target 10): -> Thu 15 Apr: 6-9 (4), 12-15 (8), in time.
            assessment("C9", D(2010, 4, 1), D(2010, 4, 15), kind="initial"),
        ],
    }


def test_2010_regime_targets(make_db):
    con = make_db(regime_extract())
    period = Filters(D(2010, 1, 1), D(2010, 12, 31))
    engine_2010 = Engine(con, Settings(regime="2010"))
    rows = engine_2010.rows(get("assessments"), period)
    assert list(rows["assessment_id"]) == ["C1", "C2", "C8", "C9", "C3", "C4", "C5", "C6", "C7"]
    assert list(rows["days"]) == [7, 8, 8, 8, 10, 11, 35, 36, 36]
    assert list(rows["target"]) == [7, 7, 7, 10, 10, 10, 35, 35, 45]
    # In time: C1, C9, C3, C5, C7 = 5/9 = 55.6%.
    assert round(engine_2010.headline(get("assessments"), period)["within_target_pct"], 1) == 55.6
    # Default regime: C4 (blank) is a single assessment (45) and in time: 6/9 = 66.7%.
    engine_2023 = Engine(con)
    assert list(engine_2023.rows(get("assessments"), period)["target"]) == [
        7, 7, 7, 10, 10, 45, 35, 35, 45,
    ]  # fmt: skip
    assert round(engine_2023.headline(get("assessments"), period)["within_target_pct"], 1) == 66.7


def overdue_extract() -> dict[str, list[dict]]:
    return {
        "ssd_person": [],
        "ssd_cin_episodes": [],
        "ssd_professionals": [
            {"prof_professional_id": "W2", "prof_professional_name": "Sam"},
        ],
        "ssd_cin_assessments": [
            # Mon 24 Feb 2025, open: to 30 Apr = Feb 25-28 (4) + March (21) + April (20) = 45 wd,
            # not above 45: not overdue on 30 Apr. To Sat 31 May: + May (20, less 5 and 26 May) = 65.
            assessment("D1", D(2025, 2, 24), worker="W1", team="T1"),
            # Fri 21 Feb, open: 46 wd on 30 Apr, overdue; due 45 wd on = Tue 29 Apr. 66 on 31 May.
            assessment("D2", D(2025, 2, 21), worker="W1", team="T1"),
            # Mon 6 Jan, authorised 6 May (after 30 Apr, so still open then): Jan 7-31 (19) + Feb
            # (20) + Mar (21) + Apr (20) = 80 wd; due 6 Jan + 45 wd = Mon 10 Mar.
            assessment("D3", D(2025, 1, 6), D(2025, 5, 6), worker="W2", team="T2"),
            # Authorised 28 Apr: done.
            assessment("D4", D(2025, 1, 6), D(2025, 4, 28), worker="W2", team="T2"),
            # Starts 1 May: after 30 Apr. On 31 May: 19 wd, not overdue.
            assessment("D5", D(2025, 5, 1), worker="W2", team="T2"),
            # Initial (target 10), Fri 11 Apr: 14-17 (4), 22-25 (8), 28-30 (11) = 11 wd, overdue;
            # due 10 wd on = Tue 29 Apr. On 31 May: 11 + 20 = 31.
            assessment("D6", D(2025, 4, 11), worker="W3", team="T1", kind="initial"),
        ],
    }


def test_overdue_snapshot_ignores_authorisations_after_as_of(make_db):
    engine = Engine(make_db(overdue_extract()))
    april = Filters(D(2025, 4, 1), D(2025, 4, 30))
    rows = engine.rows(get("assessments_overdue"), april)
    assert list(rows["assessment_id"]) == ["D3", "D2", "D6"]
    assert list(rows["age_wd"]) == [80, 46, 11]
    assert list(rows["target"]) == [45, 45, 10]
    assert [d.date() for d in rows["due_date"]] == [D(2025, 3, 10), D(2025, 4, 29), D(2025, 4, 29)]
    assert list(rows["worker_name"].fillna("-")) == ["Sam", "-", "-"]
    assert engine.headline(get("assessments_overdue"), april) == {"count": 3, "oldest_wd": 80}
    # Team T1: D2, D6. Worker W2: D3.
    t1 = Filters(D(2025, 4, 1), D(2025, 4, 30), team="T1")
    assert engine.headline(get("assessments_overdue"), t1) == {"count": 2, "oldest_wd": 46}
    w2 = Filters(D(2025, 4, 1), D(2025, 4, 30), worker="W2")
    assert engine.headline(get("assessments_overdue"), w2) == {"count": 1, "oldest_wd": 80}

    monthly = engine.monthly(get("assessments_overdue"), Filters(D(2025, 4, 1), D(2025, 5, 31)))
    # 30 Apr: D3, D2, D6 (oldest 80). 31 May: D3 authorised on 6 May; D1 (65), D2 (66), D6 (31);
    # D5 19 wd, not overdue: 3, oldest 66.
    assert list(monthly["count"]) == [3, 3]
    assert list(monthly["oldest_wd"]) == [80, 66]


def test_assessments_need_the_assessments_table(make_db):
    engine = Engine(make_db({"ssd_person": [], "ssd_cin_episodes": []}))
    for key in ("assessments", "assessments_overdue"):
        with pytest.raises(MeasureUnavailable, match="needs ssd_cin_assessments"):
            engine.headline(get(key), Filters(D(2025, 4, 1), D(2025, 4, 30)))
