-- Open assessments coming due (snapshot at as-of), for "My team today": started on or before
-- as-of, not authorised by as-of, not yet past their target (assessments_overdue lists those),
-- and due within $t_due_soon_wd working days: wd_between(as_of, due date) <= $t_due_soon_wd,
-- where the due date is wd_add(start, target) (assessment_rows gives the target). Since
-- wd_between(start, as_of) <= target, the due date is on or after as-of.
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
    a.target - a.age_wd AS due_in_wd,
    a.worker_id,
    a.worker_name,
    a.team
FROM (
    SELECT r.*, wd_between(r.start_date, $as_of) AS age_wd
    FROM assessment_rows r
    WHERE r.auth_date IS NULL
) a
WHERE a.age_wd <= a.target
  AND a.target - a.age_wd <= $t_due_soon_wd
