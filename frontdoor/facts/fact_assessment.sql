-- fact_assessment: every assessment with its episode, the referral it names (cina_referral_id):
-- that referral's date and recorded close date (NULL, NULL when the referral is not in the
-- extract). Nothing here depends on an as-of date: readers hide an authorisation, a referral or
-- a close after their as-of (assessed), so a trend over month ends tests each assessment's dates
-- against each month end instead of joining every assessment to every referral again per month.
SELECT
    a.cina_assessment_id AS assessment_id,
    a.cina_person_id AS person_id,
    a.cina_referral_id AS referral_id,
    a.cina_assessment_start_date AS start_date,
    a.cina_assessment_auth_date AS auth_date,
    a.cina_assessment_team AS team,
    a.cina_assessment_worker_id AS worker_id,
    e.cine_referral_date AS referral_date,
    e.cine_close_date AS close_date
FROM ssd_cin_assessments a
LEFT JOIN ssd_cin_episodes e ON e.cine_referral_id = a.cina_referral_id
ORDER BY a.cina_assessment_auth_date, a.cina_assessment_id
