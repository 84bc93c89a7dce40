-- Changes of worker month by month (Engine.monthly): each month end's figures as
-- worker_changes.sql's rows would give them at that date, each span read once rather than once
-- a month.
-- fact_child_workers holds each child's allocation (fact_child_allocation's, with its team and
-- worker for the filters) cut into spans [valid_from, valid_to) in which the number of allocated
-- workers of the 12 months to a date does not change, with that number: a child counts at a
-- month end when one of its spans covers it (a month end is in one span of a child at most),
-- with that span's number of workers, three or more or not. A span ends after it starts
-- (valid_to > valid_from), so the spans covering month end k are those started by it less those
-- ended by it: each figure is a sum over the dates on or before the month end of the spans'
-- starts less their ends. The spans are counted by start date and by end date (grouping sets:
-- one scan, a few hundred dates each, counted without hashing; an end's counts negative, an open
-- end's date NULL, so it never counts), and only those dates are compared with the month ends:
-- no date arithmetic per span, which cost more than the scan itself (month bits per span, grouped
-- by bits and number of workers, was 3.8x the headline's CPU). Written in few expressions and
-- operators: planning them is most of this query's CPU at 200,000 children (a month index macro
-- per date, a CTE of signs and a SELECT of the ratios over the counts were about 1.5 ms of it).
-- uses: month_grid
WITH changes AS (
    SELECT
        coalesce(c.valid_from, c.valid_to) AS day,
        (1 - 2 * grouping(c.valid_from)) * count(*) AS n,
        (1 - 2 * grouping(c.valid_from)) * sum(CAST(c.workers_12m >= 3 AS INTEGER)) AS three_plus,
        (1 - 2 * grouping(c.valid_from)) * sum(c.workers_12m) AS workers
    FROM fact_child_workers c
    WHERE c.valid_from <= $grid[-1]
      AND coalesce(c.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR c.team = $team)
      AND ($worker IS NULL OR c.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, c.team))
      AND ($person IS NULL OR c.person_id = $person)
    GROUP BY GROUPING SETS ((c.valid_from), (c.valid_to))
),
counts AS (
    SELECT
        g.k,
        coalesce(sum(d.n), 0) AS children,
        coalesce(sum(d.three_plus), 0) AS three_plus,
        sum(d.workers) AS workers
    FROM month_grid g
    LEFT JOIN changes d ON d.day <= g.month_end
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
