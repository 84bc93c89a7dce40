"""The people around a child: siblings (same family id) and every worker named on the record."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.child_record import _Child, _data_end, _existing, _names
from metrics.engine import Engine, plain


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
    return _workers(_Child(engine, person_id, as_of or _data_end(engine)))


def _workers(c: _Child) -> pd.DataFrame:
    engine, have, as_of = c.engine, c.have, c.as_of
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

    rec = c.rec
    c.load_facts(["involvements", "referrals", "assessments", "cin_plans", "s47", "icpc"])
    for i in rec("involvements"):
        role = (str(i["role"]).strip() if i["role"] else None) or "Involvement"
        put(i["worker_id"], role, i["team"], i["start_date"], i["end_date"] or as_of,
            i["end_date"] is None)  # fmt: skip
    for r in rec("referrals"):
        put(r["worker_id"], "Referral worker", r["team"], r["date"], r["close_date"])
    for a in rec("assessments"):
        put(a["worker_id"], "Assessment worker", a["team"], a["start_date"], a["auth_date"])
    for p in rec("cin_plans"):
        put(p["worker_id"], "CIN plan worker", p["team"], p["start_date"], p["end_date"])
    for s in rec("s47"):
        put(s["worker_id"], "S47 worker", s["team"], s["date"], s["end_date"])
    for k in rec("icpc"):
        put(k["worker_id"], "ICPC worker", k["team"], k["date"], k["date"])
    for n in c.rows("recording"):
        put(n["worker_id"], "Case note author", None, n["event_date"], n["event_date"])
    columns = [
        "worker_id", "worker_name", "role", "team", "first", "last", "current",
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
    frame["worker_name"] = [plain(facts.get(w, (None,))[0]) or w for w in frame["worker_id"]]
    frame["job_title"] = [plain(facts[w][1]) if w in facts else None for w in frame["worker_id"]]
    frame["qualified"] = [plain(facts[w][2]) if w in facts else None for w in frame["worker_id"]]
    frame["agency"] = [plain(facts[w][3]) if w in facts else None for w in frame["worker_id"]]
    frame["team"] = [teams.get(x, x) if x is not None else None for x in frame["team"]]
    frame = frame.sort_values(["current", "last"], ascending=[False, False], kind="stable")
    return frame[columns].reset_index(drop=True)
