-- The child's views during assessment (flow, by authorisation date; measures.md "More of the
-- letter"): completed assessments, as the assessments measure counts them (authorised in the
-- period, on or after their start), with
--   * views_recorded: the child has a ssd_voice_of_child record with at least one answer (a
--     non-blank voch_ answer column). The table carries no date, so any record of the child
--     counts;
--   * seen_alone: the child was seen alone (a CIN or CP visit with both the seen and the seen-alone
--     flag true) on a day between the assessment's start and its authorisation, both included;
--     first_seen_alone_date is the first such day.
-- Team and worker: cina_assessment_team / _worker_id. (One pass: each assessment joined to its
-- child's answers and seen-alone visits in its window, then grouped.)
-- uses: workers, assessment_rows, all_visits
SELECT
    a.assessment_id,
    any_value(a.person_id) AS person_id,
    any_value(a.referral_id) AS referral_id,
    any_value(a.start_date) AS start_date,
    any_value(a.auth_date) AS auth_date,
    any_value(h.person_id) IS NOT NULL AS views_recorded,
    min(v.visit_date) IS NOT NULL AS seen_alone,
    min(v.visit_date) AS first_seen_alone_date,
    any_value(a.team) AS team,
    any_value(a.worker_id) AS worker_id
FROM assessment_rows a
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
LEFT JOIN all_visits v
  ON v.person_id = a.person_id
 AND v.seen_alone
 AND v.visit_date BETWEEN a.start_date AND a.auth_date
WHERE a.auth_date BETWEEN $date_from AND $date_to
  AND a.start_date IS NOT NULL
  AND a.auth_date >= a.start_date
GROUP BY a.assessment_id
