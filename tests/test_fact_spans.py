"""fact_child_allocation's and fact_caseload_pair's spans: the allocations of a child (or pair)
that follow one another without overlapping are taken as they are, the others cut at every start
and end; and fact_child_workers' pieces, each reading its workers from its child's sorted list of
windows. On random allocations (overlapping, on one day, ending on or before they start, open,
of no worker, team or child) the three give the rows of the queries before these shortcuts (every
span cut and grouped; every piece joined to its windows by range and grouped), kept here as the
reference."""

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
                "ssd_family": [
                    {"fami_family_id": "F1", "fami_person_id": "C1"},
                    {"fami_family_id": "F1", "fami_person_id": "C2"},
                    {"fami_family_id": " ", "fami_person_id": "C3"},
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
