"""How the facts are built: each after the facts its SQL reads, two at once, the same tables as
one after another."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import Future

import duckdb

from frontdoor.calendar import data_span
from frontdoor.facts import (
    FACTS,
    UNCOMPRESSED,
    FactBuilds,
    build_facts,
    build_order,
    build_rank,
    fact_inputs,
    fact_sql,
    stale_reason,
    view_sql,
)
from frontdoor.schema import TABLES
from frontdoor.workers import Workers
from tests.test_facts import EXTRACT, SPANS
from tests.test_metrics_oversight import D, alloc, note


def test_each_fact_waits_for_the_facts_its_sql_reads():
    waits = build_order()
    assert list(waits) == list(FACTS)
    # fact_transfer reads fact_assessment and fact_allocation (its moves and held_elsewhere);
    # fact_activity reads only loaded tables; fact_child_workers reads the allocations and the
    # child's spans. A fact named only in a comment (fact_note_team's "fact_allocation" is read,
    # its comment names fact_note too) adds nothing; fact_note (a view) waits for its fallback
    # teams, named in lines kept only when that fact has rows.
    assert waits["fact_transfer"] == {"fact_allocation", "fact_assessment"}
    assert waits["fact_activity"] == set()
    assert waits["fact_child_workers"] == {"fact_allocation", "fact_child_allocation"}
    assert waits["fact_note_team"] == {"fact_allocation"}
    assert waits["fact_note"] == {"fact_note_team"}


def _facts(con) -> dict[str, list[tuple]]:
    return {n: sorted(con.execute(f"FROM {n}").fetchall(), key=repr) for n in FACTS}


def test_two_builders_at_once_make_the_same_facts_as_one(make_db):
    for extract in (EXTRACT, SPANS):
        con = make_db(extract)  # built two at once, as the loader builds them
        at_once = _facts(con)
        build_facts(con, builders=1)
        assert _facts(con) == at_once
        assert any(at_once[n] for n in FACTS)


def test_a_fact_with_uncompressed_columns_holds_what_create_table_as_would(make_db):
    # fact_note is created with note_id, person_id and referral_id declared uncompressed, then
    # filled (frontdoor.facts._build): the same column names, types and rows as its query gives.
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}, {"pers_person_id": "P2"}],
            "ssd_professionals": [
                {"prof_professional_id": "W1", "prof_professional_department": "T1"},
                {"prof_professional_id": "W2", "prof_professional_department": None},
            ],
            "ssd_involvements": [alloc("I1", "W2", "P2", "T2", D(2025, 1, 6))],
            "case_notes": [
                note("N1", "P1", " Visit", D(2025, 3, 7), D(2025, 3, 10), "W1"),
                note("N2", "P2", "other", D(2025, 3, 7), None, "W2"),
                note("N3", "P2", "other", None, D(2025, 3, 7), "W2"),
            ],
        }
    )
    assert set(UNCOMPRESSED) <= set(FACTS)
    for name in UNCOMPRESSED:
        con.execute(f"CREATE TABLE as_query AS {fact_sql(name)}")
        assert (
            con.execute(f"DESCRIBE {name}").fetchall()
            == con.execute("DESCRIBE as_query").fetchall()
        )
        built = sorted(con.execute(f"FROM {name}").fetchall(), key=repr)
        assert built == sorted(con.execute("FROM as_query").fetchall(), key=repr)
        con.execute("DROP TABLE as_query")
    # The two notes with an event date, N1's type trimmed and lower-cased, N2's team W2's
    # allocation's (W2 has no department).
    notes = con.execute("SELECT note_id, note_type, team FROM fact_note ORDER BY 1").fetchall()
    assert notes == [("N1", "visit", "T1"), ("N2", "other", "T2")]


def test_a_notes_team_falls_back_to_its_workers_latest_allocation_of_the_child(make_db):
    # fact_note's team: the worker's own department, else the team of the worker's latest
    # allocation of the child started by the event date (ties by involvement id). The fallback
    # is looked for only among the workers with an allocation and no department, so each way a
    # worker can lack one is here: a NULL department (W2), a blank one (W3), no professional row
    # at all (W4); W1 has a department and keeps it though allocated in another team.
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}, {"pers_person_id": "P2"}],
            "ssd_professionals": [
                {"prof_professional_id": "W1", "prof_professional_department": " T1 "},
                {"prof_professional_id": "W2", "prof_professional_department": None},
                {"prof_professional_id": "W3", "prof_professional_department": "  "},
            ],
            "ssd_involvements": [
                alloc("I1", "W1", "P1", "T9", D(2025, 1, 6)),
                # W2 and P1: started 6 Jan in T2, 3 Feb in T3 (two on 3 Feb: I3 before I4,
                # by id), 3 Mar in T5, ended or not (an allocation started by the event date
                # counts whether or not it has ended)
                alloc("I2", "W2", "P1", "T2", D(2025, 1, 6), D(2025, 1, 20)),
                alloc("I4", "W2", "P1", "T4", D(2025, 2, 3)),
                alloc("I3", "W2", "P1", "T3", D(2025, 2, 3)),
                alloc("I5", "W2", "P1", "T5", D(2025, 3, 3)),
                alloc("I6", "W3", "P1", "T6", D(2025, 1, 6)),
                alloc("I7", "W4", "P1", "T7", D(2025, 1, 6)),
            ],
            "case_notes": [
                note("N1", "P1", "visit", D(2025, 2, 10), D(2025, 2, 10), "W1"),
                note("N2", "P1", "visit", D(2025, 1, 10), D(2025, 1, 10), "W2"),  # I2 only
                note("N3", "P1", "visit", D(2025, 2, 10), D(2025, 2, 10), "W2"),  # I4 (id)
                note("N4", "P1", "visit", D(2025, 3, 3), D(2025, 3, 3), "W2"),  # I5, that day
                note("N5", "P1", "visit", D(2025, 1, 5), D(2025, 1, 5), "W2"),  # none yet
                note("N6", "P2", "visit", D(2025, 2, 10), D(2025, 2, 10), "W2"),  # not P2's
                note("N7", "P1", "visit", D(2025, 2, 10), D(2025, 2, 10), "W3"),
                note("N8", "P1", "visit", D(2025, 2, 10), D(2025, 2, 10), "W4"),
                note("N9", "P1", "visit", D(2025, 2, 10), D(2025, 2, 10), None),
            ],
        }
    )
    teams = con.execute("SELECT note_id, team FROM fact_note ORDER BY 1").fetchall()
    assert teams == [
        ("N1", "T1"),
        ("N2", "T2"),
        ("N3", "T4"),
        ("N4", "T5"),
        ("N5", None),
        ("N6", None),
        ("N7", "T6"),
        ("N8", "T7"),
        ("N9", None),
    ]


def test_fact_note_is_a_view_of_case_notes_joining_the_fallback_teams_only_when_there_are_any(
    make_db,
):
    # fact_note stores nothing: it reads case_notes, the calendar (as one list, looked up by
    # the day's offset: the same index as wd_index, NULL for a missing recorded date) and the
    # workers' departments; its join to fact_note_team is made only when that fact has rows.
    tables = {
        "ssd_person": [{"pers_person_id": "P1"}],
        "ssd_professionals": [
            {"prof_professional_id": "W1", "prof_professional_department": " T1 "},
            {"prof_professional_id": "W2", "prof_professional_department": None},
        ],
        "ssd_involvements": [alloc("I1", "W1", "P1", "T9", D(2025, 1, 6))],
        "case_notes": [
            note("N1", "P1", "Visit ", D(2025, 4, 17), D(2025, 4, 22), "W1"),  # Easter between
            note("N2", "P1", "other", D(2025, 12, 24), None, "W2"),
            note("N3", "P1", "other", None, D(2025, 3, 7), "W1"),
        ],
    }
    for teamless in (False, True):
        if teamless:  # W2 (no department) allocated: the fallback's join is made
            tables["ssd_involvements"].append(alloc("I2", "W2", "P1", "T2", D(2025, 1, 6)))
        con = make_db(tables)
        kinds = dict(
            con.execute(
                "SELECT table_name, 'table' FROM duckdb_tables() UNION ALL "
                "SELECT view_name, 'view' FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        )
        assert kinds["fact_note"] == "view"
        assert kinds["fact_note_team"] == "table"
        assert ("JOIN fact_note_team" in view_sql(con, "fact_note")) is teamless
        assert stale_reason(con) is None
        notes = con.execute(
            "SELECT note_id, note_type, event_wd = wd_index(event_date), "
            "recorded_wd IS NOT DISTINCT FROM wd_index(recorded_date), "
            "recorded_wd - event_wd, team FROM fact_note ORDER BY 1"
        ).fetchall()
        assert notes == [
            ("N1", "visit", True, True, 1, "T1"),  # Good Friday and Easter Monday between
            ("N2", "other", True, True, None, "T2" if teamless else None),
        ]


def test_each_fact_waits_for_the_loaded_tables_and_calendar_its_sql_reads():
    # The loader starts a fact as soon as these are final (written, checked, rejected rows
    # deleted; the calendar built), while later tables are still being written.
    assert fact_inputs("fact_allocation") == {"ssd_involvements", "ssd_cin_episodes"}
    # case_notes by name (not an ssd_ table), the calendar through wd_index.
    assert fact_inputs("fact_note") == {"case_notes", "ssd_professionals", "calendar"}
    assert fact_inputs("fact_note_team") == {"case_notes", "ssd_professionals"}
    assert "calendar" not in fact_inputs("fact_child_workers")
    assert fact_inputs("fact_child_workers_month") == {"calendar"}


def test_facts_start_once_what_they_read_is_final():
    started: list[str] = []

    def submit(_rank, fn, name):
        started.append(name)
        future: Future = Future()
        future.set_result(None)  # not built: the facts after it wait for it to be final
        return future

    builds = FactBuilds(duckdb.connect(), submit)
    builds.final("ssd_involvements")
    assert started == []
    builds.final("ssd_cin_episodes")
    assert started == ["fact_allocation"]
    builds.final("fact_allocation", "ssd_family", "ssd_professionals")
    assert set(started) == {"fact_allocation", "fact_child_allocation", "fact_caseload_pair"}
    builds.final(*TABLES, "calendar", *FACTS)
    assert sorted(started) == sorted(FACTS)  # each once


def test_every_fact_has_a_rank_and_the_longest_chain_starts_first():
    rank = build_rank()
    assert set(rank) == set(FACTS)
    # fact_allocation is read by most facts: first among those ready with it.
    assert min(rank, key=rank.__getitem__) == "fact_allocation"


def test_workers_start_the_lowest_rank_first():
    ran: list[int] = []
    gate = threading.Event()
    with Workers(1) as workers:
        first = workers.submit(0, gate.wait)  # holds the one worker while the others queue
        later = [workers.submit(rank, ran.append, rank) for rank in (3, 1, 2)]
        gate.set()
        first.result()
        for f in later:
            f.result()
    assert ran == [1, 2, 3]
    # After shutdown a task is not run.
    assert workers.submit(0, ran.append, 9).cancelled()


def test_the_calendar_span_leaves_out_the_facts(make_db):
    con = make_db(EXTRACT)
    span = data_span(con, exclude=FACTS)
    con.execute("CREATE TABLE fact_late AS SELECT DATE '2099-01-01' AS d")
    assert data_span(con, exclude=(*FACTS, "fact_late")) == span
    assert data_span(con)[1] == dt.date(2099, 1, 1)
