"""One child's record: profile, chronology, siblings, workers and the review conference pack.

No Streamlit here. Every query binds its values ($person, $as_of, ...) and runs on its own cursor
(`Engine.query`). The rows of one child are few, so the timescale logic runs in Python on them,
counting working days from the database's own `calendar` table (the same one `wd_between` reads).

Definitions follow docs/measures.md; nothing dated after the as-of date is seen. Each timescale
is judged on the event that completes it (the decision, the allocation, the authorisation, the
response, the review); the event that started it carries a miss only when it is still outstanding
at as-of and already past its target. Nothing here logs child data.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable

import pandas as pd

from metrics.engine import Engine

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

# Fixed SQL per table: only $person (and $as_of) are bound; table names are constants.
_SQL = {
    "person": """
        SELECT pers_person_id AS person_id, pers_sex AS sex, pers_ethnicity AS ethnicity,
               pers_dob AS dob, pers_expected_dob AS expected_dob, pers_death_date AS death_date
        FROM ssd_person WHERE pers_person_id = $person
    """,
    "family": "SELECT fami_family_id AS family_id FROM ssd_family WHERE fami_person_id = $person",
    "contacts": """
        SELECT cont_contact_id AS id, cont_contact_date AS date,
               cont_contact_source_code AS source_code, cont_contact_source_desc AS source_desc,
               CASE WHEN cont_outcome_date <= $as_of THEN cont_outcome_date END AS decision_date
        FROM ssd_contacts
        WHERE cont_person_id = $person AND cont_contact_date <= $as_of
    """,
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
    "all_s47": """
        SELECT s47e_s47_enquiry_id AS id, s47e_s47_start_date AS date FROM ssd_s47_enquiry
        WHERE s47e_s47_enquiry_id IN (
            SELECT icpc_s47_enquiry_id FROM ssd_initial_cp_conference
            WHERE icpc_person_id = $person)
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
        WHERE cppr_person_id = $person AND cppr_cp_review_date <= $as_of
    """,
    "cin_plans": """
        SELECT cinp_cin_plan_id AS id, cinp_cin_plan_start_date AS start_date,
               CASE WHEN cinp_cin_plan_end_date <= $as_of THEN cinp_cin_plan_end_date END
                   AS end_date,
               cinp_cin_plan_team AS team, cinp_cin_plan_worker_id AS worker_id
        FROM ssd_cin_plans
        WHERE cinp_person_id = $person AND cinp_cin_plan_start_date <= $as_of
    """,
    "notes": """
        SELECT note_id AS id, lower(trim(note_type)) AS note_type, event_date AS date,
               CASE WHEN recorded_date <= $as_of THEN recorded_date END AS recorded_date,
               worker_id
        FROM case_notes
        WHERE person_id = $person AND event_date <= $as_of
    """,
    "requests": """
        SELECT request_id AS id, coalesce(nullif(trim(agency), ''), 'Not recorded') AS agency,
               requested_date AS date,
               CASE WHEN responded_date <= $as_of THEN responded_date END AS responded_date
        FROM info_requests
        WHERE person_id = $person AND requested_date <= $as_of
    """,
}

_TABLE_OF = {
    "person": "ssd_person",
    "family": "ssd_family",
    "contacts": "ssd_contacts",
    "referrals": "ssd_cin_episodes",
    "involvements": "ssd_involvements",
    "assessments": "ssd_cin_assessments",
    "cin_visits": "ssd_cin_visits",
    "cp_visits": "ssd_cp_visits",
    "s47": "ssd_s47_enquiry",
    "all_s47": "ssd_s47_enquiry",
    "icpc": "ssd_initial_cp_conference",
    "cp_plans": "ssd_cp_plans",
    "cp_reviews": "ssd_cp_reviews",
    "cin_plans": "ssd_cin_plans",
    "notes": "case_notes",
    "requests": "info_requests",
}


# ---------------------------------------------------------------------------------- helpers


def _existing(engine: Engine) -> set[str]:
    frame = engine.query("SELECT table_name FROM duckdb_tables()", {})
    return set(frame["table_name"])


def _records(engine: Engine, name: str, person_id: str, as_of: dt.date, have: set[str]) -> list:
    """Rows of one fixed query for this person, as dicts; [] when the table is absent."""
    if _TABLE_OF[name] not in have:
        return []
    if name == "all_s47" and "ssd_initial_cp_conference" not in have:
        return []
    frame = engine.query(_SQL[name], {"person": str(person_id), "as_of": as_of})
    return [{k: _py(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _py(value: object) -> object:
    """pandas/numpy scalars to plain Python; NaT/NaN to None; timestamps to dates."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


class _Calendar:
    """Working days from the database's calendar table (as `wd_between` / `wd_add`)."""

    def __init__(self, engine: Engine):
        frame = engine.query("SELECT date, wd_index, is_working_day FROM calendar", {})
        dates = [_py(d) for d in frame["date"]]
        self.index = dict(zip(dates, (int(i) for i in frame["wd_index"]), strict=True))
        self.working = {
            int(i): d
            for d, i, w in zip(dates, frame["wd_index"], frame["is_working_day"], strict=True)
            if w
        }

    def between(self, a: dt.date | None, b: dt.date | None) -> int | None:
        if a is None or b is None or a not in self.index or b not in self.index:
            return None
        return self.index[b] - self.index[a]

    def add(self, d: dt.date | None, n: int) -> dt.date | None:
        if d is None or d not in self.index:
            return None
        return self.working.get(self.index[d] + n)


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar months as DuckDB counts them: 31 Jan + 1 month = 28/29 Feb."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _share_met(days: int | None, age: int | None, target: int) -> bool | None:
    """Met for work that can be outstanding (measures.md "shares within target"): done within
    target -> True; done late, or outstanding and already past target -> False; else None."""
    if days is not None:
        return None if days < 0 else days <= target
    if age is not None and age > target:
        return False
    return None


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
    as_of = as_of or _data_end(engine)
    have = _existing(engine)
    person = _records(engine, "person", person_id, as_of, have)
    family = _records(engine, "family", person_id, as_of, have)
    referrals = _records(engine, "referrals", person_id, as_of, have)
    plans = _records(engine, "cp_plans", person_id, as_of, have)
    allocations = [
        a
        for a in _records(engine, "involvements", person_id, as_of, have)
        if str(a["role"] or "").strip().lower() == ALLOCATED_ROLE and a["end_date"] is None
    ]
    allocations.sort(key=lambda a: (a["start_date"], str(a["id"])))
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
    worker_names = _names(engine, have, "ssd_professionals", [current and current["worker_id"]])
    team_names = _names(engine, have, "ssd_department", [current and current["team"]])
    return {
        "person_id": person_id,
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


def _assessment_target(engine: Engine, a: dict) -> int:
    """As assessment_rows.sql: 2010-regime initial/core targets, else the single assessment."""
    s = engine.settings
    kind = (a.get("assessment_type") or "").strip()
    if kind in ("initial", "initial assessment") or (s.regime == "2010" and not kind):
        if a["start_date"] < dt.date(2010, 4, 1):
            return s.target("initial_assessment_pre2010_wd")
        return s.target("initial_assessment_wd")
    if kind in ("core", "core assessment"):
        return s.target("core_assessment_wd")
    return s.target("assessment_wd")


def _review_chain(engine: Engine, plan: dict, reviews: list[dict], as_of: dt.date) -> dict:
    """The plan's reviews held (by date, one per day) with their due dates, and the next due.

    First review due start + first_cp_review_months; each later one the previous review's date
    + later_cp_review_months (a late review restarts the clock), as cp_review_chain.sql.
    """
    s = engine.settings
    dates = sorted(
        {
            r["date"]
            for r in reviews
            if r["plan_id"] == plan["id"] and plan["start_date"] <= r["date"] <= as_of
        }
    )
    held = []
    previous = None
    for number, date in enumerate(dates, start=1):
        due = (
            add_months(plan["start_date"], s.target("first_cp_review_months"))
            if previous is None
            else add_months(previous, s.target("later_cp_review_months"))
        )
        ids = sorted(
            str(r["id"])
            for r in reviews
            if r["plan_id"] == plan["id"] and r["date"] == date and r["id"] is not None
        )
        held.append(
            {"number": number, "date": date, "due": due, "on_time": date <= due, "ids": ids}
        )
        previous = date
    next_due = (
        add_months(plan["start_date"], s.target("first_cp_review_months"))
        if previous is None
        else add_months(previous, s.target("later_cp_review_months"))
    )
    return {"held": held, "next_due": next_due, "open": plan["end_date"] is None}


def _allocation_referral(alloc: dict, referrals: list[dict]) -> object:
    """The referral an allocation belongs to: invo_referral_id, else the person's latest
    referral open on the allocation's start date (allocations.sql)."""
    if alloc["referral_id"] is not None:
        return alloc["referral_id"]
    open_then = [
        r
        for r in referrals
        if r["date"] <= alloc["start_date"]
        and (r["close_date"] is None or r["close_date"] >= alloc["start_date"])
    ]
    if not open_then:
        return None
    return max(open_then, key=lambda r: r["date"])["id"]


def chronology(engine: Engine, person_id: str, as_of: dt.date) -> pd.DataFrame:
    """Every event of the child's record on or before as-of, one row each, oldest first.

    Columns: date, kind (see KINDS), detail, worker, team, timescale (which timescale the row
    is judged on, or None), target (in words), days (working days measured), met (True, False or
    None = no timescale / not yet due / cannot be judged), record_id.
    """
    person_id = str(person_id)
    have = _existing(engine)
    cal = _Calendar(engine)
    t = engine.settings.target
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

    def rec(name: str) -> list[dict]:
        return _records(engine, name, person_id, as_of, have)

    # Contacts: decision within contact_decision_wd.
    target = t("contact_decision_wd")
    for c in rec("contacts"):
        days = cal.between(c["date"], c["decision_date"])
        source = c["source_desc"] or c["source_code"] or "source not recorded"
        if c["decision_date"] is None:
            detail = f"Contact from {source}; no decision recorded by as-of"
        elif days is not None and days < 0:
            detail = f"Contact from {source}; decision dated before the contact (data issue)"
        else:
            detail = f"Contact from {source}; decided {_fmt(c['decision_date'])}"
        add(
            c["date"],
            CONTACT,
            detail,
            timescale="contact decision",
            target=f"decision within {target} wd",
            days=days if c["decision_date"] is not None else cal.between(c["date"], as_of),
            met=_share_met(days, cal.between(c["date"], as_of), target),
            record_id=c["id"],
        )

    # Referrals, and their allocation and first seen visit.
    referrals = rec("referrals")
    allocations = [
        a for a in rec("involvements") if str(a["role"] or "").strip().lower() == ALLOCATED_ROLE
    ]
    allocations.sort(key=lambda a: (a["start_date"], str(a["id"])))
    for a in allocations:
        a["_referral"] = _allocation_referral(a, referrals)
    first_alloc: dict[object, dict] = {}
    for r in referrals:
        mine = [
            a for a in allocations if a["_referral"] == r["id"] and a["start_date"] >= r["date"]
        ]
        if mine and not r["nfa"]:
            first_alloc[id(mine[0])] = r
    t_alloc = t("allocation_wd")
    for r in referrals:
        parts = [f"Referral {r['id']}"]
        if r["source_desc"] or r["source_code"]:
            parts.append(f"source {r['source_desc'] or r['source_code']}")
        if r["need_code"]:
            parts.append(f"need {r['need_code']}")
        if r["nfa"]:
            parts.append("no further action")
        allocated = any(
            a["_referral"] == r["id"] and a["start_date"] >= r["date"] for a in allocations
        )
        unallocated_late = (
            not r["nfa"]
            and r["close_date"] is None
            and not allocated
            and "ssd_involvements" in have
            and (cal.between(r["date"], as_of) or 0) > t_alloc
        )
        if unallocated_late:
            parts.append(f"not allocated after {cal.between(r['date'], as_of)} wd")
        add(
            r["date"],
            REFERRAL,
            "; ".join(parts),
            worker=r["worker_id"],
            team=r["team"],
            timescale="allocation" if unallocated_late else None,
            target=f"allocated within {t_alloc} wd" if unallocated_late else None,
            days=cal.between(r["date"], as_of) if unallocated_late else None,
            met=False if unallocated_late else None,
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

    # Allocations: start (or worker change) and end.
    for i, a in enumerate(allocations):
        earlier = allocations[:i]
        change = any(
            (b["end_date"] is None or b["end_date"] >= a["start_date"] - dt.timedelta(days=1))
            and b["worker_id"] != a["worker_id"]
            for b in earlier
        )
        ref = first_alloc.get(id(a))
        days = cal.between(ref["date"], a["start_date"]) if ref else None
        detail = f"Allocated worker {'changed' if change else 'allocated'}"
        if ref:
            detail += f"; first allocation for referral {ref['id']} of {_fmt(ref['date'])}"
        add(
            a["start_date"],
            WORKER_CHANGE if change else ALLOCATION_START,
            detail,
            worker=a["worker_id"],
            team=a["team"],
            timescale="allocation" if ref else None,
            target=f"allocated within {t_alloc} wd" if ref else None,
            days=days,
            met=(days <= t_alloc) if days is not None else None,
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

    # Assessments: authorised within target; open and past target flagged on the start.
    for a in rec("assessments"):
        target = _assessment_target(engine, a)
        kind_text = f"{a['assessment_type']} assessment" if a["assessment_type"] else "Assessment"
        kind_text = kind_text[0].upper() + kind_text[1:]
        age = cal.between(a["start_date"], as_of)
        late_open = a["auth_date"] is None and age is not None and age > target
        detail = f"{kind_text} started"
        if late_open:
            detail += f"; not authorised after {age} wd"
        add(
            a["start_date"],
            ASSESSMENT_START,
            detail,
            worker=a["worker_id"],
            team=a["team"],
            timescale="assessment" if late_open else None,
            target=f"authorised within {target} wd" if late_open else None,
            days=age if late_open else None,
            met=False if late_open else None,
            record_id=a["id"],
        )
        if a["auth_date"] is not None:
            days = cal.between(a["start_date"], a["auth_date"])
            seen = {True: "child seen", False: "child not seen"}.get(a["child_seen"])
            add(
                a["auth_date"],
                ASSESSMENT_AUTHORISED,
                f"{kind_text} authorised" + (f"; {seen}" if seen else ""),
                worker=a["worker_id"],
                team=a["team"],
                timescale="assessment",
                target=f"authorised within {target} wd",
                days=days,
                met=None if days is None or days < 0 else days <= target,
                record_id=a["id"],
            )

    # Visits; the first seen visit after a referral is judged against seen_wd.
    visits = sorted(rec("cin_visits") + rec("cp_visits"), key=lambda v: (v["date"], str(v["id"])))
    t_seen = t("seen_wd")
    first_seen: dict[int, dict] = {}
    for r in sorted(referrals, key=lambda r: r["date"]):
        if r["nfa"]:
            continue
        end = r["close_date"] or as_of
        seen = [v for v in visits if v["seen"] is True and r["date"] <= v["date"] <= end]
        if seen:
            first_seen[id(seen[0])] = r  # a later referral replaces an earlier one
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
        ref = first_seen.get(id(v))
        days = cal.between(ref["date"], v["date"]) if ref else None
        if ref:
            detail += f"; first seen after referral {ref['id']}"
        add(
            v["date"],
            kind,
            detail,
            timescale="seen after referral" if ref else None,
            target=f"seen within {t_seen} wd of referral" if ref else None,
            days=days,
            met=(days <= t_seen) if days is not None else None,
            record_id=v["id"],
        )

    # S47 enquiries and initial conferences (ICPC within icpc_wd of the S47 start).
    s47s = rec("s47")
    s47_dates = {s["id"]: s["date"] for s in s47s}
    s47_dates.update({s["id"]: s["date"] for s in rec("all_s47")})
    for s in s47s:
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
    t_icpc = t("icpc_wd")
    for c in rec("icpc"):
        start = s47_dates.get(c["s47_id"])
        days = None
        parts = ["Initial child protection conference"]
        if c["transfer_in"]:
            parts.append("transfer-in (not timed)")
        elif start is None:
            parts.append("its S47 enquiry is not in the extract")
        elif c["date"] < start:
            parts.append("dated before its S47 enquiry (data issue)")
        else:
            days = cal.between(start, c["date"])
        if c["outcome_cp"] is True:
            parts.append("outcome: CP plan")
        elif c["outcome_cp"] is False:
            parts.append("outcome: no CP plan")
        timed = not c["transfer_in"]
        add(
            c["date"],
            ICPC,
            "; ".join(parts),
            worker=c["worker_id"],
            team=c["team"],
            timescale="ICPC" if timed else None,
            target=f"within {t_icpc} wd of S47 start" if timed else None,
            days=days,
            met=(days <= t_icpc) if days is not None else None,
            record_id=c["id"],
        )

    # CP plans and their reviews.
    reviews = rec("cp_reviews")
    for p in rec("cp_plans"):
        category = f"; category {p['category']}" if p["category"] else ""
        add(
            p["start_date"],
            CP_PLAN_START,
            f"CP plan {p['id']} started{category}",
            record_id=p["id"],
        )
        if p["end_date"] is not None:
            add(p["end_date"], CP_PLAN_END, f"CP plan {p['id']} ended", record_id=p["id"])
        chain = _review_chain(engine, p, reviews, as_of)
        for h in chain["held"]:
            add(
                h["date"],
                CP_REVIEW,
                f"Review {h['number']} of CP plan {p['id']} (due {_fmt(h['due'])})",
                timescale="CP review",
                target=f"held on or before {_fmt(h['due'])}",
                days=cal.between(h["due"], h["date"]) if h["date"] > h["due"] else None,
                met=h["on_time"],
                record_id=",".join(h["ids"]) or p["id"],
            )
        if chain["open"] and chain["next_due"] <= as_of:
            add(
                chain["next_due"],
                CP_REVIEW_OVERDUE,
                f"Review {len(chain['held']) + 1} of CP plan {p['id']} due and not held by as-of",
                timescale="CP review",
                target=f"held on or before {_fmt(chain['next_due'])}",
                met=False,
                record_id=p["id"],
            )

    for p in rec("cin_plans"):
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

    # Case notes: recorded within recording_wd of the event.
    t_rec = t("recording_wd")
    for n in rec("notes"):
        days = cal.between(n["date"], n["recorded_date"])
        kind_text = (n["note_type"] or "other").replace("_", " ")
        detail = f"Case note: {kind_text}"
        if n["recorded_date"] is None:
            detail += "; not recorded by as-of"
        else:
            detail += f"; recorded {_fmt(n['recorded_date'])}"
        add(
            n["date"],
            CASE_NOTE,
            detail,
            worker=n["worker_id"],
            timescale="recording",
            target=f"recorded within {t_rec} wd",
            days=days if days is not None else cal.between(n["date"], as_of),
            met=_share_met(days, cal.between(n["date"], as_of), t_rec),
            record_id=n["id"],
        )

    # Partner agency requests: response within agency_response_wd.
    t_agency = t("agency_response_wd")
    for q in rec("requests"):
        age = cal.between(q["date"], as_of)
        outstanding_late = q["responded_date"] is None and age is not None and age > t_agency
        detail = f"Information requested from {q['agency']}"
        if q["responded_date"] is None:
            detail += f"; no response after {age} wd"
        add(
            q["date"],
            INFO_REQUEST,
            detail,
            timescale="agency response" if outstanding_late else None,
            target=f"response within {t_agency} wd" if outstanding_late else None,
            days=age if outstanding_late else None,
            met=False if outstanding_late else None,
            record_id=q["id"],
        )
        if q["responded_date"] is not None:
            days = cal.between(q["date"], q["responded_date"])
            add(
                q["responded_date"],
                INFO_RESPONSE,
                f"Response from {q['agency']}",
                timescale="agency response",
                target=f"response within {t_agency} wd",
                days=days,
                met=None if days is None or days < 0 else days <= t_agency,
                record_id=q["id"],
            )

    frame = pd.DataFrame(events, columns=CHRONOLOGY_COLUMNS)
    if frame.empty:
        return frame
    workers = _names(engine, have, "ssd_professionals", frame["worker"])
    teams = _names(engine, have, "ssd_department", frame["team"])
    frame["worker"] = [workers.get(w, w) if w is not None else None for w in frame["worker"]]
    frame["team"] = [teams.get(x, x) if x is not None else None for x in frame["team"]]
    frame["_order"] = [_KIND_ORDER.get(k, len(KINDS)) for k in frame["kind"]]
    frame = frame.sort_values(["date", "_order", "record_id"], kind="stable", na_position="last")
    frame = frame.drop(columns="_order").reset_index(drop=True)
    frame["met"] = frame["met"].astype("object")
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
    person_id = str(person_id)
    as_of = as_of or _data_end(engine)
    have = _existing(engine)
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

    def rec(name: str) -> list[dict]:
        return _records(engine, name, person_id, as_of, have)

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
    for c in rec("icpc"):
        put(c["worker_id"], "ICPC worker", c["team"], c["date"], c["date"])
    for n in rec("notes"):
        put(n["worker_id"], "case note author", None, n["date"], n["date"])
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
    frame["name"] = [_py(facts.get(w, (None,))[0]) or w for w in frame["worker_id"]]
    frame["job_title"] = [_py(facts[w][1]) if w in facts else None for w in frame["worker_id"]]
    frame["qualified"] = [_py(facts[w][2]) if w in facts else None for w in frame["worker_id"]]
    frame["agency"] = [_py(facts[w][3]) if w in facts else None for w in frame["worker_id"]]
    frame["team"] = [teams.get(x, x) if x is not None else None for x in frame["team"]]
    frame = frame.sort_values(["current", "last"], ascending=[False, False], kind="stable")
    return frame[columns].reset_index(drop=True)


# ------------------------------------------------------------------------------ review pack


def review_pack(engine: Engine, person_id: str, as_of: dt.date) -> dict:
    """What a conference chair reads before a review: plans and review history, visits (seen,
    seen alone, gaps longer than the local standard), timeliness, siblings, workers, and the
    open actions this data shows.

    Keys: person_id, as_of, profile, plans, reviews, next_review, visits, visit_summary,
    timeliness, siblings, workers, actions (list of {"kind", "text"}), targets.
    """
    person_id = str(person_id)
    have = _existing(engine)
    cal = _Calendar(engine)
    t = engine.settings.target
    prof = profile(engine, person_id, as_of)

    def rec(name: str) -> list[dict]:
        return _records(engine, name, person_id, as_of, have)

    plans = sorted(rec("cp_plans"), key=lambda p: (p["start_date"], str(p["id"])))
    reviews_raw = rec("cp_reviews")
    plan_rows, review_rows, actions = [], [], []
    next_review = None
    for p in plans:
        chain = _review_chain(engine, p, reviews_raw, as_of)
        end = p["end_date"] or as_of
        plan_rows.append(
            {
                "plan_id": p["id"],
                "start_date": p["start_date"],
                "end_date": p["end_date"],
                "category": p["category"],
                "status": "open" if p["end_date"] is None else "ended",
                "days": (end - p["start_date"]).days,
                "reviews_held": len(chain["held"]),
                "repeat": any(q["start_date"] < p["start_date"] for q in plans),
            }
        )
        for h in chain["held"]:
            review_rows.append(
                {
                    "plan_id": p["id"],
                    "review": h["number"],
                    "due_date": h["due"],
                    "held_date": h["date"],
                    "on_time": h["on_time"],
                    "status": "held on time" if h["on_time"] else "held late",
                }
            )
        if chain["open"]:
            overdue = chain["next_due"] <= as_of
            review_rows.append(
                {
                    "plan_id": p["id"],
                    "review": len(chain["held"]) + 1,
                    "due_date": chain["next_due"],
                    "held_date": None,
                    "on_time": False if overdue else None,
                    "status": "overdue" if overdue else "due",
                }
            )
            if next_review is None or chain["next_due"] < next_review["due_date"]:
                next_review = {
                    "plan_id": p["id"],
                    "review": len(chain["held"]) + 1,
                    "due_date": chain["next_due"],
                    "days_until_due": (chain["next_due"] - as_of).days,
                    "overdue": overdue,
                }
            if overdue:
                actions.append(
                    {
                        "kind": "review_overdue",
                        "text": f"CP review {len(chain['held']) + 1} of plan {p['id']} was due "
                        f"{_fmt(chain['next_due'])} and has not been held.",
                    }
                )

    # Visits: since the start of the latest CP plan, else of the latest referral, else all.
    referrals = rec("referrals")
    if plans:
        window_start = plans[-1]["start_date"]
    elif referrals:
        window_start = max(r["date"] for r in referrals)
    else:
        window_start = None
    standard = t("visit_gap_wd")
    visits = sorted(rec("cin_visits") + rec("cp_visits"), key=lambda v: (v["date"], str(v["id"])))
    if window_start is not None:
        visits = [v for v in visits if v["date"] >= window_start]
    visit_rows = []
    previous_seen = None
    longest = None
    for v in visits:
        seen = v["seen"] is True
        gap = cal.between(previous_seen, v["date"]) if seen and previous_seen else None
        visit_rows.append(
            {
                "date": v["date"],
                "visit_type": v["visit_type"],
                "seen": v["seen"],
                "seen_alone": v["seen_alone"],
                "gap_wd": gap,
                "over_standard": None if gap is None else gap > standard,
            }
        )
        if gap is not None:
            longest = gap if longest is None else max(longest, gap)
        if seen:
            previous_seen = v["date"]
    open_case = bool(prof and (prof["open_cp_plan_id"] or prof["open_referral_id"]))
    since_seen = cal.between(previous_seen or window_start, as_of)
    if open_case and since_seen is not None and since_seen > standard:
        if previous_seen:
            text = (
                f"Child not seen within the local standard: last seen {_fmt(previous_seen)}, "
                f"{since_seen} working days ago (standard {standard})."
            )
        else:
            text = (
                f"Child not seen since {_fmt(window_start)} ({since_seen} working days; "
                f"standard {standard})."
            )
        actions.append({"kind": "not_seen", "text": text})
    visit_summary = {
        "from": window_start,
        "visits": len(visit_rows),
        "seen": sum(1 for v in visit_rows if v["seen"] is True),
        "seen_alone": sum(1 for v in visit_rows if v["seen"] is True and v["seen_alone"] is True),
        "last_seen": previous_seen,
        "longest_gap_wd": longest,
        "gaps_over_standard": sum(1 for v in visit_rows if v["over_standard"]),
        "standard_wd": standard,
    }

    # Management oversight on an open allocated case.
    allocations = [
        a
        for a in rec("involvements")
        if str(a["role"] or "").strip().lower() == ALLOCATED_ROLE and a["end_date"] is None
    ]
    notes = rec("notes")
    if allocations and "case_notes" in have:
        allocated = min(a["start_date"] for a in allocations)
        oversight = [n["date"] for n in notes if n["note_type"] == "management_oversight"]
        last = max(oversight, default=None)
        gap = cal.between(last or allocated, as_of)
        if gap is not None and gap > t("oversight_wd"):
            since = (
                f"last recorded {_fmt(last)}"
                if last
                else f"none since allocation {_fmt(allocated)}"
            )
            actions.append(
                {
                    "kind": "no_oversight",
                    "text": f"No management oversight for {gap} working days ({since}; "
                    f"standard {t('oversight_wd')}).",
                }
            )

    # Outstanding partner agency requests.
    for q in rec("requests"):
        if q["responded_date"] is None:
            age = cal.between(q["date"], as_of)
            late = age is not None and age > t("agency_response_wd")
            actions.append(
                {
                    "kind": "agency_request",
                    "text": f"Request to {q['agency']} of {_fmt(q['date'])} outstanding for "
                    f"{age} working days" + (" (past the target)." if late else "."),
                }
            )

    chron = chronology(engine, person_id, as_of)
    for row in chron.itertuples(index=False):
        if row.met is False and row.kind in (ASSESSMENT_START, REFERRAL):
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
        "visits": pd.DataFrame(
            visit_rows,
            columns=["date", "visit_type", "seen", "seen_alone", "gap_wd", "over_standard"],
        ),
        "visit_summary": visit_summary,
        "timeliness": timeliness,
        "siblings": siblings(engine, person_id),
        "workers": workers(engine, person_id, as_of),
        "actions": actions,
        "targets": dict(engine.settings.targets),
    }


# ------------------------------------------------------------------------- printable pack


def _text(value: object) -> str:
    """Any value as escaped text for HTML."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.date):
        return html.escape(_fmt(value))
    return html.escape(str(value))


def _table(frame: pd.DataFrame | None, empty: str) -> str:
    if frame is None or frame.empty:
        return f"<p class='empty'>{html.escape(empty)}</p>"
    head = "".join(f"<th>{html.escape(str(c).replace('_', ' '))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_text(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(pairs: list[tuple[str, object]]) -> str:
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{_text(v)}</td></tr>" for k, v in pairs)
    return f"<table class='facts'>{rows}</table>"


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
    Every data value passes through html.escape."""
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


def md_literal(text: object) -> str:
    """Text shown through a Markdown-rendering element (st.error, st.caption, labels) as
    itself: every Markdown punctuation character is backslash-escaped."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]()<>#+-.!|~$:&\"'=":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("\n", " ")
