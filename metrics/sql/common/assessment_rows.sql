-- assessment_rows: every assessment started by as-of, with its target in working days and its
-- worker's facts. An authorisation dated after as-of has not happened yet (auth_date NULL).
--
-- Target (measures.md, "2010 regime"): cina_assessment_type, trimmed and compared
-- case-insensitively, 'initial' (or 'initial assessment') -> initial assessment target, 'core' (or
-- 'core assessment') -> core assessment target; 'single', anything else, or blank -> the single
-- assessment target (45). Decisions:
--   * Working Together 2010 (10 working days for an initial assessment) is taken to apply to
--     assessments STARTED on or after 2010-04-01; an initial assessment started before then has
--     the earlier 7-working-day target (WT 2006 / Assessment Framework 2000).
--   * When the regime setting is '2010', a blank type counts as an initial assessment (under that
--     regime every assessment was initial or core, and an unlabelled one is almost always the
--     initial one). Under the default regime ('2023') a blank type is a single assessment.
-- Worker: NULL worker_name/qualified and worker_known false when cina_assessment_worker_id is not
-- in ssd_professionals (or is blank): counted as "worker unknown", never as qualified.
-- uses: workers
SELECT
    a.cina_assessment_id AS assessment_id,
    a.cina_person_id AS person_id,
    a.cina_referral_id AS referral_id,
    a.cina_assessment_start_date AS start_date,
    CASE WHEN a.cina_assessment_auth_date <= $as_of THEN a.cina_assessment_auth_date END
        AS auth_date,
    nullif(lower(trim(a.cina_assessment_type)), '') AS assessment_type,
    CASE
        WHEN lower(trim(a.cina_assessment_type)) IN ('initial', 'initial assessment')
          OR ($regime = '2010' AND nullif(trim(a.cina_assessment_type), '') IS NULL)
            THEN CASE WHEN a.cina_assessment_start_date < DATE '2010-04-01'
                      THEN $t_initial_assessment_pre2010_wd
                      ELSE $t_initial_assessment_wd END
        WHEN lower(trim(a.cina_assessment_type)) IN ('core', 'core assessment')
            THEN $t_core_assessment_wd
        ELSE $t_assessment_wd
    END AS target,
    a.cina_assessment_child_seen AS child_seen,
    a.cina_assessment_team AS team,
    a.cina_assessment_worker_id AS worker_id,
    w.worker_name,
    w.qualified,
    w.worker_id IS NOT NULL AS worker_known
FROM ssd_cin_assessments a
LEFT JOIN workers w ON w.worker_id = a.cina_assessment_worker_id
WHERE a.cina_assessment_start_date <= $as_of
