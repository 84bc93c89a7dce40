"""The facts built at load (frontdoor/facts), on a small extract worked out by hand, and a
database loaded before the facts existed (or with facts of another version): told to load again.
"""

from __future__ import annotations

import datetime as dt

from metrics import MEASURES, Engine

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


def test_allocations_find_their_referral_and_each_referral_its_first_allocation(make_db):
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
