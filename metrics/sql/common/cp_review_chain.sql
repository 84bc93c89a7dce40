-- cp_review_chain: one row per CP plan open at as-of with its review chain (measures.md "CP
-- review timeliness"): the reviews held and their due dates are cp_review_held's. The next
-- review (k = held + 1) is due as the k-th is there: plan start + $t_first_cp_review_months
-- calendar months when none has been held, else the last review's date +
-- $t_later_cp_review_months calendar months.
-- first_late_held_due: the due date of the first review that was held after its due date.
-- The plan's last review held by as-of is the one whose next review is after as-of (or none):
-- its number is the count held. The reviews held by as-of are those dated on or before it (a
-- prefix of the chain), and due dates rise along a chain (each after the review before it is
-- held), so the first late one's due date is the least of the late ones held by as-of: one
-- group per plan over the few reviews held late, not a window over every review of every plan.
-- Plans open at as-of (started on or before it, no end on or before it) are read with one
-- interval test; team and worker as known_cp_plans (the child's open allocation at as-of,
-- cp_child_allocation).
-- uses: cp_child_allocation, cp_review_due
SELECT
    p.cppl_cp_plan_id AS cp_plan_id,
    p.cppl_person_id AS person_id,
    p.cppl_cp_plan_start_date AS start_date,
    coalesce(p.cppl_cp_plan_latest_category, p.cppl_cp_plan_initial_category) AS category,
    CAST(p.cppl_cp_plan_start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE)
        AS first_due,
    coalesce(r.review_number, 0) AS reviews_held,
    r.review_date AS last_review_date,
    CASE WHEN r.review_date IS NULL
         THEN CAST(p.cppl_cp_plan_start_date + INTERVAL ($t_first_cp_review_months) MONTH AS DATE)
         ELSE CAST(r.review_date + INTERVAL ($t_later_cp_review_months) MONTH AS DATE)
    END AS next_due,
    late.first_late_held_due,
    ca.team,
    ca.worker_id
FROM ssd_cp_plans p
LEFT JOIN cp_child_allocation ca ON ca.person_id = p.cppl_person_id
LEFT JOIN cp_review_due r
  ON r.cp_plan_id = p.cppl_cp_plan_id
 AND r.review_date <= $as_of
 AND coalesce(r.next_review, DATE '9999-12-31') > $as_of
LEFT JOIN (
    SELECT l.cp_plan_id, min(l.due_date) AS first_late_held_due
    FROM cp_review_due l
    WHERE l.review_date <= $as_of AND NOT l.on_time
    GROUP BY l.cp_plan_id
) late ON late.cp_plan_id = p.cppl_cp_plan_id
WHERE p.cppl_cp_plan_start_date <= $as_of
  AND coalesce(p.cppl_cp_plan_end_date, DATE '9999-12-31') > $as_of
