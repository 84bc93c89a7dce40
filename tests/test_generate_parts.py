"""An extract built in parts (`chunk_children`, as England's 4 million children are): ids unique
across the parts, every reference resolving to a row of the table it names (and to the same
child), the reference rows written once, and the loader taking every row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from frontdoor.generate import generate_extract
from frontdoor.loader import load_extract
from frontdoor.schema import TABLES

START, END = dt.date(2024, 4, 1), dt.date(2026, 3, 31)
CHILDREN, CHUNK = 700, 250  # three parts: 250, 250 and 200 children

# Every id column that names a row of another table: (table, column) -> (table, its key).
PERSON = ("ssd_person", "pers_person_id")
REFERRAL = ("ssd_cin_episodes", "cine_referral_id")
WORKER = ("ssd_professionals", "prof_professional_id")
TEAM = ("ssd_department", "dept_team_id")
PLAN = ("ssd_cp_plans", "cppl_cp_plan_id")
REFERENCES = {
    ("ssd_family", "fami_person_id"): PERSON,
    ("ssd_contacts", "cont_person_id"): PERSON,
    ("ssd_cin_episodes", "cine_person_id"): PERSON,
    ("ssd_cin_episodes", "cine_referral_team"): TEAM,
    ("ssd_cin_episodes", "cine_referral_worker_id"): WORKER,
    ("ssd_cin_assessments", "cina_person_id"): PERSON,
    ("ssd_cin_assessments", "cina_referral_id"): REFERRAL,
    ("ssd_cin_assessments", "cina_assessment_team"): TEAM,
    ("ssd_cin_assessments", "cina_assessment_worker_id"): WORKER,
    ("ssd_assessment_factors", "cinf_assessment_id"): ("ssd_cin_assessments", "cina_assessment_id"),
    ("ssd_cin_plans", "cinp_referral_id"): REFERRAL,
    ("ssd_cin_plans", "cinp_person_id"): PERSON,
    ("ssd_cin_plans", "cinp_cin_plan_team"): TEAM,
    ("ssd_cin_plans", "cinp_cin_plan_worker_id"): WORKER,
    ("ssd_cin_visits", "cinv_person_id"): PERSON,
    ("ssd_cp_visits", "cppv_person_id"): PERSON,
    ("ssd_cp_visits", "cppv_cp_plan_id"): PLAN,
    ("ssd_s47_enquiry", "s47e_referral_id"): REFERRAL,
    ("ssd_s47_enquiry", "s47e_person_id"): PERSON,
    ("ssd_s47_enquiry", "s47e_s47_completed_by_team"): TEAM,
    ("ssd_s47_enquiry", "s47e_s47_completed_by_worker_id"): WORKER,
    ("ssd_initial_cp_conference", "icpc_s47_enquiry_id"): (
        "ssd_s47_enquiry",
        "s47e_s47_enquiry_id",
    ),
    ("ssd_initial_cp_conference", "icpc_person_id"): PERSON,
    ("ssd_initial_cp_conference", "icpc_cp_plan_id"): PLAN,
    ("ssd_initial_cp_conference", "icpc_referral_id"): REFERRAL,
    ("ssd_initial_cp_conference", "icpc_icpc_team"): TEAM,
    ("ssd_initial_cp_conference", "icpc_icpc_worker_id"): WORKER,
    ("ssd_cp_plans", "cppl_referral_id"): REFERRAL,
    ("ssd_cp_plans", "cppl_icpc_id"): ("ssd_initial_cp_conference", "icpc_icpc_id"),
    ("ssd_cp_plans", "cppl_person_id"): PERSON,
    ("ssd_cp_reviews", "cppr_person_id"): PERSON,
    ("ssd_cp_reviews", "cppr_cp_plan_id"): PLAN,
    ("ssd_involvements", "invo_professional_id"): WORKER,
    ("ssd_involvements", "invo_professional_team"): TEAM,
    ("ssd_involvements", "invo_person_id"): PERSON,
    ("ssd_involvements", "invo_referral_id"): REFERRAL,
    ("ssd_professionals", "prof_professional_department"): TEAM,
    ("ssd_voice_of_child", "voch_person_id"): PERSON,
    ("case_notes", "person_id"): PERSON,
    ("case_notes", "referral_id"): REFERRAL,
    ("case_notes", "worker_id"): WORKER,
    ("info_requests", "person_id"): PERSON,
    ("info_requests", "referral_id"): REFERRAL,
}
# Rows naming both a child and a referral: the referral is that child's.
PERSON_OF_REFERRAL = {
    "ssd_cin_assessments": ("cina_person_id", "cina_referral_id"),
    "ssd_cin_plans": ("cinp_person_id", "cinp_referral_id"),
    "ssd_s47_enquiry": ("s47e_person_id", "s47e_referral_id"),
    "ssd_initial_cp_conference": ("icpc_person_id", "icpc_referral_id"),
    "ssd_cp_plans": ("cppl_person_id", "cppl_referral_id"),
    "ssd_involvements": ("invo_person_id", "invo_referral_id"),
    "case_notes": ("person_id", "referral_id"),
    "info_requests": ("person_id", "referral_id"),
}


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("parts")
    shown: list[tuple[float, str]] = []
    counts = generate_extract(
        out,
        seed=5,
        children=CHILDREN,
        start=START,
        end=END,
        chunk_children=CHUNK,
        progress=lambda f, m: shown.append((f, m)),
    )
    # Progress names the part and only ever moves forward, to 100%.
    assert any(m.startswith("part 3 of 3: ") for _, m in shown)
    assert [f for f, _ in shown] == sorted(f for f, _ in shown) and shown[-1][0] == 1.0
    return out, counts


@pytest.fixture(scope="module")
def t(parts) -> dict[str, pd.DataFrame]:
    folder, _ = parts
    return {
        name: pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).replace(
            "", None
        )
        for name in TABLES
    }


def test_every_row_written_once_and_ids_unique_across_parts(parts, t):
    _, counts = parts
    assert len(t["ssd_person"]) == CHILDREN
    assert len(t["ssd_department"]) == 6  # the teams: from the first part only
    for name, spec in TABLES.items():
        assert counts[name] == len(t[name]) > 0, name
        assert t[name][spec.key].notna().all() and t[name][spec.key].is_unique, name
    for name, column in (
        ("ssd_family", "fami_table_id"),
        ("ssd_professionals", "prof_social_worker_registration_no"),
    ):
        assert t[name][column].dropna().is_unique, name
    # Each part has its own teams' workers: more than one manager per team.
    managers = t["ssd_professionals"]["prof_professional_job_title"] == "Team Manager"
    assert managers.sum() == 6 * 3


def test_parts_are_different_children(t):
    """Every part draws its own children: no part repeats the first one's dates of birth."""
    dob = t["ssd_person"]["pers_dob"]
    first, second = dob.iloc[:CHUNK].tolist(), dob.iloc[CHUNK : 2 * CHUNK].tolist()
    assert first != second


def test_every_reference_resolves(t):
    ids_columns = {
        (name, col) for name, spec in TABLES.items() for col, kind in spec.columns.items()
    }
    assert set(REFERENCES) <= ids_columns
    for (name, column), (target, key) in REFERENCES.items():
        values = t[name][column].dropna()
        missing = ~values.isin(t[target][key])
        assert not missing.any(), f"{name}.{column}: {values[missing].head(3).tolist()}"
    # A family's children all come from one part: no family id is shared across parts' children.
    fam = t["ssd_family"].assign(n=range(len(t["ssd_family"])))
    part = fam["n"] // CHUNK
    assert (part.groupby(fam["fami_family_id"]).nunique() == 1).all()


def test_a_referral_is_the_same_child_s(t):
    person_of = t["ssd_cin_episodes"].set_index("cine_referral_id")["cine_person_id"]
    for name, (person, referral) in PERSON_OF_REFERRAL.items():
        rows = t[name].dropna(subset=[referral])
        assert (rows[referral].map(person_of) == rows[person]).all(), name


def test_the_loader_takes_every_row(parts, tmp_path):
    folder, counts = parts
    report = load_extract(folder, tmp_path / "parts.duckdb", synthetic=True, extract_date=END)
    assert report.ok, report.render()
    assert report.rejected == 0, report.render()
    for name in TABLES:
        table = report.tables[name]
        assert table.rows_read == table.rows_loaded == counts[name], name
        assert table.rows_rejected == 0, name
