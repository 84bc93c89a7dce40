-- Changes of worker month by month (Engine.monthly): each month end's figures as
-- worker_changes.sql's rows would give them at that date.
-- A calendar month end's are kept at load, by team and worker (fact_child_workers_month: the
-- children whose span of fact_child_workers holds that date, the three or more, the sum of
-- their workers; a month end after the fact's last has that one's figures), so the trend reads
-- a dozen rows for each worker instead of counting the period's spans by their starts and ends
-- (that was 2.0-2.7 times the headline's CPU at 200,000 and 1,000,000 children, the headline
-- being mostly DuckDB planning its statement).
-- The spans themselves are read, at the month end itself as the rows are (one interval test),
-- only where the kept figures cannot answer: a last month end that is not a calendar one (an
-- as-of date in the month), or one child (a person filter: the kept figures are not by child,
-- and the engine narrows fact_child_workers to the child); DuckDB leaves that part out when
-- neither is asked for, the test being of the parameters alone.
-- uses: month_grid
WITH points AS (
    SELECT f.month_end AS day, f.children AS n, f.three_plus, f.workers
    FROM fact_child_workers_month f
    WHERE f.month_end BETWEEN $grid[1] AND $grid[-1]
      AND $person IS NULL
      AND ($team IS NULL OR f.team = $team)
      AND ($worker IS NULL OR f.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, f.team))
    UNION ALL
    -- a calendar month end after the fact's last (after_changes: the first after the data's
    -- last start or end, the open spans' counts): the same figures as that one
    SELECT g.month_end, f.children, f.three_plus, f.workers
    FROM fact_child_workers_month f
    JOIN (SELECT unnest($grid) AS month_end) g ON g.month_end > f.month_end
    WHERE f.after_changes
      AND f.month_end < $grid[-1]
      AND g.month_end = last_day(g.month_end)
      AND $person IS NULL
      AND ($team IS NULL OR f.team = $team)
      AND ($worker IS NULL OR f.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, f.team))
    UNION ALL
    SELECT g.month_end, 1, CAST(c.workers_12m >= 3 AS INTEGER), c.workers_12m
    FROM (SELECT unnest($grid) AS month_end) g
    JOIN fact_child_workers c
        ON c.valid_from <= g.month_end AND coalesce(c.valid_to, DATE '9999-12-31') > g.month_end
    WHERE ($person IS NOT NULL OR $grid[-1] < last_day($grid[-1]))
      AND (c.person_id = $person OR $person IS NULL AND g.month_end < last_day(g.month_end))
      AND ($team IS NULL OR c.team = $team)
      AND ($worker IS NULL OR c.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, c.team))
)
SELECT
    c.k,
    c.children,
    c.three_plus,
    100.0 * c.three_plus / nullif(c.children, 0) AS three_plus_pct,
    c.workers / nullif(c.children, 0) AS mean_workers,
    c.three_plus AS three_plus_pct_numerator,
    c.children AS three_plus_pct_denominator
FROM (
    SELECT g.k, coalesce(sum(p.n), 0) AS children, coalesce(sum(p.three_plus), 0) AS three_plus,
        sum(p.workers) AS workers
    FROM month_grid g
    LEFT JOIN points p ON p.day = g.month_end
    GROUP BY g.k
) c
