"""The review pack's history since the last conference: S47 enquiries, conferences and their
reviews' decisions, partner agencies' requests and the child's own views."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.child_record import _Child, _fmt, _names
from metrics.engine import plain
from metrics.words import days_text, decode

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
