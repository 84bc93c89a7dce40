-- cp_review_chain: one row per CP plan open at as-of with its review chain (measures.md "CP
-- review timeliness"): the reviews held and their due dates are cp_review_held's. The next
-- review (k = held + 1) is due as the k-th is there: plan start + $t_first_cp_review_months
-- calendar months when none has been held, else the last review's date +
-- $t_later_cp_review_months calendar months.
-- first_late_held_due: the due date of the first review that was held after its due date.
-- uses: known_cp_plans, cp_review_held
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
        min(due_date) FILTER (WHERE NOT on_time) AS first_late_held_due
    FROM cp_review_held
    GROUP BY cp_plan_id
) r ON r.cp_plan_id = p.cp_plan_id
WHERE p.end_date IS NULL
