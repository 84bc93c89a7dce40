"""One child's record: profile, chronology, siblings, workers and the review conference pack.

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

from frontdoor import safe_export
from metrics.catalog import get
from metrics.engine import Engine, MeasureUnavailable, NotPermitted, concurrently, plain
from metrics.filters import Filters

# Event kinds, in the order a timeline shows them (top to bottom).
CONTACT = "contact"
REFERRAL = "referral"
CASE_CLOSED = "case closed"
ALLOCATION_START = "allocation start"
WORKER_CHANGE = "worker change"
ALLOCATION_END = "allocation end"
ASSESSMENT_START = "assessment start"
ASSESSMENT_AUTHORISED = "assessment authorised"
VISIT_SEEN_ALONE = "visit: seen alone"
VISIT_SEEN = "visit: seen"
VISIT_NOT_SEEN = "visit: not seen"
NOT_SEEN_OVERDUE = "child not seen: overdue"
S47 = "S47 enquiry"
ICPC = "ICPC"
CP_PLAN_START = "CP plan start"
CP_PLAN_END = "CP plan end"
CP_REVIEW = "CP review"
CP_REVIEW_OVERDUE = "CP review overdue"
CIN_PLAN_START = "CIN plan start"
CIN_PLAN_END = "CIN plan end"
CASE_NOTE = "case note"
INFO_REQUEST = "info request"
INFO_RESPONSE = "info response"

KINDS = [
    CONTACT,
    REFERRAL,
    ALLOCATION_START,
    WORKER_CHANGE,
    ALLOCATION_END,
    ASSESSMENT_START,
    ASSESSMENT_AUTHORISED,
    VISIT_SEEN_ALONE,
    VISIT_SEEN,
    VISIT_NOT_SEEN,
    NOT_SEEN_OVERDUE,
    S47,
    ICPC,
    CP_PLAN_START,
    CP_REVIEW,
    CP_REVIEW_OVERDUE,
    CP_PLAN_END,
    CIN_PLAN_START,
    CIN_PLAN_END,
    CASE_NOTE,
    INFO_REQUEST,
    INFO_RESPONSE,
    CASE_CLOSED,
]
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}

CHRONOLOGY_COLUMNS = [
    "date",
    "kind",
    "detail",
    "worker",
    "team",
    "timescale",
    "target",
    "days",
    "met",
    "record_id",
]

ALLOCATED_ROLE = "allocated case worker"

# The measures are asked over all time up to the as-of date (the period's start is this day).
EARLIEST = dt.date(1900, 1, 1)
# The measures a chronology reads, and those the review pack reads besides.
_CHRONOLOGY_MEASURES = (
    "contacts",
    "allocation",
    "seen",
    "assessments",
    "assessments_overdue",
    "icpc",
    "cp_review_chain",
    "recording",
    "agencies",
)
_PACK_MEASURES = ("cp_plans", "oversight")

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
                   AS category
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

# The seen and unseen visits since the window start (NULL: all), each seen visit with the working
# days since the previous seen visit in the window, over the local standard or not; and the
# working days from the last seen visit (else the window start) to the as-of date. The two
# visit tables are joined by UNION ALL as the extract has them (a branch per table present).
_VISIT_BRANCH = {
    "ssd_cin_visits": """
        SELECT cinv_cin_visit_id AS id, cinv_cin_visit_date AS date, cinv_cin_visit_seen AS seen,
               cinv_cin_visit_seen_alone AS seen_alone, 'CIN' AS visit_type
        FROM ssd_cin_visits
        WHERE cinv_person_id = $person AND cinv_cin_visit_date <= $as_of
          AND ($window_start IS NULL OR cinv_cin_visit_date >= $window_start)
    """,
    "ssd_cp_visits": """
        SELECT cppv_cp_visit_id AS id, cppv_cp_visit_date AS date, cppv_cp_visit_seen AS seen,
               cppv_cp_visit_seen_alone AS seen_alone, 'CP' AS visit_type
        FROM ssd_cp_visits
        WHERE cppv_person_id = $person AND cppv_cp_visit_date <= $as_of
          AND ($window_start IS NULL OR cppv_cp_visit_date >= $window_start)
    """,
}
_NO_VISITS = """
        SELECT CAST(NULL AS VARCHAR) AS id, CAST(NULL AS DATE) AS date,
               CAST(NULL AS BOOLEAN) AS seen, CAST(NULL AS BOOLEAN) AS seen_alone,
               CAST(NULL AS VARCHAR) AS visit_type
        WHERE FALSE
"""
_VISIT_GAPS = """
    gaps AS (
        SELECT v.date, v.visit_type, v.seen, v.seen_alone, v.sort_id,
               CASE WHEN v.seen IS TRUE THEN wd_between(v.previous_seen, v.date) END AS gap_wd,
               CASE WHEN v.seen IS TRUE
                    THEN wd_between(v.previous_seen, v.date) > $t_visit_gap_wd END
                   AS over_standard
        FROM (
            SELECT w.*, CAST(w.id AS VARCHAR) AS sort_id,
                   max(CASE WHEN w.seen IS TRUE THEN w.date END) OVER (
                       ORDER BY w.date, CAST(w.id AS VARCHAR)
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_seen
            FROM visits w
        ) v
    )
    SELECT s.last_seen,
           wd_between(coalesce(s.last_seen, $window_start), $as_of) AS since_seen_wd,
           wd_between(coalesce(s.last_seen, $window_start), $as_of) > $t_visit_gap_wd
               AS over_standard,
           (SELECT list(g ORDER BY g.date, g.sort_id) FROM gaps g) AS visits
    FROM (SELECT max(date) FILTER (WHERE seen IS TRUE) AS last_seen FROM visits) s
"""


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
    return d.strftime("%d/%m/%Y") if isinstance(d, dt.date) else ""


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


# ------------------------------------------------------------------------------- chronology


def chronology(
    engine: Engine,
    person_id: str,
    as_of: dt.date,
    *,
    scope: str | None = None,
    scope_teams: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Every event of the child's record on or before as-of, one row each, oldest first.

    Columns: date, kind (see KINDS), detail, worker, team, timescale (which timescale the row
    is judged on, or None), target (in words), days (working days measured), met (True, False or
    None = no timescale / not yet due / cannot be judged), record_id. Timescale, days and met are
    the measure's own (see the module docstring); `scope` / `scope_teams` are the viewer's
    (Filters): a child outside them raises NotPermitted.
    """
    c = _Child(engine, person_id, as_of, scope, scope_teams)
    c.prefetch(_CHRONOLOGY_MEASURES)
    return _chronology(c)


def _chronology(c: _Child) -> pd.DataFrame:
    events: list[dict] = []

    def add(date, kind, detail, *, worker=None, team=None, timescale=None, target=None,
            days=None, met=None, record_id=None):  # fmt: skip
        events.append(
            {
                "date": date,
                "kind": kind,
                "detail": detail,
                "worker": worker,
                "team": team,
                "timescale": timescale,
                "target": target,
                "days": days,
                "met": met,
                "record_id": None if record_id is None else str(record_id),
            }
        )

    # Contacts (the contacts measure's rows): decision within contact_decision_wd.
    target = c.target("contact_decision_wd")
    for k in c.rows("contacts"):
        source = "source not recorded" if k["source"] == "Not recorded" else k["source"]
        if k["decision_date"] is None:
            detail = f"Contact from {source}; no decision recorded by as-of"
        elif k["decision_date"] < k["contact_date"]:
            detail = f"Contact from {source}; decision dated before the contact (data issue)"
        else:
            detail = f"Contact from {source}; decided {_fmt(k['decision_date'])}"
        add(
            k["contact_date"],
            CONTACT,
            detail,
            timescale="contact decision",
            target=f"decision within {target} wd",
            days=k["decision_wd"],
            met=k["within_target"],
            record_id=k["contact_id"],
        )

    # Referrals. A referral still waiting for allocation past the target (the allocation
    # measure's 'waiting' row) carries that miss; one whose child is still unseen past the target
    # (the seen measure's 'waiting' row) has a "not seen" event on the day the visit was due.
    referrals = c.rec("referrals")
    t_alloc = c.target("allocation_wd")
    t_seen = c.target("seen_wd")
    allocation = c.by_id("allocation", "referral_id", {"status": "waiting"})
    first_allocation = c.by_id("allocation", "involvement_id", {"status": "allocated"})
    unseen = c.by_id("seen", "referral_id", {"status": "waiting"})
    for r in referrals:
        parts = [f"Referral {r['id']}"]
        if r["source_desc"] or r["source_code"]:
            parts.append(f"source {r['source_desc'] or r['source_code']}")
        if r["need_code"]:
            parts.append(f"need {r['need_code']}")
        if r["nfa"]:
            parts.append("no further action")
        waiting = allocation.get(str(r["id"]))
        if waiting:
            parts.append(f"not allocated after {waiting['days']} wd")
        add(
            r["date"],
            REFERRAL,
            "; ".join(parts),
            worker=r["worker_id"],
            team=r["team"],
            timescale="allocation" if waiting else None,
            target=f"allocated within {t_alloc} wd" if waiting else None,
            days=waiting["days"] if waiting else None,
            met=waiting["within_target"] if waiting else None,
            record_id=r["id"],
        )
        if r["close_date"] is not None:
            reason = f" ({r['close_reason']})" if r["close_reason"] else ""
            add(
                r["close_date"],
                CASE_CLOSED,
                f"Referral {r['id']} closed{reason}",
                worker=r["worker_id"],
                team=r["team"],
                record_id=r["id"],
            )
        late = unseen.get(str(r["id"]))
        if late:
            add(
                late["due_date"] or r["date"],
                NOT_SEEN_OVERDUE,
                f"Child not seen after referral {r['id']} of {_fmt(r['date'])}: "
                f"{late['days']} wd by as-of",
                worker=late["worker_id"],
                team=late["team"],
                timescale="seen after referral",
                target=f"seen within {t_seen} wd of referral",
                days=late["days"],
                met=late["within_target"],
                record_id=r["id"],
            )

    # Allocations: start (or worker change) and end; the first allocation of a referral carries
    # the allocation measure's judgement of that referral.
    allocations = _allocations(c)
    for i, a in enumerate(allocations):
        earlier = allocations[:i]
        change = any(
            (b["end_date"] is None or b["end_date"] >= a["start_date"] - dt.timedelta(days=1))
            and b["worker_id"] != a["worker_id"]
            for b in earlier
        )
        first = first_allocation.get(str(a["id"]))
        detail = f"Allocated worker {'changed' if change else 'allocated'}"
        if first:
            detail += (
                f"; first allocation for referral {first['referral_id']} "
                f"of {_fmt(first['referral_date'])}"
            )
        add(
            a["start_date"],
            WORKER_CHANGE if change else ALLOCATION_START,
            detail,
            worker=a["worker_id"],
            team=a["team"],
            timescale="allocation" if first else None,
            target=f"allocated within {t_alloc} wd" if first else None,
            days=first["days"] if first else None,
            met=first["within_target"] if first else None,
            record_id=a["id"],
        )
        if a["end_date"] is not None:
            add(
                a["end_date"],
                ALLOCATION_END,
                "Allocation ended",
                worker=a["worker_id"],
                team=a["team"],
                record_id=a["id"],
            )
    # A referral first allocated by an involvement recorded under another child (a data error
    # the measure follows, by the referral id the involvement names) still shows its judgement.
    own = {str(a["id"]) for a in allocations}
    for involvement, first in first_allocation.items():
        if involvement in own:
            continue
        add(
            first["allocated_date"],
            ALLOCATION_START,
            f"Allocated (involvement {involvement}, recorded under another child: data issue); "
            f"first allocation for referral {first['referral_id']} of "
            f"{_fmt(first['referral_date'])}",
            worker=first["worker_id"],
            team=first["team"],
            timescale="allocation",
            target=f"allocated within {t_alloc} wd",
            days=first["days"],
            met=first["within_target"],
            record_id=involvement,
        )

    # Assessments: the assessments measure judges the authorisation; assessments_overdue flags
    # an open one past its target on its start.
    completed = c.by_id("assessments", "assessment_id")
    overdue = c.by_id("assessments_overdue", "assessment_id")
    for a in c.rec("assessments"):
        kind_text = f"{a['assessment_type']} assessment" if a["assessment_type"] else "Assessment"
        kind_text = kind_text[0].upper() + kind_text[1:]
        late = overdue.get(str(a["id"]))
        detail = f"{kind_text} started"
        if late:
            detail += f"; not authorised after {late['age_wd']} wd"
        add(
            a["start_date"],
            ASSESSMENT_START,
            detail,
            worker=a["worker_id"],
            team=a["team"],
            timescale="assessment" if late else None,
            target=f"authorised within {late['target']} wd" if late else None,
            days=late["age_wd"] if late else None,
            met=False if late else None,
            record_id=a["id"],
        )
        if a["auth_date"] is not None:
            done = completed.get(str(a["id"]))
            seen = {True: "child seen", False: "child not seen"}.get(a["child_seen"])
            detail = f"{kind_text} authorised" + (f"; {seen}" if seen else "")
            if not done:
                detail += "; dated before it started (data issue)"
            add(
                a["auth_date"],
                ASSESSMENT_AUTHORISED,
                detail,
                worker=a["worker_id"],
                team=a["team"],
                timescale="assessment",
                target=f"authorised within {done['target']} wd" if done else None,
                days=done["days"] if done else None,
                met=done["within_target"] if done else None,
                record_id=a["id"],
            )

    # Visits; the first seen visit after a referral carries the seen measure's judgement of that
    # referral (the earliest seen visit of its first seen day; when it is the first seen visit
    # of two referrals, the later referral's).
    visits = sorted(
        c.rec("cin_visits") + c.rec("cp_visits"), key=lambda v: (v["date"], str(v["id"]))
    )
    first_seen: dict[int, dict] = {}
    seen_rows = [s for s in c.rows("seen") if s["status"] == "seen"]
    for s in sorted(seen_rows, key=lambda s: (s["referral_date"], str(s["referral_id"]))):
        on_day = [v for v in visits if v["seen"] is True and v["date"] == s["first_seen_date"]]
        if on_day:
            first_seen[id(on_day[0])] = s
    for v in visits:
        kind = (
            VISIT_SEEN_ALONE
            if v["seen"] is True and v["seen_alone"] is True
            else VISIT_SEEN
            if v["seen"] is True
            else VISIT_NOT_SEEN
        )
        detail = f"{v['visit_type']} visit"
        if v["plan_id"]:
            detail += f" (plan {v['plan_id']})"
        s = first_seen.get(id(v))
        if s:
            detail += f"; first seen after referral {s['referral_id']}"
        add(
            v["date"],
            kind,
            detail,
            timescale="seen after referral" if s else None,
            target=f"seen within {t_seen} wd of referral" if s else None,
            days=s["days"] if s else None,
            met=s["within_target"] if s else None,
            record_id=v["id"],
        )

    # S47 enquiries, and initial conferences (the icpc measure: within icpc_wd of the S47 start;
    # transfer-ins are not timed).
    for s in c.rec("s47"):
        parts = ["S47 enquiry started"]
        if s["nfa"] is True:
            parts.append("no further action")
        if s["end_date"] is not None:
            parts.append(f"ended {_fmt(s['end_date'])}")
        add(
            s["date"],
            S47,
            "; ".join(parts),
            worker=s["worker_id"],
            team=s["team"],
            record_id=s["id"],
        )
    t_icpc = c.target("icpc_wd")
    icpcs = c.by_id("icpc", "icpc_id")
    for k in c.rec("icpc"):
        row = icpcs.get(str(k["id"]))
        parts = ["Initial child protection conference"]
        if k["transfer_in"]:
            parts.append("transfer-in (not timed)")
        elif row is None or not row["s47_found"]:
            parts.append("its S47 enquiry is not in the extract")
        elif row["before_s47"]:
            parts.append("dated before its S47 enquiry (data issue)")
        if k["outcome_cp"] is True:
            parts.append("outcome: CP plan")
        elif k["outcome_cp"] is False:
            parts.append("outcome: no CP plan")
        timed = not k["transfer_in"]
        add(
            k["date"],
            ICPC,
            "; ".join(parts),
            worker=k["worker_id"],
            team=k["team"],
            timescale="ICPC" if timed else None,
            target=f"within {t_icpc} wd of S47 start" if timed else None,
            days=row["days"] if row else None,
            met=row["within_target"] if row else None,
            record_id=k["id"],
        )

    # CP plans, and their reviews (the cp_review_chain measure: each review held with its due
    # date, and the next review of an open plan when it is overdue).
    for p in c.rec("cp_plans"):
        category = f"; category {p['category']}" if p["category"] else ""
        add(
            p["start_date"],
            CP_PLAN_START,
            f"CP plan {p['id']} started{category}",
            record_id=p["id"],
        )
        if p["end_date"] is not None:
            add(p["end_date"], CP_PLAN_END, f"CP plan {p['id']} ended", record_id=p["id"])
    review_ids: dict[tuple[str, dt.date], list[str]] = {}
    for r in c.rec("cp_reviews"):
        if r["id"] is not None:
            review_ids.setdefault((str(r["plan_id"]), r["date"]), []).append(str(r["id"]))
    for h in c.rows("cp_review_chain"):
        due = _fmt(h["due_date"])
        if h["held_date"] is not None:
            ids = sorted(review_ids.get((str(h["cp_plan_id"]), h["held_date"]), []))
            add(
                h["held_date"],
                CP_REVIEW,
                f"Review {h['review_number']} of CP plan {h['cp_plan_id']} (due {due})",
                timescale="CP review",
                target=f"held on or before {due}",
                days=h["days_late_wd"],
                met=h["on_time"],
                record_id=",".join(ids) or h["cp_plan_id"],
            )
        elif h["status"] == "overdue":
            add(
                h["due_date"],
                CP_REVIEW_OVERDUE,
                f"Review {h['review_number']} of CP plan {h['cp_plan_id']} due and not held "
                "by as-of",
                timescale="CP review",
                target=f"held on or before {due}",
                met=h["on_time"],
                record_id=h["cp_plan_id"],
            )

    for p in c.rec("cin_plans"):
        add(
            p["start_date"],
            CIN_PLAN_START,
            f"CIN plan {p['id']} started",
            worker=p["worker_id"],
            team=p["team"],
            record_id=p["id"],
        )
        if p["end_date"] is not None:
            add(
                p["end_date"],
                CIN_PLAN_END,
                f"CIN plan {p['id']} ended",
                worker=p["worker_id"],
                team=p["team"],
                record_id=p["id"],
            )

    # Case notes (the recording measure's rows): recorded within recording_wd of the event.
    t_rec = c.target("recording_wd")
    for n in c.rows("recording"):
        kind_text = (n["note_type"] or "other").replace("_", " ")
        detail = f"Case note: {kind_text}"
        if n["recorded_date"] is None:
            detail += "; not recorded by as-of"
        else:
            detail += f"; recorded {_fmt(n['recorded_date'])}"
            if n["recorded_before_event"]:
                detail += " (before the event: data issue)"
        add(
            n["event_date"],
            CASE_NOTE,
            detail,
            worker=n["worker_id"],
            timescale="recording",
            target=f"recorded within {t_rec} wd",
            days=n["lag_wd"] if n["lag_wd"] is not None else n["age_wd"],
            met=n["within_target"],
            record_id=n["note_id"],
        )

    # Partner agency requests (the agencies measure's rows): response within agency_response_wd.
    t_agency = c.target("agency_response_wd")
    for q in c.rows("agencies"):
        outstanding_late = q["outstanding"] and q["within_target"] is False
        detail = f"Information requested from {q['agency']}"
        if q["outstanding"]:
            detail += f"; no response after {q['age_wd']} wd"
        add(
            q["requested_date"],
            INFO_REQUEST,
            detail,
            timescale="agency response" if outstanding_late else None,
            target=f"response within {t_agency} wd" if outstanding_late else None,
            days=q["age_wd"] if outstanding_late else None,
            met=False if outstanding_late else None,
            record_id=q["request_id"],
        )
        if q["responded_date"] is not None:
            detail = f"Response from {q['agency']}"
            if q["days"] is None:
                detail += "; dated before the request (data issue)"
            add(
                q["responded_date"],
                INFO_RESPONSE,
                detail,
                timescale="agency response",
                target=f"response within {t_agency} wd",
                days=q["days"],
                met=q["within_target"],
                record_id=q["request_id"],
            )

    frame = pd.DataFrame(events, columns=CHRONOLOGY_COLUMNS)
    if frame.empty:
        return frame
    workers = _names(c.engine, c.have, "ssd_professionals", frame["worker"])
    teams = _names(c.engine, c.have, "ssd_department", frame["team"])
    frame["worker"] = [workers.get(w, w) if w is not None else None for w in frame["worker"]]
    frame["team"] = [teams.get(x, x) if x is not None else None for x in frame["team"]]
    frame["_order"] = [_KIND_ORDER.get(k, len(KINDS)) for k in frame["kind"]]
    frame = frame.sort_values(["date", "_order", "record_id"], kind="stable", na_position="last")
    frame = frame.drop(columns="_order").reset_index(drop=True)
    frame["met"] = frame["met"].map(lambda m: None if m is None else bool(m)).astype("object")
    frame["days"] = frame["days"].astype("Int64")
    return frame


# ----------------------------------------------------------------------- siblings, workers


def siblings(engine: Engine, person_id: str) -> pd.DataFrame:
    """The other children with the same fami_family_id (none when the extract has no family
    table or the child has no family row)."""
    columns = ["person_id", "family_id", "sex", "dob", "in_person_table"]
    have = _existing(engine)
    if "ssd_family" not in have:
        return pd.DataFrame(columns=columns)
    sql = """
        SELECT f2.fami_person_id AS person_id, f2.fami_family_id AS family_id,
               p.pers_sex AS sex, p.pers_dob AS dob,
               p.pers_person_id IS NOT NULL AS in_person_table
        FROM ssd_family f1
        JOIN ssd_family f2
          ON f2.fami_family_id = f1.fami_family_id AND f2.fami_person_id <> f1.fami_person_id
        LEFT JOIN ssd_person p ON p.pers_person_id = f2.fami_person_id
        WHERE f1.fami_person_id = $person AND f1.fami_family_id IS NOT NULL
        ORDER BY p.pers_dob NULLS LAST, f2.fami_person_id
    """
    return engine.query(sql, {"person": str(person_id)})[columns]


def workers(engine: Engine, person_id: str, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every professional named on the child's record on or before as-of, by role and team:
    first and last date, whether current (an involvement open at as-of), with name, job title,
    qualified (registration number) and agency flag where ssd_professionals has them."""
    return _workers(_Child(engine, person_id, as_of or _data_end(engine)))


def _workers(c: _Child) -> pd.DataFrame:
    engine, have, as_of = c.engine, c.have, c.as_of
    rows: list[dict] = []

    def put(worker_id, role, team, first, last, current=False):  # fmt: skip
        if worker_id is None or first is None:
            return
        rows.append(
            {
                "worker_id": str(worker_id),
                "role": role,
                "team": team,
                "first": first,
                "last": last or first,
                "current": current,
            }  # fmt: skip
        )

    rec = c.rec
    c.load_facts(["involvements", "referrals", "assessments", "cin_plans", "s47", "icpc"])
    for i in rec("involvements"):
        role = (str(i["role"]).strip() if i["role"] else None) or "involvement"
        put(i["worker_id"], role, i["team"], i["start_date"], i["end_date"] or as_of,
            i["end_date"] is None)  # fmt: skip
    for r in rec("referrals"):
        put(r["worker_id"], "referral worker", r["team"], r["date"], r["close_date"])
    for a in rec("assessments"):
        put(a["worker_id"], "assessment worker", a["team"], a["start_date"], a["auth_date"])
    for p in rec("cin_plans"):
        put(p["worker_id"], "CIN plan worker", p["team"], p["start_date"], p["end_date"])
    for s in rec("s47"):
        put(s["worker_id"], "S47 worker", s["team"], s["date"], s["end_date"])
    for k in rec("icpc"):
        put(k["worker_id"], "ICPC worker", k["team"], k["date"], k["date"])
    for n in c.rows("recording"):
        put(n["worker_id"], "case note author", None, n["event_date"], n["event_date"])
    columns = [
        "worker_id", "name", "role", "team", "first", "last", "current",
        "job_title", "qualified", "agency",
    ]  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    frame["team"] = frame["team"].astype("object")
    frame = (
        frame.fillna({"team": ""})
        .groupby(["worker_id", "role", "team"], as_index=False, sort=False)
        .agg(first=("first", "min"), last=("last", "max"), current=("current", "any"))
    )
    frame["team"] = frame["team"].replace("", None)
    facts: dict[str, tuple] = {}
    if "ssd_professionals" in have:
        sql = """
            SELECT prof_professional_id AS worker_id, prof_professional_name AS name,
                   prof_professional_job_title AS job_title,
                   nullif(trim(prof_social_worker_registration_no), '') IS NOT NULL AS qualified,
                   prof_agency_worker_flag AS agency
            FROM ssd_professionals WHERE list_contains($ids, prof_professional_id)
        """
        found = engine.query(sql, {"ids": sorted(set(frame["worker_id"]))})
        facts = {r[0]: r[1:] for r in found.itertuples(index=False, name=None)}
    teams = _names(engine, have, "ssd_department", frame["team"])
    frame["name"] = [plain(facts.get(w, (None,))[0]) or w for w in frame["worker_id"]]
    frame["job_title"] = [plain(facts[w][1]) if w in facts else None for w in frame["worker_id"]]
    frame["qualified"] = [plain(facts[w][2]) if w in facts else None for w in frame["worker_id"]]
    frame["agency"] = [plain(facts[w][3]) if w in facts else None for w in frame["worker_id"]]
    frame["team"] = [teams.get(x, x) if x is not None else None for x in frame["team"]]
    frame = frame.sort_values(["current", "last"], ascending=[False, False], kind="stable")
    return frame[columns].reset_index(drop=True)


# ------------------------------------------------------------------------------ review pack


def review_pack(
    engine: Engine,
    person_id: str,
    as_of: dt.date,
    *,
    scope: str | None = None,
    scope_teams: tuple[str, ...] | None = None,
) -> dict:
    """What a conference chair reads before a review: plans and review history, visits (seen,
    seen alone, gaps longer than the local standard), timeliness, siblings, workers, and the
    open actions this data shows. Every judgement is a measure's (see the module docstring);
    `scope` / `scope_teams` are the viewer's, as for chronology.

    Keys: person_id, as_of, profile, plans, reviews, next_review, visits, visit_summary,
    timeliness, siblings, workers, actions (list of {"kind", "text"}), targets.
    """
    person_id = str(person_id)
    c = _Child(engine, person_id, as_of, scope, scope_teams)
    c.prefetch(_CHRONOLOGY_MEASURES + _PACK_MEASURES)
    prof = _profile(c) if exists(engine, person_id) else None
    actions: list[dict] = []

    # Plans (the cp_plans measure) and their reviews (the cp_review_chain measure).
    chain = c.rows("cp_review_chain")
    # cp_plans has a row per plan and event; over all time every plan started by as-of has its
    # 'started' row, which carries the plan's own facts (and whether it is a repeat).
    plans = sorted(
        (p for p in c.rows("cp_plans") if p["event"] == "started"),
        key=lambda p: (p["start_date"], str(p["cp_plan_id"])),
    )
    plan_rows = [
        {
            "plan_id": p["cp_plan_id"],
            "start_date": p["start_date"],
            "end_date": p["end_date"],
            "category": p["category"],
            "status": "open" if p["is_open"] else "ended",
            "days": p["duration_days"],
            "reviews_held": sum(
                1
                for h in chain
                if h["cp_plan_id"] == p["cp_plan_id"] and h["held_date"] is not None
            ),
            "repeat": p["is_repeat"],
        }
        for p in plans
    ]
    order = {str(p["cp_plan_id"]): i for i, p in enumerate(plans)}
    chain = sorted(chain, key=lambda h: (order.get(str(h["cp_plan_id"]), len(order)),
                                         h["review_number"]))  # fmt: skip
    review_rows = [
        {
            "plan_id": h["cp_plan_id"],
            "review": h["review_number"],
            "due_date": h["due_date"],
            "held_date": h["held_date"],
            "on_time": h["on_time"],
            "status": h["status"],
        }
        for h in chain
    ]
    next_review = None
    for h in chain:
        if h["held_date"] is not None:
            continue
        overdue = h["status"] == "overdue"
        if next_review is None or h["due_date"] < next_review["due_date"]:
            next_review = {
                "plan_id": h["cp_plan_id"],
                "review": h["review_number"],
                "due_date": h["due_date"],
                "days_until_due": h["days_until_due"],
                "overdue": overdue,
            }
        if overdue:
            actions.append(
                {
                    "kind": "review_overdue",
                    "text": f"CP review {h['review_number']} of plan {h['cp_plan_id']} was due "
                    f"{_fmt(h['due_date'])} and has not been held.",
                }
            )

    # Visits: since the start of the latest CP plan, else of the latest referral, else all;
    # the gaps between seen visits against the local standard, counted in SQL.
    referrals = c.rec("referrals")
    if plans:
        window_start = plans[-1]["start_date"]
    elif referrals:
        window_start = max(r["date"] for r in referrals)
    else:
        window_start = None
    standard = c.target("visit_gap_wd")
    visits, since = _visit_gaps(c, window_start)
    open_case = bool(prof and (prof["open_cp_plan_id"] or prof["open_referral_id"]))
    last_seen = since["last_seen"]
    if open_case and since["over_standard"]:
        if last_seen:
            text = (
                f"Child not seen within the local standard: last seen {_fmt(last_seen)}, "
                f"{since['since_seen_wd']} working days ago (standard {standard})."
            )
        else:
            text = (
                f"Child not seen since {_fmt(window_start)} ({since['since_seen_wd']} working "
                f"days; standard {standard})."
            )
        actions.append({"kind": "not_seen", "text": text})
    seen = visits["seen"].map(lambda s: s is True)
    gaps = visits["gap_wd"].dropna()
    visit_summary = {
        "from": window_start,
        "visits": len(visits),
        "seen": int(seen.sum()),
        "seen_alone": int((seen & visits["seen_alone"].map(lambda s: s is True)).sum()),
        "last_seen": last_seen,
        "longest_gap_wd": int(gaps.max()) if not gaps.empty else None,
        "gaps_over_standard": int(visits["over_standard"].map(lambda o: o is True).sum()),
        "standard_wd": standard,
    }

    # Management oversight on an open allocated case (the oversight measure's row).
    for o in c.rows("oversight"):
        if not o["without_oversight"]:
            continue
        last = o["last_oversight_date"]
        since_text = (
            f"last recorded {_fmt(last)}"
            if last and last >= o["allocated_date"]
            else f"none since allocation {_fmt(o['allocated_date'])}"
        )
        actions.append(
            {
                "kind": "no_oversight",
                "text": f"No management oversight for {o['days_since_oversight']} working days "
                f"({since_text}; standard {c.target('oversight_wd')}).",
            }
        )

    # Outstanding partner agency requests (the agencies measure's rows).
    for q in c.rows("agencies"):
        if q["outstanding"]:
            late = q["within_target"] is False
            actions.append(
                {
                    "kind": "agency_request",
                    "text": f"Request to {q['agency']} of {_fmt(q['requested_date'])} "
                    f"outstanding for {q['age_wd']} working days"
                    + (" (past the target)." if late else "."),
                }
            )

    chron = _chronology(c)
    for row in chron.itertuples(index=False):
        if row.met is False and row.kind in (ASSESSMENT_START, REFERRAL, NOT_SEEN_OVERDUE):
            actions.append({"kind": "overdue_" + row.timescale, "text": f"{row.detail}."})

    judged = chron[chron["timescale"].notna()] if not chron.empty else chron
    if judged.empty:
        timeliness = pd.DataFrame(columns=["timescale", "met", "missed", "not_judged"])
    else:
        timeliness = (
            judged.assign(
                _met=judged["met"].map(lambda m: m is True),
                _missed=judged["met"].map(lambda m: m is False),
                _none=judged["met"].map(lambda m: m is None),
            )
            .groupby("timescale", as_index=False, sort=False)
            .agg(met=("_met", "sum"), missed=("_missed", "sum"), not_judged=("_none", "sum"))
        )

    return {
        "person_id": person_id,
        "as_of": as_of,
        "profile": prof,
        "plans": pd.DataFrame(
            plan_rows,
            columns=[
                "plan_id",
                "start_date",
                "end_date",
                "category",
                "status",
                "days",
                "reviews_held",
                "repeat",
            ],
        ),  # fmt: skip
        "reviews": pd.DataFrame(
            review_rows,
            columns=["plan_id", "review", "due_date", "held_date", "on_time", "status"],
        ),
        "next_review": next_review,
        "visits": visits,
        "visit_summary": visit_summary,
        "timeliness": timeliness,
        "siblings": siblings(engine, person_id),
        "workers": _workers(c),
        "actions": actions,
        "targets": dict(engine.settings.targets),
    }


def _visit_gaps(c: _Child, window_start: dt.date | None) -> tuple[pd.DataFrame, dict]:
    """The visits since window_start (None: all) with each seen visit's gap in working days since
    the previous seen one in the window and whether it is over the local standard; and the last
    seen date with the working days since it (or since window_start) at as-of. One statement."""
    columns = ["date", "visit_type", "seen", "seen_alone", "gap_wd", "over_standard"]
    branches = [sql for table, sql in _VISIT_BRANCH.items() if table in c.have] or [_NO_VISITS]
    sql = "WITH visits AS (" + " UNION ALL ".join(branches) + "),\n" + _VISIT_GAPS
    values = c.engine.values(c.filters) | {"window_start": window_start}
    row = c.engine.query(sql, values).iloc[0]
    listed = row["visits"]
    found = [] if pd.api.types.is_scalar(listed) else list(listed)
    visits = pd.DataFrame(
        [{col: plain(v[col]) for col in columns} for v in found], columns=columns
    ).astype({"seen": "object", "seen_alone": "object", "over_standard": "object"})
    visits["gap_wd"] = visits["gap_wd"].astype("Int64")
    since = {k: plain(row[k]) for k in ("last_seen", "since_seen_wd", "over_standard")}
    return visits, since


# ------------------------------------------------------------------------- printable pack


def _shown(value: object) -> str:
    """A value that is not text as the pack shows it (dates in the pack's style)."""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.date):
        return _fmt(value)
    return str(value)


def _text(value: object) -> str:
    """Any value as escaped HTML text, formula prefixes neutralised (safe_export)."""
    return safe_export.html_text(value, _shown)


def _table(frame: pd.DataFrame | None, empty: str) -> str:
    return safe_export.html_table(frame, empty, _shown)


def _facts(pairs: list[tuple[str, object]]) -> str:
    return safe_export.html_facts(pairs, _shown)


_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #111; margin: 2em; }
h1 { font-size: 18pt; margin-bottom: 0.2em; } h2 { font-size: 13pt; margin-top: 1.4em;
border-bottom: 1px solid #999; } table { border-collapse: collapse; margin: 0.4em 0; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; } table.facts th { width: 14em; } p.empty { color: #555; }
.notice { border: 2px solid #D55E00; padding: 0.4em 0.8em; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
"""


def review_pack_html(pack: dict) -> str:
    """The pack as one printable, self-contained HTML document (no scripts, no external files).
    Every data value is escaped, and text neutralised as a spreadsheet cell (safe_export)."""
    prof = pack.get("profile") or {}
    as_of = pack.get("as_of")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Review pack {_text(pack.get('person_id'))}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Child protection review pack: child {_text(pack.get('person_id'))}</h1>",
        f"<p>As at {_text(as_of)}. Produced from the case extract; check against the case "
        "record before the conference. OFFICIAL-SENSITIVE.</p>",
        "<h2>Child</h2>",
        _facts(
            [
                ("Person id", prof.get("person_id")),
                ("Sex", prof.get("sex")),
                ("Ethnicity", prof.get("ethnicity")),
                ("Date of birth", prof.get("dob")),
                ("Age", prof.get("age")),
                ("Family id", prof.get("family_id")),
                ("Allocated worker", prof.get("allocated_worker")),
                ("Team", prof.get("allocated_team")),
                ("Allocated since", prof.get("allocated_since")),
                ("Open CP plan", prof.get("open_cp_plan_id")),
                ("Plan category", prof.get("open_cp_plan_category")),
            ]
        ),
        "<h2>Open actions</h2>",
    ]
    actions = pack.get("actions") or []
    if actions:
        parts.append(
            "<ul class='notice'>"
            + "".join(f"<li>{_text(a.get('text'))}</li>" for a in actions)
            + "</ul>"
        )
    else:
        parts.append("<p class='empty'>None found in this extract.</p>")
    nxt = pack.get("next_review")
    parts.append("<h2>Next review</h2>")
    if nxt:
        parts.append(
            _facts(
                [
                    ("Plan", nxt.get("plan_id")),
                    ("Review number", nxt.get("review")),
                    ("Due", nxt.get("due_date")),
                    ("Overdue", nxt.get("overdue")),
                ]
            )
        )
    else:
        parts.append("<p class='empty'>No open CP plan.</p>")
    parts += [
        "<h2>Child protection plans</h2>",
        _table(pack.get("plans"), "No CP plans."),
        "<h2>Review history</h2>",
        _table(pack.get("reviews"), "No reviews."),
    ]
    summary = pack.get("visit_summary") or {}
    parts += [
        "<h2>Visits</h2>",
        _facts(
            [
                ("Visits since", summary.get("from")),
                ("Visits", summary.get("visits")),
                ("Child seen", summary.get("seen")),
                ("Seen alone", summary.get("seen_alone")),
                ("Last seen", summary.get("last_seen")),
                ("Longest gap between seen visits (wd)", summary.get("longest_gap_wd")),
                ("Gaps over the local standard", summary.get("gaps_over_standard")),
                ("Local standard (wd)", summary.get("standard_wd")),
            ]
        ),
        _table(pack.get("visits"), "No visits recorded."),
        "<h2>Timeliness</h2>",
        _table(pack.get("timeliness"), "No timescales to judge."),
        "<h2>Siblings</h2>",
        _table(pack.get("siblings"), "No siblings recorded."),
        "<h2>Workers</h2>",
        _table(pack.get("workers"), "No workers recorded."),
        "</body></html>",
    ]
    return "\n".join(parts)
