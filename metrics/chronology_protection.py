"""The chronology's protection and record events: S47 enquiries, conferences, CP and CIN plans
and reviews, case notes and partner agencies' requests (see metrics/chronology.py)."""

from __future__ import annotations

import datetime as dt

from metrics.child_record import _Child, _fmt
from metrics.chronology_kinds import (
    CASE_NOTE,
    CIN_PLAN_END,
    CIN_PLAN_START,
    CP_PLAN_END,
    CP_PLAN_START,
    CP_REVIEW,
    CP_REVIEW_OVERDUE,
    ICPC,
    INFO_REQUEST,
    INFO_RESPONSE,
    S47,
)
from metrics.words import days_text, decode


def enquiries_and_conferences(c: _Child, add) -> None:
    """S47 enquiries, and initial conferences timed by the icpc measure."""
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
            target=f"within {days_text(t_icpc)} of S47 start" if timed else None,
            days=row["days"] if row else None,
            met=row["within_target"] if row else None,
            record_id=k["id"],
        )


def plans_and_reviews(c: _Child, add) -> None:
    """CP plans with their reviews (the cp_review_chain measure), and CIN plans."""
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
                "by the snapshot date",
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


def notes_and_agencies(c: _Child, add) -> None:
    """Case notes (recording measure) and partner agencies' requests (agencies measure)."""
    # Case notes (the recording measure's rows): recorded within recording_wd of the event.
    t_rec = c.target("recording_wd")
    for n in c.rows("recording"):
        kind_text = (n["note_type"] or "other").replace("_", " ")
        detail = f"Case note: {kind_text}"
        if n["recorded_date"] is None:
            detail += "; not recorded by the snapshot date"
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
            target=f"recorded within {days_text(t_rec)}",
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
            detail += f"; no response after {days_text(q['age_wd'])}"
        add(
            q["requested_date"],
            INFO_REQUEST,
            detail,
            timescale="agency response" if outstanding_late else None,
            target=f"response within {days_text(t_agency)}" if outstanding_late else None,
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
                target=f"response within {days_text(t_agency)}",
                days=q["days"],
                met=q["within_target"],
                record_id=q["request_id"],
            )
