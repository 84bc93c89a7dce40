"""Contacts and referrals, on small extracts worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import Engine, Filters, get

D = dt.date


def test_rereferral_lookback_reaches_before_the_period(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": p} for p in ("P1", "P2", "P3")],
            "ssd_cin_episodes": [
                # P1: referred 2024-03-01 (before the period) and again 2025-02-28: a re-referral,
                # since 2024-03-01 is within [2024-02-28, 2025-02-28).
                {
                    "cine_referral_id": "R1",
                    "cine_person_id": "P1",
                    "cine_referral_date": D(2024, 3, 1),
                },
                {
                    "cine_referral_id": "R2",
                    "cine_person_id": "P1",
                    "cine_referral_date": D(2025, 2, 28),
                },
                # P2: referrals 13 months apart: not a re-referral. NFA on the second.
                {
                    "cine_referral_id": "R3",
                    "cine_person_id": "P2",
                    "cine_referral_date": D(2023, 5, 1),
                },
                {
                    "cine_referral_id": "R4",
                    "cine_person_id": "P2",
                    "cine_referral_date": D(2024, 6, 3),
                    "cine_referral_nfa": True,
                },
                # P3: one referral in the period.
                {
                    "cine_referral_id": "R5",
                    "cine_person_id": "P3",
                    "cine_referral_date": D(2024, 9, 9),
                },
            ],
        }
    )
    engine = Engine(con)
    figures = engine.headline(get("referrals"), Filters(D(2024, 4, 1), D(2025, 3, 31)))
    # In the period: R2, R4, R5 = 3 referrals; re-referrals: R2 only = 1/3 = 33.3%;
    # NFA: R4 only = 1/3 = 33.3%.
    assert figures["count"] == 3
    assert round(figures["rereferral_12m_pct"], 1) == 33.3
    assert round(figures["nfa_pct"], 1) == 33.3
    rows = engine.rows(get("referrals"), Filters(D(2024, 4, 1), D(2025, 3, 31)))
    assert list(rows["referral_id"]) == ["R4", "R5", "R2"]
    assert list(rows["rereferral"]) == [False, False, True]


def test_contact_decisions_count_working_days_and_ignore_later_decisions(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}],
            "ssd_cin_episodes": [],
            "ssd_contacts": [
                # Fri 2025-04-17 -> Tue 2025-04-22 spans Good Friday and Easter Monday: 1 wd, in time.
                {
                    "cont_contact_id": "C1",
                    "cont_person_id": "P1",
                    "cont_contact_date": D(2025, 4, 17),
                    "cont_outcome_date": D(2025, 4, 22),
                },
                # Mon 2025-03-03 -> Wed 2025-03-05: 2 wd, late.
                {
                    "cont_contact_id": "C2",
                    "cont_person_id": "P1",
                    "cont_contact_date": D(2025, 3, 3),
                    "cont_outcome_date": D(2025, 3, 5),
                },
                # No decision recorded.
                {
                    "cont_contact_id": "C3",
                    "cont_person_id": "P1",
                    "cont_contact_date": D(2025, 3, 4),
                },
                # Decided after the as-of date (2025-04-30): not yet decided.
                {
                    "cont_contact_id": "C4",
                    "cont_person_id": "P1",
                    "cont_contact_date": D(2025, 4, 30),
                    "cont_outcome_date": D(2025, 5, 1),
                },
            ],
        }
    )
    figures = Engine(con).headline(get("contacts"), Filters(D(2025, 3, 1), D(2025, 4, 30)))
    # 4 contacts; decided by as-of: C1 (in time), C2 (late) -> 1/2 = 50%; no decision: C3, C4 = 2.
    # No population setting: no rate per 10,000 children.
    assert figures == {
        "count": 4,
        "decided_within_target_pct": 50.0,
        "no_decision_recorded": 2,
        "per_10k": None,
    }


def test_grouped_by_a_row_column_and_only_a_column_name(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}, {"pers_person_id": "P2"}],
            "ssd_cin_episodes": [
                {
                    "cine_referral_id": "R1",
                    "cine_person_id": "P1",
                    "cine_referral_date": D(2025, 1, 6),
                    "cine_referral_source_code": "1A",
                },
                {
                    "cine_referral_id": "R2",
                    "cine_person_id": "P2",
                    "cine_referral_date": D(2025, 1, 7),
                    "cine_referral_source_code": "1A",
                    "cine_referral_nfa": True,
                },
                {
                    "cine_referral_id": "R3",
                    "cine_person_id": "P2",
                    "cine_referral_date": D(2025, 2, 3),
                    "cine_referral_source_code": "3E",
                },
            ],
        }
    )
    engine = Engine(con)
    frame = engine.grouped(
        get("referrals"), Filters(D(2025, 1, 1), D(2025, 3, 31)), ["source_code"]
    )
    # 1A: R1, R2 (one NFA: 50%); 3E: R3, a re-referral of P2 (R2 four weeks before): 100%.
    assert list(frame["source_code"]) == ["1A", "3E"]
    assert list(frame["count"]) == [2, 1]
    assert list(frame["nfa_pct"]) == [50.0, 0.0]
    assert list(frame["rereferral_12m_pct"]) == [0.0, 100.0]
    with pytest.raises(ValueError, match="not a column name"):
        engine.grouped(get("referrals"), Filters(D(2025, 1, 1), D(2025, 3, 31)), ["1; DROP"])


def test_a_stated_count_of_earlier_referrals_makes_the_latest_a_rereferral(make_db):
    """Annex A states, for each child, the referrals in the 12 months before their latest
    referral; the lists themselves hold only six months. The count decides for that referral;
    the history decides for the others."""

    def ref(rid, person, date, stated=None):
        return {
            "cine_referral_id": rid,
            "cine_person_id": person,
            "cine_referral_date": date,
            "cine_referrals_last_12_months": stated,
        }

    con = make_db(
        {
            "ssd_person": [{"pers_person_id": p} for p in ("P1", "P2", "P3", "P4")],
            "ssd_cin_episodes": [
                ref("R1", "P1", D(2024, 10, 1), 2),  # latest, 2 before it: a re-referral
                ref("R2", "P2", D(2024, 10, 2), 0),  # latest, none before it: not
                # P3: two in the list; the count (1) is for the latest, R4, which the list's own
                # history also shows (R3 five weeks earlier); R3 has no referral before it here.
                ref("R3", "P3", D(2024, 8, 1), 1),
                ref("R4", "P3", D(2024, 9, 5), 1),
                ref("R5", "P4", D(2024, 9, 9)),  # no count stated, no history: not
            ],
        }
    )
    f = Filters(D(2024, 7, 1), D(2024, 12, 31))
    rows = get_rows(con, f)
    # Re-referrals: R1 (stated), R4 (stated and history) = 2 of 5 = 40.0%.
    assert rows == {"R1": True, "R2": False, "R3": False, "R4": True, "R5": False}
    assert Engine(con).headline(get("referrals"), f)["rereferral_12m_pct"] == 40.0


def get_rows(con, f) -> dict[str, bool]:
    rows = Engine(con).rows(get("referrals"), f)
    return dict(zip(rows["referral_id"], rows["rereferral"], strict=True))
