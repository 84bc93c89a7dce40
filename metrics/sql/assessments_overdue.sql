-- Open and overdue assessments (snapshot at as-of): started on or before as-of, not authorised by
-- as-of (an authorisation dated later has not happened yet), and wd_between(start, as_of) above
-- the row's target (assessment_rows). Due date = wd_add(start, target).
-- Team and worker: cina_assessment_team / cina_assessment_worker_id. The age is counted once.
-- uses: workers, assessment_rows
SELECT
    a.assessment_id,
    a.person_id,
    a.referral_id,
    a.start_date,
    a.assessment_type,
    a.target,
    wd_add(a.start_date, a.target) AS due_date,
    a.age_wd,
    a.worker_id,
    a.worker_name,
    a.team
FROM (
    SELECT r.*, wd_between(r.start_date, $as_of) AS age_wd
    FROM assessment_rows r
    WHERE r.auth_date IS NULL
) a
WHERE a.age_wd > a.target
