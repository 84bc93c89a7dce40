-- Open and overdue assessments month by month (Engine.monthly): each month end's figures as
-- assessments_overdue.sql's rows would give them at that date, each assessment read once
-- (open_assessment_months: its months open, start's working-day index and target, grouped)
-- rather than once a month. Overdue at a month end when it is open then and its age there (the
-- month end's working-day index less its start's, as in the rows) is over its target; the
-- oldest age is the largest of those.
-- Written for few expressions and joins: at 200,000 children the query's planning costs more
-- than its run (docs/performance.md, "Snapshot trends").
-- uses: month_grid, workers, assessment_rows, open_assessment_months
SELECT
    g.k,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - p.start_index > p.target), 0) AS count,
    max(e.wd_index - p.start_index) FILTER (WHERE e.wd_index - p.start_index > p.target)
        AS oldest_wd
FROM month_grid g
LEFT JOIN calendar e ON e.date = $grid[g.k + 1]
LEFT JOIN open_assessment_months p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
