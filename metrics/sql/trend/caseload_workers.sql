-- Caseloads per worker month by month (Engine.monthly): each month end's figures as
-- caseload_workers.sql's rows would give them at that date, from the same fact
-- (fact_caseload_worker: each worker's row for every span of dates in which it does not
-- change), a worker's row at month end k being its span covering $grid[k + 1]. Every month end
-- of $grid but the last is a calendar month's last day, so only the spans covering one
-- (covers_month_end) are joined to the month ends, and those holding the last date when it is
-- not one: about a fifth of the spans overlapping a year (most last a few days). When the last
-- date is a month's last day, its test is false whatever the row, so DuckDB applies
-- covers_month_end in the scan itself, over the row groups of such spans (the fact is stored
-- in that order): about 1.5 ms less at 1,000,000 children than filtering the year's 229,678
-- spans after the scan. The team and worker filters are applied to the worker's row of each
-- month, as the engine applies them to the rows. Each month's figures are counted from its rows
-- before the months are joined to the grid (a month with none: 0 workers, no figures), not over
-- the grid's join to every row: about 1 ms less at 1,000,000.
-- uses: month_grid
WITH shown AS (
    SELECT g.k, c.children, c.children_per_fte
    FROM fact_caseload_worker c
    JOIN month_grid g
      ON c.valid_from <= g.month_end
     AND coalesce(c.valid_to, DATE '9999-12-31') > g.month_end
    WHERE c.valid_from <= $grid[-1]
      AND coalesce(c.valid_to, DATE '9999-12-31') > $grid[1]
      AND (c.covers_month_end OR (last_day($grid[-1]) > $grid[-1] AND c.valid_to > $grid[-1]))
      AND ($worker IS NULL OR c.worker_id = $worker)
      AND ($team IS NULL OR c.team = $team)
      AND ($teams IS NULL OR list_contains($teams, c.team))
),
per_month AS (
    SELECT
        k,
        count(*) AS workers,
        avg(children) AS children_per_worker_mean,
        max(children) AS children_per_worker_max,
        avg(children_per_fte) AS children_per_fte_mean
    FROM shown
    GROUP BY k
)
SELECT
    g.k,
    coalesce(p.workers, 0) AS workers,
    p.children_per_worker_mean,
    p.children_per_worker_max,
    p.children_per_fte_mean
FROM month_grid g
LEFT JOIN per_month p ON p.k = g.k
