-- cp_review_chain: one row per CP plan open at as-of with its review chain (measures.md "CP
-- review timeliness"). Reviews are ssd_cp_reviews rows of the plan (cppr_cp_plan_id) held on or
-- before as-of and not before the plan start; several on one day are one review. The k-th review
-- held is due:
--   k = 1: plan start + $t_first_cp_review_months calendar months;
--   k > 1: the (k-1)-th review's date + $t_later_cp_review_months calendar months
-- (a late review restarts the clock from the day it was held). The next review (k = held + 1)
-- is due likewise. Calendar months as DuckDB: 31 Jan + 3 months = 30 Apr.
-- The extract's own cppr_cp_review_due is not used: the chain above is the definition.
-- first_late_held_due: the due date of the first review that was held after its due date.
-- uses: known_cp_plans
SELECT
    p.cp_plan_id,
    p.person_id,
    p.start_date,
    p.category,
    CAST(p.start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE) AS first_due,
    coalesce(r.reviews_held, 0) AS reviews_held,
    r.last_review_date,
    CASE WHEN r.last_review_date IS NULL
         THEN CAST(p.start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE)
         ELSE CAST(r.last_review_date + INTERVAL ($t_later_cp_review_months) MONTH AS DATE)
    END AS next_due,
    r.first_late_held_due,
    p.team,
    p.worker_id
FROM known_cp_plans p
LEFT JOIN (
    SELECT
        cp_plan_id,
        count(*) AS reviews_held,
        max(review_date) AS last_review_date,
        min(due_date) FILTER (WHERE review_date > due_date) AS first_late_held_due
    FROM (
        SELECT
            h.cp_plan_id,
            h.review_date,
            CASE WHEN h.previous_review IS NULL
                 THEN CAST(h.start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE)
                 ELSE CAST(h.previous_review + INTERVAL ($t_later_cp_review_months) MONTH AS DATE)
            END AS due_date
        FROM (
            SELECT
                d.cp_plan_id,
                d.start_date,
                d.review_date,
                lag(d.review_date) OVER (PARTITION BY d.cp_plan_id ORDER BY d.review_date)
                    AS previous_review
            FROM (
                SELECT DISTINCT kp.cp_plan_id, kp.start_date, rv.cppr_cp_review_date AS review_date
                FROM known_cp_plans kp
                JOIN ssd_cp_reviews rv ON rv.cppr_cp_plan_id = kp.cp_plan_id
                WHERE rv.cppr_cp_review_date <= $as_of
                  AND rv.cppr_cp_review_date >= kp.start_date
            ) d
        ) h
    ) chain
    GROUP BY cp_plan_id
) r ON r.cp_plan_id = p.cp_plan_id
WHERE p.end_date IS NULL
