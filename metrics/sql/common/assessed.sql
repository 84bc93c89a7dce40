-- assessed: each assessment started and authorised by as-of with a team recorded, with its
-- episode: the assessment's referral (cina_referral_id), which ends on the referral's close date
-- or is open at as-of (episode_end NULL: no close by as-of); an assessment whose referral is not
-- in the extract (or not yet made at as-of) has no end either (referral_found false).
-- Transfers read which plan followed it (assessed_plans), the children waiting for transfer the
-- latest of a child's open episodes (transfers_waiting).
-- Only assessments whose episode reaches the period (not closed before it starts) have a row:
-- its users read no others (a transfer in the period falls within its episode, and a child
-- waiting at as-of has an episode open then).
-- Read from fact_assessment (each assessment beside its referral's dates, joined at load) with
-- the as-of rules of assessment_rows and referrals (a date after as-of is not yet known), so a
-- month end's rows are one test of each assessment's dates.
SELECT
    a.assessment_id,
    a.person_id,
    a.referral_id,
    a.auth_date,
    a.team,
    a.worker_id,
    coalesce(a.referral_date <= $as_of, FALSE) AS referral_found,
    CASE WHEN a.referral_date <= $as_of AND a.close_date <= $as_of THEN a.close_date END
        AS episode_end
FROM fact_assessment a
WHERE a.start_date <= $as_of
  AND a.auth_date <= $as_of
  AND a.team IS NOT NULL
  AND coalesce(
      CASE WHEN a.referral_date <= $as_of AND a.close_date <= $as_of THEN a.close_date END
          >= $date_from,
      TRUE
  )
