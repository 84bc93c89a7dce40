-- Open assessments coming due month by month (Engine.monthly): each month end's figures as
-- assessments_due.sql's rows would give them at that date, each assessment read once as the
-- month ends it is due soon at (month_grid) rather than once a month. It is due soon from the
-- working day its age reaches its target less $t_due_soon_wd (wd_add from the start; from the
-- start itself when that is not after it) until the working day its age passes the target (then
-- it is overdue) or its authorisation, whichever is first; a start outside the working-day
-- calendar has no age, as in the rows. assessment_rows gives each target; read at the trend's
-- as-of date (on or after every month end), its authorisation is the recorded one, or none when
-- it is after every month end (open at all of them either way).
-- uses: month_grid, workers, assessment_rows
WITH due AS (
    SELECT
        CASE
            WHEN a.target - $t_due_soon_wd <= 0 THEN a.start_date
            ELSE wd_add(a.start_date, a.target - $t_due_soon_wd)
        END AS due_from,
        least(
            coalesce(a.auth_date, DATE '9999-12-31'),
            coalesce(wd_add(a.start_date, a.target + 1), DATE '9999-12-31')
        ) AS due_until
    FROM assessment_rows a
    WHERE a.start_date <= $grid[-1]
      AND coalesce(a.auth_date, DATE '9999-12-31') > $grid[1]
      -- open at a month end at all (a month end from the start's on is before the
      -- authorisation), before its dates are looked up in the calendar
      AND CASE
          WHEN coalesce(a.auth_date, DATE '9999-12-31') > $grid[-1] THEN len($grid)
          ELSE month_number(a.auth_date, $grid)
      END > month_number(a.start_date, $grid)
      AND wd_index(a.start_date) IS NOT NULL
      AND ($team IS NULL OR a.team = $team)
      AND ($worker IS NULL OR a.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, a.team))
      AND ($person IS NULL OR a.person_id = $person)
),
patterns AS (
    SELECT
        month_bit(d.due_until, $grid)
            - (CAST(1 AS BIGINT) << greatest(0, month_number(d.due_from, $grid))) AS months,
        count(*) AS n
    FROM due d
    WHERE d.due_from <= $grid[-1]
      AND d.due_until > d.due_from
    GROUP BY ALL
)
SELECT g.k, coalesce(sum(p.n), 0) AS count
FROM month_grid g
LEFT JOIN patterns p ON p.months > 0 AND (p.months >> g.k) & 1 = 1
GROUP BY g.k
