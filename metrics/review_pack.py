"""The review conference pack: what a chair reads before a child protection review. Every
judgement is a measure's (see metrics/child_record.py); the gaps between visits (the local
`visit_gap_wd` standard, which no page shows) are counted in SQL with `wd_between`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.child_people import _workers, siblings
from metrics.child_record import _Child, _fmt, _names, _profile, exists
from metrics.chronology import (
    _CHRONOLOGY_MEASURES,
    ASSESSMENT_START,
    NOT_SEEN_OVERDUE,
    REFERRAL,
    _chronology,
)
from metrics.engine import Engine, plain
from metrics.words import days_text, decode

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


# ---------------------------------------------------------------- since the last conference

VOICE_QUESTIONS = {
    # ssd_voice_of_child's answer columns and the questions the child was asked (SSD spec).
    "voch_explained_worries": "Has someone explained to you why people are worried for your "
    "family in a way that you can understand?",
    "voch_story_help_understand": "Does your story with words and pictures help you to "
    "understand what has happened in your family?",
    "voch_agree_worker": "Do you agree with what your worker says needs to happen to keep you "
    "safe?",
    "voch_plan_safe": "Do you think the plan tells everyone what they need to do to keep you safe?",
    "voch_tablet_help_explain": "Did writing or drawing on the tablet help you to explain what "
    "you were thinking and what you wanted to happen?",
}
# Optional columns of ssd_cp_reviews (SSD): the review's decision and the child's participation.
_REVIEW_EXTRAS = {
    "continue_cp": "cppr_cp_review_outcome_continue_cp",
    "participation": "cppr_cp_review_participation",
}


def _columns(c: _Child, table: str) -> set[str]:
    """The columns a table of this database has (an extract loaded before a column was added to
    the schema lacks it: the pack then says "not recorded", never fails)."""
    frame = c.engine.query(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = $table", {"table": table}
    )
    return set(frame["column_name"])


def _enquiries(c: _Child) -> pd.DataFrame:
    """Every S47 enquiry of the child up to as-of: when, and what came of it."""
    icpcs = {str(k["s47_id"]): k for k in c.rec("icpc") if k["s47_id"] is not None}
    teams = _names(c.engine, c.have, "ssd_department", [s["team"] for s in c.rec("s47")])
    workers = _names(c.engine, c.have, "ssd_professionals", [s["worker_id"] for s in c.rec("s47")])
    rows = []
    for s in sorted(c.rec("s47"), key=lambda s: (s["date"], str(s["id"]))):
        icpc = icpcs.get(str(s["id"]))
        if icpc:
            outcome = f"Initial conference on {_fmt(icpc['date'])}"
        elif s["nfa"] is True:
            outcome = "No further action"
        elif s["end_date"] is not None:
            outcome = "Ended; no initial conference recorded"
        else:
            outcome = "Open"
        rows.append(
            {
                "enquiry": s["id"],
                "started": s["date"],
                "ended": s["end_date"],
                "outcome": outcome,
                "worker": workers.get(s["worker_id"], s["worker_id"]),
                "team": teams.get(s["team"], s["team"]),
            }
        )
    return pd.DataFrame(rows, columns=["enquiry", "started", "ended", "outcome", "worker", "team"])


def _conferences(c: _Child) -> pd.DataFrame:
    """Every conference up to as-of, oldest first: initial conferences (their decision, and the
    category of the plan they made, with the icpc measure's days from the S47) and reviews held
    (the cp_review_chain measure's, with their decision where the extract records it, else as
    the plan's dates show it, and the plan's latest category: the extract records a plan's first
    and latest category, not the category at each review)."""
    plans = {str(p["id"]): p for p in c.rec("cp_plans")}
    plan_of_icpc = {str(p["icpc_id"]): p for p in plans.values() if p.get("icpc_id")}
    timed = c.by_id("icpc", "icpc_id")
    t_icpc = c.target("icpc_wd")
    rows = []
    for k in c.rec("icpc"):
        plan = plans.get(str(k["plan_id"])) if k["plan_id"] else plan_of_icpc.get(str(k["id"]))
        decision = {True: "Child protection plan", False: "No child protection plan"}.get(
            k["outcome_cp"], "Not recorded"
        )
        row = timed.get(str(k["id"]))
        if k["transfer_in"]:
            timeliness = "Transfer in: not timed"
        elif row and row["days"] is not None:
            timeliness = (
                f"{days_text(row['days'])} from the S47 start "
                f"({'within' if row['within_target'] else 'over'} {t_icpc})"
            )
        else:
            timeliness = "Not timed: its S47 is missing or dated after it"
        rows.append(
            {
                "date": k["date"],
                "conference": "Initial conference" + (" (transfer in)" if k["transfer_in"] else ""),
                "decision": decision,
                "category": decode("cp_category", plan["initial_category"]) if plan else None,
                "plan": plan["id"] if plan else None,
                "timeliness": timeliness,
                "participation": None,
            }
        )
    extras = _review_extras(c)
    for h in c.rows("cp_review_chain"):
        if h["held_date"] is None:
            continue
        plan = plans.get(str(h["cp_plan_id"]), {})
        recorded = extras.get((str(h["cp_plan_id"]), h["held_date"]), {})
        if recorded.get("continue_cp") is True:
            decision = "Plan to continue"
        elif recorded.get("continue_cp") is False:
            decision = "Plan to end"
        elif plan.get("end_date") == h["held_date"]:
            decision = "Plan ended that day (from the plan's dates)"
        elif plan and (plan.get("end_date") is None or plan["end_date"] > h["held_date"]):
            decision = "Plan continued (from the plan's dates)"
        else:
            decision = "Not recorded"
        rows.append(
            {
                "date": h["held_date"],
                "conference": f"Review {h['review_number']}",
                "decision": decision,
                "category": decode("cp_category", plan.get("latest_category")),
                "plan": h["cp_plan_id"],
                "timeliness": f"{'On time' if h['on_time'] else 'Late'} (due {_fmt(h['due_date'])})",
                "participation": recorded.get("participation"),
            }
        )
    columns = ["date", "conference", "decision", "category", "plan", "timeliness", "participation"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _review_extras(c: _Child) -> dict[tuple[str, dt.date], dict]:
    """The decision and the child's participation of each review held, where the extract has
    the SSD's optional review columns: {(plan id, review date): {...}}."""
    if "ssd_cp_reviews" not in c.have:
        return {}
    have = _columns(c, "ssd_cp_reviews")
    picked = [f"{col} AS {name}" for name, col in _REVIEW_EXTRAS.items() if col in have]
    if not picked:
        return {}
    sql = f"""
        SELECT cppr_cp_plan_id AS plan_id, cppr_cp_review_date AS date, {", ".join(picked)}
        FROM ssd_cp_reviews
        WHERE cppr_cp_review_date <= $as_of
          AND (cppr_person_id = $person OR cppr_cp_plan_id IN (
              SELECT cppl_cp_plan_id FROM ssd_cp_plans WHERE cppl_person_id = $person))
    """
    out: dict[tuple[str, dt.date], dict] = {}
    for row in c.engine.query(sql, {"person": c.person, "as_of": c.as_of}).to_dict("records"):
        row = {k: plain(v) for k, v in row.items()}
        out[(str(row["plan_id"]), row["date"])] = row
    return out


def _last_conference(c: _Child, conferences: pd.DataFrame, plans: list[dict]) -> dict:
    """Where "since the last conference" starts: the latest conference (initial or review) on or
    before as-of, else the latest plan's start, else the latest referral; None: all time."""
    if not conferences.empty:
        last = conferences.iloc[-1]
        what = last["conference"].lower()
        if what.startswith("review"):
            return {"date": last["date"], "what": f"{what}, held on {_fmt(last['date'])}"}
        return {"date": last["date"], "what": f"the {what} on {_fmt(last['date'])}"}
    if plans:
        return {
            "date": plans[-1]["start_date"],
            "what": f"the plan's start on {_fmt(plans[-1]['start_date'])}",
        }
    referrals = c.rec("referrals")
    if referrals:
        latest = max(r["date"] for r in referrals)
        return {"date": latest, "what": f"the referral on {_fmt(latest)}"}
    return {"date": None, "what": "the start of the record"}


def _agency_since(c: _Child, since: dt.date | None) -> pd.DataFrame:
    """Requests for information made, answered or still outstanding since `since` (the agencies
    measure's rows): who was asked, when, the response and its timeliness."""
    t = c.target("agency_response_wd")
    rows = []
    for q in sorted(c.rows("agencies"), key=lambda q: (q["requested_date"], str(q["request_id"]))):
        recent = (
            since is None
            or q["requested_date"] >= since
            or (q["responded_date"] is not None and q["responded_date"] >= since)
        )
        if not (recent or q["outstanding"]):
            continue
        if q["outstanding"]:
            response = f"No response after {days_text(q['age_wd'])}"
        elif q["days"] is None:
            response = f"Answered {_fmt(q['responded_date'])} (dated before the request)"
        else:
            response = f"Answered {_fmt(q['responded_date'])}, after {days_text(q['days'])}"
        timely = {True: f"Within {t} working days", False: f"Over {t} working days"}.get(
            q["within_target"], "Not yet due"
        )
        rows.append(
            {"agency": q["agency"], "requested": q["requested_date"], "response": response,
             "timeliness": timely}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["agency", "requested", "response", "timeliness"])


def _views(c: _Child) -> dict:
    """The child's own answers (ssd_voice_of_child), where the extract has the table:
    {"table": whether it has, "answers": DataFrame(question, answer)}."""
    answers = pd.DataFrame(columns=["question", "answer"])
    table = "ssd_voice_of_child"
    if table not in c.have or table in c.engine.absent_tables():  # not in the extract
        return {"table": False, "answers": answers}
    have = [col for col in VOICE_QUESTIONS if col in _columns(c, "ssd_voice_of_child")]
    if not have:
        return {"table": False, "answers": answers}
    sql = f"SELECT {', '.join(have)} FROM ssd_voice_of_child WHERE voch_person_id = $person"
    rows = []
    for record in c.engine.query(sql, {"person": c.person}).to_dict("records"):
        for col in have:
            value = plain(record[col])
            if value is not None and str(value).strip():
                rows.append({"question": VOICE_QUESTIONS[col], "answer": str(value).strip()})
    return {"table": True, "answers": pd.DataFrame(rows, columns=["question", "answer"])}
