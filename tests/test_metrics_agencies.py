"""Partner agency information requests, on a small extract worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import Engine, Filters, MeasureUnavailable, get

D = dt.date
PERIOD = (D(2025, 3, 1), D(2025, 3, 31))


def req(rid, agency, requested, responded=None):
    return {
        "request_id": rid,
        "person_id": "P1",
        "agency": agency,
        "requested_date": requested,
        "responded_date": responded,
    }


@pytest.fixture
def engine(make_db):
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}],
            "ssd_cin_episodes": [],
            "info_requests": [
                req("Q1", "Police", D(2025, 3, 3), D(2025, 3, 7)),  # Mon -> Fri: 4, in time
                req("Q2", "Police", D(2025, 3, 3), D(2025, 3, 11)),  # Mon -> Tue: 6, late
                req("Q3", "Health", D(2025, 3, 10)),  # outstanding
                req("Q4", "Health", D(2025, 3, 26)),  # outstanding
                req("Q5", "School", D(2025, 3, 13), D(2025, 4, 3)),  # answered after 31 Mar
                req("Q6", "Health", D(2025, 4, 17), D(2025, 4, 22)),  # after the period
                req("Q7", "Police", D(2025, 2, 20)),  # before the period, outstanding
                req("Q8", " ", D(2025, 3, 14), D(2025, 3, 17)),  # Fri -> Mon: 1, in time
            ],
        }
    )
    return Engine(con)


def test_agency_responses_count_outstanding_past_target_as_late(engine):
    f = Filters(*PERIOD)  # as-of Mon 31 Mar
    # Requests in March: Q1, Q2, Q3, Q4, Q5, Q8 = 6. Responded by as-of: Q1 4, Q2 6, Q8 1 ->
    # median 4. Outstanding at as-of: Q3 (Mon 10 Mar -> 31 Mar = 15 wd, past target),
    # Q4 (Wed 26 Mar -> 31 Mar = 3 wd, not yet: left out), Q5 (answered 3 Apr, after as-of:
    # Thu 13 Mar -> 31 Mar = 12 wd, past). Within target: Q1, Q8 = 2 of (3 + Q3 + Q5) = 40%.
    assert engine.headline(get("agencies"), f) == {
        "requests": 6,
        "median_wd": 4.0,
        "within_target_pct": 40.0,
        "outstanding_past_target": 2,
    }
    rows = engine.rows(get("agencies"), f).set_index("request_id")
    assert rows.loc["Q8", "agency"] == "Not recorded"
    assert rows["responded_date"].isna()["Q5"] and rows.loc["Q5", "age_wd"] == 12


def test_agency_breakdown_by_agency_not_by_team(engine):
    f = Filters(*PERIOD)
    by_agency = engine.breakdown(get("agencies"), f, by="agency")
    assert list(by_agency["agency"]) == ["Health", "Not recorded", "Police", "School"]
    # Health: Q3 (late, outstanding), Q4 (left out) -> 0 of 1; Police: Q1 4, Q2 6 -> median 5,
    # 1 of 2; School: Q5 outstanding past target -> 0 of 1; Not recorded: Q8 -> 1 of 1.
    assert list(by_agency["requests"]) == [2, 1, 2, 1]
    assert list(by_agency["within_target_pct"]) == [0.0, 100.0, 50.0, 0.0]
    assert list(by_agency["outstanding_past_target"]) == [1, 0, 0, 1]
    assert by_agency["median_wd"].tolist()[2] == 5.0
    with pytest.raises(MeasureUnavailable):
        engine.breakdown(get("agencies"), f, by="team")
    with pytest.raises(ValueError):
        engine.breakdown(get("agencies"), f, by="category")


def test_outstanding_requests_at_as_of(engine):
    # At Mon 31 Mar: Q3 15, Q4 3, Q5 12 and Q7 (Thu 20 Feb: 21 Feb, 24-28 Feb, 3-28 Mar,
    # 31 Mar = 1 + 5 + 20 + 1 = 27) -> 4 outstanding, oldest 27; past the 5 working days:
    # Q3, Q5 and Q7 (Q4's 3 is within) -> 3.
    figures = engine.headline(get("agencies_outstanding"), Filters(*PERIOD))
    assert figures == {"count": 4, "past_target": 3, "oldest_wd": 27}
    rows = engine.rows(get("agencies_outstanding"), Filters(*PERIOD))
    assert list(rows["request_id"]) == ["Q7", "Q3", "Q5", "Q4"]
    assert list(rows["past_target"]) == [True, True, True, False]


def test_a_later_as_of_sees_the_later_response(engine):
    f = Filters(*PERIOD, as_of=D(2025, 4, 4))  # Fri 4 Apr
    # Q5 now answered: Thu 13 Mar -> Thu 3 Apr = 14 Mar, 17-21, 24-28, 31 Mar, 1-3 Apr = 15, late.
    # Days 1, 4, 6, 15 -> median 5. Outstanding: Q3 (19 wd, past), Q4 (Wed 26 Mar -> Fri 4 Apr
    # = 7 wd, now past). Within: Q1, Q8 = 2 of (4 + 2) = 33.3%.
    figures = engine.headline(get("agencies"), f)
    assert figures["median_wd"] == 5.0
    assert round(figures["within_target_pct"], 1) == 33.3
    assert figures["outstanding_past_target"] == 2
    # Outstanding at 4 Apr: Q3, Q4, Q7 (27 + 1-4 Apr = 31); Q6 (17 Apr) not yet requested.
    # All three past the 5 working days (19, 7 and 31).
    assert engine.headline(get("agencies_outstanding"), f) == {
        "count": 3,
        "past_target": 3,
        "oldest_wd": 31,
    }
