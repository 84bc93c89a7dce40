"""My team today's worklist (metrics/worklist_first.py, the one definition, in SQL): the
measures' own rows that need action, ordered by working days past their due date, every row as
the download has them (`first` without a limit), on a small extract worked out by hand; the
tiles' counts and what a scope leaves out (`today`, `counts`); and the row counts a scoped
list is measured against (Engine.count)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics import Engine, Filters, get
from metrics.worklist import WORK
from metrics.worklist_first import counts, first, today

D = dt.date
AS_OF = D(2025, 3, 31)  # a Monday


def extract() -> dict[str, list[dict]]:
    people = ("P1", "P2", "P3", "P4", "P5", "P6", "P7")
    return {
        "ssd_person": [{"pers_person_id": p} for p in people],
        "ssd_cin_episodes": [
            # R1: Mon 17 Mar, never allocated nor seen: 10 wd old at 31 Mar, due (5 wd) Mon
            # 24 Mar, 5 wd overdue, both for allocation and for seeing the child. Team T1.
            {
                "cine_referral_id": "R1",
                "cine_person_id": "P1",
                "cine_referral_date": D(2025, 3, 17),
                "cine_referral_team": "T1",
            },
            # R2: Thu 27 Mar: 2 wd old, within both targets: not listed.
            {
                "cine_referral_id": "R2",
                "cine_person_id": "P2",
                "cine_referral_date": D(2025, 3, 27),
                "cine_referral_team": "T1",
            },
        ],  # fmt: skip
        "ssd_cin_visits": [],
        "ssd_cin_assessments": [
            # A1: Mon 20 Jan, open: 9 (Jan) + 20 (Feb) + 21 (Mar) = 50 wd > 45; due wd_add(20
            # Jan, 45) = Mon 24 Mar, 5 wd overdue.
            {
                "cina_assessment_id": "A1",
                "cina_person_id": "P3",
                "cina_assessment_start_date": D(2025, 1, 20),
                "cina_assessment_team": "T2",
                "cina_assessment_worker_id": "W2",
            },
            # A2: Mon 3 Feb: 19 + 21 = 40 wd, due in 5: wd_add(3 Feb, 45) = Mon 7 Apr.
            {
                "cina_assessment_id": "A2",
                "cina_person_id": "P4",
                "cina_assessment_start_date": D(2025, 2, 3),
                "cina_assessment_team": "T2",
                "cina_assessment_worker_id": "W2",
            },
            # A3: Mon 17 Feb: 9 + 21 = 30 wd, due in 15: not listed.
            {
                "cina_assessment_id": "A3",
                "cina_person_id": "P5",
                "cina_assessment_start_date": D(2025, 2, 17),
                "cina_assessment_team": "T2",
            },
        ],  # fmt: skip
        "ssd_involvements": [
            # P3 allocated Mon 20 Jan in T2, no oversight note: 50 wd since > 20; next note
            # was due wd_add(20 Jan, 20) = Mon 17 Feb: 9 (Feb) + 21 (Mar) = 30 wd overdue.
            {
                "invo_involvements_id": "I3",
                "invo_professional_id": "W2",
                "invo_professional_role_id": "Allocated Case Worker",
                "invo_professional_team": "T2",
                "invo_involvement_start_date": D(2025, 1, 20),
                "invo_person_id": "P3",
            },
            # P6 allocated in T2 with a recent oversight note: nothing to do there.
            {
                "invo_involvements_id": "I6",
                "invo_professional_id": "W2",
                "invo_professional_role_id": "Allocated Case Worker",
                "invo_professional_team": "T2",
                "invo_involvement_start_date": D(2024, 12, 2),
                "invo_person_id": "P6",
            },
        ],  # fmt: skip
        "case_notes": [
            {
                "note_id": "N6",
                "person_id": "P6",
                "note_type": "management_oversight",
                "event_date": D(2025, 3, 25),
                "recorded_date": D(2025, 3, 25),
            },
        ],  # fmt: skip
        "ssd_cp_plans": [
            # CP1 from Mon 2 Dec: first review due Sun 2 Mar, none held: 21 wd overdue.
            {
                "cppl_cp_plan_id": "CP1",
                "cppl_person_id": "P6",
                "cppl_cp_plan_start_date": D(2024, 12, 2),
            },
            # CP2 from Fri 10 Jan: first review due Thu 10 Apr, in the 4 weeks ahead: due in
            # 8 wd (1-4, 7-10 Apr). P7 has no allocation: no team.
            {
                "cppl_cp_plan_id": "CP2",
                "cppl_person_id": "P7",
                "cppl_cp_plan_start_date": D(2025, 1, 10),
            },
        ],  # fmt: skip
        "ssd_cp_reviews": [],
        "info_requests": [
            # Q1 for P3, Mon 10 Mar, no response: due wd_add(10 Mar, 5) = Mon 17 Mar, 10 wd
            # overdue; P3's worker (W2, T2) owns it.
            {
                "request_id": "Q1",
                "person_id": "P3",
                "agency": "Health",
                "requested_date": D(2025, 3, 10),
            },
        ],  # fmt: skip
    }


def filters(**kw) -> Filters:
    return Filters(D(2024, 4, 1), AS_OF, horizon_weeks=4, **kw)


def every_row(engine: Engine, asked: Filters, works: tuple[str, ...] = tuple(WORK)) -> pd.DataFrame:
    """The download's rows: every row of the kinds of work, not cut, with their count checked."""
    rows, total = first(engine, asked, works, None)
    assert total == len(rows)
    return rows


def test_worklist_rows_ordered_by_working_days_past_due(make_db):
    engine = Engine(make_db(extract()))
    rows = every_row(engine, filters())
    got = list(
        zip(rows["person_id"], rows["work"], rows["overdue_wd"], rows["due_date"], strict=True)
    )
    assert got == [
        ("P3", "Record management oversight", 30, D(2025, 2, 17)),
        ("P6", "Hold the CP review", 21, D(2025, 3, 2)),
        ("P3", "Chase the agency's response", 10, D(2025, 3, 17)),
        # Three rows 5 wd overdue on the same day: in the order of the kinds of work.
        ("P1", "Allocate a worker", 5, D(2025, 3, 24)),
        ("P1", "See the child", 5, D(2025, 3, 24)),
        ("P3", "Complete the assessment", 5, D(2025, 3, 24)),
        ("P4", "Complete the assessment", -5, D(2025, 4, 7)),
        ("P7", "Hold the CP review", -8, D(2025, 4, 10)),
    ]
    assert list(rows["overdue"]) == [True] * 6 + [False] * 2
    assert list(rows["item_id"]) == ["P3", "CP1", "Q1", "R1", "R1", "A1", "A2", "CP2"]
    # The agency request is the work of the child's allocated worker.
    agency = rows[rows["work"] == "Chase the agency's response"].iloc[0]
    assert (agency["team"], agency["worker_id"]) == ("T2", "W2")
    assert rows.loc[0, "detail"] == "No management oversight since allocation on 20 Jan 2025"
    assert rows.loc[2, "detail"] == "Asked Health on 10 Mar 2025; no response after 15 working days"
    # Team and worker as each measure gives them (none: missing, as the page says it).
    assert list(rows["team"].fillna("-")) == ["T2", "T2", "T2", "T1", "T1", "T2", "T2", "-"]
    assert list(rows["worker_id"].fillna("-")) == ["W2", "W2", "W2", "-", "-", "W2", "W2", "-"]
    found = today(engine, filters())
    assert found.unavailable == {} and found.hidden == {}  # an unscoped viewer: nothing left out


def test_worklist_follows_the_team_filters(make_db):
    engine = Engine(make_db(extract()))
    t2 = every_row(engine, filters(team="T2"))
    # T1's referral and the plan with no team drop out; the agency request stays with its owner.
    assert list(zip(t2["person_id"], t2["work"], strict=True)) == [
        ("P3", "Record management oversight"),
        ("P6", "Hold the CP review"),
        ("P3", "Chase the agency's response"),
        ("P3", "Complete the assessment"),
        ("P4", "Complete the assessment"),
    ]
    both = every_row(engine, filters(teams=("T1", "T2")))
    assert len(both) == 7 and "P7" not in set(both["person_id"])
    w2 = every_row(engine, filters(worker="W2"))
    assert set(w2["person_id"]) == {"P3", "P4", "P6"}


def test_worklist_under_a_scope_says_what_it_leaves_out(make_db):
    engine = Engine(make_db(extract()))
    # A lead of T2 on every team: P1 (referred to T1) and P7 (no team) are out of scope.
    lead = filters(scope="teams", scope_teams=("T2",))
    assert set(every_row(engine, lead)["person_id"]) == {"P3", "P4", "P6"}
    found = today(engine, lead)
    assert found.hidden == {
        "Allocate a worker": 1,
        "See the child": 1,
        "Complete the assessment": 0,
        "Record management oversight": 0,
        "Chase the agency's response": 0,
        "Hold the CP review": 1,
    }
    # Under a team filter an agency request's owner is known only for children in scope.
    scoped = today(engine, filters(team="T2", scope="teams", scope_teams=("T2",)))
    assert scoped.hidden["Chase the agency's response"] is None
    assert scoped.hidden["Hold the CP review"] == 0


def test_a_measure_missing_from_the_extract_is_said(make_db):
    tables = extract()
    del tables["info_requests"]
    engine = Engine(make_db(tables))
    found = today(engine, filters())
    assert "Chase the agency's response" in found.unavailable
    assert "info_requests" in found.unavailable["Chase the agency's response"]
    assert "Chase the agency's response" not in set(every_row(engine, filters())["work"])
    assert len(every_row(engine, filters())) == 7  # the other seven rows stay


def test_counts_whatever_the_scope(make_db):
    engine = Engine(make_db(extract()))
    counts = engine.count(get("unallocated"), filters(), ("past_target",))
    assert dict(zip(counts["past_target"], counts["n"], strict=True)) == {True: 1, False: 1}
    # The count ignores the scope (a T2 lead sees none of these rows, but the count is 2).
    assert (
        int(
            engine.count(get("unallocated"), filters(scope="teams", scope_teams=("T2",)))["n"].iloc[
                0
            ]
        )
        == 2
    )
    assert engine.rows(get("unallocated"), filters(scope="teams", scope_teams=("T2",))).empty


def test_assessments_due_lists_open_ones_coming_due(make_db):
    engine = Engine(make_db(extract()))
    rows = engine.rows(get("assessments_due"), filters())
    # A2 only: A1 is overdue (assessments_overdue), A3 is due in 15 wd (> 5).
    assert list(rows["assessment_id"]) == ["A2"]
    assert (rows.loc[0, "age_wd"], rows.loc[0, "due_in_wd"]) == (40, 5)
    assert rows.loc[0, "due_date"].date() == D(2025, 4, 7)


def test_counts_for_a_viewer_of_aggregates_only(make_db):
    engine = Engine(make_db(extract()))
    totals, unavailable = counts(engine, filters(scope="none"))
    assert unavailable == {}
    assert totals == {
        "Allocate a worker": 1,
        "See the child": 1,
        "Complete the assessment": 2,
        "Record management oversight": 1,
        "Chase the agency's response": 1,
        "Hold the CP review": 2,
    }
    by_team, _ = counts(engine, filters(team="T2", scope="none"))
    assert by_team["Chase the agency's response"] is None  # whose child it is: not told
    assert by_team["Allocate a worker"] == 0 and by_team["Hold the CP review"] == 1
