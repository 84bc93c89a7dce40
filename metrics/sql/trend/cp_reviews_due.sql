-- CP reviews coming up month by month (Engine.monthly): each month end's figures as
-- cp_reviews_due.sql's rows would give them at that date, each plan's stretches of its review
-- chain read once (month_grid: a span of dates as the bits of the month ends it covers) rather
-- than the chain being found again for every month. Between reviews a plan's next review is due
-- on one date (cp_review_chain: start + $t_first_cp_review_months months before the first
-- review, the last review + $t_later_cp_review_months months after it), so it is coming up from
-- $horizon_weeks weeks before that date to the date itself, within the stretch and while the
-- plan is open. Team and worker: the child's open allocation at the month end
-- (fact_cp_child_allocation: the CP children's spans from their first plan's start on, which
-- hold every month a plan is open), for the filters; with none, every month counts.
-- uses: month_grid
WITH plans AS (
    SELECT
        p.cppl_cp_plan_id AS cp_plan_id,
        p.cppl_person_id AS person_id,
        p.cppl_cp_plan_start_date AS start_date,
        coalesce(p.cppl_cp_plan_end_date, DATE '9999-12-31') AS end_date
    FROM ssd_cp_plans p
    WHERE p.cppl_cp_plan_start_date <= $grid[-1]
      AND coalesce(p.cppl_cp_plan_end_date, DATE '9999-12-31') > $grid[1]
      AND ($person IS NULL OR p.cppl_person_id = $person)
),
stretches AS (
    -- before the first review (none held)
    SELECT
        p.person_id,
        p.start_date AS stretch_from,
        least(p.end_date, coalesce(f.review_date, DATE '9999-12-31')) AS stretch_to,
        CAST(p.start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE) AS next_due
    FROM plans p
    LEFT JOIN fact_cp_review f ON f.cp_plan_id = p.cp_plan_id AND f.review_number = 1
    UNION ALL
    -- after each review, until the next one
    SELECT
        p.person_id,
        r.review_date,
        least(p.end_date, coalesce(r.next_review, DATE '9999-12-31')),
        CAST(r.review_date + INTERVAL ($t_later_cp_review_months) MONTH AS DATE)
    FROM plans p
    JOIN fact_cp_review r ON r.cp_plan_id = p.cp_plan_id
    WHERE r.review_date <= $grid[-1]
      AND coalesce(r.next_review, DATE '9999-12-31') > $grid[1]
),
coming AS (
    SELECT
        s.person_id,
        greatest(s.stretch_from, s.next_due - 7 * $horizon_weeks) AS coming_from,
        least(s.stretch_to, s.next_due + 1) AS coming_to
    FROM stretches s
),
spans AS (
    SELECT
        c.person_id,
        month_bit(c.coming_to, $grid) - month_bit(c.coming_from, $grid) AS months
    FROM coming c
    WHERE c.coming_from < c.coming_to
      AND c.coming_from <= $grid[-1]
      AND c.coming_to > $grid[1]
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
    SELECT
        CASE
            WHEN $team IS NULL AND $worker IS NULL AND $teams IS NULL THEN s.months
            ELSE s.months & coalesce(a.months, 0)
        END AS months,
        count(*) AS n
    FROM spans s
    LEFT JOIN allocated a ON a.person_id = s.person_id
    GROUP BY ALL
)
SELECT g.k, coalesce(sum(p.n), 0) AS count
FROM month_grid g
LEFT JOIN patterns p ON p.months > 0 AND (p.months >> g.k) & 1 = 1
GROUP BY g.k
