-- fact_child_allocation: each child's allocation at any as-of date (child_allocation), as
-- intervals: one row per child and span [valid_from, valid_to) in which the child's open
-- allocations do not change, with the earliest of them (ties by involvement id: its start date,
-- worker and team), how many there are, and sole_team: the team every one of them is in (NULL
-- when one has no team or they are in different teams). An allocation is open at t when it
-- started on or before t and has no end or ends after t (fact_allocation's recorded end: an end
-- after t is open at t whether or not it is known then), so the open set changes only on a
-- start or end date: the spans run from each such date of the child to the next (valid_to NULL:
-- the last, open-ended). A span with nothing open has no row. At an as-of date the child's
-- allocation is the row with valid_from <= as-of < valid_to: one interval test, so a trend over
-- month ends reads each span once instead of grouping every open allocation again for every
-- month. arg_min_null, not arg_min: the earliest allocation's worker and team even when it names
-- none (arg_min skips a NULL value and would take a later allocation's team beside the earliest's
-- worker); the same in every fact that takes a worker or team from the earliest allocation.
-- Each child's dates are gathered as one sorted list of distinct days and the spans read off it
-- (a day and the next: unnest pads the shorter list with NULL, the open-ended last span), not
-- by a window over every day: the same spans, without sorting all of them by child and date
-- (about 0.02 s of CPU less at 200,000 children).
WITH bounds AS (
    SELECT person_id, list_sort(list(DISTINCT d)) AS days
    FROM (
        SELECT person_id, start_date AS d
        FROM fact_allocation
        WHERE start_date IS NOT NULL
        UNION ALL
        SELECT person_id, end_date
        FROM fact_allocation
        WHERE start_date IS NOT NULL AND end_date IS NOT NULL
    )
    GROUP BY person_id
),
spans AS (
    SELECT person_id, unnest(days) AS valid_from, unnest(days[2:]) AS valid_to
    FROM bounds
)
SELECT
    s.person_id,
    s.valid_from,
    s.valid_to,
    min(a.start_date) AS allocated_date,
    arg_min_null(a.worker_id, (a.start_date, a.involvement_id)) AS worker_id,
    arg_min_null(a.team, (a.start_date, a.involvement_id)) AS team,
    count(*) AS open_allocations,
    CASE WHEN count(a.team) = count(*) AND min(a.team) = max(a.team) THEN min(a.team) END
        AS sole_team
FROM spans s
JOIN fact_allocation a
  ON a.person_id IS NOT DISTINCT FROM s.person_id
 AND a.start_date <= s.valid_from
 AND coalesce(a.end_date, DATE '9999-12-31') > s.valid_from
GROUP BY s.person_id, s.valid_from, s.valid_to
ORDER BY s.valid_from, s.person_id
