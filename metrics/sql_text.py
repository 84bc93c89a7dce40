"""How a measure's SQL is composed: its file in `metrics/sql/`, the shared fragments it names
(`-- uses:`) as CTEs, the values it binds, and one child's narrowing of the tables it reads.

Kept apart from the engine (which runs the composed SQL) so that what may go into a query's
text is in one short module: only these files' text and table names, never a value.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_USES = re.compile(r"^--\s*uses:\s*(.*)$", re.MULTILINE)


# With a person filter (Filters.person), a child-level measure reads the person-keyed tables
# narrowed to that child's rows, plus the rows of other children its rows name by id (the
# referral an assessment names, the involvements naming one of the child's referrals, the S47 an
# ICPC names, the ICPCs naming the child's S47s, the plans naming the child's ICPCs, the reviews
# of the child's plans, the factors of the child's assessments: `linked`), so its query reads a
# few rows, not the whole extract. Each measure's row of a child is built only from such rows, so the narrowed rows
# equal the whole rows filtered by person (tests/test_metrics_person.py checks every child-level
# measure); a measure that reads other children for a child's row says so
# (Measure.reads_other_children) and is never narrowed. Each shadowing CTE reads main.<table>,
# own rows and linked rows as two scans (an OR of the two would read every column of every row);
# the only value is the bound $person.
ONE_CHILD: dict[str, tuple[str | None, str | None]] = {
    # table: (person column, linked rows of other children or None)
    "ssd_contacts": ("cont_person_id", None),
    "ssd_cin_episodes": (
        "cine_person_id",
        "cine_referral_id IN (SELECT cina_referral_id FROM main.ssd_cin_assessments "
        "WHERE cina_person_id = $person)",
    ),
    "ssd_involvements": (
        "invo_person_id",
        "invo_referral_id IN (SELECT cine_referral_id FROM main.ssd_cin_episodes "
        "WHERE cine_person_id = $person)",
    ),
    "ssd_cin_assessments": ("cina_person_id", None),
    "ssd_assessment_factors": (
        None,
        "cinf_assessment_id IN (SELECT cina_assessment_id FROM main.ssd_cin_assessments "
        "WHERE cina_person_id = $person)",
    ),
    "ssd_cin_plans": ("cinp_person_id", None),
    "ssd_voice_of_child": ("voch_person_id", None),
    "ssd_cin_visits": ("cinv_person_id", None),
    "ssd_cp_visits": ("cppv_person_id", None),
    "ssd_s47_enquiry": (
        "s47e_person_id",
        "s47e_s47_enquiry_id IN (SELECT icpc_s47_enquiry_id FROM main.ssd_initial_cp_conference "
        "WHERE icpc_person_id = $person)",
    ),
    "ssd_initial_cp_conference": (
        "icpc_person_id",
        "icpc_s47_enquiry_id IN (SELECT s47e_s47_enquiry_id FROM main.ssd_s47_enquiry "
        "WHERE s47e_person_id = $person)",
    ),
    "ssd_cp_plans": (
        "cppl_person_id",
        "cppl_icpc_id IN (SELECT icpc_icpc_id FROM main.ssd_initial_cp_conference "
        "WHERE icpc_person_id = $person)",
    ),
    "ssd_cp_reviews": (
        "cppr_person_id",
        "cppr_cp_plan_id IN (SELECT cppl_cp_plan_id FROM main.ssd_cp_plans "
        "WHERE cppl_person_id = $person)",
    ),
    "case_notes": ("person_id", None),
    "info_requests": ("person_id", None),
    # Facts built at load (frontdoor/facts), narrowed as the tables they come from.
    "fact_allocation": (
        "person_id",
        "referral_id IN (SELECT cine_referral_id FROM main.ssd_cin_episodes "
        "WHERE cine_person_id = $person)",
    ),
    "fact_referral": (
        "person_id",
        "referral_id IN (SELECT cina_referral_id FROM main.ssd_cin_assessments "
        "WHERE cina_person_id = $person)",
    ),
    "fact_referral_factor": ("person_id", None),
    "fact_child_allocation": ("person_id", None),
    "fact_child_workers": ("person_id", None),
    "fact_allocation_latest": ("person_id", None),
    "fact_cp_child_allocation": ("person_id", None),
    "fact_caseload_pair": ("person_id", None),
    "fact_assessment": ("person_id", None),
    "fact_transfer": ("person_id", None),
    "fact_activity": ("person_id", None),
    "fact_cp_review": ("person_id", None),
    "fact_note": ("person_id", None),
    "fact_transfer_wait": ("person_id", None),
}


def one_child_cte(table: str) -> str:
    column, linked = ONE_CHILD[table]
    if column is None:  # no person column: only the rows the child's records name
        return f"{table} AS (SELECT * FROM main.{table} WHERE {linked})"
    sql = f"{table} AS (SELECT * FROM main.{table} WHERE {column} = $person"
    if linked:
        sql += (
            f" UNION ALL SELECT * FROM main.{table} "
            f"WHERE {column} IS DISTINCT FROM $person AND {linked}"
        )
    return sql + ")"


@cache
def sql_text(name: str) -> str:
    return resources.files("metrics").joinpath("sql", name).read_text(encoding="utf-8")


def _uses(text: str) -> list[str]:
    names: list[str] = []
    for match in _USES.finditer(text):
        names += [n.strip() for n in match.group(1).split(",") if n.strip()]
    return names


def _fragments(text: str, seen: dict[str, str] | None = None) -> dict[str, str]:
    """Shared CTEs a SQL file declares with `-- uses: a, b`, dependencies first."""
    seen = {} if seen is None else seen
    for name in _uses(text):
        if name not in seen:
            body = sql_text(f"common/{name}.sql")
            _fragments(body, seen)
            seen[name] = body
    return seen


@cache
def rows_sql(measure_file: str) -> str:
    """The full rows query of a measure file: shared fragments as CTEs, then the measure."""
    text = sql_text(measure_file)
    ctes = [f"{name} AS (\n{body}\n)" for name, body in _fragments(text).items()]
    ctes.append(f"measure_rows AS (\n{text}\n)")
    return "WITH " + ",\n".join(ctes) + "\nSELECT * FROM measure_rows"


def bind(sql: str, values: dict[str, object]) -> dict[str, object]:
    """Only the parameters the SQL names (DuckDB rejects unused ones); a missing one is a bug."""
    names = set(_PARAM.findall(sql))
    missing = names - values.keys()
    if missing:
        raise KeyError(f"no value for SQL parameter(s): {', '.join(sorted(missing))}")
    return {n: values[n] for n in names}
