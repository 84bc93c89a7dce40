-- Completed assessments (flow, by authorisation date; DfE C2): assessments authorised in the
-- period. Duration = wd_between(start, auth), banded as DfE: 0, 1-10, 11-20, 21-30, 31-40, 41-45,
-- 46-50, 51-60, 61+. Within target when duration <= the row's target (assessment_rows: 45, or the
-- 2010 regime's initial/core targets).
-- Data issue, left out: an assessment authorised before it started (or with no start date) has
-- no duration and is not counted here at all (it belongs on the data-issues list).
-- From referral (Working Together's clock): wd_between(referral date of cina_referral_id, auth);
-- NULL when the referral is not found or is dated after the authorisation.
-- Team and worker: cina_assessment_team / cina_assessment_worker_id.
-- uses: referrals, workers, assessment_rows
SELECT
    a.assessment_id,
    a.person_id,
    a.referral_id,
    a.start_date,
    a.auth_date,
    a.assessment_type,
    wd_between(a.start_date, a.auth_date) AS days,
    d.band,
    d.band_order,
    a.target,
    wd_between(a.start_date, a.auth_date) <= a.target AS within_target,
    CASE WHEN r.referral_date <= a.auth_date
         THEN wd_between(r.referral_date, a.auth_date) END AS from_referral_days,
    a.worker_id,
    a.worker_name,
    a.qualified,
    a.worker_known,
    a.child_seen,
    a.team
FROM assessment_rows a
LEFT JOIN referrals r ON r.referral_id = a.referral_id
CROSS JOIN LATERAL (
    SELECT
        CASE
            WHEN wd = 0 THEN '0'
            WHEN wd <= 10 THEN '1-10'
            WHEN wd <= 20 THEN '11-20'
            WHEN wd <= 30 THEN '21-30'
            WHEN wd <= 40 THEN '31-40'
            WHEN wd <= 45 THEN '41-45'
            WHEN wd <= 50 THEN '46-50'
            WHEN wd <= 60 THEN '51-60'
            ELSE '61+'
        END AS band,
        CASE
            WHEN wd = 0 THEN 0
            WHEN wd <= 10 THEN 1
            WHEN wd <= 20 THEN 2
            WHEN wd <= 30 THEN 3
            WHEN wd <= 40 THEN 4
            WHEN wd <= 45 THEN 5
            WHEN wd <= 50 THEN 6
            WHEN wd <= 60 THEN 7
            ELSE 8
        END AS band_order
    FROM (SELECT wd_between(a.start_date, a.auth_date) AS wd)
) d
WHERE a.auth_date BETWEEN $date_from AND $date_to
  AND a.start_date IS NOT NULL
  AND a.auth_date >= a.start_date
