"""The lists the filters offer: in one order every time, even when two workers share a name."""

from __future__ import annotations

from metrics import Engine
from metrics.lookups import teams, workers
from tests.conftest import allocation


def _involvement(iid, worker, team):
    return allocation(iid, worker, team, "2025-09-01")


def test_workers_of_one_name_come_in_the_order_of_their_ids(make_db):
    # W9 and W2 are both "Sam Jones"; W5 is "Alex Smith". By name, then id: W5, W2, W9, however
    # the rows were written.
    con = make_db(
        {
            "ssd_person": [{"pers_person_id": "C1"}],
            "ssd_cin_episodes": [],
            "ssd_involvements": [
                _involvement("I1", "W9", "T2"),
                _involvement("I2", "W5", "T1"),
                _involvement("I3", "W2", "T1"),
            ],
            "ssd_professionals": [
                {"prof_professional_id": "W9", "prof_professional_name": "Sam Jones"},
                {"prof_professional_id": "W2", "prof_professional_name": "Sam Jones"},
                {"prof_professional_id": "W5", "prof_professional_name": "Alex Smith"},
            ],
            "ssd_department": [
                {"dept_team_id": "T2", "dept_team_name": "Duty"},
                {"dept_team_id": "T1", "dept_team_name": "Duty"},
            ],
        }
    )
    engine = Engine(con)
    assert workers(engine, None) == [("W5", "Alex Smith"), ("W2", "Sam Jones"), ("W9", "Sam Jones")]
    assert workers(engine, "T1") == [("W5", "Alex Smith"), ("W2", "Sam Jones")]
    # Two teams of one name: by id.
    assert teams(engine) == [("T1", "Duty"), ("T2", "Duty")]
