"""fact_child_allocation's and fact_caseload_pair's spans: the allocations of a child (or pair)
that follow one another without overlapping are taken as they are, the others cut at every start
and end; and fact_child_workers' pieces, each reading its workers from its child's sorted list of
windows. On random allocations (overlapping, on one day, ending on or before they start, open,
of no worker, team or child) the three give the rows of the queries before these shortcuts (every
span cut and grouped; every piece joined to its windows by range and grouped), kept here as the
reference; and fact_caseload_worker's, whose team of most pairs is run by team only for the
workers of two or more teams."""

from __future__ import annotations

import datetime as dt
import random

from tests.conftest import allocation

D = dt.date

# Each child's (or pair's) allocations: every start and end date cuts a span; a span's row is
# the open allocations' earliest (start, involvement), how many, the sole team.
SPANS = {
    "fact_child_allocation": """
WITH bounds AS (
    SELECT person_id, list_sort(list(DISTINCT d)) AS days
    FROM (
        SELECT person_id, start_date AS d FROM fact_allocation WHERE start_date IS NOT NULL
        UNION ALL
        SELECT person_id, end_date FROM fact_allocation
        WHERE start_date IS NOT NULL AND end_date IS NOT NULL
    )
    GROUP BY person_id
),
spans AS (
    SELECT person_id, unnest(days) AS valid_from, unnest(days[2:]) AS valid_to FROM bounds
)
SELECT
    s.person_id, s.valid_from, s.valid_to,
    min(a.start_date) AS allocated_date,
    arg_min_null(a.worker_id, (a.start_date, a.involvement_id)) AS worker_id,
    arg_min_null(a.team, (a.start_date, a.involvement_id)) AS team,
    count(*) AS open_allocations,
    CASE WHEN count(a.team) = count(*) AND min(a.team) = max(a.team) THEN min(a.team) END
        AS sole_team
FROM spans s
JOIN fact_allocation a
  ON a.person_id IS NOT DISTINCT FROM s.person_id
 AND a.start_date <= s.valid_from
 AND coalesce(a.end_date, DATE '9999-12-31') > s.valid_from
GROUP BY s.person_id, s.valid_from, s.valid_to
ORDER BY s.valid_from, s.person_id
""",
    "fact_caseload_pair": """
WITH bounds AS (
    SELECT person_id, worker_id, list_sort(list(DISTINCT d)) AS days
    FROM (
        SELECT person_id, worker_id, start_date AS d FROM fact_allocation
        WHERE start_date IS NOT NULL
        UNION ALL
        SELECT person_id, worker_id, end_date FROM fact_allocation
        WHERE start_date IS NOT NULL AND end_date IS NOT NULL
    )
    GROUP BY person_id, worker_id
),
spans AS (
    SELECT person_id, worker_id, unnest(days) AS valid_from, unnest(days[2:]) AS valid_to
    FROM bounds
),
pairs AS (
    SELECT
        s.person_id, s.worker_id, s.valid_from, s.valid_to,
        min(a.start_date) AS allocated_date,
        arg_min_null(a.team, (a.start_date, a.involvement_id)) AS team
    FROM spans s
    JOIN fact_allocation a
      ON a.person_id IS NOT DISTINCT FROM s.person_id
     AND a.worker_id IS NOT DISTINCT FROM s.worker_id
     AND a.start_date <= s.valid_from
     AND coalesce(a.end_date, DATE '9999-12-31') > s.valid_from
    GROUP BY s.person_id, s.worker_id, s.valid_from, s.valid_to
)
SELECT p.*, coalesce(f.fami_family_id, 'solo:' || p.person_id) AS family_id
FROM pairs p
LEFT JOIN ssd_family f
  ON f.fami_person_id = p.person_id AND nullif(trim(f.fami_family_id), '') IS NOT NULL
ORDER BY p.valid_from, p.person_id, p.worker_id
""",
    # each span cut at the untils inside it, every piece joined to its child's windows by range
    # and grouped
    "fact_child_workers": """
WITH windows AS (
    SELECT
        person_id,
        worker_id,
        start_date,
        CASE
            WHEN end_date IS NULL THEN NULL
            WHEN CAST(CAST(end_date + INTERVAL 12 MONTH AS DATE) - INTERVAL 12 MONTH AS DATE)
                >= end_date THEN CAST(end_date + INTERVAL 12 MONTH AS DATE)
            ELSE CAST(end_date + INTERVAL 12 MONTH AS DATE) + 1
        END AS until
    FROM fact_allocation
    WHERE worker_id IS NOT NULL AND start_date IS NOT NULL AND person_id IS NOT NULL
),
cuts AS (
    SELECT c.person_id, w.until AS day, c.valid_to, c.allocated_date, c.team, c.worker_id
    FROM windows w
    JOIN fact_child_allocation c
      ON c.person_id = w.person_id
     AND c.valid_from < w.until
     AND coalesce(c.valid_to, DATE '9999-12-31') > w.until
),
pieces AS (
    SELECT
        person_id,
        day AS valid_from,
        least(
            coalesce(lead(day) OVER (PARTITION BY person_id ORDER BY day), valid_to), valid_to
        ) AS valid_to,
        allocated_date,
        team,
        worker_id
    FROM (
        SELECT person_id, valid_from AS day, valid_to, allocated_date, team, worker_id
        FROM fact_child_allocation
        UNION ALL
        SELECT person_id, day, valid_to, allocated_date, team, worker_id FROM cuts
    ) b
),
ordered AS (
    SELECT
        p.person_id,
        p.valid_from,
        p.valid_to,
        p.allocated_date,
        p.team,
        p.worker_id,
        list_transform(
            list_sort(
                list({'s': w.start_date, 'w': w.worker_id}) FILTER (WHERE w.worker_id IS NOT NULL)
            ),
            lambda x: x.w
        ) AS counted
    FROM pieces p
    LEFT JOIN windows w
      ON w.person_id = p.person_id
     AND w.start_date <= p.valid_from
     AND coalesce(w.until, DATE '9999-12-31') > p.valid_from
    WHERE p.valid_to IS NULL OR p.valid_to > p.valid_from
    GROUP BY ALL
),
listed AS (
    SELECT * EXCLUDE (counted),
        list_filter(counted, lambda x, i: list_position(counted, x) = i) AS workers
    FROM ordered
)
SELECT
    person_id,
    valid_from,
    valid_to,
    allocated_date,
    team,
    worker_id,
    coalesce(len(workers), 0) AS workers_12m,
    workers
FROM listed
ORDER BY valid_from, person_id
""",
    # each worker's events grouped by team and day first, its teams read from them, every
    # worker's days run by team when one has two teams
    "fact_caseload_worker": """
WITH pairs AS NOT MATERIALIZED (
    SELECT person_id, worker_id, valid_from, valid_to, allocated_date, team, family_id
    FROM fact_caseload_pair
    WHERE worker_id IS NOT NULL
),
family_days AS (
    SELECT worker_id, family_id, day, min(team) AS team, sum(step) AS step
    FROM (
        SELECT worker_id, family_id, valid_from AS day, team, 1 AS step
        FROM pairs
        WHERE family_id IS NOT NULL
        UNION ALL
        SELECT worker_id, family_id, valid_to, team, -1
        FROM pairs
        WHERE family_id IS NOT NULL AND valid_to IS NOT NULL
    )
    GROUP BY worker_id, family_id, day
),
family_open AS (
    SELECT
        worker_id,
        team,
        day,
        CAST(open_pairs >= 1 AS INTEGER) - CAST(open_pairs - step >= 1 AS INTEGER) AS families,
        CAST(open_pairs >= 2 AS INTEGER) - CAST(open_pairs - step >= 2 AS INTEGER) AS groups
    FROM (
        SELECT
            worker_id,
            team,
            day,
            step,
            sum(step) OVER (
                PARTITION BY worker_id, family_id ORDER BY day ROWS UNBOUNDED PRECEDING
            ) AS open_pairs
        FROM family_days
    )
),
ev AS (
    SELECT
        worker_id,
        team,
        valid_from AS day,
        1 + CASE WHEN person_id IS NOT NULL THEN (CAST(1 AS HUGEINT) << 32) ELSE 0 END AS counts,
        CASE WHEN valid_to IS NULL THEN allocated_date END AS open_allocated,
        CAST(NULL AS DATE) AS ended_allocated
    FROM pairs
    UNION ALL
    SELECT
        worker_id,
        team,
        valid_to,
        -1 - CASE WHEN person_id IS NOT NULL THEN (CAST(1 AS HUGEINT) << 32) ELSE 0 END,
        NULL,
        allocated_date
    FROM pairs
    WHERE valid_to IS NOT NULL
    UNION ALL
    SELECT
        worker_id,
        team,
        day,
        families * (CAST(1 AS HUGEINT) << 64) + groups * (CAST(1 AS HUGEINT) << 96),
        NULL,
        NULL
    FROM family_open
    WHERE families <> 0 OR groups <> 0
),
deltas AS (
    SELECT
        worker_id,
        team,
        day,
        CAST(sum(counts) AS HUGEINT) AS counts,
        min(open_allocated) AS open_allocated,
        min(ended_allocated) AS ended_allocated
    FROM ev
    GROUP BY worker_id, team, day
),
worker_teams AS (
    SELECT
        worker_id,
        min(team) AS team,
        count(DISTINCT team) + max(CAST(team IS NULL AS INTEGER)) AS n
    FROM deltas
    GROUP BY worker_id
),
days AS (
    SELECT DISTINCT d.worker_id, d.day
    FROM deltas d
    JOIN worker_teams w ON w.worker_id = d.worker_id AND w.n >= 2
),
teams AS (
    SELECT DISTINCT d.worker_id, d.team
    FROM deltas d
    JOIN worker_teams w ON w.worker_id = d.worker_id AND w.n >= 2
),
state AS (
    SELECT
        d.worker_id,
        d.day,
        t.team,
        CAST(sum(coalesce(x.counts, 0)) OVER w AS HUGEINT) & 4294967295 AS pairs
    FROM days d
    JOIN teams t ON t.worker_id = d.worker_id
    LEFT JOIN deltas x
      ON x.worker_id = d.worker_id AND x.team IS NOT DISTINCT FROM t.team AND x.day = d.day
    WINDOW w AS (PARTITION BY d.worker_id, t.team ORDER BY d.day ROWS UNBOUNDED PRECEDING)
),
shared AS (
    SELECT worker_id, day
    FROM state
    WHERE pairs > 0
    GROUP BY worker_id, day
    HAVING count(*) >= 2
),
latest AS (
    SELECT s.worker_id, s.day, p.team, max(p.allocated_date) AS latest_allocation_date
    FROM shared s
    JOIN pairs p
      ON p.worker_id = s.worker_id
     AND p.valid_from <= s.day
     AND coalesce(p.valid_to, DATE '9999-12-31') > s.day
    GROUP BY ALL
),
day_teams AS (
    SELECT
        s.worker_id,
        s.day,
        arg_max(s.team, (s.pairs, l.latest_allocation_date, s.team)) FILTER (WHERE s.pairs > 0)
            AS team
    FROM state s
    LEFT JOIN latest l
      ON l.worker_id = s.worker_id AND l.day = s.day AND l.team IS NOT DISTINCT FROM s.team
    GROUP BY s.worker_id, s.day
),
by_worker AS (
    SELECT
        worker_id,
        day,
        CAST(sum(counts) AS HUGEINT) AS counts,
        min(open_allocated) AS open_allocated,
        min(ended_allocated) AS ended_allocated
    FROM deltas
    GROUP BY worker_id, day
),
spans AS (
    SELECT
        worker_id,
        day AS valid_from,
        lead(day) OVER (PARTITION BY worker_id ORDER BY day) AS valid_to,
        CAST(sum(counts) OVER (PARTITION BY worker_id ORDER BY day ROWS UNBOUNDED PRECEDING)
            AS HUGEINT) AS counts,
        least(
            min(ended_allocated) OVER (
                PARTITION BY worker_id ORDER BY day
                ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
            ),
            min(open_allocated) OVER (PARTITION BY worker_id)
        ) AS oldest_allocation_date
    FROM by_worker
)
SELECT
    s.worker_id,
    s.valid_from,
    s.valid_to,
    CASE WHEN t.n >= 2 THEN d.team ELSE t.team END AS team,
    CAST((s.counts >> 32) & 4294967295 AS BIGINT) AS children,
    CAST((s.counts >> 64) & 4294967295 AS BIGINT) AS families,
    CAST(s.counts >> 96 AS BIGINT) AS sibling_groups,
    CASE
        WHEN w.prof_full_time_equivalency > 0
            THEN (CAST((s.counts >> 32) & 4294967295 AS BIGINT)) / w.prof_full_time_equivalency
    END AS children_per_fte,
    s.oldest_allocation_date,
    last_day(s.valid_from) < coalesce(s.valid_to, DATE '9999-12-31') AS covers_month_end
FROM spans s
JOIN worker_teams t ON t.worker_id = s.worker_id
LEFT JOIN day_teams d ON d.worker_id = s.worker_id AND d.day = s.valid_from
LEFT JOIN ssd_professionals w ON w.prof_professional_id = s.worker_id
WHERE s.counts & 4294967295 > 0
ORDER BY covers_month_end, s.valid_to NULLS LAST, s.valid_from, s.worker_id
""",
}


def _allocations(seed: int) -> list[dict]:
    """Children of one to five allocations: most one after another (ending the day the next
    starts, or before), some overlapping, starting together, ending on or before their start,
    open-ended, or of no worker, team or child."""
    rng = random.Random(seed)
    rows = []
    for c in range(120):
        person = None if c == 0 else f"C{c}"
        day = D(2024, 1, 1) + dt.timedelta(days=rng.randrange(30))
        for k in range(rng.randrange(1, 6)):
            length = rng.choice([1, 5, 30, 90, 0, -3])
            start = day
            end = start + dt.timedelta(days=length)
            if rng.random() < 0.15:
                end = None
            worker = rng.choice(["W1", "W2", "W3", None])
            team = rng.choice(["T1", "T2", None])
            rows.append(allocation(f"I{c}-{k}", worker, team, start, end, person=person))
            # the next: from this one's end, a little after it, or overlapping it
            step = rng.choice([length, length + 4, length // 2, 0])
            day = start + dt.timedelta(days=max(step, 0))
    return rows


def test_plain_allocations_give_the_spans_cut_at_every_date(make_db):
    for seed in (1, 2, 3):
        con = make_db(
            {
                "ssd_involvements": _allocations(seed),
                # families of three children (a blank id: none), so that a worker holds two or
                # more of a family at once (sibling groups)
                "ssd_family": [
                    {"fami_family_id": " " if c == 3 else f"F{c // 3}", "fami_person_id": f"C{c}"}
                    for c in range(1, 120)
                ],
                "ssd_professionals": [
                    {"prof_professional_id": "W1", "prof_full_time_equivalency": 0.5},
                    {"prof_professional_id": "W2", "prof_full_time_equivalency": 0},
                ],
            }
        )
        for fact, reference in SPANS.items():
            built = con.execute(f"SELECT * FROM {fact}").fetchall()
            assert built == con.execute(reference).fetchall(), (fact, seed)
        # both paths were taken: spans of one allocation alone and of several open together
        counts = dict(
            con.execute(
                "SELECT open_allocations > 1, count(*) FROM fact_child_allocation GROUP BY 1"
            ).fetchall()
        )
        assert counts[True] > 10 and counts[False] > 50
        # workers of two or more teams, and of sibling groups
        assert con.execute(
            "SELECT count(DISTINCT worker_id) FROM fact_caseload_pair "
            "GROUP BY worker_id HAVING count(DISTINCT team) >= 2"
        ).fetchall()
        assert con.execute("SELECT max(sibling_groups) FROM fact_caseload_worker").fetchone()[0]
