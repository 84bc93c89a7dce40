-- fact_assessment: every assessment with its episode, the referral it names (cina_referral_id):
-- that referral's date and recorded close date (NULL, NULL when the referral is not in the
-- extract). Nothing here depends on an as-of date: readers hide an authorisation, a referral or
-- a close after their as-of (assessed), so a trend over month ends tests each assessment's dates
-- against each month end instead of joining every assessment to every referral again per month.
-- first_seen_alone_date (the child's views during assessment): the first day the child was seen
-- alone (a CIN or CP visit with both the seen and the seen-alone flag true) between the
-- assessment's start and its authorisation, both included; NULL when none (or no start or
-- authorisation). Every such visit is dated on or before the authorisation, so it is known at
-- any as-of date that knows the authorisation.
-- The assessment's recorded type and child-seen flag, and the working-day index (calendar) of
-- its start, its authorisation and its referral's date (NULL for a date the calendar does not
-- reach, as wd_index gives it), so assessment_rows reads one table and a duration is a
-- subtraction, not three calendar look-ups and a join to every referral per query.
SELECT
    a.cina_assessment_id AS assessment_id,
    a.cina_person_id AS person_id,
    a.cina_referral_id AS referral_id,
    a.cina_assessment_start_date AS start_date,
    a.cina_assessment_auth_date AS auth_date,
    a.cina_assessment_team AS team,
    a.cina_assessment_worker_id AS worker_id,
    e.cine_referral_date AS referral_date,
    e.cine_close_date AS close_date,
    sa.first_seen_alone_date,
    a.cina_assessment_type AS recorded_type,
    a.cina_assessment_child_seen AS child_seen,
    cs.wd_index AS start_wd,
    ca.wd_index AS auth_wd,
    cr.wd_index AS referral_wd
FROM ssd_cin_assessments a
LEFT JOIN ssd_cin_episodes e ON e.cine_referral_id = a.cina_referral_id
LEFT JOIN calendar cs ON cs.date = a.cina_assessment_start_date
LEFT JOIN calendar ca ON ca.date = a.cina_assessment_auth_date
LEFT JOIN calendar cr ON cr.date = e.cine_referral_date
LEFT JOIN (
    SELECT s.cina_assessment_id AS assessment_id, min(v.visit_date) AS first_seen_alone_date
    FROM ssd_cin_assessments s
    JOIN (
        SELECT cinv_person_id AS person_id, cinv_cin_visit_date AS visit_date
        FROM ssd_cin_visits
        WHERE cinv_cin_visit_seen AND cinv_cin_visit_seen_alone
        UNION ALL
        SELECT cppv_person_id, cppv_cp_visit_date
        FROM ssd_cp_visits
        WHERE cppv_cp_visit_seen AND cppv_cp_visit_seen_alone
    ) v
      ON v.person_id = s.cina_person_id
     AND v.visit_date BETWEEN s.cina_assessment_start_date AND s.cina_assessment_auth_date
    GROUP BY s.cina_assessment_id
) sa ON sa.assessment_id = a.cina_assessment_id
ORDER BY a.cina_assessment_auth_date, a.cina_assessment_id
