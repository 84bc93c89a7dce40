"""The review conference pack: what a chair reads before a child protection review. Every
judgement is a measure's (see metrics/child_record.py). The visits' gaps are in
review_pack_visits.py, the history since the last conference in review_pack_history.py.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.child_people import _workers, siblings
from metrics.child_record import _Child, _fmt, _profile, exists
from metrics.chronology import (
    _CHRONOLOGY_MEASURES,
    ASSESSMENT_START,
    NOT_SEEN_OVERDUE,
    REFERRAL,
    _chronology,
)
from metrics.engine import Engine
from metrics.review_pack_history import (
    _agency_since,
    _conferences,
    _enquiries,
    _last_conference,
    _views,
)
from metrics.review_pack_visits import _visit_gaps
from metrics.words import decode

_PACK_MEASURES = ("cp_plans", "oversight")


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

    Keys: person_id, as_of, profile, enquiries (S47s and what came of them), conferences (every
    initial conference and review held: decision, category), since ({"date", "what"}: the last
    conference), visits_since and since_summary, agency_since (requests and responses since),
    views ({"table", "answers"}: the child's own words), plans, reviews, next_review, visits and
    visit_summary (during the current plan), timeliness, siblings, workers, actions (list of
    {"kind", "text"}), targets.
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
            "days_open": p["duration_days"],
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
        # The chronology's timescale ("contact decision") as a row heading ("Contact decision").
        timeliness["timescale"] = [t[:1].upper() + t[1:] for t in timeliness["timescale"]]

    # What a chair reads first: how the child came to be on a plan, every conference's decision,
    # and what has happened since the last conference (visits, agencies, the child's views).
    conferences = _conferences(c)
    since = _last_conference(c, conferences, plans)
    visits_since, _ = _visit_gaps(c, since["date"])
    seen_since = visits_since["seen"].map(lambda s: s is True)
    since_summary = {
        "visits": len(visits_since),
        "seen": int(seen_since.sum()),
        "seen_alone": int((seen_since & visits_since["seen_alone"].map(lambda s: s is True)).sum()),
    }
    family = siblings(engine, person_id).drop(columns=["in_person_table"], errors="ignore")
    family["sex"] = family["sex"].map(lambda v: decode("sex", v))
    if scope is not None:  # a sibling the viewer may not see is named by id only, as on the
        # Child page: no details about them
        family = family.astype(object)
        for i, sibling in family["person_id"].items():
            if not engine.permits(str(sibling), c.filters):
                family.loc[i, ["sex", "dob"]] = None
    plans_frame = pd.DataFrame(
        plan_rows,
        columns=[
            "plan_id", "start_date", "end_date", "category", "status", "days_open", "reviews_held",
            "repeat",
        ],
    )  # fmt: skip
    plans_frame["category"] = plans_frame["category"].map(lambda v: decode("cp_category", v))

    return {
        "person_id": person_id,
        "as_of": as_of,
        "profile": prof,
        "enquiries": _enquiries(c),
        "conferences": conferences,
        "since": since,
        "visits_since": visits_since[["date", "visit_type", "seen", "seen_alone"]],
        "since_summary": since_summary,
        "agency_since": _agency_since(c, since["date"]),
        "views": _views(c),
        "plans": plans_frame,
        "reviews": pd.DataFrame(
            review_rows,
            columns=["plan_id", "review", "due_date", "held_date", "on_time", "status"],
        ),
        "next_review": next_review,
        "visits": visits,
        "visit_summary": visit_summary,
        "timeliness": timeliness,
        "siblings": family,
        "workers": _workers(c),
        "actions": actions,
        "targets": dict(engine.settings.targets),
    }
