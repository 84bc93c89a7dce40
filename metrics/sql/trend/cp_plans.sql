-- CP plans month by month (Engine.monthly): each month's figures as cp_plans.sql's rows would
-- give them for that month (the month as the period, its last day as the as-of date), each plan
-- read once (month_grid: a span of dates as the bits of the month ends it covers) rather than
-- once a month. Open: the plan's months from its start to its end, those the child's open
-- allocation then passes the team and worker filters (fact_cp_child_allocation: the CP
-- children's spans of fact_child_allocation from their first plan's start on, which hold every
-- month a plan is open; with no filter, every month). Started and ended: the one month of the start (end) date when it is in
-- the period, under the team of the child's allocated worker that day as in the rows (the start
-- date; for an end, the plan's last day open: fact_cp_plan_team), with repeat and the duration
-- band of the rows.
-- uses: month_grid
WITH plans AS (
    SELECT
        p.cppl_cp_plan_id AS cp_plan_id,
        p.cppl_person_id AS person_id,
        p.cppl_cp_plan_start_date AS start_date,
        p.cppl_cp_plan_end_date AS end_date,
        p.cppl_number_of_previous_cpp AS stated_previous_plans
    FROM ssd_cp_plans p
    WHERE p.cppl_cp_plan_start_date <= $grid[-1]
      AND coalesce(p.cppl_cp_plan_end_date, DATE '9999-12-31') >= $date_from
      AND ($person IS NULL OR p.cppl_person_id = $person)
),
filtered AS (
    SELECT $team IS NOT NULL OR $worker IS NOT NULL OR $teams IS NOT NULL AS filtering
),
events AS (
    SELECT p.*, 'started' AS event, p.start_date AS event_date
    FROM plans p
    WHERE p.start_date BETWEEN $date_from AND $grid[-1]
    UNION ALL
    SELECT p.*, 'ended', p.end_date
    FROM plans p
    WHERE p.end_date BETWEEN $date_from AND $grid[-1]
),
event_months AS (
    SELECT
        e.event,
        CAST(1 AS BIGINT) << (month_number(e.event_date, $grid)) AS months,
        e.event = 'started' AND (
            EXISTS (
                SELECT 1 FROM ssd_cp_plans x
                WHERE x.cppl_person_id = e.person_id
                  AND x.cppl_cp_plan_start_date < e.start_date
            )
            OR coalesce(e.stated_previous_plans, 0) >= 1
        ) AS is_repeat,
        e.event = 'ended' AND e.end_date >= e.start_date + INTERVAL 24 MONTH AS two_years
    FROM events e
    LEFT JOIN fact_cp_plan_team h ON h.cp_plan_id = e.cp_plan_id AND h.event = e.event
    WHERE NOT (SELECT filtering FROM filtered)
       OR (($team IS NULL OR h.team = $team)
           AND ($worker IS NULL OR h.worker_id = $worker)
           AND ($teams IS NULL OR list_contains($teams, h.team)))
),
open_plans AS (
    SELECT
        p.person_id,
        month_bits(p.start_date, p.end_date, $grid) AS months
    FROM plans p
    WHERE coalesce(p.end_date, DATE '9999-12-31') > $grid[1]
),
allocated AS (
    -- the months the child's open allocation passes the team and worker filters
    SELECT
        a.person_id,
        bit_or(month_bits(a.valid_from, a.valid_to, $grid)) AS months
    FROM fact_cp_child_allocation a
    WHERE (SELECT filtering FROM filtered)
      AND a.person_id IN (SELECT person_id FROM open_plans)
      AND a.valid_from <= $grid[-1]
      AND coalesce(a.valid_to, DATE '9999-12-31') > $grid[1]
      AND ($team IS NULL OR a.team = $team)
      AND ($worker IS NULL OR a.worker_id = $worker)
      AND ($teams IS NULL OR list_contains($teams, a.team))
    GROUP BY a.person_id
),
patterns AS (
    SELECT 'open' AS event, o.months & CASE
        WHEN (SELECT filtering FROM filtered) THEN coalesce(a.months, 0) ELSE -1
    END AS months, FALSE AS is_repeat, FALSE AS two_years, count(*) AS n
    FROM open_plans o
    LEFT JOIN allocated a ON a.person_id = o.person_id
    GROUP BY ALL
    UNION ALL
    SELECT event, months, is_repeat, two_years, count(*) FROM event_months GROUP BY ALL
),
counts AS (
    SELECT
        g.k,
        coalesce(sum(p.n) FILTER (WHERE p.event = 'open'), 0) AS open,
        coalesce(sum(p.n) FILTER (WHERE p.event = 'started'), 0) AS started,
        coalesce(sum(p.n) FILTER (WHERE p.event = 'ended'), 0) AS ended,
        coalesce(sum(p.n) FILTER (WHERE p.is_repeat), 0) AS repeat,
        coalesce(sum(p.n) FILTER (WHERE p.two_years), 0) AS two_years
    FROM month_grid g
    LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
    GROUP BY g.k
)
SELECT
    c.k,
    c.open,
    c.started,
    c.ended,
    c.repeat,
    100.0 * c.two_years / nullif(c.ended, 0) AS ended_2y_plus_pct,
    10000.0 * c.open / $population AS open_per_10k,
    c.two_years AS ended_2y_plus_pct_numerator,
    c.ended AS ended_2y_plus_pct_denominator
FROM counts c
