"""The kinds of event a child's chronology holds, and the list its sections add them to.

Apart from metrics/chronology.py so that the sections (chronology_casework.py,
chronology_protection.py) and the review pack share the words without importing each other.
"""

from __future__ import annotations

import datetime as dt

# Event kinds, in the order a timeline shows them (top to bottom), as people read them.
CONTACT = "Contact"
REFERRAL = "Referral"
CASE_CLOSED = "Case closed"
ALLOCATION_START = "Allocation start"
WORKER_CHANGE = "Worker change"
ALLOCATION_END = "Allocation end"
ASSESSMENT_START = "Assessment start"
ASSESSMENT_AUTHORISED = "Assessment authorised"
VISIT_SEEN_ALONE = "Visit: seen alone"
VISIT_SEEN = "Visit: seen"
VISIT_NOT_SEEN = "Visit: not seen"
NOT_SEEN_OVERDUE = "Child not seen: overdue"
S47 = "S47 enquiry"
ICPC = "ICPC"
CP_PLAN_START = "CP plan start"
CP_PLAN_END = "CP plan end"
CP_REVIEW = "CP review"
CP_REVIEW_OVERDUE = "CP review overdue"
CIN_PLAN_START = "CIN plan start"
CIN_PLAN_END = "CIN plan end"
CASE_NOTE = "Case note"
INFO_REQUEST = "Agency request"
INFO_RESPONSE = "Agency response"

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


class Events:
    """The chronology's rows as its sections add them, one dict per event."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, date: dt.date | None, kind: str, detail: str, *, worker=None, team=None,
            timescale=None, target=None, days=None, met=None, record_id=None) -> None:  # fmt: skip
        self.rows.append(
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
