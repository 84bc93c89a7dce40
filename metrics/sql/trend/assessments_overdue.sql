-- Open and overdue assessments month by month (Engine.monthly): each month end's figures as
-- assessments_overdue.sql's rows would give them at that date, each assessment read once as the
-- month ends it is overdue at (month_grid) rather than once a month. It is overdue from the
-- working day its age passes its target (wd_add: the start's working-day index plus the target
-- plus one) until its authorisation; the oldest age at a month end is the month end's index less
-- the earliest start's among those overdue then. assessment_rows gives each target; read at the
-- trend's as-of date (on or after every month end), its authorisation is the recorded one, or
-- none when it is after every month end (open at all of them either way).
-- uses: month_grid, workers, assessment_rows
WITH overdue AS (
    SELECT
        a.start_date,
        a.auth_date,
        wd_add(a.start_date, a.target + 1) AS overdue_from
    FROM assessment_rows a
    WHERE a.start_date <= $grid[-1]
      AND coalesce(a.auth_date, DATE '9999-12-31') > $grid[1]
      -- open at a month end at all (a month end from the start's on is before the
      -- authorisation), before its dates are looked up in the calendar
      AND CASE
          WHEN coalesce(a.auth_date, DATE '9999-12-31') > $grid[-1] THEN len($grid)
          ELSE month_number(a.auth_date, $grid)
      END > month_number(a.start_date, $grid)
      AND ($team IS NULL OR a.team = $team)
      AND ($worker IS NULL OR a.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, a.team))
      AND ($person IS NULL OR a.person_id = $person)
),
patterns AS (
    SELECT
        month_bit(coalesce(o.auth_date, DATE '9999-12-31'), $grid)
            - month_bit(o.overdue_from, $grid) AS months,
        count(*) AS n,
        min(wd_index(o.start_date)) AS oldest_index
    FROM overdue o
    WHERE o.overdue_from IS NOT NULL
      AND o.overdue_from <= $grid[-1]
      AND coalesce(o.auth_date, DATE '9999-12-31') > o.overdue_from
    GROUP BY ALL
)
SELECT
    g.k,
    coalesce(sum(p.n), 0) AS count,
    wd_index($grid[g.k + 1]) - min(p.oldest_index) AS oldest_wd
FROM month_grid g
LEFT JOIN patterns p ON p.months > 0 AND (p.months >> g.k) & 1 = 1
GROUP BY g.k
