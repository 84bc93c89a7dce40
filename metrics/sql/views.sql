-- The child's views during assessment (flow, by authorisation date; measures.md "More of the
-- letter"): completed assessments, as the assessments measure counts them (authorised in the
-- period, on or after their start), with
--   * views_recorded: the child has a ssd_voice_of_child record with at least one answer (a
--     non-blank voch_ answer column). The table carries no date, so any record of the child
--     counts;
--   * seen_alone: the child was seen alone (a CIN or CP visit with both the seen and the seen-alone
--     flag true) on a day between the assessment's start and its authorisation, both included;
--     first_seen_alone_date is the first such day.
-- Team and worker: cina_assessment_team / _worker_id. Each assessment's first seen-alone day is
-- found once at load (fact_assessment.first_seen_alone_date), read here with the as-of rules of
-- assessment_rows (started by as-of; an authorisation after as-of is not yet made).
SELECT
    a.assessment_id,
    a.person_id,
    a.referral_id,
    a.start_date,
    a.auth_date,
    h.person_id IS NOT NULL AS views_recorded,
    a.first_seen_alone_date IS NOT NULL AS seen_alone,
    a.first_seen_alone_date,
    a.team,
    a.worker_id
FROM fact_assessment a
LEFT JOIN (
    SELECT DISTINCT voch_person_id AS person_id
    FROM ssd_voice_of_child
    WHERE coalesce(
        nullif(trim(voch_explained_worries), ''),
        nullif(trim(voch_story_help_understand), ''),
        nullif(trim(voch_agree_worker), ''),
        nullif(trim(voch_plan_safe), ''),
        nullif(trim(voch_tablet_help_explain), '')
    ) IS NOT NULL
) h ON h.person_id = a.person_id
WHERE a.auth_date BETWEEN $date_from AND $date_to
  AND a.auth_date <= $as_of
  AND a.start_date <= $as_of
  AND a.auth_date >= a.start_date
