-- Waiting for transfer month by month (Engine.monthly): each month end's figures as
-- transfers_waiting.sql's rows would give them at that date, each assessment, plan and
-- allocation span read once (month_grid: a span of dates as the bits of the month ends it
-- covers) rather than once a month. An assessment (fact_assessment, with a team) counts at the
-- month ends from its start and authorisation until its episode ends (assessed: its referral's
-- close date, once both that and the referral date have passed; never without them). The
-- child's latest of those at a month end (by authorisation, then id) holds the months no later
-- one holds. The child waits in those of its months when a CIN or CP plan started on or after
-- the authorisation is open (child_plans' dates) and every open allocation is in the assessing
-- team (fact_child_allocation's sole_team; its worker for the worker filter). Past target from
-- the working day the age passes the target (wd_add); the oldest age at a month end is the
-- month end's working-day index less the earliest authorisation's among those waiting then.
-- uses: month_grid
WITH eligible AS (
    SELECT *
    FROM (
        SELECT
            a.assessment_id,
            a.person_id,
            a.auth_date,
            a.team,
            month_bit(a.episode_end, $grid)
                - (CAST(1 AS BIGINT) << greatest(0, month_number(a.assessed_from, $grid))) AS months
        FROM (
            SELECT
                f.*,
                greatest(f.start_date, f.auth_date) AS assessed_from,
                CASE
                    WHEN f.referral_date IS NULL OR f.close_date IS NULL
                        THEN DATE '9999-12-31'
                    ELSE greatest(f.referral_date, f.close_date)
                END AS episode_end
            FROM fact_assessment f
            WHERE f.team IS NOT NULL
              AND f.start_date <= $grid[-1]
              AND f.auth_date <= $grid[-1]
              AND ($person IS NULL OR f.person_id = $person)
        ) a
        WHERE a.episode_end > $grid[1]
    )
    WHERE months > 0
),
latest AS (
    -- the months each assessment is its child's latest eligible one
    SELECT
        e.assessment_id,
        e.person_id,
        e.auth_date,
        e.team,
        e.months & ~coalesce(bit_or(e.months) OVER (
            PARTITION BY e.person_id ORDER BY e.auth_date DESC, e.assessment_id DESC
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ), 0) AS months
    FROM eligible e
),
planned AS (
    SELECT
        l.assessment_id,
        bit_or(month_bits(q.start_date, q.end_date, $grid)) AS months
    FROM latest l
    JOIN (
        SELECT cinp_person_id AS person_id, cinp_cin_plan_start_date AS start_date,
               cinp_cin_plan_end_date AS end_date
        FROM ssd_cin_plans
        UNION ALL
        SELECT cppl_person_id, cppl_cp_plan_start_date, cppl_cp_plan_end_date
        FROM ssd_cp_plans
    ) q
      ON q.person_id = l.person_id
     AND q.start_date >= l.auth_date
     AND q.start_date <= $grid[-1]
     AND coalesce(q.end_date, DATE '9999-12-31') > $grid[1]
    WHERE l.months <> 0
    GROUP BY l.assessment_id
),
held AS (
    -- the months every open allocation of the child is in the assessing team
    SELECT
        l.assessment_id,
        bit_or(month_bits(c.valid_from, c.valid_to, $grid)) AS months
    FROM latest l
    JOIN fact_child_allocation c
      ON c.person_id = l.person_id
     AND c.sole_team = l.team
     AND c.valid_from <= $grid[-1]
     AND coalesce(c.valid_to, DATE '9999-12-31') > $grid[1]
    WHERE l.months <> 0
      AND ($worker IS NULL OR c.worker_id = $worker)
    GROUP BY l.assessment_id
),
waiting AS (
    SELECT
        l.months & p.months & h.months AS months,
        wd_index(l.auth_date) AS auth_index,
        wd_add(l.auth_date, $t_transfer_wd + 1) AS past_from
    FROM latest l
    JOIN planned p ON p.assessment_id = l.assessment_id
    JOIN held h ON h.assessment_id = l.assessment_id
    WHERE l.months & p.months & h.months <> 0
      -- the team filter on the latest assessment's team, once it is chosen, as in the rows
      AND ($team IS NULL OR l.team = $team)
      AND ($teams IS NULL OR list_contains($teams, l.team))
),
patterns AS (
    SELECT
        w.months,
        -- the months from the first month end on or after past_from (-(1 << i): bits i up)
        CASE WHEN w.past_from IS NOT NULL THEN w.months & -month_bit(w.past_from, $grid) ELSE 0 END
            AS past,
        count(*) AS n,
        min(w.auth_index) AS oldest_index
    FROM waiting w
    GROUP BY ALL
)
SELECT
    g.k,
    coalesce(sum(p.n), 0) AS count,
    coalesce(sum(p.n) FILTER (WHERE (p.past >> g.k) & 1 = 1), 0) AS past_target,
    wd_index($grid[g.k + 1]) - min(p.oldest_index) AS oldest_wd
FROM month_grid g
LEFT JOIN patterns p ON (p.months >> g.k) & 1 = 1
GROUP BY g.k
