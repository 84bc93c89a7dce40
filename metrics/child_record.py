"""One child's record as the Child page and the review pack read it: the plain facts (fixed SQL
per table) and the measures' rows for this child, the profile, and whether an id exists.

No Streamlit here. Every query binds its values ($person, $as_of, ...) and runs on its own cursor
(`Engine.query`).

A measure is defined once, in SQL: every timescale judgement here (met or missed, the working
days counted, the due date) is read from the row of that measure for this child, asked through
`Engine.rows` with a person filter (`Filters.person`) over all time up to the as-of date and
under the caller's scope. So the Child page and the Conference pack can never disagree with a
page's figure. Only the plain facts of the record (dates, kinds, details, workers) are read
here with simple SQL; the gaps between visits in the review pack (the local `visit_gap_wd`
standard, which no page shows) are counted in SQL with `wd_between`.

Nothing dated after the as-of date is seen. Each timescale is shown on the event that completes
it (the decision, the allocation, the authorisation, the response, the review, the first seen
visit). A miss the measure counts while the work is still outstanding at as-of (waiting past its
target) is shown on the event that started it (the referral not allocated, the assessment, the
request, the note), or on an event of its own on the due date (the child not seen, the review
not held). Nothing here logs child data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from metrics.catalog import get
from metrics.engine import Engine, MeasureUnavailable, NotPermitted, concurrently, plain
from metrics.filters import Filters
from metrics.words import date_text

ALLOCATED_ROLE = "allocated case worker"

# The measures are asked over all time up to the as-of date (the period's start is this day).
EARLIEST = dt.date(1900, 1, 1)

# Tables holding a person id, and the column (frontdoor.schema), for "is this id anywhere".
_PERSON_COLUMNS = {
    "ssd_person": "pers_person_id",
    "ssd_family": "fami_person_id",
    "ssd_contacts": "cont_person_id",
    "ssd_cin_episodes": "cine_person_id",
    "ssd_cin_assessments": "cina_person_id",
    "ssd_cin_plans": "cinp_person_id",
    "ssd_cin_visits": "cinv_person_id",
    "ssd_cp_visits": "cppv_person_id",
    "ssd_s47_enquiry": "s47e_person_id",
    "ssd_initial_cp_conference": "icpc_person_id",
    "ssd_cp_plans": "cppl_person_id",
    "ssd_cp_reviews": "cppr_person_id",
    "ssd_involvements": "invo_person_id",
    "case_notes": "person_id",
    "info_requests": "person_id",
}

# Fixed SQL per table, for the plain facts of the record (no timescale is judged here): only
# $person and $as_of are bound; table names are constants.
_SQL = {
    "person": """
        SELECT pers_person_id AS person_id, pers_sex AS sex, pers_ethnicity AS ethnicity,
               pers_dob AS dob, pers_expected_dob AS expected_dob, pers_death_date AS death_date
        FROM ssd_person WHERE pers_person_id = $person
    """,
    "family": "SELECT fami_family_id AS family_id FROM ssd_family WHERE fami_person_id = $person",
    "referrals": """
        SELECT cine_referral_id AS id, cine_referral_date AS date,
               cine_referral_source_code AS source_code,
               cine_referral_source_desc AS source_desc,
               cine_cin_primary_need_code AS need_code,
               coalesce(cine_referral_nfa, FALSE) AS nfa,
               CASE WHEN cine_close_date <= $as_of THEN cine_close_date END AS close_date,
               CASE WHEN cine_close_date <= $as_of THEN cine_close_reason END AS close_reason,
               cine_referral_team AS team, cine_referral_worker_id AS worker_id
        FROM ssd_cin_episodes
        WHERE cine_person_id = $person AND cine_referral_date <= $as_of
    """,
    "involvements": """
        SELECT invo_involvements_id AS id, invo_professional_id AS worker_id,
               invo_professional_role_id AS role, invo_professional_team AS team,
               invo_involvement_start_date AS start_date,
               CASE WHEN invo_involvement_end_date <= $as_of THEN invo_involvement_end_date END
                   AS end_date,
               invo_referral_id AS referral_id
        FROM ssd_involvements
        WHERE invo_person_id = $person AND invo_involvement_start_date <= $as_of
    """,
    "assessments": """
        SELECT cina_assessment_id AS id, cina_referral_id AS referral_id,
               cina_assessment_start_date AS start_date,
               CASE WHEN cina_assessment_auth_date <= $as_of THEN cina_assessment_auth_date END
                   AS auth_date,
               cina_assessment_child_seen AS child_seen, cina_assessment_team AS team,
               cina_assessment_worker_id AS worker_id,
               nullif(lower(trim(cina_assessment_type)), '') AS assessment_type
        FROM ssd_cin_assessments
        WHERE cina_person_id = $person AND cina_assessment_start_date <= $as_of
    """,
    "cin_visits": """
        SELECT cinv_cin_visit_id AS id, cinv_cin_visit_date AS date,
               cinv_cin_visit_seen AS seen, cinv_cin_visit_seen_alone AS seen_alone,
               'CIN' AS visit_type, CAST(NULL AS VARCHAR) AS plan_id
        FROM ssd_cin_visits
        WHERE cinv_person_id = $person AND cinv_cin_visit_date <= $as_of
    """,
    "cp_visits": """
        SELECT cppv_cp_visit_id AS id, cppv_cp_visit_date AS date,
               cppv_cp_visit_seen AS seen, cppv_cp_visit_seen_alone AS seen_alone,
               'CP' AS visit_type, cppv_cp_plan_id AS plan_id
        FROM ssd_cp_visits
        WHERE cppv_person_id = $person AND cppv_cp_visit_date <= $as_of
    """,
    "s47": """
        SELECT s47e_s47_enquiry_id AS id, s47e_referral_id AS referral_id,
               s47e_s47_start_date AS date,
               CASE WHEN s47e_s47_end_date <= $as_of THEN s47e_s47_end_date END AS end_date,
               s47e_s47_nfa AS nfa, s47e_s47_completed_by_team AS team,
               s47e_s47_completed_by_worker_id AS worker_id
        FROM ssd_s47_enquiry
        WHERE s47e_person_id = $person AND s47e_s47_start_date <= $as_of
    """,
    "icpc": """
        SELECT icpc_icpc_id AS id, icpc_s47_enquiry_id AS s47_id, icpc_cp_plan_id AS plan_id,
               coalesce(icpc_icpc_transfer_in, FALSE) AS transfer_in,
               icpc_icpc_date AS date, icpc_icpc_outcome_cp_flag AS outcome_cp,
               icpc_icpc_team AS team, icpc_icpc_worker_id AS worker_id
        FROM ssd_initial_cp_conference
        WHERE icpc_person_id = $person AND icpc_icpc_date <= $as_of
    """,
    "cp_plans": """
        SELECT cppl_cp_plan_id AS id, cppl_cp_plan_start_date AS start_date,
               CASE WHEN cppl_cp_plan_end_date <= $as_of THEN cppl_cp_plan_end_date END
                   AS end_date,
               coalesce(cppl_cp_plan_latest_category, cppl_cp_plan_initial_category)
                   AS category,
               cppl_cp_plan_initial_category AS initial_category,
               coalesce(cppl_cp_plan_latest_category, cppl_cp_plan_initial_category)
                   AS latest_category,
               cppl_icpc_id AS icpc_id
        FROM ssd_cp_plans
        WHERE cppl_person_id = $person AND cppl_cp_plan_start_date <= $as_of
    """,
    "cp_reviews": """
        SELECT cppr_cp_review_id AS id, cppr_cp_plan_id AS plan_id,
               cppr_cp_review_date AS date
        FROM ssd_cp_reviews
        WHERE cppr_cp_review_date <= $as_of
          AND (cppr_person_id = $person OR cppr_cp_plan_id IN (
              SELECT cppl_cp_plan_id FROM ssd_cp_plans WHERE cppl_person_id = $person))
    """,
    "cin_plans": """
        SELECT cinp_cin_plan_id AS id, cinp_cin_plan_start_date AS start_date,
               CASE WHEN cinp_cin_plan_end_date <= $as_of THEN cinp_cin_plan_end_date END
                   AS end_date,
               cinp_cin_plan_team AS team, cinp_cin_plan_worker_id AS worker_id
        FROM ssd_cin_plans
        WHERE cinp_person_id = $person AND cinp_cin_plan_start_date <= $as_of
    """,
}

_TABLE_OF = {
    "person": "ssd_person",
    "family": "ssd_family",
    "referrals": "ssd_cin_episodes",
    "involvements": "ssd_involvements",
    "assessments": "ssd_cin_assessments",
    "cin_visits": "ssd_cin_visits",
    "cp_visits": "ssd_cp_visits",
    "s47": "ssd_s47_enquiry",
    "icpc": "ssd_initial_cp_conference",
    "cp_plans": "ssd_cp_plans",
    "cp_reviews": "ssd_cp_reviews",
    "cin_plans": "ssd_cin_plans",
}

# ---------------------------------------------------------------------------------- helpers


def _existing(engine: Engine) -> set[str]:
    frame = engine.query("SELECT table_name FROM duckdb_tables()", {})
    return set(frame["table_name"])


def _dicts(frame: pd.DataFrame) -> list[dict]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


class _Child:
    """One child's record at as-of, read once per call: the plain facts (fixed SQL) and the
    measures' rows for this child (`Engine.rows` with a person filter, under the scope)."""

    def __init__(
        self,
        engine: Engine,
        person_id: str,
        as_of: dt.date,
        scope: str | None = None,
        scope_teams: tuple[str, ...] | None = None,
    ):
        self.engine = engine
        self.person = str(person_id)
        self.as_of = as_of
        self.have = _existing(engine)
        self.filters = Filters(
            date_from=min(EARLIEST, as_of),
            date_to=as_of,
            as_of=as_of,
            scope_teams=tuple(scope_teams) if scope_teams is not None else None,
            scope=scope,
            person=self.person,
        )
        if scope is not None and not engine.permits(self.person, self.filters):
            raise NotPermitted("your role does not allow you to see this child's record")
        self._facts: dict[str, list[dict]] = {}
        self._rows: dict[str, list[dict]] = {}

    def rec(self, name: str) -> list[dict]:
        """Rows of one fixed query for this person, as dicts; [] when the table is absent."""
        if name not in self._facts:
            self.load_facts([name])
        return self._facts[name]

    def load_facts(self, names: Iterable[str] = tuple(_SQL)) -> None:
        """These fixed queries (default: all) at once: one statement, a list of rows each."""
        wanted = [n for n in dict.fromkeys(names) if n not in self._facts]
        present = [n for n in wanted if _TABLE_OF[n] in self.have]
        found = {n: [] for n in wanted}
        if present:
            sql = "SELECT " + ",\n".join(
                f"(SELECT list(r) FROM ({_SQL[n]}) r) AS {n}" for n in present
            )
            frame = self.engine.query(sql, {"person": self.person, "as_of": self.as_of})
            for name in present:
                cell = frame[name].iloc[0]
                if not pd.api.types.is_scalar(cell):  # a list of rows; NULL (no rows) is NA
                    found[name] = [{k: plain(v) for k, v in row.items()} for row in cell]
        self._facts.update(found)

    def rows(self, key: str) -> list[dict]:
        """The measure's rows for this child (all time up to as-of); [] when the extract cannot
        give the measure (its judgements are then not shown, never guessed)."""
        if key not in self._rows:
            self._rows[key] = self._measure_rows(key)
        return self._rows[key]

    def _measure_rows(self, key: str) -> list[dict]:
        try:
            return _dicts(self.engine.rows(get(key), self.filters))
        except MeasureUnavailable:
            return []

    def prefetch(self, keys: Iterable[str]) -> None:
        """Ask these measures in one statement (`Engine.rows_each`: the child's records are read
        once for all of them) and the facts beside it on another cursor (`concurrently`)."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._rows]
        self.engine.absent_tables()  # read once here, not by both threads at once

        def one(job: str) -> dict[str, list[dict]]:
            if job == "facts":
                self.load_facts()
                return {}
            return self.engine.rows_each([get(k) for k in wanted], self.filters)

        _, found = concurrently(one, ["facts", "measures"])
        for key in wanted:
            self._rows[key] = [{k: plain(v) for k, v in row.items()} for row in found.get(key, [])]

    def by_id(self, key: str, column: str, where: dict | None = None) -> dict[str, dict]:
        """The measure's rows keyed by str(column) (only rows matching `where`, if given)."""
        out = {}
        for row in self.rows(key):
            if where and any(row.get(k) != v for k, v in where.items()):
                continue
            if row.get(column) is not None:
                out[str(row[column])] = row
        return out

    def target(self, name: str) -> int:
        return self.engine.settings.target(name)


def _fmt(d: object) -> str:
    """A date in the one date style ("3 Feb 2026"; "" when there is none)."""
    return date_text(d) if isinstance(d, dt.date) else ""


def _names(engine: Engine, have: set[str], table: str, ids: Iterable[object]) -> dict:
    """id -> display name from ssd_professionals or ssd_department (only the ids asked)."""
    wanted = sorted({str(i) for i in ids if i is not None})
    if not wanted or table not in have:
        return {}
    if table == "ssd_professionals":
        sql = (
            "SELECT prof_professional_id AS key, prof_professional_name AS name "
            "FROM ssd_professionals WHERE list_contains($ids, prof_professional_id)"
        )
    else:
        sql = (
            "SELECT dept_team_id AS key, dept_team_name AS name "
            "FROM ssd_department WHERE list_contains($ids, dept_team_id)"
        )
    frame = engine.query(sql, {"ids": wanted})
    return {k: n for k, n in frame.itertuples(index=False, name=None) if n}


def _data_end(engine: Engine) -> dt.date:
    from metrics.lookups import data_end

    return data_end(engine)


def _allocations(c: _Child) -> list[dict]:
    """The child's "allocated case worker" involvements, by start date."""
    out = [
        a for a in c.rec("involvements") if str(a["role"] or "").strip().lower() == ALLOCATED_ROLE
    ]
    return sorted(out, key=lambda a: (a["start_date"], str(a["id"])))


# ---------------------------------------------------------------------------------- profile


def exists(engine: Engine, person_id: str) -> bool:
    """Whether the id is in ssd_person or any table of the extract that names a person."""
    have = _existing(engine)
    for table, column in _PERSON_COLUMNS.items():
        if table not in have:
            continue
        sql = f"SELECT count(*) AS n FROM {table} WHERE {column} = $person"
        if int(engine.query(sql, {"person": str(person_id)})["n"].iloc[0]) > 0:
            return True
    return False


def profile(engine: Engine, person_id: str, as_of: dt.date | None = None) -> dict | None:
    """Who the child is and where their case stands at as-of (default: the extract date);
    None when the id is neither in ssd_person nor in any other table."""
    person_id = str(person_id)
    if not exists(engine, person_id):
        return None
    return _profile(_Child(engine, person_id, as_of or _data_end(engine)))


def _profile(c: _Child) -> dict:
    as_of = c.as_of
    c.load_facts(["person", "family", "referrals", "cp_plans", "involvements"])
    person = c.rec("person")
    family = c.rec("family")
    referrals = c.rec("referrals")
    plans = c.rec("cp_plans")
    allocations = [a for a in _allocations(c) if a["end_date"] is None]
    p = person[0] if person else {}
    dob = p.get("dob")
    age = None
    if isinstance(dob, dt.date) and dob <= as_of:
        age = as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))
    open_refs = sorted(
        (r for r in referrals if r["close_date"] is None), key=lambda r: r["date"], reverse=True
    )
    open_plans = [pl for pl in plans if pl["end_date"] is None]
    current = allocations[0] if allocations else None
    worker_names = _names(c.engine, c.have, "ssd_professionals", [current and current["worker_id"]])
    team_names = _names(c.engine, c.have, "ssd_department", [current and current["team"]])
    return {
        "person_id": c.person,
        "in_person_table": bool(person),
        "sex": p.get("sex"),
        "ethnicity": p.get("ethnicity"),
        "dob": dob,
        "expected_dob": p.get("expected_dob"),
        "death_date": p.get("death_date"),
        "age": age,
        "as_of": as_of,
        "family_id": family[0]["family_id"] if family else None,
        "referrals": len(referrals),
        "first_referral_date": min((r["date"] for r in referrals), default=None),
        "latest_referral_date": max((r["date"] for r in referrals), default=None),
        "open_referral_id": open_refs[0]["id"] if open_refs else None,
        "cp_plans": len(plans),
        "open_cp_plan_id": open_plans[0]["id"] if open_plans else None,
        "open_cp_plan_start": open_plans[0]["start_date"] if open_plans else None,
        "open_cp_plan_category": open_plans[0]["category"] if open_plans else None,
        "allocated_worker_id": current["worker_id"] if current else None,
        "allocated_worker": (
            worker_names.get(current["worker_id"], current["worker_id"]) if current else None
        ),
        "allocated_team": team_names.get(current["team"], current["team"]) if current else None,
        "allocated_since": current["start_date"] if current else None,
    }
