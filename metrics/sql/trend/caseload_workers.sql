-- Caseloads per worker month by month (Engine.monthly): each month end's figures as
-- caseload_workers.sql's rows would give them at that date, from the same fact
-- (fact_caseload_worker: each worker's row for every span of dates in which it does not
-- change), a worker's row at month end k being its span covering $grid[k + 1]. Every month end
-- of $grid but the last is a calendar month's last day, so only spans covering one
-- (covers_month_end) or the last date are joined to the month ends: about a fifth of the spans
-- overlapping a year (most spans last a few days). The team and worker filters are applied to
-- the worker's row of each month, as the engine applies them to the rows.
-- uses: month_grid
WITH shown AS (
    SELECT g.k, c.children, c.children_per_fte
    FROM fact_caseload_worker c
    JOIN month_grid g
      ON c.valid_from <= g.month_end
     AND coalesce(c.valid_to, DATE '9999-12-31') > g.month_end
    WHERE c.valid_from <= $grid[-1]
      AND coalesce(c.valid_to, DATE '9999-12-31') > $grid[1]
      AND (c.covers_month_end OR c.valid_to > $grid[-1])
      AND ($worker IS NULL OR c.worker_id = $worker)
      AND ($team IS NULL OR c.team = $team)
      AND ($teams IS NULL OR list_contains($teams, c.team))
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
