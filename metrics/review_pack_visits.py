"""The review pack's visits: each seen visit's gap since the previous seen one, against the local
`visit_gap_wd` standard (which no page shows), counted in SQL with `wd_between`."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.child_record import _Child
from metrics.engine import plain

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
