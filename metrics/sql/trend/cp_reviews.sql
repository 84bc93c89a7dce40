-- CP reviews in timescale month by month (Engine.monthly): each month end's figures as
-- cp_reviews.sql's rows would give them at that date, each plan read once with its review chain
-- rather than the chain being found again for every month.
-- A plan is in the cohort at month end m while it is open (started by m, no end by m) and its
-- first review is due by m: the dates [cohort_from, end). It is in timescale at m while no
-- review held by m was late and the next is not yet due, which is one stretch of dates from
-- cohort_from to the first due date it misses (due_out): due dates rise along a chain (each is
-- the review before it plus the months), so before the due date of its first review held late
-- every review held was on time and the next is due after m, and from that date on the review
-- is either held late or overdue; with no review held late, the due date after its last review
-- (none held: the first review's). So due_out is the least of the late reviews' due dates and
-- the last review's next due date (cp_review_due, as cp_review_chain reads it), whatever the
-- month ends, and the plan is in timescale in [cohort_from, least(end, due_out)).
-- Team and worker: the child's open allocation at the month end (fact_cp_child_allocation: the
-- CP children's spans from their first plan's start on, a month end in one span of a child at
-- most), so with a filter each plan's stretches are cut to the spans that pass it; with none,
-- every month counts (no span: the plan's own dates). Each stretch counts at the month ends it
-- covers: its start on or before one less its end on or before it (an open end: NULL, never),
-- counted by date in grouping sets (one scan, a few hundred dates) and only those dates
-- compared with the month ends, as trend/worker_changes.sql does: no month bits per plan.
-- uses: month_grid, cp_review_due
WITH plans AS (
    SELECT
        p.cppl_person_id AS person_id,
        p.cppl_cp_plan_start_date AS start_date,
        p.cppl_cp_plan_end_date AS end_date,
        CAST(p.cppl_cp_plan_start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE)
            AS first_due,
        min(CASE
            WHEN NOT r.on_time THEN r.due_date
            WHEN r.next_review IS NULL
                THEN CAST(r.review_date + INTERVAL ($t_later_cp_review_months) MONTH AS DATE)
        END) AS due_out
    FROM ssd_cp_plans p
    LEFT JOIN cp_review_due r ON r.cp_plan_id = p.cppl_cp_plan_id
    WHERE p.cppl_cp_plan_start_date <= $grid[-1]
      AND coalesce(p.cppl_cp_plan_end_date, DATE '9999-12-31') > $grid[1]
      AND ($person IS NULL OR p.cppl_person_id = $person)
    GROUP BY p.cppl_cp_plan_id, p.cppl_person_id, p.cppl_cp_plan_start_date,
        p.cppl_cp_plan_end_date
),
stretches AS (
    SELECT
        greatest(p.start_date, p.first_due, a.valid_from) AS cohort_from,
        least(p.end_date, a.valid_to) AS cohort_to,
        least(p.end_date, a.valid_to, coalesce(p.due_out, p.first_due)) AS held_to
    FROM plans p
    LEFT JOIN fact_cp_child_allocation a
      ON a.person_id = p.person_id
     AND ($team IS NOT NULL OR $worker IS NOT NULL OR $teams IS NOT NULL)
     AND ($team IS NULL OR a.team = $team)
     AND ($worker IS NULL OR a.worker_id = $worker)
     AND ($teams IS NULL OR list_contains($teams, a.team))
    WHERE ($team IS NULL AND $worker IS NULL AND $teams IS NULL) OR a.person_id IS NOT NULL
),
changes AS (
    -- by date: the stretches started (cohort and, when not empty, in timescale), the cohort's
    -- ended (grouping(cohort_to) = 0) and the timescale's ended (grouping(held_to) = 0)
    SELECT
        coalesce(s.cohort_from, s.cohort_to, s.held_to) AS day,
        (grouping(s.cohort_to) - grouping(s.cohort_from)) * count(*) AS n,
        (2 - grouping(s.cohort_from, s.cohort_to)) * count(*) FILTER (
            WHERE s.cohort_from < s.held_to
        ) AS held
    FROM stretches s
    WHERE s.cohort_from < coalesce(s.cohort_to, DATE '9999-12-31')
    GROUP BY GROUPING SETS ((s.cohort_from), (s.cohort_to), (s.held_to))
),
counts AS (
    SELECT
        g.k,
        coalesce(sum(d.n), 0) AS cohort,
        coalesce(sum(d.held), 0) AS held
    FROM month_grid g
    LEFT JOIN changes d ON d.day <= g.month_end
    GROUP BY g.k
)
SELECT
    c.k,
    c.cohort,
    100.0 * c.held / nullif(c.cohort, 0) AS in_timescale_pct,
    c.held AS in_timescale_pct_numerator,
    c.cohort AS in_timescale_pct_denominator
FROM counts c
