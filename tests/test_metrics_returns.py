"""Annex A snapshot measures: time since last seen, time since the last CP review."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import Engine, Filters, MeasureUnavailable, get

D = dt.date


def test_last_seen_bands_at_the_as_of_date(make_db):
    con = make_db({"ssd_person": [], "ssd_cin_episodes": []})
    con.execute("CREATE TABLE annex_a_last_seen (person_id VARCHAR, last_seen_date VARCHAR)")
    con.executemany(
        "INSERT INTO annex_a_last_seen VALUES (?, ?)",
        [
            ("P1", "2025-03-28"),  # 3 days before as-of 2025-03-31: 0-6 weeks
            ("P2", "2025-02-17"),  # 42 days: exactly 6 weeks -> 6-12 weeks
            ("P3", "2024-12-01"),  # 120 days: 12-18 weeks
            ("P4", "2024-10-01"),  # 181 days: 18+ weeks
            ("P4", "2024-09-01"),  # older duplicate of P4: the latest date wins
            ("P5", "2025-04-02"),  # after as-of: not seen yet at as-of, left out
            ("P6", "not a date"),  # unreadable: left out
        ],
    )
    figures = Engine(con).headline(get("last_seen"), Filters(D(2025, 1, 1), D(2025, 3, 31)))
    # 4 children (P1-P4); bands 1, 1, 1, 1 across 0-6 / 6-12 / 12-18 / 18+; over 6 weeks 3/4.
    assert figures == {
        "children": 4,
        "seen_0_6_weeks": 1,
        "seen_6_12_weeks": 1,
        "seen_12_18_weeks": 1,
        "seen_18_plus_weeks": 1,
        "over_6_weeks_pct": 75.0,
    }


def test_last_cp_review_overdue_uses_calendar_months(make_db):
    con = make_db(
        {
            "ssd_person": [],
            "ssd_cin_episodes": [],
            "ssd_cp_plans": [
                # Started 31 Jan 2025, no review: first due 30 Apr 2025 (3 months), not overdue
                # at 2025-04-30.
                {
                    "cppl_cp_plan_id": "CP1",
                    "cppl_person_id": "P1",
                    "cppl_cp_plan_start_date": D(2025, 1, 31),
                },
                # Reviewed 2024-10-15: next due 2025-04-15, overdue at 2025-04-30.
                {
                    "cppl_cp_plan_id": "CP2",
                    "cppl_person_id": "P2",
                    "cppl_cp_plan_start_date": D(2024, 7, 1),
                },
                # Ended before as-of: not in the cohort.
                {
                    "cppl_cp_plan_id": "CP3",
                    "cppl_person_id": "P3",
                    "cppl_cp_plan_start_date": D(2024, 1, 1),
                    "cppl_cp_plan_end_date": D(2025, 2, 1),
                },
            ],
        }
    )
    con.execute(
        "CREATE TABLE annex_a_last_cp_review "
        "(person_id VARCHAR, cp_plan_id VARCHAR, last_review_date VARCHAR)"
    )
    con.execute("INSERT INTO annex_a_last_cp_review VALUES ('P2', 'CP2', '2024-10-15')")
    engine = Engine(con)
    filters = Filters(D(2025, 4, 1), D(2025, 4, 30))
    figures = engine.headline(get("last_cp_review"), filters)
    assert figures == {"open_plans": 2, "overdue": 1, "overdue_pct": 50.0}
    rows = engine.rows(get("last_cp_review"), filters)
    assert list(rows["cp_plan_id"]) == ["CP2", "CP1"]
    assert [d.date() for d in rows["next_due"]] == [D(2025, 4, 15), D(2025, 4, 30)]


def test_unavailable_without_annex_a(make_db):
    con = make_db({"ssd_person": [], "ssd_cin_episodes": []})
    with pytest.raises(MeasureUnavailable, match="needs annex_a_last_seen"):
        Engine(con).headline(get("last_seen"), Filters(D(2025, 1, 1), D(2025, 3, 31)))
