-- known_cp_plans: every CP plan started on or before as-of. An end date after as-of is not yet
-- known (end_date NULL: the plan is open at as-of). Team and worker: the child's open allocation
-- at as-of (child_allocation, read for CP plans' children: cp_child_allocation), else NULL.
-- uses: cp_child_allocation
SELECT
    p.cppl_cp_plan_id AS cp_plan_id,
    p.cppl_person_id AS person_id,
    p.cppl_referral_id AS referral_id,
    p.cppl_cp_plan_start_date AS start_date,
    CASE WHEN p.cppl_cp_plan_end_date <= $as_of THEN p.cppl_cp_plan_end_date END AS end_date,
    coalesce(p.cppl_cp_plan_latest_category, p.cppl_cp_plan_initial_category) AS category,
    p.cppl_number_of_previous_cpp AS stated_previous_plans,
    ca.team,
    ca.worker_id
FROM ssd_cp_plans p
LEFT JOIN cp_child_allocation ca ON ca.person_id = p.cppl_person_id
WHERE p.cppl_cp_plan_start_date <= $as_of
