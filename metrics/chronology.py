"""A child's chronology: every event of the record in date order, each timescale marked met or
missed by the measure that judges it (see metrics/child_record.py).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.child_record import _allocations, _Child, _fmt, _names
from metrics.engine import Engine
from metrics.words import decode

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
            source = r["source_desc"] or decode("referral_source", r["source_code"])
            parts.append(f"from {source}")
        if r["need_code"]:
            parts.append(f"need: {decode('need', r['need_code'])}")
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
            reason = f" ({decode('close_reason', r['close_reason'])})" if r["close_reason"] else ""
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
        category = f"; category {decode('cp_category', p['category'])}" if p["category"] else ""
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
