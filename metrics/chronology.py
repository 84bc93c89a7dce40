"""A child's chronology: every event of the record in date order, each timescale marked met or
missed by the measure that judges it (see metrics/child_record.py).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics import chronology_casework as casework
from metrics import chronology_protection as protection
from metrics.child_record import _Child, _names
from metrics.chronology_kinds import (
    ALLOCATION_END,
    ALLOCATION_START,
    ASSESSMENT_AUTHORISED,
    ASSESSMENT_START,
    CASE_CLOSED,
    CASE_NOTE,
    CHRONOLOGY_COLUMNS,
    CIN_PLAN_END,
    CIN_PLAN_START,
    CONTACT,
    CP_PLAN_END,
    CP_PLAN_START,
    CP_REVIEW,
    CP_REVIEW_OVERDUE,
    ICPC,
    INFO_REQUEST,
    INFO_RESPONSE,
    KINDS,
    NOT_SEEN_OVERDUE,
    REFERRAL,
    S47,
    VISIT_NOT_SEEN,
    VISIT_SEEN,
    VISIT_SEEN_ALONE,
    WORKER_CHANGE,
    Events,
)
from metrics.engine import Engine

__all__ = [
    "ALLOCATION_END",
    "ALLOCATION_START",
    "ASSESSMENT_AUTHORISED",
    "ASSESSMENT_START",
    "CASE_CLOSED",
    "CASE_NOTE",
    "CHRONOLOGY_COLUMNS",
    "CIN_PLAN_END",
    "CIN_PLAN_START",
    "CONTACT",
    "CP_PLAN_END",
    "CP_PLAN_START",
    "CP_REVIEW",
    "CP_REVIEW_OVERDUE",
    "ICPC",
    "INFO_REQUEST",
    "INFO_RESPONSE",
    "KINDS",
    "NOT_SEEN_OVERDUE",
    "REFERRAL",
    "S47",
    "VISIT_NOT_SEEN",
    "VISIT_SEEN",
    "VISIT_SEEN_ALONE",
    "WORKER_CHANGE",
    "chronology",
]

_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}

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
    events = Events()
    add = events.add
    casework.contacts_and_referrals(c, add)
    casework.allocations(c, add)
    casework.assessments(c, add)
    casework.visits(c, add)
    protection.enquiries_and_conferences(c, add)
    protection.plans_and_reviews(c, add)
    protection.notes_and_agencies(c, add)

    frame = pd.DataFrame(events.rows, columns=CHRONOLOGY_COLUMNS)
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
