-- fact_child_workers_month: changes of worker's figures at every calendar month end, by team and
-- worker: how many children fact_child_workers has at that date (one span of a child holds it:
-- valid_from <= the month end < valid_to, as worker_changes.sql reads the spans at an as-of
-- date), how many of them had three or more workers in the 12 months to it, and the sum of their
-- numbers of workers. The monthly trend (trend/worker_changes.sql) reads a period's month ends
-- here, a dozen rows for each worker, instead of counting the spans of the period by their
-- starts and ends in every query: at 200,000 children that counting cost more than the headline
-- itself, whose statement is about as costly to plan as the trend's. A month end of no span has
-- no row (none allocated: 0). From the first span's month end to the first month end after the
-- last date a span starts or ends (after_changes): after that date only the open spans count,
-- the same at every month end, so that month end's rows (the open spans' counts, not tested
-- span by span) stand for every later one, which the trend reads from them (a calendar running
-- nine years past the data at 1,000,000 children made those month ends 60% of the rows: about
-- 0.24 s of CPU to build there, 0.03 s at 200,000).
WITH bounds AS (
    SELECT
        min(valid_from) AS first_day,
        greatest(max(valid_from), max(valid_to)) AS last_change
    FROM fact_child_workers
),
month_ends AS (
    SELECT c.date AS month_end, c.date > b.last_change AS after_changes
    FROM calendar c
    CROSS JOIN bounds b
    WHERE c.date = last_day(c.date)
      AND c.date >= b.first_day
      AND c.date <= last_day(b.last_change + 1)
)
SELECT
    m.month_end,
    w.team,
    w.worker_id,
    count(*) AS children,
    count(*) FILTER (WHERE w.workers_12m >= 3) AS three_plus,
    sum(w.workers_12m) AS workers,
    FALSE AS after_changes
FROM month_ends m
JOIN fact_child_workers w
    ON w.valid_from <= m.month_end AND coalesce(w.valid_to, DATE '9999-12-31') > m.month_end
WHERE NOT m.after_changes
GROUP BY ALL
UNION ALL
SELECT m.month_end, o.team, o.worker_id, o.children, o.three_plus, o.workers, TRUE
FROM month_ends m
CROSS JOIN (
    SELECT
        team,
        worker_id,
        count(*) AS children,
        count(*) FILTER (WHERE workers_12m >= 3) AS three_plus,
        sum(workers_12m) AS workers
    FROM fact_child_workers
    WHERE valid_to IS NULL
    GROUP BY ALL
) o
WHERE m.after_changes
ORDER BY month_end, team, worker_id
