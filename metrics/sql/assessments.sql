-- Completed assessments (flow, by authorisation date; DfE C2): assessments authorised in the
-- period. Duration = wd_between(start, auth), banded as DfE: 0, 1-10, 11-20, 21-30, 31-40, 41-45,
-- 46-50, 51-60, 61+. Within target when duration <= the row's target (assessment_rows: 45, or the
-- 2010 regime's initial/core targets).
-- Data issue, left out: an assessment authorised before it started (or with no start date) has
-- no duration and is not counted here at all (it belongs on the data-issues list).
-- From referral (Working Together's clock): wd_between(referral date of cina_referral_id, auth);
-- NULL when the referral is not found or is dated after the authorisation.
-- Team and worker: cina_assessment_team / cina_assessment_worker_id.
-- uses: workers, assessment_rows
SELECT
    x.assessment_id,
    x.person_id,
    x.referral_id,
    x.start_date,
    x.auth_date,
    x.assessment_type,
    x.days,
    CASE
        WHEN x.days = 0 THEN '0'
        WHEN x.days <= 10 THEN '1-10'
        WHEN x.days <= 20 THEN '11-20'
        WHEN x.days <= 30 THEN '21-30'
        WHEN x.days <= 40 THEN '31-40'
        WHEN x.days <= 45 THEN '41-45'
        WHEN x.days <= 50 THEN '46-50'
        WHEN x.days <= 60 THEN '51-60'
        ELSE '61+'
    END AS band,
    CASE
        WHEN x.days = 0 THEN 0
        WHEN x.days <= 10 THEN 1
        WHEN x.days <= 20 THEN 2
        WHEN x.days <= 30 THEN 3
        WHEN x.days <= 40 THEN 4
        WHEN x.days <= 45 THEN 5
        WHEN x.days <= 50 THEN 6
        WHEN x.days <= 60 THEN 7
        ELSE 8
    END AS band_order,
    x.target,
    x.days <= x.target AS within_target,
    x.from_referral_days,
    x.worker_id,
    x.worker_name,
    x.qualified,
    x.worker_known,
    x.child_seen,
    x.team
FROM (
    -- Each duration is counted once (from the working-day indexes fact_assessment keeps), then
    -- banded and judged. The referral is the one the assessment names (fact_assessment), dated
    -- on or before the authorisation (so known at as-of).
    SELECT
        a.*,
        a.auth_wd - a.start_wd AS days,
        CASE WHEN a.referral_date <= a.auth_date
             THEN a.auth_wd - a.referral_wd END AS from_referral_days
    FROM assessment_rows a
    WHERE a.auth_date BETWEEN $date_from AND $date_to
      AND a.start_date IS NOT NULL
      AND a.auth_date >= a.start_date
) x
