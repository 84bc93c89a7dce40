-- Open and overdue assessments month by month (Engine.monthly): each month end's figures as
-- assessments_overdue.sql's rows would give them at that date, each assessment read once rather
-- than once a month. The assessments open at one of the month ends (started by it, not
-- authorised by it: assessment_rows, read at the trend's as-of date, on or after every month
-- end, so an authorisation after it is none) with the team, worker and person filters, grouped
-- by their dates, their start's working-day index and their target, are joined to the month
-- ends by that test (month_ends: no month bits per assessment, whose macro was about a third of
-- this query's planning). Overdue at a month end when its age there (the month end's
-- working-day index less its start's, as in the rows) is over its target; the oldest age is
-- the largest of those. An assessment authorised by the as-of date within its target is never
-- overdue while open (its authorisation's index is at least a month end's it is open at), so
-- it is left out before the join: most of them are.
-- uses: month_ends, workers, assessment_rows
WITH spans AS (
    SELECT a.start_date, a.auth_date, a.start_wd, a.target, count(*) AS n
    FROM assessment_rows a
    WHERE a.start_date <= $grid[-1]
      AND coalesce(a.auth_date, DATE '9999-12-31') > $grid[1]
      AND (a.auth_wd IS NULL OR a.auth_wd - a.start_wd > a.target)
      AND ($team IS NULL OR a.team = $team)
      AND ($worker IS NULL OR a.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, a.team))
      AND ($person IS NULL OR a.person_id = $person)
    GROUP BY ALL
)
SELECT
    e.k,
    coalesce(sum(p.n) FILTER (WHERE e.wd_index - p.start_wd > p.target), 0) AS count,
    max(e.wd_index - p.start_wd) FILTER (WHERE e.wd_index - p.start_wd > p.target) AS oldest_wd
FROM month_ends e
LEFT JOIN spans p
  ON p.start_date <= e.day AND coalesce(p.auth_date, DATE '9999-12-31') > e.day
GROUP BY e.k
