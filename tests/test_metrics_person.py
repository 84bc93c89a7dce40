"""The person filter (Filters.person) and the CP review history measure, on small extracts
worked out by hand, and on the built-in sample.

A measure asked for one child gives exactly that child's rows of the whole authority: the
engine reads the child's own records and those they name by id, even when the id names another
child's record (a data error the whole rows would follow too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from metrics import MEASURES, Engine, Filters, MeasureUnavailable, get
from metrics import child as ch
from tests.test_metrics_protection import PERIOD_Q1, reviews_db

D = dt.date
AS_OF = D(2025, 6, 30)
ALL_TIME = (D(1900, 1, 1), AS_OF, AS_OF)


def _d(value):
    return value.date() if isinstance(value, pd.Timestamp) else value


def test_cp_review_chain_review_by_review(make_db):
    engine = Engine(reviews_db(make_db))
    chain = get("cp_review_chain")
    f = Filters(*PERIOD_Q1)
    rows = engine.rows(chain, f)
    got = [
        (r.cp_plan_id, r.review_number, _d(r.due_date), _d(r.held_date), r.status)
        for r in rows.itertuples()
    ]
    nat = None  # not held
    assert [(p, n, d, None if pd.isna(h) else h, s) for p, n, d, h, s in got] == [
        ("CP1", 3, D(2025, 9, 12), nat, "due"),  # R2 (12 Mar) was held before the period
        ("CP2", 1, D(2025, 4, 30), D(2025, 4, 30), "held on time"),
        ("CP2", 2, D(2025, 10, 30), nat, "due"),  # R4 (1 Jul) is after as-of
        ("CP3", 1, D(2025, 4, 30), D(2025, 5, 1), "held late"),
        ("CP3", 2, D(2025, 11, 1), nat, "due"),
        ("CP4", 1, D(2025, 8, 1), nat, "due"),
        ("CP5", 1, D(2025, 3, 1), nat, "overdue"),
        ("CP7", 2, D(2025, 6, 20), D(2025, 6, 20), "held on time"),
        ("CP7", 3, D(2025, 12, 20), nat, "due"),
    ]
    late = rows[rows["status"] == "held late"].iloc[0]
    assert int(late["days_late_wd"]) == 1  # Wed 30 Apr -> Thu 1 May
    assert int(rows[rows["cp_plan_id"] == "CP4"].iloc[0]["days_until_due"]) == 32
    assert engine.headline(chain, f) == {
        "held": 3,
        "held_on_time_pct": pytest.approx(200 / 3),
        "held_late": 1,
        "overdue": 1,
    }
    # All time: the ended plan's review too (CP6: 15 Jan + 3 months = 15 Apr 2024, held then).
    history = engine.rows(chain, Filters(*ALL_TIME))
    cp1 = history[history["cp_plan_id"] == "CP1"]
    assert list(cp1["status"]) == ["held on time", "held late", "due"]
    assert int(cp1.iloc[1]["days_late_wd"]) == 5  # Wed 5 Mar -> Wed 12 Mar
    cp6 = history[history["cp_plan_id"] == "CP6"]
    assert list(cp6["status"]) == ["held on time"]
    assert _d(cp6.iloc[0]["plan_end_date"]) == D(2025, 3, 1)
    # A plan is out of timescale in cp_reviews exactly when its history has a late or overdue
    # review.
    plans = engine.rows(get("cp_reviews"), f).set_index("cp_plan_id")
    for plan, row in plans.iterrows():
        mine = history[history["cp_plan_id"] == plan]
        assert bool(row["in_timescale"]) == (
            not mine["status"].isin(["held late", "overdue"]).any()
        ), plan


def _plain(row: dict) -> dict:
    """A row's values as plain Python (dates, not timestamps; None, not NaN / NaT / NA)."""
    out = {}
    for k, v in row.items():
        if v is not None and pd.api.types.is_scalar(v) and pd.isna(v):
            v = None
        elif isinstance(v, pd.Timestamp):
            v = v.date()
        elif hasattr(v, "item"):
            v = v.item()
        out[k] = v
    return out


def _child_level():
    return [m for m in MEASURES.values() if m.child_level]


def _same(engine: Engine, person: str, filters: Filters, wholes: dict | None = None) -> int:
    """For every child-level measure: the rows asked for `person` equal the whole rows filtered
    to that person, and so do those `rows_each` gives for all of them at once. Returns how many
    rows were compared. `wholes` keeps each measure's whole rows for `filters` across calls
    (they do not depend on the person; on the sample they are most of the test's time)."""
    compared = 0
    wholes = {} if wholes is None else wholes
    each = engine.rows_each(_child_level(), replace(filters, person=person))
    for measure in _child_level():
        if (measure.key, filters) not in wholes:
            try:
                wholes[measure.key, filters] = engine.rows(measure, filters)
            except MeasureUnavailable:
                wholes[measure.key, filters] = None
        whole = wholes[measure.key, filters]
        if whole is None:
            continue
        mine = engine.rows(measure, replace(filters, person=person))
        whole = whole[whole["person_id"] == person]
        assert list(mine.columns) == list(whole.columns), measure.key
        key = list(whole.columns)
        left = mine.astype(str).sort_values(key).reset_index(drop=True)
        right = whole.astype(str).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, obj=f"{measure.key} for {person}")
        assert [_plain(r) for r in each[measure.key]] == [
            _plain(r) for r in mine.to_dict("records")
        ], measure.key
        # The headline is read off the same rows: a count(*) aggregate counts them.
        counts = [name for name, sql in measure.aggregates.items() if sql == "count(*)"]
        if counts:
            headline = engine.headline(measure, replace(filters, person=person))
            assert headline[counts[0]] == len(whole), measure.key
        compared += len(whole)
    return compared


def _linked_db(make_db) -> duckdb.DuckDBPyConnection:
    """Two children whose records name each other's (data errors the measures follow)."""
    return make_db(
        {
            "ssd_person": [{"pers_person_id": "A"}, {"pers_person_id": "B"}],
            "ssd_family": [
                {"fami_table_id": "1", "fami_family_id": "F", "fami_person_id": "A"},
                {"fami_table_id": "2", "fami_family_id": "F", "fami_person_id": "B"},
            ],
            "ssd_contacts": [
                {
                    "cont_contact_id": "K1",
                    "cont_person_id": "A",
                    "cont_contact_date": D(2025, 3, 3),
                    "cont_outcome_date": D(2025, 3, 5),
                }
            ],
            "ssd_cin_episodes": [
                {
                    "cine_referral_id": "RA",
                    "cine_person_id": "A",
                    "cine_referral_date": D(2025, 3, 3),
                },
                {
                    "cine_referral_id": "RB",
                    "cine_person_id": "B",
                    "cine_referral_date": D(2025, 2, 3),
                },
            ],
            "ssd_involvements": [
                # A's own allocation, with no referral id: RA is open then.
                {
                    "invo_involvements_id": "IA",
                    "invo_professional_id": "W1",
                    "invo_professional_role_id": "allocated case worker",
                    "invo_professional_team": "T1",
                    "invo_involvement_start_date": D(2025, 3, 6),
                    "invo_person_id": "A",
                },
                # B's involvement naming A's referral, a day earlier: RA's first allocation.
                {
                    "invo_involvements_id": "IB",
                    "invo_professional_id": "W2",
                    "invo_professional_role_id": "allocated case worker",
                    "invo_professional_team": "T2",
                    "invo_involvement_start_date": D(2025, 3, 4),
                    "invo_person_id": "B",
                    "invo_referral_id": "RA",
                },
            ],
            "ssd_professionals": [
                {"prof_professional_id": "W1", "prof_professional_department": "T1"},
                {"prof_professional_id": "W2"},
            ],
            # A's assessment naming B's referral (from_referral_days reads RB's date).
            "ssd_cin_assessments": [
                {
                    "cina_assessment_id": "AA",
                    "cina_person_id": "A",
                    "cina_referral_id": "RB",
                    "cina_assessment_start_date": D(2025, 3, 10),
                    "cina_assessment_auth_date": D(2025, 3, 20),
                    "cina_assessment_team": "T1",
                }
            ],
            "ssd_cin_visits": [
                {
                    "cinv_cin_visit_id": "V1",
                    "cinv_person_id": "A",
                    "cinv_cin_visit_date": D(2025, 3, 5),
                    "cinv_cin_visit_seen": True,
                }
            ],
            "ssd_cp_visits": [],
            # A's ICPC naming B's S47.
            "ssd_s47_enquiry": [
                {
                    "s47e_s47_enquiry_id": "SB",
                    "s47e_person_id": "B",
                    "s47e_s47_start_date": D(2025, 4, 1),
                }
            ],
            "ssd_initial_cp_conference": [
                {
                    "icpc_icpc_id": "CA",
                    "icpc_s47_enquiry_id": "SB",
                    "icpc_person_id": "A",
                    "icpc_icpc_date": D(2025, 4, 10),
                }
            ],
            # A review of A's plan recorded under B.
            "ssd_cp_plans": [
                {
                    "cppl_cp_plan_id": "PA",
                    "cppl_person_id": "A",
                    "cppl_cp_plan_start_date": D(2025, 1, 6),
                }
            ],
            "ssd_cp_reviews": [
                {
                    "cppr_cp_review_id": "RV",
                    "cppr_person_id": "B",
                    "cppr_cp_plan_id": "PA",
                    "cppr_cp_review_date": D(2025, 4, 1),
                }
            ],
            "case_notes": [
                {
                    "note_id": "N1",
                    "person_id": "A",
                    "note_type": "management_oversight",
                    "event_date": D(2025, 6, 2),
                    "recorded_date": D(2025, 6, 3),
                    "worker_id": "W2",
                }
            ],
            "info_requests": [
                {
                    "request_id": "Q1",
                    "person_id": "A",
                    "agency": "Police",
                    "requested_date": D(2025, 6, 2),
                }
            ],
        }
    )


def test_one_childs_rows_are_the_whole_rows_of_that_child(make_db):
    engine = Engine(_linked_db(make_db))
    for filters in (Filters(*ALL_TIME), Filters(D(2025, 3, 1), D(2025, 5, 31), AS_OF)):
        assert _same(engine, "A", filters) > 10
        _same(engine, "B", filters)
        assert engine.rows(get("contacts"), replace(filters, person="NOBODY")).empty
    mine = Filters(*ALL_TIME, person="A")
    # The links were followed: RA's first allocation is B's IB (Mon 3 -> Tue 4 Mar: 1 wd); A's
    # ICPC is 7 wd after B's S47 (Tue 1 -> Thu 10 Apr); the review under B is PA's first.
    allocation = engine.rows(get("allocation"), mine).iloc[0]
    assert (allocation["involvement_id"], int(allocation["days"])) == ("IB", 1)
    assert int(engine.rows(get("icpc"), mine).iloc[0]["days"]) == 7
    # A's assessment from B's referral: Mon 3 Feb -> Mon 3 Mar 20 wd, -> Thu 20 Mar 13 more.
    assert int(engine.rows(get("assessments"), mine).iloc[0]["from_referral_days"]) == 33
    reviews = engine.rows(get("cp_review_chain"), mine)
    assert list(reviews["status"]) == ["held on time", "due"]
    # The child's chronology shows the same judgements, on the linked records too.
    chron = ch.chronology(engine, "A", AS_OF).set_index(["kind", "record_id"])
    assert chron.loc[(ch.ALLOCATION_START, "IB"), ["days", "met"]].tolist() == [1, True]
    assert chron.loc[(ch.ALLOCATION_START, "IA"), "met"] is None
    assert chron.loc[(ch.ICPC, "CA"), ["days", "met"]].tolist() == [7, True]
    assert chron.loc[(ch.CP_REVIEW, "RV"), "met"] is True
    # The caseload reads the family's other children: never narrowed, B still counts for A.
    caseload = engine.rows(get("caseload"), mine)
    assert list(caseload["family_children"]) == [2]
    # Scope still applies on top of the person filter.
    assert engine.rows(get("contacts"), Filters(*ALL_TIME, person="A", scope="cp")).shape[0] == 1
    nobody = Filters(*ALL_TIME, person="A", scope="teams", scope_teams=("T9",))
    assert engine.rows(get("contacts"), nobody).empty


def test_one_childs_rows_on_the_sample(sample_db):
    """On the built-in sample, for children with the most records of each kind."""
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        engine = Engine(con)
        people = set()
        for table, column in [
            ("case_notes", "person_id"),
            ("ssd_cin_episodes", "cine_person_id"),
            ("ssd_cp_plans", "cppl_person_id"),
            ("ssd_involvements", "invo_person_id"),
            ("ssd_initial_cp_conference", "icpc_person_id"),
            ("info_requests", "person_id"),
        ]:
            sql = f"SELECT {column} FROM {table} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2"
            people |= {r[0] for r in con.execute(sql).fetchall()}
        as_of = D(2026, 3, 31)
        compared = 0
        wholes: dict = {}
        for person in sorted(people):
            compared += _same(engine, person, Filters(D(1900, 1, 1), as_of, as_of), wholes)
            compared += _same(engine, person, Filters(D(2025, 10, 1), as_of), wholes)
        assert compared > 200
    finally:
        con.close()
