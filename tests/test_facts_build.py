"""How the facts are built: each after the facts its SQL reads, two at once, the same tables as
one after another."""

from __future__ import annotations

from frontdoor.facts import FACTS, build_facts, build_order
from tests.test_facts import EXTRACT, SPANS


def test_each_fact_waits_for_the_facts_its_sql_reads():
    waits = build_order()
    assert list(waits) == list(FACTS)
    # fact_transfer reads fact_assessment and fact_allocation (its moves and held_elsewhere);
    # fact_activity reads only loaded tables; fact_child_workers reads the allocations and the
    # child's spans. A fact named only in a comment (fact_note's "fact_allocation" is read, its
    # comment names no other) adds nothing.
    assert waits["fact_transfer"] == {"fact_allocation", "fact_assessment"}
    assert waits["fact_activity"] == set()
    assert waits["fact_child_workers"] == {"fact_allocation", "fact_child_allocation"}
    assert waits["fact_note"] == {"fact_allocation"}


def _facts(con) -> dict[str, list[tuple]]:
    return {n: sorted(con.execute(f"FROM {n}").fetchall(), key=repr) for n in FACTS}


def test_two_builders_at_once_make_the_same_facts_as_one(make_db):
    for extract in (EXTRACT, SPANS):
        con = make_db(extract)  # built two at once, as the loader builds them
        at_once = _facts(con)
        build_facts(con, builders=1)
        assert _facts(con) == at_once
        assert any(at_once[n] for n in FACTS)
