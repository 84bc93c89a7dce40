-- assessed_plans: each assessment authorised by as-of with a team recorded, its episode and the
-- plan that followed it (transfers, transfers_waiting). The episode is the assessment's referral
-- (cina_referral_id): it ends on the referral's close date, or is open at as-of (episode_end
-- NULL); an assessment whose referral is not in the extract has no end either. The plan that
-- followed: the first CIN or CP plan of the child starting on or after the authorisation and
-- within the episode (so a plan of a later referral is not this assessment's). plan_kind is
-- NULL when no plan followed. (One pass: each assessment joined to its child's plans in its
-- window, then grouped.)
-- Only assessments whose episode reaches the period (not closed before it starts) have a row:
-- its users read no others (a transfer in the period falls within its episode, and a child
-- waiting at as-of has an episode open then), so older episodes are never joined to plans.
-- uses: referrals, workers, assessment_rows, child_plans
SELECT
    a.assessment_id,
    any_value(a.person_id) AS person_id,
    any_value(a.referral_id) AS referral_id,
    any_value(a.auth_date) AS auth_date,
    any_value(a.team) AS team,
    any_value(a.worker_id) AS worker_id,
    any_value(r.referral_id) IS NOT NULL AS referral_found,
    any_value(r.close_date) AS episode_end,
    arg_min(q.plan_kind, (q.start_date, q.plan_kind, q.plan_id)) AS plan_kind,
    min(q.start_date) AS plan_start_date
FROM assessment_rows a
LEFT JOIN referrals r ON r.referral_id = a.referral_id
LEFT JOIN child_plans q
  ON q.person_id = a.person_id
 AND q.start_date >= a.auth_date
 AND q.start_date <= coalesce(r.close_date, CAST($as_of AS DATE))
WHERE a.auth_date IS NOT NULL
  AND a.team IS NOT NULL
  AND (r.close_date IS NULL OR r.close_date >= $date_from)
GROUP BY a.assessment_id
