"""The review conference pack: what a chair reads before a child protection review. Every
judgement is a measure's (see metrics/child_record.py); the gaps between visits (the local
`visit_gap_wd` standard, which no page shows) are counted in SQL with `wd_between`.
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
from metrics.engine import Engine, plain

_PACK_MEASURES = ("cp_plans", "oversight")

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
