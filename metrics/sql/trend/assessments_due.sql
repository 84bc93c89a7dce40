-- Open assessments coming due month by month (Engine.monthly): each month end's figures as
-- assessments_due.sql's rows would give them at that date, each assessment read once
-- (open_assessment_months: its months open, start's working-day index and target, grouped)
-- rather than once a month. Due soon at a month end when it is open then and its age there (the
-- month end's working-day index less its start's, as in the rows) is at most its target and
-- at least its target less $t_due_soon_wd.
-- Written for few expressions and joins: at 200,000 children the query's planning costs more
-- than its run (docs/performance.md, "Snapshot trends").
-- uses: month_grid, workers, assessment_rows, open_assessment_months
SELECT
    g.k,
    coalesce(sum(p.n) FILTER (
        WHERE e.wd_index - p.start_index <= p.target
          AND p.target - (e.wd_index - p.start_index) <= $t_due_soon_wd
    ), 0) AS count
FROM month_grid g
LEFT JOIN calendar e ON e.date = $grid[g.k + 1]
LEFT JOIN open_assessment_months p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
