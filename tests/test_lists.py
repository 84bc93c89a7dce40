"""A long list's first rows and its count, cut in SQL (metrics/lists.py), on a tiny extract
worked out by hand. The pages' long lists (their first rows on screen, the count in words,
every row in the download) are tests/test_long_lists.py."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics import Engine, Filters, get, lists

D = dt.date
PERIOD = Filters(D(2024, 4, 1), D(2025, 3, 31))


def _referral(rid: str, person: str, date: dt.date, nfa: bool = False) -> dict:
    return {
        "cine_referral_id": rid,
        "cine_person_id": person,
        "cine_referral_date": date,
        "cine_referral_nfa": nfa,
    }


@pytest.fixture
def engine(make_db) -> Engine:
    # Referrals in the period (1 Apr 2024 - 31 Mar 2025) and whether each is a re-referral
    # (another referral of the child in the 12 months before it) and NFA:
    #   R3 P2 1 May 2024   not a re-referral (P2's first)          NFA no
    #   R4 P2 3 Jun 2024   re-referral (R3, a month before)        NFA yes
    #   R7 P4 1 Jul 2024   re-referral (R6, 10 Jan 2024)           NFA yes
    #   R5 P3 9 Sep 2024   not a re-referral                       NFA no
    #   R2 P1 28 Feb 2025  re-referral (R1, 1 Mar 2024)            NFA no
    # R1 and R6 are before the period, so not listed. The measure's own order: referral date.
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": p} for p in ("P1", "P2", "P3", "P4")],
            "ssd_cin_episodes": [
                _referral("R1", "P1", D(2024, 3, 1)),
                _referral("R2", "P1", D(2025, 2, 28)),
                _referral("R3", "P2", D(2024, 5, 1)),
                _referral("R4", "P2", D(2024, 6, 3), nfa=True),
                _referral("R5", "P3", D(2024, 9, 9)),
                _referral("R6", "P4", D(2024, 1, 10)),
                _referral("R7", "P4", D(2024, 7, 1), nfa=True),
            ],
        }
    )
    return Engine(con)


def _first(engine: Engine, where=(), order=(), limit=2) -> tuple[list[str], int]:
    frame, total = lists.first_rows(engine, get("referrals"), PERIOD, where, order, limit)
    return list(frame["referral_id"]), total


def test_the_first_rows_are_kept_ordered_and_cut_and_the_total_counts_every_kept_row(engine):
    # Every referral, the measure's order (referral date): R3, R4, R7, R5, R2; first 2 of 5.
    assert _first(engine) == (["R3", "R4"], 5)
    # Re-referrals only: R4, R7, R2 in date order; the first 2 of 3.
    assert _first(engine, where=(("rereferral", True),)) == (["R4", "R7"], 3)
    # Not re-referrals: R3, R5; both (2 of 2).
    assert _first(engine, where=(("rereferral", False),)) == (["R3", "R5"], 2)
    # Re-referrals, not NFA first (NFA ascending: no before yes), then the measure's order:
    # R2 (no), then R4 and R7 (yes, by date): the first 2 are R2, R4.
    assert _first(engine, (("rereferral", True),), (("nfa", True),)) == (["R2", "R4"], 3)
    # NFA first (descending): R4, R7 (by date), then R2.
    assert _first(engine, (("rereferral", True),), (("nfa", False),)) == (["R4", "R7"], 3)
    # Two flags at once: re-referrals that were NFA: R4, R7 (2 of 2).
    assert _first(engine, (("rereferral", True), ("nfa", True))) == (["R4", "R7"], 2)
    # Nothing kept: no rows, and a total of 0 (re-referral and not at once).
    assert _first(engine, (("rereferral", True), ("rereferral", False))) == ([], 0)
    # No limit: every kept row, in the same order.
    assert _first(engine, (("rereferral", True),), (("nfa", False),), None) == (
        ["R4", "R7", "R2"],
        3,
    )


def test_a_list_names_only_the_measures_own_columns(engine):
    for bad in ("no_such_column", "referral_id; DROP TABLE ssd_person", 'nfa" DESC --'):
        with pytest.raises(ValueError, match="no row column"):
            _first(engine, where=((bad, True),))
        with pytest.raises(ValueError, match="no row column"):
            _first(engine, order=((bad, True),))
    with pytest.raises(ValueError, match="at least one row"):
        _first(engine, limit=0)


# -- My team today: the tiles' counts and the first rows, in SQL (metrics/worklist_first.py) ----


def test_my_team_today_counts_and_cuts_its_worklist_in_sql(make_db):
    from metrics import NotPermitted, worklist_first
    from tests.test_worklist import extract
    from tests.test_worklist import filters as at_as_of

    engine = Engine(make_db(extract()))
    # The worklist of tests/test_worklist.py (worked out there), most urgent first:
    #   P3 oversight 30 wd, P6 CP review 21, P3 agency 10, P1 allocate 5, P1 see 5,
    #   P3 assessment 5, P4 assessment -5 (coming due), P7 CP review -8 (coming due).
    found = worklist_first.today(engine, at_as_of())
    assert found.tally == {
        "Allocate a worker": (1, 1),
        "See the child": (1, 1),
        "Complete the assessment": (2, 1),  # A1 overdue, A2 coming due
        "Record management oversight": (1, 1),
        "Chase the agency's response": (1, 1),
        "Hold the CP review": (2, 1),  # CP1 overdue, CP2 coming due
    }
    assert found.hidden == {} and found.unavailable == {}
    # R1 is T1's; A1, A2, P3's oversight and (through P3's worker) the request are T2's; CP1 is
    # P6's (allocated in T2); CP2's child P7 has no team.
    assert found.teams["Hold the CP review"] == {"T2", None}
    assert found.teams["Allocate a worker"] == {"T1"}

    def first(filters, works, limit):
        rows, total = worklist_first.first(engine, filters, works, limit)
        return list(zip(rows["person_id"], rows["work"], strict=True)), total

    every = tuple(found.tally)
    assert first(at_as_of(), every, 2) == (
        [("P3", "Record management oversight"), ("P6", "Hold the CP review")],
        8,
    )
    # Two kinds chosen: P6's review (21 wd), P3's assessment (5), then P4's (-5), P7's review.
    assert first(at_as_of(), ("Complete the assessment", "Hold the CP review"), 2) == (
        [("P6", "Hold the CP review"), ("P3", "Complete the assessment")],
        4,
    )
    # Team T2: the request stays with its owner (P3's worker, in T2); T1's and P7's drop out.
    assert first(at_as_of(team="T2"), every, 3) == (
        [
            ("P3", "Record management oversight"),
            ("P6", "Hold the CP review"),
            ("P3", "Chase the agency's response"),
        ],
        5,
    )
    # The download (no limit): every row, not cut at the screen's 2, in the screen's order.
    assert first(at_as_of(), ("Complete the assessment", "Hold the CP review"), None) == (
        [
            ("P6", "Hold the CP review"),
            ("P3", "Complete the assessment"),
            ("P4", "Complete the assessment"),
            ("P7", "Hold the CP review"),
        ],
        4,
    )
    # Each first row is the download's row, every column of it, under every filter; the
    # download has every row the tiles count (8, 5, 5 and 5 rows: tests/test_worklist.py).
    for asked, rows_in_all in (
        (at_as_of(), 8),
        (at_as_of(team="T2"), 5),
        (at_as_of(worker="W2"), 5),
        (at_as_of(scope="teams", scope_teams=("T2",)), 5),
    ):
        whole, total = worklist_first.first(engine, asked, every, None)
        assert total == len(whole) == rows_in_all
        assert sum(n for n, _ in worklist_first.today(engine, asked).tally.values()) == rows_in_all
        for limit in (1, 3, rows_in_all - 1, 20):
            rows, total = worklist_first.first(engine, asked, every, limit)
            assert total == rows_in_all and len(rows) == min(limit, rows_in_all)
            pd.testing.assert_frame_equal(rows, whole.head(limit))
    with pytest.raises(ValueError, match="at least one row"):
        worklist_first.first(engine, at_as_of(), every, 0)
    with pytest.raises(NotPermitted):
        worklist_first.today(engine, at_as_of(scope="none"))
    with pytest.raises(NotPermitted):
        worklist_first.first(engine, at_as_of(scope="none"), every, None)
