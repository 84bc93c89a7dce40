-- CP reviews in timescale month by month (Engine.monthly): each month end's figures as
-- cp_reviews.sql's rows would give them at that date, each plan's stretches of its review chain
-- read once (month_grid: a span of dates as the bits of the month ends it covers) rather than
-- the chain being found again for every month. Between reviews a plan's next review is due on
-- one date and whether a review already held was late does not change (cp_review_due, as
-- cp_review_chain reads it); a plan open in a stretch is in the cohort from its first review's
-- due date on, and in timescale while no review so far was held late and the next is not yet
-- due (before that date). Whether a review so far was late is carried along each chain of the
-- trend's plans only (reviews: whole chains up to the last month end, so each review's value
-- is the one over every review of every plan). Team and worker: the child's open allocation at
-- the month end (fact_cp_child_allocation: the CP children's spans from their first plan's
-- start on, which hold every month a plan is open), for the filters; with none, every month
-- counts.
-- uses: month_grid, cp_review_due
WITH plans AS (
    SELECT
        p.cppl_cp_plan_id AS cp_plan_id,
        p.cppl_person_id AS person_id,
        p.cppl_cp_plan_start_date AS start_date,
        coalesce(p.cppl_cp_plan_end_date, DATE '9999-12-31') AS end_date,
        CAST(p.cppl_cp_plan_start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE)
            AS first_due
    FROM ssd_cp_plans p
    WHERE p.cppl_cp_plan_start_date <= $grid[-1]
      AND coalesce(p.cppl_cp_plan_end_date, DATE '9999-12-31') > $grid[1]
      AND ($person IS NULL OR p.cppl_person_id = $person)
),
reviews AS (
    -- each review of the plans above held by the last month end, with the due date of the first
    -- review of its plan held late up to and including it
    SELECT
        r.*,
        min(r.due_date) FILTER (WHERE NOT r.on_time) OVER (
            PARTITION BY r.cp_plan_id ORDER BY r.review_number
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS first_late_held_due
    FROM cp_review_due r
    WHERE r.cp_plan_id IN (SELECT cp_plan_id FROM plans)
      AND r.review_date <= $grid[-1]
),
stretches AS (
    -- before the first review (none held)
    SELECT
        p.person_id,
        greatest(p.start_date, p.first_due) AS cohort_from,
        least(p.end_date, coalesce(f.review_date, DATE '9999-12-31')) AS stretch_to,
        p.first_due AS next_due,
        TRUE AS none_late
    FROM plans p
    LEFT JOIN fact_cp_review f ON f.cp_plan_id = p.cp_plan_id AND f.review_number = 1
    UNION ALL
    -- after each review, until the next one
    SELECT
        p.person_id,
        greatest(r.review_date, p.first_due),
        least(p.end_date, coalesce(r.next_review, DATE '9999-12-31')),
        CAST(r.review_date + INTERVAL ($t_later_cp_review_months) MONTH AS DATE),
        r.first_late_held_due IS NULL
    FROM plans p
    JOIN reviews r ON r.cp_plan_id = p.cp_plan_id
    WHERE coalesce(r.next_review, DATE '9999-12-31') > $grid[1]
),
spans AS (
    SELECT
        s.person_id,
        -- the cohort's months [cohort_from, stretch_to), and in timescale [cohort_from,
        -- least(stretch_to, next_due)) when no review so far was late
        month_bit(s.stretch_to, $grid) - (CAST(1 AS BIGINT) << s.from_index) AS months,
        CASE WHEN s.none_late THEN greatest(0, month_bit(least(s.stretch_to, s.next_due), $grid)
            - (CAST(1 AS BIGINT) << s.from_index)) ELSE 0 END AS in_timescale
    FROM (
        SELECT
            *,
            month_index(cohort_from, $grid) AS from_index
        FROM stretches
        WHERE cohort_from < stretch_to
          AND cohort_from <= $grid[-1]
          AND stretch_to > $grid[1]
    ) s
),
allocated AS (
    -- the months the child's open allocation passes the team and worker filters
    SELECT
        a.person_id,
        bit_or(month_bits(a.valid_from, a.valid_to, $grid)) AS months
    FROM fact_cp_child_allocation a
    WHERE ($team IS NOT NULL OR $worker IS NOT NULL OR $teams IS NOT NULL)
      AND a.person_id IN (SELECT person_id FROM spans)
      AND a.valid_from <= $grid[-1]
      AND coalesce(a.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR a.team = $team)
      AND ($worker IS NULL OR a.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, a.team))
    GROUP BY a.person_id
),
patterns AS (
    SELECT months, in_timescale, count(*) AS n
    FROM (
        SELECT
            s.months & m.kept AS months,
            s.in_timescale & m.kept AS in_timescale
        FROM spans s
        LEFT JOIN allocated a ON a.person_id = s.person_id
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN $team IS NULL AND $worker IS NULL AND $teams IS NULL THEN -1
                ELSE coalesce(a.months, 0)
            END AS kept
        ) m
    )
    WHERE months <> 0
    GROUP BY ALL
),
counts AS (
    SELECT
        g.k,
        coalesce(sum(p.n), 0) AS cohort,
        coalesce(sum(p.n) FILTER (WHERE (p.in_timescale >> g.k) & 1 = 1), 0) AS held
    FROM month_grid g
    LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
    GROUP BY g.k
)
SELECT
    c.k,
    c.cohort,
    100.0 * c.held / nullif(c.cohort, 0) AS in_timescale_pct,
    c.held AS in_timescale_pct_numerator,
    c.cohort AS in_timescale_pct_denominator
FROM counts c
