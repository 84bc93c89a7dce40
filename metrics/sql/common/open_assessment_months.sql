-- open_assessment_months: for a trend read by month bits (month_grid), the assessments open at
-- one of the month ends of $grid (started by it, not authorised by it: assessment_rows, read at
-- the trend's as-of date, on or after every month end, so an authorisation after it is none),
-- with the team, worker and person filters, grouped by their months open (bit k for
-- $grid[k + 1]; an authorisation before the start: none), their start's working-day index and
-- their target. An assessment's age at a month end is, as in the rows, the month end's index
-- less its start's (assessment_rows' start_wd: none for a start outside the calendar):
-- assessments due keeps, month by month, the groups whose age there is in its window
-- (assessments overdue reads its assessments' dates instead: trend/assessments_overdue.sql).
-- uses: workers, assessment_rows
SELECT
    greatest(month_bits(a.start_date, a.auth_date, $grid), 0) AS months,
    a.start_wd AS start_index,
    a.target,
    count(*) AS n
FROM assessment_rows a
WHERE a.start_date <= $grid[-1]
  AND coalesce(a.auth_date, DATE '9999-12-31') > $grid[1]
  AND ($team IS NULL OR a.team = $team)
  AND ($worker IS NULL OR a.worker_id = $worker)
  AND ($teams IS NULL OR list_contains($teams, a.team))
  AND ($person IS NULL OR a.person_id = $person)
GROUP BY ALL
