-- assessed: each assessment authorised by as-of with a team recorded, with its episode: the
-- assessment's referral (cina_referral_id), which ends on the referral's close date or is open
-- at as-of (episode_end NULL); an assessment whose referral is not in the extract has no end
-- either (referral_found false). Transfers read which plan followed it (assessed_plans), the
-- children waiting for transfer the latest of a child's open episodes (transfers_waiting).
-- Only assessments whose episode reaches the period (not closed before it starts) have a row:
-- its users read no others (a transfer in the period falls within its episode, and a child
-- waiting at as-of has an episode open then).
-- uses: referrals, workers, assessment_rows
SELECT
    a.assessment_id,
    a.person_id,
    a.referral_id,
    a.auth_date,
    a.team,
    a.worker_id,
    r.referral_id IS NOT NULL AS referral_found,
    r.close_date AS episode_end
FROM assessment_rows a
LEFT JOIN referrals r ON r.referral_id = a.referral_id
WHERE a.auth_date IS NOT NULL
  AND a.team IS NOT NULL
  AND (r.close_date IS NULL OR r.close_date >= $date_from)
