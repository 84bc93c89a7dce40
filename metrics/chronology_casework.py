"""The chronology's casework events: contacts, referrals, allocations, assessments and visits,
each carrying the judgement of the measure that times it (see metrics/chronology.py)."""

from __future__ import annotations

import datetime as dt

from metrics.child_record import _allocations, _Child, _fmt
from metrics.chronology_kinds import (
    ALLOCATION_END,
    ALLOCATION_START,
    ASSESSMENT_AUTHORISED,
    ASSESSMENT_START,
    CASE_CLOSED,
    CONTACT,
    NOT_SEEN_OVERDUE,
    REFERRAL,
    VISIT_NOT_SEEN,
    VISIT_SEEN,
    VISIT_SEEN_ALONE,
    WORKER_CHANGE,
)
from metrics.words import days_text, decode


def contacts_and_referrals(c: _Child, add) -> None:
    """Contacts, referrals, their closures, and a referral's child not seen in time."""
    # Contacts (the contacts measure's rows): decision within contact_decision_wd.
    target = c.target("contact_decision_wd")
    for k in c.rows("contacts"):
        source = "source not recorded" if k["source"] == "Not recorded" else k["source"]
        if k["decision_date"] is None:
            detail = f"Contact from {source}; no decision recorded by the snapshot date"
        elif k["decision_date"] < k["contact_date"]:
            detail = f"Contact from {source}; decision dated before the contact (data issue)"
        else:
            detail = f"Contact from {source}; decided {_fmt(k['decision_date'])}"
        add(
            k["contact_date"],
            CONTACT,
            detail,
            timescale="contact decision",
            target=f"decision within {days_text(target)}",
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
            parts.append(f"not allocated after {days_text(waiting['days'])}")
        add(
            r["date"],
            REFERRAL,
            "; ".join(parts),
            worker=r["worker_id"],
            team=r["team"],
            timescale="allocation" if waiting else None,
            target=f"allocated within {days_text(t_alloc)}" if waiting else None,
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
                f"{days_text(late['days'])} by the snapshot date",
                worker=late["worker_id"],
                team=late["team"],
                timescale="seen after referral",
                target=f"seen within {days_text(t_seen)} of referral",
                days=late["days"],
                met=late["within_target"],
                record_id=r["id"],
            )


def allocations(c: _Child, add) -> None:
    """Allocations, worker changes and ends; a referral's first allocation carries its timing."""
    t_alloc = c.target("allocation_wd")
    first_allocation = c.by_id("allocation", "involvement_id", {"status": "allocated"})
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
            target=f"allocated within {days_text(t_alloc)}" if first else None,
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
            target=f"allocated within {days_text(t_alloc)}",
            days=first["days"],
            met=first["within_target"],
            record_id=involvement,
        )


def assessments(c: _Child, add) -> None:
    """Assessments started and authorised, with the assessments measures' judgements."""
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
            detail += f"; not authorised after {days_text(late['age_wd'])}"
        add(
            a["start_date"],
            ASSESSMENT_START,
            detail,
            worker=a["worker_id"],
            team=a["team"],
            timescale="assessment" if late else None,
            target=f"authorised within {days_text(late['target'])}" if late else None,
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
                target=f"authorised within {days_text(done['target'])}" if done else None,
                days=done["days"] if done else None,
                met=done["within_target"] if done else None,
                record_id=a["id"],
            )


def visits(c: _Child, add) -> None:
    """Visits; a referral's first seen visit carries the seen measure's judgement."""
    t_seen = c.target("seen_wd")
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
        detail = f"{decode('visit_type', v['visit_type'])} visit"
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
            target=f"seen within {days_text(t_seen)} of referral" if s else None,
            days=s["days"] if s else None,
            met=s["within_target"] if s else None,
            record_id=v["id"],
        )
