-- Changes of worker month by month (Engine.monthly): each month end's figures as
-- worker_changes.sql's rows would give them at that date, each span read once rather than once
-- a month (month_grid: a span as the bits of the month ends it covers).
-- fact_child_workers holds each child's allocation (fact_child_allocation's, with its team and
-- worker for the filters) cut into spans in which the number of allocated workers of the 12
-- months to a date does not change, with that number: a child counts at a month end when one of
-- its spans covers it (a month end is in one span of a child at most), with that span's number
-- of workers, three or more or not. The spans are grouped by their months and number (a few
-- thousand groups) before the month ends are joined.
-- uses: month_grid
WITH patterns AS (
    SELECT
        month_bits(c.valid_from, c.valid_to, $grid) AS months,
        c.workers_12m,
        count(*) AS n
    FROM fact_child_workers c
    WHERE c.valid_from <= $grid[-1]
      AND coalesce(c.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR c.team = $team)
      AND ($worker IS NULL OR c.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, c.team))
      AND ($person IS NULL OR c.person_id = $person)
    GROUP BY ALL
),
counts AS (
    SELECT
        g.k,
        coalesce(sum(p.n), 0) AS children,
        coalesce(sum(p.n) FILTER (WHERE p.workers_12m >= 3), 0) AS three_plus,
        sum(p.n * p.workers_12m) AS workers
    FROM month_grid g
    LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
    GROUP BY g.k
)
SELECT
    c.k,
    c.children,
    c.three_plus,
    100.0 * c.three_plus / nullif(c.children, 0) AS three_plus_pct,
    c.workers / nullif(c.children, 0) AS mean_workers,
    c.three_plus AS three_plus_pct_numerator,
    c.children AS three_plus_pct_denominator
FROM counts c
