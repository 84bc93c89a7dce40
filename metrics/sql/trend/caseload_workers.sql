-- Caseloads per worker month by month (Engine.monthly): each month end's figures as
-- caseload_workers.sql's rows would give them at that date, from the same spans
-- (fact_caseload_family: a worker's pair is one of its spans at any date, with the pair's team
-- and allocation date), each span read once as the month ends it covers (month_grid) rather than
-- the pairs being found again for every month. That fact is stored in order of its spans' ends,
-- so the row groups of spans ended before the first month end are skipped unread (3 of 9 read at
-- 1,000,000 children, 1 of 2 at 200,000; fact_caseload_pair, in no such order: 8 of 9, 2 of 2).
-- Pairs of one worker and team covering the same months are counted together first (their
-- children, pairs and latest allocation date), then spread over those months: the worker's team
-- in a month is the team of most of their pairs then (ties: the latest allocation date, then the
-- greater team), as in the rows, and the team and worker filters are applied to the worker's
-- month as the engine applies them to the rows.
-- uses: month_grid, workers
WITH pairs AS (
    SELECT
        p.worker_id,
        p.team,
        month_bits(p.valid_from, p.valid_to, $grid)
            AS months,
        count(p.person_id) AS children,
        count(*) AS pairs,
        max(p.allocated_date) AS latest_allocation_date
    FROM fact_caseload_family p
    WHERE p.worker_id IS NOT NULL
      AND p.valid_from <= $grid[-1]
      AND coalesce(p.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($worker IS NULL OR p.worker_id = $worker)
    GROUP BY ALL
),
by_team AS (
    SELECT
        p.worker_id,
        p.team,
        g.k,
        sum(p.children) AS children,
        sum(p.pairs) AS pairs,
        max(p.latest_allocation_date) AS latest_allocation_date
    FROM pairs p
    JOIN month_grid g ON (p.months >> g.k) & 1 = 1
    GROUP BY ALL
),
by_worker AS (
    SELECT
        b.worker_id,
        b.k,
        arg_max(b.team, (b.pairs, b.latest_allocation_date, b.team)) AS team,
        CAST(sum(b.children) AS BIGINT) AS children
    FROM by_team b
    GROUP BY b.worker_id, b.k
),
shown AS (
    SELECT
        b.k,
        b.children,
        CASE WHEN w.fte > 0 THEN b.children / w.fte END AS children_per_fte
    FROM by_worker b
    LEFT JOIN workers w ON w.worker_id = b.worker_id
    WHERE ($team IS NULL OR b.team = $team)
      AND ($teams IS NULL OR list_contains($teams, b.team))
)
SELECT
    g.k,
    count(s.k) AS workers,
    avg(s.children) AS children_per_worker_mean,
    max(s.children) AS children_per_worker_max,
    avg(s.children_per_fte) AS children_per_fte_mean
FROM month_grid g
LEFT JOIN shown s ON s.k = g.k
GROUP BY g.k
