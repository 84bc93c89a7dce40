"""What the CIN census selects: one bound-parameter query per module ($start and $end are the
collection year), and the reader-added columns used when a census or Annex A load has them.
The rules are in `frontdoor.returns.cin_census` and docs/returns.md."""

from __future__ import annotations

import datetime as dt

import duckdb

from frontdoor.progress import ProgressFn
from frontdoor.returns import ExportError, table_columns

# -- selection (bound parameters only: $start, $end) -----------------------------------------------

EPISODES_SQL = """
    SELECT cine_referral_id AS id, cine_person_id AS person_id, cine_referral_date AS start_date,
           cine_referral_source_code AS source, cine_cin_primary_need_code AS need,
           CASE WHEN cine_close_date <= $end THEN cine_close_date END AS close_date,
           CASE WHEN cine_close_date <= $end THEN cine_close_reason END AS close_reason,
           cine_referral_nfa AS nfa
    FROM ssd_cin_episodes
    WHERE cine_referral_date <= $end
      AND (cine_close_date IS NULL OR cine_close_date >= $start)
    ORDER BY person_id, start_date, id
"""

PERSONS_SQL = """
    WITH scope AS (
        SELECT DISTINCT cine_person_id AS person_id FROM ssd_cin_episodes
        WHERE cine_referral_date <= $end
          AND (cine_close_date IS NULL OR cine_close_date >= $start)
    )
    SELECT s.person_id, p.pers_sex AS sex, p.pers_ethnicity AS ethnicity, p.pers_dob AS dob,
           p.pers_expected_dob AS expected_dob,
           CASE WHEN p.pers_death_date <= $end THEN p.pers_death_date END AS death_date,
           {disabilities} AS disabilities,
           p.pers_person_id IS NOT NULL AS known
    FROM scope s LEFT JOIN ssd_person p ON p.pers_person_id = s.person_id
    ORDER BY s.person_id
"""

ASSESSMENTS_SQL = """
    SELECT cina_assessment_id AS id, cina_person_id AS person_id, cina_referral_id AS referral_id,
           cina_assessment_start_date AS start_date,
           CASE WHEN cina_assessment_auth_date <= $end THEN cina_assessment_auth_date END
               AS auth_date,
           {review} AS review_date, {factors} AS factors
    FROM ssd_cin_assessments
    WHERE cina_assessment_start_date <= $end
      AND (cina_assessment_auth_date IS NULL OR cina_assessment_auth_date >= $start)
    ORDER BY person_id, start_date, id
"""

CIN_PLANS_SQL = """
    SELECT cinp_cin_plan_id AS id, cinp_person_id AS person_id, cinp_referral_id AS referral_id,
           cinp_cin_plan_start_date AS start_date,
           CASE WHEN cinp_cin_plan_end_date <= $end THEN cinp_cin_plan_end_date END AS end_date
    FROM ssd_cin_plans
    WHERE cinp_cin_plan_start_date <= $end
      AND (cinp_cin_plan_end_date IS NULL OR cinp_cin_plan_end_date >= $start)
    ORDER BY person_id, start_date, id
"""

S47_SQL = """
    SELECT s.s47e_s47_enquiry_id AS id, s.s47e_person_id AS person_id,
           s.s47e_referral_id AS referral_id, s.s47e_s47_start_date AS start_date,
           CASE WHEN s.s47e_s47_end_date <= $end THEN s.s47e_s47_end_date END AS end_date,
           s.s47e_s47_nfa AS nfa, {not_required} AS not_required, {target} AS target
    FROM ssd_s47_enquiry s
    WHERE s.s47e_s47_start_date <= $end
      AND (s.s47e_s47_end_date IS NULL OR s.s47e_s47_end_date >= $start
           OR EXISTS (SELECT 1 FROM ssd_initial_cp_conference c
                      WHERE c.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id
                        AND c.icpc_icpc_date BETWEEN $start AND $end))
    ORDER BY person_id, start_date, id
"""

ICPCS_SQL = """
    SELECT c.icpc_icpc_id AS id, c.icpc_person_id AS person_id, c.icpc_referral_id AS referral_id,
           s.s47e_s47_enquiry_id AS s47_id, c.icpc_icpc_date AS date,
           c.icpc_icpc_target_date AS target
    FROM ssd_initial_cp_conference c
    LEFT JOIN ssd_s47_enquiry s ON s.s47e_s47_enquiry_id = c.icpc_s47_enquiry_id
    WHERE c.icpc_icpc_date <= $end
      AND c.icpc_person_id IN (
          SELECT cine_person_id FROM ssd_cin_episodes
          WHERE cine_referral_date <= $end
            AND (cine_close_date IS NULL OR cine_close_date >= $start))
    ORDER BY person_id, date, id
"""

CP_PLANS_SQL = """
    SELECT p.cppl_cp_plan_id AS id, p.cppl_person_id AS person_id,
           p.cppl_referral_id AS referral_id, p.cppl_cp_plan_start_date AS start_date,
           CASE WHEN p.cppl_cp_plan_end_date <= $end THEN p.cppl_cp_plan_end_date END AS end_date,
           p.cppl_cp_plan_initial_category AS initial_category,
           p.cppl_cp_plan_latest_category AS latest_category,
           {previous} AS previous_carried,
           (SELECT count(*) FROM ssd_cp_plans q
            WHERE q.cppl_person_id = p.cppl_person_id
              AND q.cppl_cp_plan_start_date < p.cppl_cp_plan_start_date) AS previous_in_data
    FROM ssd_cp_plans p
    WHERE p.cppl_cp_plan_start_date <= $end
      AND (p.cppl_cp_plan_end_date IS NULL OR p.cppl_cp_plan_end_date >= $start)
    ORDER BY person_id, start_date, id
"""

REVIEWS_SQL = """
    SELECT cppr_cp_plan_id AS plan_id, cppr_cp_review_date AS date
    FROM ssd_cp_reviews
    WHERE cppr_cp_review_date BETWEEN $start AND $end
    ORDER BY plan_id, date
"""


def collection_window(year: int) -> tuple[dt.date, dt.date]:
    """The collection year ending 31 March `year`: 1 April `year - 1` to 31 March `year`."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[dict]:
    cur = con.cursor()
    try:
        cur.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        cur.close()


def _optional(cols: set[str], column: str, expr: str) -> str:
    """`expr` when the reader-added `column` is in the table, else NULL (fixed SQL text)."""
    return expr if column in cols else "NULL"


def select(con: duckdb.DuckDBPyConnection, year: int, progress: ProgressFn) -> dict[str, list]:
    start, end = collection_window(year)
    params = {"start": start, "end": end}
    person_cols = table_columns(con, "ssd_person")
    asmt_cols = table_columns(con, "ssd_cin_assessments")
    s47_cols = table_columns(con, "ssd_s47_enquiry")
    plan_cols = table_columns(con, "ssd_cp_plans")
    queries = {
        "persons": PERSONS_SQL.format(
            disabilities=_optional(person_cols, "pers_disabilities", "p.pers_disabilities")
        ),
        "episodes": EPISODES_SQL,
        "assessments": ASSESSMENTS_SQL.format(
            review=_optional(
                asmt_cols,
                "cina_assessment_internal_review_date",
                "TRY_CAST(cina_assessment_internal_review_date AS DATE)",
            ),
            factors=_optional(asmt_cols, "cina_assessment_factors", "cina_assessment_factors"),
        ),
        "cin_plans": CIN_PLANS_SQL,
        "s47": S47_SQL.format(
            not_required=_optional(s47_cols, "s47e_icpc_not_required", "s.s47e_icpc_not_required"),
            target=_optional(
                s47_cols, "s47e_icpc_target_date", "TRY_CAST(s.s47e_icpc_target_date AS DATE)"
            ),
        ),
        "icpcs": ICPCS_SQL,
        "cp_plans": CP_PLANS_SQL.format(
            previous=_optional(
                plan_cols,
                "cppl_number_of_previous_cpp",
                "TRY_CAST(p.cppl_number_of_previous_cpp AS INTEGER)",
            )
        ),
        "reviews": REVIEWS_SQL,
    }
    missing = [
        t
        for t in ("ssd_person", "ssd_cin_episodes")
        if not table_columns(con, t)  # the two tables every extract has
    ]
    if missing:
        raise ExportError(f"the database has no {', '.join(missing)}: load an extract first")
    out = {}
    for i, (name, sql) in enumerate(queries.items()):
        progress(0.05 + 0.45 * i / len(queries), f"reading {name.replace('_', ' ')}")
        out[name] = _rows(con, sql, params)
    return out
