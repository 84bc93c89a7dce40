-- assessed_plans: each assessment authorised by as-of with a team recorded and its episode
-- (assessed), with the plan that followed it (transfers): the first CIN or CP plan of the child
-- starting on or after the authorisation and within the episode (so a plan of a later referral
-- is not this assessment's). plan_kind is NULL when no plan followed. (One pass: each
-- assessment joined to its child's plans in its window, then grouped.) As assessed, only
-- assessments whose episode reaches the period have a row, so older episodes are never joined
-- to plans.
-- uses: assessed, child_plans
SELECT
    a.assessment_id,
    any_value(a.person_id) AS person_id,
    any_value(a.referral_id) AS referral_id,
    any_value(a.auth_date) AS auth_date,
    any_value(a.team) AS team,
    any_value(a.worker_id) AS worker_id,
    any_value(a.referral_found) AS referral_found,
    any_value(a.episode_end) AS episode_end,
    arg_min(q.plan_kind, (q.start_date, q.plan_kind, q.plan_id)) AS plan_kind,
    min(q.start_date) AS plan_start_date
FROM assessed a
LEFT JOIN child_plans q
  ON q.person_id = a.person_id
 AND q.start_date >= a.auth_date
 AND q.start_date <= coalesce(a.episode_end, CAST($as_of AS DATE))
GROUP BY a.assessment_id
