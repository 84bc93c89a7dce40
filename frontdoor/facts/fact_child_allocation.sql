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
-- A child whose allocations (with a start) each end after they start (or not at all) and follow
-- one another without overlapping (in order of start, each starting on or after the previous
-- one's end: so no two are ever open together) has exactly one row per allocation, [start, end)
-- with that allocation alone open, and no other spans (its days are those starts and ends, and
-- between an end and a later start nothing is open): those rows are taken straight from the
-- allocations (`plain`, checked in one window over each child's allocations by start). Only
-- the other children (`tangled`: two allocations open together, or one ending on or before its
-- start; about 1% of the allocations in the bench's data) go through the spans below: at
-- 1,000,000 children about 0.8 s of CPU less (1.7 -> 0.9 s; the range join and grouping of
-- every span were most of it: docs/performance.md, s12-alloc).
-- Their dates are gathered as one sorted list of distinct days and the spans read off it
-- (a day and the next: unnest pads the shorter list with NULL, the open-ended last span), not
-- by a window over every day: the same spans, without sorting all of them by child and date
-- (about 0.02 s of CPU less at 200,000 children).
WITH ordered AS (
    -- each allocation with whether its child must go through the spans (allocation_clash:
    -- it ends on or before it starts, or starts before the end of the child's previous
    -- allocation by start)
    SELECT
        person_id,
        start_date,
        end_date,
        worker_id,
        team,
        allocation_clash(start_date, end_date, lag(end_date) OVER w, row_number() OVER w)
            AS clash
    FROM fact_allocation
    WHERE start_date IS NOT NULL
    WINDOW w AS (PARTITION BY person_id ORDER BY start_date)
),
tangled AS (
    SELECT DISTINCT person_id FROM ordered WHERE clash
),
general AS (
    SELECT a.*
    FROM fact_allocation a
    SEMI JOIN tangled t ON a.person_id IS NOT DISTINCT FROM t.person_id
),
bounds AS (
    SELECT person_id, list_sort(list(DISTINCT d)) AS days
    FROM (
        SELECT person_id, start_date AS d
        FROM general
        WHERE start_date IS NOT NULL
        UNION ALL
        SELECT person_id, end_date
        FROM general
        WHERE start_date IS NOT NULL AND end_date IS NOT NULL
    )
    GROUP BY person_id
),
spans AS (
    SELECT person_id, unnest(days) AS valid_from, unnest(days[2:]) AS valid_to
    FROM bounds
),
plain AS (
    SELECT o.*
    FROM ordered o
    ANTI JOIN tangled t ON o.person_id IS NOT DISTINCT FROM t.person_id
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
JOIN general a
  ON a.person_id IS NOT DISTINCT FROM s.person_id
 AND a.start_date <= s.valid_from
 AND coalesce(a.end_date, DATE '9999-12-31') > s.valid_from
GROUP BY s.person_id, s.valid_from, s.valid_to
UNION ALL
SELECT person_id, start_date, end_date, start_date, worker_id, team, 1, team
FROM plain
ORDER BY valid_from, person_id
