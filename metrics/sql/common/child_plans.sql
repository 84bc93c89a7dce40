-- child_plans: every CIN plan (ssd_cin_plans) and CP plan (ssd_cp_plans) started on or before
-- as-of, one row each, with its kind ('CIN plan' / 'CP plan'). An end after as-of is not yet
-- known (end_date NULL: the plan is open at as-of). Transfers read which plan followed an
-- assessment and which children hold an open plan.
SELECT
    p.cinp_cin_plan_id AS plan_id,
    p.cinp_person_id AS person_id,
    'CIN plan' AS plan_kind,
    p.cinp_cin_plan_start_date AS start_date,
    CASE WHEN p.cinp_cin_plan_end_date <= $as_of THEN p.cinp_cin_plan_end_date END AS end_date
FROM ssd_cin_plans p
WHERE p.cinp_cin_plan_start_date <= $as_of
UNION ALL
SELECT
    p.cppl_cp_plan_id AS plan_id,
    p.cppl_person_id AS person_id,
    'CP plan' AS plan_kind,
    p.cppl_cp_plan_start_date AS start_date,
    CASE WHEN p.cppl_cp_plan_end_date <= $as_of THEN p.cppl_cp_plan_end_date END AS end_date
FROM ssd_cp_plans p
WHERE p.cppl_cp_plan_start_date <= $as_of
